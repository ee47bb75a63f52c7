using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>The README's backup and restore, done as an operator would: a backup while submissions pour in, restored into a new process.</summary>
public sealed class BackupTests
{
    private const string AdminKey = "backup-test-admin-key-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Backup_Taken_Under_Load_And_Restored_Into_A_Fresh_Process_Holds_Every_Revision_Acknowledged_Before_It()
    {
        var db = TestDatabase.NewPath("backup");
        var backups = Path.Combine(Path.GetTempPath(), $"disclosure-backups-{Guid.NewGuid():N}");
        var restored = TestDatabase.NewPath("restored");
        var reporters = Enumerable.Range(0, 4).Select(i => $"backup-{i}").ToArray();
        var acknowledged = new ConcurrentBag<(string Reporter, int Revision, Guid Id, long At)>();
        try
        {
            long backupStarted;
            JsonElement backup;
            await using (var service = await ServiceProcess.StartAsync(db, AdminKey, Ct,
                new Dictionary<string, string> { ["Storage__Sqlite__BackupDirectory"] = backups }))
            {
                using var admin = service.Client(AdminKey);
                foreach (var r in reporters)
                    Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = r, name = r, kind = "town" }, Ct)).StatusCode);

                using var stop = new CancellationTokenSource();
                var workers = reporters.Select(r => Task.Run(async () =>
                {
                    using var client = service.Client(AdminKey);
                    for (var marker = 1; !stop.IsCancellationRequested; marker++)
                    {
                        var values = SeedTable.Values.Where(v => v.Key != "13.1").Append(new("13.1", marker)).Select(v => new { code = v.Key, value = v.Value });
                        var response = await client.PostAsJsonAsync("/v1/submissions",
                            new { reporter = r, period = "2014", catalogue = "gov-info-disclosure-2014", values }, CancellationToken.None);
                        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                        acknowledged.Add((r, body.GetProperty("revision").GetInt32(), body.GetProperty("id").GetGuid(), System.Diagnostics.Stopwatch.GetTimestamp()));
                    }
                }, CancellationToken.None)).ToArray();

                async Task AwaitAcknowledged(int count)
                {
                    while (acknowledged.Count < count)
                    {
                        if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed; // a refused submission fails the test here
                        await Task.Delay(10, Ct);
                    }
                }
                await AwaitAcknowledged(40);
                backupStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                var answer = await admin.PostAsync("/v1/admin/backup", null, Ct);
                Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
                Assert.Equal("/v1/admin/backups", answer.Headers.Location?.OriginalString); // the list, which holds it; the body names the file
                backup = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
                // Submissions kept being acknowledged while it ran, and after.
                var countAtBackup = acknowledged.Count;
                await AwaitAcknowledged(countAtBackup + 20);
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }

            var path = backup.GetProperty("path").GetString()!;
            Assert.Equal(backups, Path.GetDirectoryName(path));
            Assert.Equal(new FileInfo(path).Length, backup.GetProperty("bytes").GetInt64());
            var before = acknowledged.Where(a => a.At < backupStarted).ToList();
            Assert.True(before.Count >= 40);
            Assert.InRange(backup.GetProperty("submissions").GetInt64(), before.Count, acknowledged.Count);

            // The README's restore: the copy in place of the database file, then a fresh start.
            File.Copy(path, restored);
            await using var fresh = await ServiceProcess.StartAsync(restored, AdminKey, Ct);
            using var reader = fresh.Client(AdminKey);
            foreach (var r in reporters)
            {
                var list = await reader.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={r}&catalogue=gov-info-disclosure-2014&period=2014", Ct);
                var ids = list.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("revision").GetInt32(), e.GetProperty("id").GetGuid())).ToHashSet();
                foreach (var a in before.Where(a => a.Reporter == r)) Assert.Contains((a.Revision, a.Id), ids);
                // Gap-free: revisions 1..n.
                Assert.Equal(Enumerable.Range(1, ids.Count), ids.Select(i => i.Item1).Order());
            }
        }
        finally
        {
            TestDatabase.Delete(db);
            TestDatabase.Delete(restored);
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }

    [Fact]
    public async Task A_Backup_Directory_That_Cannot_Be_Written_Is_A_503_Naming_It_And_The_Setting_While_The_Store_Serves_On()
    {
        // A directory under a plain file cannot be made, whoever the service runs as (permission bits do not stop root).
        var file = Path.Combine(Path.GetTempPath(), $"disclosure-not-a-directory-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "a file", Ct);
        await using var factory = new ApiFactory();
        try
        {
            using var admin = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Sqlite:BackupDirectory", Path.Combine(file, "backups"))).CreateClient();
            admin.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header, ApiFactory.AdminKey);

            var response = await admin.PostAsync("/v1/admin/backup", null, Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!;
            Assert.Contains($"The backup directory '{Path.Combine(file, "backups")}' cannot be written", detail);
            Assert.Contains("Storage__Sqlite__BackupDirectory", detail);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready", Ct)).StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Only_The_Admin_May_Take_A_Backup()
    {
        await using var factory = new ApiFactory();
        var viewerKey = await CreateViewerKeyAsync(factory);
        using var viewer = factory.Client(viewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/v1/admin/backup", null, Ct)).StatusCode);
        using var anonymous = factory.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/admin/backup", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Body_With_A_Member_Or_Not_An_Object_Is_400_Naming_It_And_No_Backup_Is_Written_While_None_Or_An_Empty_Object_Takes_One()
    {
        var backups = Path.Combine(Path.GetTempPath(), $"disclosure-backups-{Guid.NewGuid():N}");
        await using var factory = new ApiFactory();
        try
        {
            using var admin = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Sqlite:BackupDirectory", backups)).CreateClient();
            admin.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header, ApiFactory.AdminKey);
            static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

            // The backup takes nothing: a member is named rather than passed over (the copy would not go where it says).
            foreach (var (body, field) in new[] { ("""{"directory":"/mnt/other"}""", "directory"), ("""{"file":"mine.db"}""", "file"), ("[]", "body"), ("null", "body") })
            {
                var response = await admin.PostAsync("/v1/admin/backup", Json(body), Ct);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
            }
            Assert.False(Directory.Exists(backups) && Directory.EnumerateFileSystemEntries(backups).Any());

            // No body, an empty one with a JSON Content-Type, and {} (as clients that send JSON with every POST write it).
            foreach (var content in new HttpContent?[] { null, Json(""), Json("{}") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/admin/backup", content, Ct)).StatusCode);
            Assert.Equal(3, Directory.EnumerateFiles(backups, "*.db").Count());
        }
        finally
        {
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }

    [Fact]
    public async Task Backups_Are_Listed_Newest_First_Where_The_201_Leads_And_KeepBackups_Deletes_The_Oldest_Beyond_It()
    {
        var backups = Path.Combine(Path.GetTempPath(), $"disclosure-backups-{Guid.NewGuid():N}");
        await using var factory = new ApiFactory();
        try
        {
            await using var keeping = factory.WithWebHostBuilder(b => b
                .UseSetting("Storage:Sqlite:BackupDirectory", backups).UseSetting("Storage:Sqlite:KeepBackups", "2"));
            using var admin = keeping.CreateClient();
            admin.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header, ApiFactory.AdminKey);
            Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/v1/admin/backups", Ct)).GetProperty("items").EnumerateArray());
            // Something not a backup of this service's naming is neither listed nor deleted.
            Directory.CreateDirectory(backups);
            var other = Path.Combine(backups, "keep-me.db");
            await File.WriteAllTextAsync(other, "the operator's own", Ct);

            var taken = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                factory.Clock.Advance(TimeSpan.FromMinutes(1));
                var answer = await admin.PostAsync("/v1/admin/backup", null, Ct);
                Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
                Assert.Equal("/v1/admin/backups", answer.Headers.Location?.OriginalString);
                taken.Add(await answer.Content.ReadFromJsonAsync<JsonElement>(Ct));
            }
            string Name(int i) => taken[i].GetProperty("file").GetString()!;
            Assert.Empty(taken[1].GetProperty("removed").EnumerateArray());
            Assert.Equal([Name(0)], taken[2].GetProperty("removed").EnumerateArray().Select(e => e.GetString()));

            var list = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/backups", Ct)).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal([Name(2), Name(1)], list.Select(e => e.GetProperty("file").GetString()));
            foreach (var item in list)
            {
                var file = new FileInfo(Path.Combine(backups, item.GetProperty("file").GetString()!));
                Assert.Equal(file.Length, item.GetProperty("bytes").GetInt64());
                // To the millisecond, as every time the API gives (the file system keeps ten-millionths).
                Assert.Equal(Disclosure.Storage.StoredTime.Of(new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)), item.GetProperty("writtenAt").GetDateTimeOffset());
                Assert.Matches(@"\.\d{1,3}\+00:00$|:\d\d\+00:00$", item.GetProperty("writtenAt").GetRawText().Trim('"'));
            }
            Assert.False(File.Exists(Path.Combine(backups, Name(0))));
            Assert.True(File.Exists(other));

            var created = await admin.PostAsJsonAsync("/v1/keys", new { role = "viewer" }, Ct);
            using var viewer = keeping.CreateClient();
            viewer.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header,
                (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/v1/admin/backups", Ct)).StatusCode);
            using var anonymous = keeping.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/admin/backups", Ct)).StatusCode);
        }
        finally
        {
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }

    [Fact]
    public async Task On_MongoDB_Listing_Backups_Is_The_Same_501_As_Taking_One()
    {
        await using var factory = new ApiFactory();
        // What the MongoDB store registers: no backup of the store's own.
        await using var mongo = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new Disclosure.Storage.StoreBackups(null))));
        using var admin = mongo.CreateClient();
        admin.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header, ApiFactory.AdminKey);
        foreach (var response in new[] { await admin.PostAsync("/v1/admin/backup", null, Ct), await admin.GetAsync("/v1/admin/backups", Ct) })
        {
            Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.EndsWith("/backup-not-embedded", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains("mongodump", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<string> CreateViewerKeyAsync(ApiFactory factory)
    {
        var response = await factory.Admin().PostAsJsonAsync("/v1/keys", new { role = "viewer" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }
}
