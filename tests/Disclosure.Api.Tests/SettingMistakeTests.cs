namespace Disclosure.Api.Tests;

/// <summary>
/// The slips a district's administrator makes in the settings are told at start (s44-ops L1, L8): an empty MongoDB connection string
/// ran the embedded store on a local file, a mistyped secrets folder was read as no secrets, and a misspelt key was ignored, each
/// without a word.
/// </summary>
public sealed class SettingMistakeTests
{
    private const string AdminKey = "setting-mistake-admin-key-0123456789";
    private const string Empty = "Disclosure cannot start: ConnectionStrings:Mongo is set but empty (an empty secret file or variable): give the MongoDB connection string, or remove the setting to use the embedded SQLite store.";
    private const string Wanted = "it must be a folder holding one file per setting (such as Auth__AdminKey), or unset to read /run/secrets where it exists.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_MongoDB_Connection_String_Set_Empty_Is_Refused_At_Start(string value) =>
        Assert.Equal(Empty, await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { ["ConnectionStrings__Mongo"] = value }));

    [Fact]
    public async Task An_Empty_MongoDB_Secret_File_Is_Refused_At_Start()
    {
        var secrets = Directory.CreateTempSubdirectory("disclosure-secrets-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "ConnectionStrings__Mongo"), "\n", Ct);
            Assert.Equal(Empty, await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { ["SecretsDirectory"] = secrets }));
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task A_Secrets_Directory_That_Does_Not_Exist_Or_Is_A_File_Is_Refused_Naming_It()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"disclosure-secretz-{Guid.NewGuid():N}");
        Assert.Equal($"Disclosure cannot start: SecretsDirectory is '{missing}', which does not exist; {Wanted}",
            await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { ["SecretsDirectory"] = missing }));

        var file = Path.Combine(Path.GetTempPath(), $"disclosure-secrets-file-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "not a folder", Ct);
        try
        {
            Assert.Equal($"Disclosure cannot start: SecretsDirectory is '{file}', which is a file; {Wanted}",
                await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { ["SecretsDirectory"] = file }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_Missing_Admin_Key_Is_Refused_Naming_The_Folder_Searched_For_Its_Secret_File()
    {
        var secrets = Directory.CreateTempSubdirectory("disclosure-secrets-").FullName;
        try
        {
            // The key put in another folder than the one read.
            var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { ["SecretsDirectory"] = secrets }, adminKey: "");
            Assert.Equal("Disclosure cannot start: Auth:AdminKey is not configured. Set the environment variable Auth__AdminKey, or the secret file " +
                $"Auth__AdminKey in {secrets} (SecretsDirectory), to a long random value.", line);
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task A_Secret_File_In_The_Named_Folder_Is_Read()
    {
        var secrets = Directory.CreateTempSubdirectory("disclosure-secrets-").FullName;
        var db = TestDatabase.NewPath("secrets-folder");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "Auth__AdminKey"), AdminKey + "\n", Ct);
            await using var service = await ServiceProcess.StartAsync(db, "", Ct, new Dictionary<string, string> { ["SecretsDirectory"] = secrets });
            using var client = service.Client(AdminKey);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);
        }
        finally
        {
            TestDatabase.Delete(db);
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task A_Key_No_Setting_Reads_Under_The_Services_Sections_Is_A_Warning_Naming_It_And_The_Known_Ones()
    {
        var db = TestDatabase.NewPath("unknown-setting");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct, new Dictionary<string, string>
            {
                ["ConnectionStrings__MongoDB"] = "mongodb://mongo1:27017/disclosure?replicaSet=rs0",
                ["Storage__Sqlite__KeepBackup"] = "3",
                ["Storage__Sqlite__KeepBackups"] = "3", // known, as every setting the service starts with here
            });
            using var client = service.Client(AdminKey);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);

            var warnings = service.Output.Split('\n').Where(l => l.Contains("\"Disclosure.Settings\"", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.All(warnings, w => Assert.Contains("\"LogLevel\":\"Warning\"", w, StringComparison.Ordinal));
            Assert.Contains("The setting ConnectionStrings:MongoDB is not one this service reads, and is ignored (a misspelling?); " +
                "the settings under ConnectionStrings are ConnectionStrings:Mongo, ConnectionStrings:Sqlite", warnings[0], StringComparison.Ordinal);
            Assert.Contains("The setting Storage:Sqlite:KeepBackup is not one this service reads, and is ignored (a misspelling?); " +
                "the settings under Storage are Storage:Sqlite:MaxBatch, Storage:Sqlite:CheckpointIntervalMilliseconds, Storage:Sqlite:WalLimitMegabytes, " +
                "Storage:Sqlite:BackupDirectory, Storage:Sqlite:KeepBackups, Storage:Mongo:Database, Storage:Mongo:AppendTimeoutSeconds", warnings[1], StringComparison.Ordinal);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }
}
