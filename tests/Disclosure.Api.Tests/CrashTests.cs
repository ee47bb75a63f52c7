using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

public sealed class CrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_Acknowledged_Submission_Survives_A_SIGKILL_And_None_Is_Half_Written()
    {
        const string adminKey = "crash-test-admin-key-0123456789";
        var db = TestDatabase.NewPath("crash");
        var reporters = Enumerable.Range(0, 6).Select(i => $"crash-{i}").ToArray();
        var acknowledged = new ConcurrentBag<(string Reporter, int Revision, Guid Id, decimal Marker)>();
        var sent = new ConcurrentDictionary<decimal, string>();
        try
        {
            await using (var service = await ServiceProcess.StartAsync(db, adminKey, Ct))
            {
                using var admin = service.Client(adminKey);
                foreach (var r in reporters)
                    Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = r, name = r, kind = "town" }, Ct)).StatusCode);

                using var stop = new CancellationTokenSource();
                var marker = 0;
                var workers = reporters.Select(r => Task.Run(async () =>
                {
                    using var client = service.Client(adminKey);
                    while (!stop.IsCancellationRequested)
                    {
                        var m = (decimal)Interlocked.Increment(ref marker);
                        sent[m] = r;
                        var values = SeedTable.Values.Where(v => v.Key != "13.1").Append(new("13.1", m))
                            .Select(v => new { code = v.Key, value = v.Value });
                        try
                        {
                            var response = await client.PostAsJsonAsync("/v1/submissions",
                                new { reporter = r, period = "2014", catalogue = "gov-info-disclosure-2014", values }, CancellationToken.None);
                            if (response.StatusCode != HttpStatusCode.Created) continue;
                            var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                            acknowledged.Add((r, body.GetProperty("revision").GetInt32(), body.GetProperty("id").GetGuid(), m));
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
                        {
                            return; // the server died under us: that is the point
                        }
                    }
                }, CancellationToken.None)).ToArray();

                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (acknowledged.Count < 150 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
                service.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }
            Assert.True(acknowledged.Count >= 150, $"only {acknowledged.Count} submissions were acknowledged before the kill");

            await using var restarted = await ServiceProcess.StartAsync(db, adminKey, Ct);
            using var reader = restarted.Client(adminKey);
            foreach (var ack in acknowledged)
            {
                var stored = await reader.GetFromJsonAsync<JsonElement>($"/v1/submissions/{ack.Id}", Ct);
                Assert.Equal(ack.Revision, stored.GetProperty("revision").GetInt32());
                AssertWholeTable(stored, ack.Marker);
            }
            foreach (var r in reporters)
            {
                var list = await reader.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={r}&catalogue=gov-info-disclosure-2014&period=2014", Ct);
                var items = list.GetProperty("items").EnumerateArray().ToList();
                Assert.Equal(Enumerable.Range(1, items.Count), items.Select(i => i.GetProperty("revision").GetInt32()));
                Assert.True(items.Count >= acknowledged.Count(a => a.Reporter == r));
                foreach (var item in items)
                {
                    // A revision committed just before the kill may never have been answered; it must still be whole.
                    var stored = await reader.GetFromJsonAsync<JsonElement>($"/v1/submissions/{item.GetProperty("id").GetGuid()}", Ct);
                    var m = stored.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "13.1").GetProperty("value").GetDecimal();
                    Assert.Equal(r, sent[m]);
                    AssertWholeTable(stored, m);
                }
            }
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    private static void AssertWholeTable(JsonElement stored, decimal marker)
    {
        var values = stored.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
        var expected = SeedTable.Values.ToDictionary(v => v.Key, v => v.Value!.Value);
        expected["13.1"] = marker;
        Assert.Equal(expected, values);
    }

    [Fact]
    public async Task SIGTERM_Drains_Requests_In_Flight_And_Exits_Cleanly()
    {
        const string adminKey = "drain-test-admin-key-0123456789";
        var db = TestDatabase.NewPath("drain");
        try
        {
            var acknowledged = new ConcurrentBag<Guid>();
            var failures = new ConcurrentBag<string>();
            await using (var service = await ServiceProcess.StartAsync(db, adminKey, Ct))
            {
                using var admin = service.Client(adminKey);
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "drain-1", name = "drain", kind = "town" }, Ct)).StatusCode);
                // Each request another correction (13.1 apart): the same table again would be answered 200 and store nothing.
                object[] Values(int i) => [.. SeedTable.Values.Select(v => new { code = v.Key, value = v.Key == "13.1" ? v.Value + i : v.Value })];
                var started = 0;
                var requests = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
                {
                    using var client = service.Client(adminKey);
                    var send = client.PostAsJsonAsync("/v1/submissions",
                        new { reporter = "drain-1", period = "2014", catalogue = "gov-info-disclosure-2014", values = Values(i) }, CancellationToken.None);
                    Interlocked.Increment(ref started);
                    try
                    {
                        var response = await send;
                        if (response.StatusCode == HttpStatusCode.Created)
                            acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("id").GetGuid());
                        else failures.Add($"{(int)response.StatusCode}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                    {
                        // Refused or cut before the service read it (the listener closed first): not acknowledged, so the
                        // client retries; what this test holds the service to is that every 201 it did send is kept.
                    }
                }, CancellationToken.None)).ToList();
                while (Volatile.Read(ref started) < 40) await Task.Delay(1, Ct);
                var exit = await service.TerminateAsync(TimeSpan.FromSeconds(40));
                await Task.WhenAll(requests);
                Assert.Equal(0, exit);
            }
            Assert.Empty(failures);
            Assert.NotEmpty(acknowledged);

            await using var restarted = await ServiceProcess.StartAsync(db, adminKey, Ct);
            using var reader = restarted.Client(adminKey);
            foreach (var id in acknowledged)
                Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/submissions/{id}", Ct)).StatusCode);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task The_Last_Acknowledged_Review_And_The_Audit_Entry_Of_Every_Acknowledged_One_Survive_A_SIGKILL()
    {
        const string adminKey = "crash-review-admin-key-0123456789";
        var db = TestDatabase.NewPath("crash-review");
        var acknowledged = 0;
        Guid id;
        try
        {
            await using (var service = await ServiceProcess.StartAsync(db, adminKey, Ct))
            {
                using var admin = service.Client(adminKey);
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "crash-town", name = "镇", kind = "town" }, Ct)).StatusCode);
                var submitted = await admin.PostAsJsonAsync("/v1/submissions",
                    new { reporter = "crash-town", period = "2014", catalogue = "gov-info-disclosure-2014", values = new[] { new { code = "12.2", value = 1 } } }, Ct);
                id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

                using var stop = new CancellationTokenSource();
                var worker = Task.Run(async () =>
                {
                    for (var n = 1; !stop.IsCancellationRequested; n++)
                    {
                        try
                        {
                            var response = await admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = $"第 {n} 次退回" }, CancellationToken.None);
                            if (response.StatusCode == HttpStatusCode.OK) Volatile.Write(ref acknowledged, n);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                        {
                            return; // the server died under us: that is the point
                        }
                    }
                }, CancellationToken.None);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Volatile.Read(ref acknowledged) < 50 && DateTime.UtcNow < deadline) await Task.Delay(5, Ct);
                service.Kill();
                await stop.CancelAsync();
                await worker;
            }
            Assert.True(acknowledged >= 50, $"only {acknowledged} reviews were acknowledged before the kill");

            await using var restarted = await ServiceProcess.StartAsync(db, adminKey, Ct);
            using var reader = restarted.Client(adminKey);
            var review = (await reader.GetFromJsonAsync<JsonElement>($"/v1/submissions/{id}", Ct)).GetProperty("review");
            // The last review answered is kept, or one sent after it that committed just before the kill and was never answered.
            var kept = int.Parse(review.GetProperty("comment").GetString()!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(kept, acknowledged, acknowledged + 1);
            // Each review answered has its audit entry: the entry is stored before the answer goes out.
            var audited = (await reader.GetFromJsonAsync<JsonElement>("/v1/audit?limit=500", Ct)).GetProperty("items").EnumerateArray()
                .Where(e => e.GetProperty("route").GetString() == "v1/submissions/{id}/review" && e.GetProperty("status").GetInt32() == 200)
                .Select(e => e.GetProperty("detail").GetString()!).ToHashSet();
            Assert.All(Enumerable.Range(1, acknowledged), n => Assert.Contains($"退回 镇 2014年度政府信息公开工作情况统计表 第 1 版：第 {n} 次退回", audited));
            Assert.InRange(audited.Count, acknowledged, acknowledged + 1);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }
}
