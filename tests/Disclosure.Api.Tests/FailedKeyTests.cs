using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Disclosure.Api.Tests;

/// <summary>
/// 限制非法登录次数: an address that sent too many refused keys has its wrong keys refused (429) for the rest of the window,
/// while a valid key from it is served (an office behind one NAT is not locked out); other addresses, and requests without a
/// key, are untouched. The client's address is the one the
/// ingress names in X-Forwarded-For once forwarded headers are enabled, as the Kubernetes manifests enable them.
/// </summary>
public sealed class FailedKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebApplicationFactory<Program> Behind(ApiFactory root, int limit) => root.WithWebHostBuilder(b =>
    {
        b.UseSetting("Auth:FailedKeyLimit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        b.UseSetting("ForwardedHeaders_Enabled", "true"); // what ASPNETCORE_FORWARDEDHEADERS_ENABLED sets
    });

    private static HttpRequestMessage From(string address, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", address);
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        return request;
    }

    /// <summary>A reporter key of the store, issued by the admin from <paramref name="address"/>.</summary>
    private static async Task<string> IssueAsync(HttpClient client, string address)
    {
        var reporter = $"r-{Guid.NewGuid():N}"[..20];
        var create = From(address, "/v1/reporters", ApiFactory.AdminKey);
        create.Method = HttpMethod.Post;
        create.Content = JsonContent.Create(new { id = reporter, name = $"单位 {reporter}", kind = "town" });
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create, Ct)).StatusCode);
        var issue = From(address, "/v1/keys", ApiFactory.AdminKey);
        issue.Method = HttpMethod.Post;
        issue.Content = JsonContent.Create(new { role = "reporter", reporter });
        var issued = await client.SendAsync(issue, Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task An_Address_Past_The_Limit_Has_Its_Wrong_Keys_Refused_While_Valid_Keys_From_It_And_Others_Are_Served()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 3);
        using var client = service.CreateClient();
        const string guesser = "203.0.113.7", office = "198.51.100.20";
        var reporterKey = await IssueAsync(client, office);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(guesser, "/v1/me", $"dk_guess-{i}"), Ct)).StatusCode);

        // Past the limit, a wrong key from that address is refused with a 429 ...
        var refused = await client.SendAsync(From(guesser, "/v1/me", "dk_guess-3"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.EndsWith("/too-many-failed-keys", problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 300);
        Assert.Empty(refused.Headers.WwwAuthenticate);
        Assert.StartsWith("该地址被拒绝的密钥次数过多", problem.GetProperty("detail").GetString());

        // ... but a valid key from it is served, the admin key and a key of the store alike: the office behind that NAT works on.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(guesser, "/v1/me", ApiFactory.AdminKey), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(guesser, "/v1/me", reporterKey), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(From(guesser, "/v1/me", "dk_guess-4"), Ct)).StatusCode);

        // Another address is served, and the blocked one still reads what needs no key.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(office, "/v1/me", ApiFactory.AdminKey), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(guesser, "/v1/catalogues", null), Ct)).StatusCode);

        // The refusal is in the audit log's lines, with the address the ingress named.
        Assert.Contains(service.Services.GetFakeLogCollector().GetSnapshot(), r => r.Category == AuditLog.Category && r.Level == LogLevel.Information
            && r.StructuredState!.Any(kv => kv.Key == "Status" && kv.Value == "429") && r.StructuredState!.Any(kv => kv.Key == "RemoteIp" && kv.Value == guesser));

        // And the stored log has the wrong key that reached the limit, once, without a key, with the address: for the office.
        var audit = await client.SendAsync(From(office, "/v1/audit", ApiFactory.AdminKey), Ct);
        var blocked = Assert.Single((await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("remoteIp").GetString() == guesser && e.GetProperty("status").GetInt32() == 401); // the valid keys' sign-ins are there too
        Assert.Equal(("/v1/me", 401), (blocked.GetProperty("path").GetString(), blocked.GetProperty("status").GetInt32()));
        Assert.False(blocked.TryGetProperty("keyId", out _));
        Assert.False(blocked.TryGetProperty("role", out _));
        Assert.Contains("3 次使用无效、已吊销或已过期的密钥，5 分钟内其无效密钥一律拒绝（有效密钥照常使用）", blocked.GetProperty("detail").GetString());
        var csv = await client.SendAsync(From(office, "/v1/audit?format=csv", ApiFactory.AdminKey), Ct);
        var line = Assert.Single((await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n"), l => l.Contains(guesser, StringComparison.Ordinal) && l.Contains(",401,", StringComparison.Ordinal));
        Assert.Contains(",（无有效密钥）,", line);
        Assert.Contains(",多次使用无效密钥，暂停接受,401,", line);
    }

    [Fact]
    public async Task A_Revoked_Or_Expired_Key_From_An_Address_Past_The_Limit_Is_Told_So_With_A_401_While_Unknown_Keys_Get_429()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 2);
        using var client = service.CreateClient();
        const string office = "198.51.100.21", town = "203.0.113.9";
        async Task<(string Id, string Key)> IssueAsync(DateTimeOffset? expiresAt)
        {
            var reporter = $"r-{Guid.NewGuid():N}"[..20];
            var create = From(office, "/v1/reporters", ApiFactory.AdminKey);
            create.Method = HttpMethod.Post;
            create.Content = JsonContent.Create(new { id = reporter, name = $"单位 {reporter}", kind = "town" });
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create, Ct)).StatusCode);
            var issue = From(office, "/v1/keys", ApiFactory.AdminKey);
            issue.Method = HttpMethod.Post;
            issue.Content = JsonContent.Create(new { role = "reporter", reporter, expiresAt });
            var issued = await (await client.SendAsync(issue, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            return (issued.GetProperty("id").GetString()!, issued.GetProperty("key").GetString()!);
        }
        var revoked = await IssueAsync(null);
        var revoke = From(office, $"/v1/keys/{revoked.Id}", ApiFactory.AdminKey);
        revoke.Method = HttpMethod.Delete;
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(revoke, Ct)).StatusCode);
        var expired = await IssueAsync(root.Clock.GetUtcNow().AddHours(1));
        root.Clock.Advance(TimeSpan.FromHours(2));

        // Someone on the town's network sends wrong keys until the address is over the limit.
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(town, "/v1/me", $"dk_typo-{i}"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(From(town, "/v1/me", "dk_typo-2"), Ct)).StatusCode);

        // A key the service holds was not guessed: its holder on that network is told what an unblocked address is told, that it
        // was revoked or has expired (and to ask for a new one), not to wait and try it again.
        foreach (var (key, said, type) in new[] { (revoked.Key, "X-Api-Key 请求头中的密钥无效或已吊销", "/unauthorized"), (expired.Key, "该密钥已于 ", "/key-expired") })
        {
            var refused = await client.SendAsync(From(town, "/v1/me", key), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.NotEmpty(refused.Headers.WwwAuthenticate);
            Assert.Null(refused.Headers.RetryAfter);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.EndsWith(type, problem.GetProperty("type").GetString());
            Assert.StartsWith(said, problem.GetProperty("detail").GetString());
            var fromOffice = await (await client.SendAsync(From(office, "/v1/me", key), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(fromOffice.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        }

        // An unknown key from that address is still refused with the 429.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(From(town, "/v1/me", "dk_typo-3"), Ct)).StatusCode);
    }

    [Fact]
    public async Task An_IPv6_Client_Counts_By_Its_64_Network_So_Another_Address_Of_It_Does_Not_Start_Afresh()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 2);
        using var client = service.CreateClient();

        // One client holds 2001:db8:a:1::/64 whole and sends each key from another address of it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From("2001:db8:a:1::1", "/v1/me", "dk_guess-0"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From("2001:db8:a:1:ffff::2", "/v1/me", "dk_guess-1"), Ct)).StatusCode);
        var refused = await client.SendAsync(From("2001:db8:a:1:1234:5678:9abc:def0", "/v1/me", "dk_guess-2"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        // The /64 next to it is another network, and an IPv4 client is its own address still.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From("2001:db8:a:2::1", "/v1/me", "dk_guess-3"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From("203.0.113.9", "/v1/me", "dk_guess-4"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Retry_After_Is_What_Is_Left_Of_The_Window_Begun_By_The_First_Refused_Key_And_After_It_Keys_Are_Read_Again()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 2);
        using var client = service.CreateClient();
        const string guesser = "203.0.113.8";

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(guesser, "/v1/me", "dk_guess-0"), Ct)).StatusCode);
        root.Clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(guesser, "/v1/me", "dk_guess-1"), Ct)).StatusCode);
        root.Clock.Advance(TimeSpan.FromSeconds(49.5));

        // 149.5 s into the default window of 300 s: 150.5 s are left, said in whole seconds rounded up.
        var refused = await client.SendAsync(From(guesser, "/v1/me", "dk_guess-2"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(151), refused.Headers.RetryAfter?.Delta);
        root.Clock.Advance(TimeSpan.FromSeconds(150));
        var last = await client.SendAsync(From(guesser, "/v1/me", "dk_guess-3"), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), last.Headers.RetryAfter?.Delta);

        // After the window, a wrong key is answered 401 again.
        root.Clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(guesser, "/v1/me", "dk_guess-4"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Refused_Keys_Below_The_Limit_Leave_A_Valid_Key_Working_Keys_Where_None_Is_Needed_Do_Not_Count_And_The_Entry_Names_The_Forwarded_Address()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 3);
        using var client = service.CreateClient();
        const string town = "192.0.2.44";

        // A key sent where none is needed is not counted, right or wrong (a page sends its key with every request).
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(town, "/v1/catalogues", $"dk_stale-{i}"), Ct)).StatusCode);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(town, "/v1/me", $"dk_typo-{i}"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From(town, "/v1/me", ApiFactory.AdminKey), Ct)).StatusCode);

        // A valid key does not wipe the count: one more refused key, and the address is over the limit.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From(town, "/v1/me", "dk_typo-2"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(From(town, "/v1/me", "dk_typo-3"), Ct)).StatusCode);

        // The sign-in that was served is stored with the address the ingress named, not the ingress's own.
        var audit = await client.SendAsync(From("198.51.100.20", "/v1/audit", ApiFactory.AdminKey), Ct);
        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("path").GetString() == "/v1/me" && e.GetProperty("remoteIp").GetString() == town);
    }

    [Fact]
    public async Task A_Window_Of_Nothing_Stops_The_Start_With_One_Line()
    {
        var database = TestDatabase.NewPath("nowindow");
        try
        {
            var (exit, output) = await ServiceProcess.StartRefusedAsync(database, "failed-key-admin-key-0123456789", Ct,
                new Dictionary<string, string> { ["Auth__FailedKeyWindow"] = "00:00:00" });
            Assert.Equal(1, exit);
            Assert.Contains("Disclosure cannot start: Auth:FailedKeyWindow must be a time span longer than zero", output);
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    [Fact]
    public async Task A_Bare_Number_For_The_Window_Stops_The_Start_Saying_How_It_Was_Read()
    {
        var database = TestDatabase.NewPath("barewindow");
        try
        {
            // TimeSpan reads a bare 1 as one day, where one meant a minute or a second.
            var (exit, output) = await ServiceProcess.StartRefusedAsync(database, "failed-key-admin-key-0123456789", Ct,
                new Dictionary<string, string> { ["Auth__FailedKeyWindow"] = "1" });
            Assert.Equal(1, exit);
            Assert.Contains("Disclosure cannot start: Auth:FailedKeyWindow is '1', a bare number, which reads as 1 day(s) (1.00:00:00): " +
                "write the window as hh:mm:ss, such as 00:05:00 for five minutes.", output);
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    [Fact]
    public async Task A_Limit_Of_Zero_Never_Refuses()
    {
        await using var root = new ApiFactory();
        await using var service = Behind(root, limit: 0);
        using var client = service.CreateClient();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(From("203.0.113.9", "/v1/me", $"dk_guess-{i}"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(From("203.0.113.9", "/v1/me", ApiFactory.AdminKey), Ct)).StatusCode);
    }
}
