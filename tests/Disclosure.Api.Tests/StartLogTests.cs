namespace Disclosure.Api.Tests;

/// <summary>What a start logs at Warning, as an operator reads it in a container: only what needs their attention.</summary>
public sealed class StartLogTests
{
    private const string AdminKey = "start-log-test-admin-key-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Backup_Directory_That_Cannot_Be_Made_Is_One_Warning_At_Start_Naming_It_And_The_Setting_And_The_Service_Serves()
    {
        // A directory under a plain file cannot be made, whoever the service runs as.
        var file = Path.Combine(Path.GetTempPath(), $"disclosure-not-a-directory-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "a file", Ct);
        var directory = Path.Combine(file, "backups");
        var db = TestDatabase.NewPath("start-log");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct,
                new Dictionary<string, string> { ["Storage__Sqlite__BackupDirectory"] = directory });
            using var client = service.Client(AdminKey);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);

            var warning = Assert.Single(service.Output.Split('\n'), l => l.Contains("\"Disclosure.Backup\"", StringComparison.Ordinal));
            Assert.Contains("\"LogLevel\":\"Warning\"", warning, StringComparison.Ordinal);
            Assert.Contains($"The backup directory '{directory}' cannot be made or written", warning, StringComparison.Ordinal);
            Assert.Contains("Storage__Sqlite__BackupDirectory", warning, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabase.Delete(db);
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_Start_Without_A_Writable_Home_Logs_No_DataProtection_Warning_Nor_Any_Other()
    {
        // As in a container whose user has no home: DataProtection would keep its keys in memory and say so, three times.
        var db = TestDatabase.NewPath("start-log");
        var backups = Path.Combine(Path.GetTempPath(), $"disclosure-backups-{Guid.NewGuid():N}");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct, new Dictionary<string, string>
            {
                ["HOME"] = "/nonexistent",
                ["Storage__Sqlite__BackupDirectory"] = backups,
            });
            using var client = service.Client(AdminKey);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await service.Client("not-a-key").GetAsync("/v1/reporters", Ct)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await service.Client().GetAsync("/", Ct)).StatusCode);

            Assert.DoesNotContain("DataProtection", service.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("\"LogLevel\":\"Warning\"", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabase.Delete(db);
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }
}
