using System.Net;
using System.Net.Http.Json;
using Disclosure.Api.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Disclosure.Api.Tests;

/// <summary>操作日志: the district office's changes and every request refused for its key are logged with who did it; tables are not.</summary>
public sealed class AuditLogTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>The audit lines for requests to paths that contain <paramref name="part"/> (each test's own ids), as their fields.</summary>
    private List<Dictionary<string, string?>> Lines(string part) =>
    [
        .. Factory.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == AuditLog.Category && r.Level == LogLevel.Information)
            .Select(r => r.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value))
            .Where(f => f["Path"]?.Contains(part, StringComparison.Ordinal) == true),
    ];

    [Fact]
    public async Task The_Offices_Changes_Are_Logged_With_The_Key_That_Made_Them_And_Their_Answer()
    {
        var id = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "重复", kind = "town" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "城关镇" }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);

        var created = Lines("/v1/reporters").Where(f => f["Method"] == "POST").ToList();
        Assert.Contains(created, f => f["Status"] == "201");
        Assert.Contains(created, f => f["Status"] == "409");
        var patched = Assert.Single(Lines($"/v1/reporters/{id}"));
        Assert.Equal(("PATCH", "200", ApiKeys.ConfiguredAdminKeyId.ToString(), "admin"), (patched["Method"], patched["Status"], patched["KeyId"], patched["Role"]));
        Assert.Equal("v1/reporters/{id}", patched["Route"]);
    }

    [Fact]
    public async Task Tables_Are_Not_Logged_But_A_Key_Refused_Is()
    {
        var (mine, other) = (await CreateReporterAsync(), await CreateReporterAsync());
        var (keyId, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, mine, "2014", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/submissions/validate", Body(mine, "2014", [new("13.1", 1)]), Ct)).StatusCode);
        Assert.DoesNotContain(Factory.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Category == AuditLog.Category && r.StructuredState!.Any(kv => kv.Key == "KeyId" && kv.Value == keyId.ToString()));

        // Another reporter's data: 403, with the key that asked.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/v1/reporters/{other}", Ct)).StatusCode);
        var forbidden = Assert.Single(Lines($"/v1/reporters/{other}"));
        Assert.Equal(("GET", "403", keyId.ToString(), "reporter", mine), (forbidden["Method"], forbidden["Status"], forbidden["KeyId"], forbidden["Role"], forbidden["Reporter"]));

        // A key the service does not know: 401, without a key id.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client("dk_not-a-key-of-this-service").GetAsync($"/v1/reporters/{mine}", Ct)).StatusCode);
        var unknown = Assert.Single(Lines($"/v1/reporters/{mine}"));
        Assert.Equal("401", unknown["Status"]);
        Assert.False(unknown.ContainsKey("KeyId"));
    }

    [Fact]
    public async Task A_Reviews_Decision_And_Comment_Are_In_Its_Line_And_A_Replaced_Review_Keeps_Its_Own()
    {
        var reporter = await CreateReporterAsync("town");
        var submitted = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)]);
        var id = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "  13.1 与台账不符 " }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "accepted" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned" }, Ct)).StatusCode);

        var lines = Lines($"/v1/submissions/{id}/review");
        Assert.Equal(
            [
                ("200", $"returned revision 1 of '{reporter}', {Catalogue2014}, 2014: 13.1 与台账不符"),
                ("200", $"accepted revision 1 of '{reporter}', {Catalogue2014}, 2014"),
                ("400", null),
            ],
            lines.Select(f => (f["Status"], f["Detail"])));
    }

    [Fact]
    public async Task Each_Change_Says_What_It_Changed_Where_Its_Path_Does_Not()
    {
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇", kind = "town", contact = "王芳 0632-7712345" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "古邵镇人民政府", contact = (string?)null }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = id, label = "张三" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var key = issued.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{key}", Ct)).StatusCode);
        var period = $"/v1/periods/{Catalogue2014}/2011";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = "2012-01-31T17:00:00+08:00", expectedReporters = new[] { id } }, Ct)).StatusCode);

        Assert.Equal($"registered '{id}' 古邵镇 (town), contact 王芳 0632-7712345",
            Assert.Single(Lines("/v1/reporters"), f => f["Method"] == "POST" && f["Detail"]?.Contains(id, StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal($"'{id}': name 古邵镇 → 古邵镇人民政府; contact 王芳 0632-7712345 → (none)", Assert.Single(Lines($"/v1/reporters/{id}"))["Detail"]);
        Assert.Equal($"issued reporter key {key} for '{id}' (张三)",
            Assert.Single(Lines("/v1/keys"), f => f["Method"] == "POST" && f["Detail"]?.Contains(key.ToString(), StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal($"revoked reporter key {key} for '{id}' (张三)", Assert.Single(Lines($"/v1/keys/{key}"))["Detail"]);
        Assert.Contains(Lines(period), f => f["Detail"] == $"deadline (none) → 2012-01-31T09:00:00.0000000+00:00; expected reporters (every registered reporter) → {id}");
    }

    [Fact]
    public async Task The_Service_Writes_Its_Lines_With_Chinese_As_Written_Not_Escaped()
    {
        var db = TestDatabase.NewPath("audit-log");
        try
        {
            const string adminKey = "audit-log-admin-key-0123456789";
            await using var service = await ServiceProcess.StartAsync(db, adminKey, Ct);
            using var admin = service.Client(adminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, Ct)).StatusCode);

            // The console logger writes from a queue of its own: the line is waited for, not assumed written with the answer.
            string? line;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((line = service.Output.Split('\n').FirstOrDefault(l => l.Contains("\"Category\":\"Disclosure.Audit\"", StringComparison.Ordinal))) is null
                && DateTime.UtcNow < deadline)
                await Task.Delay(50, Ct);
            Assert.NotNull(line);
            Assert.Contains("\"Detail\":\"registered 'gushao-town' 古邵镇 (town)\"", line);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task A_Clerk_With_An_Admin_Key_Of_Their_Own_Acts_As_The_Office_And_Is_Named_In_The_Log_And_The_Revisions()
    {
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "王芳（区政务公开办）" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var (keyId, clerk) = (issued.GetProperty("id").GetGuid(), Factory.Client(issued.GetProperty("key").GetString()!));
        var id = NewId();

        Assert.Equal(HttpStatusCode.Created, (await clerk.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇", kind = "town" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(clerk, id, "2014", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync("/v1/keys", Ct)).StatusCode);

        var line = Assert.Single(Lines("/v1/reporters"), f => f["Method"] == "POST" && f["Detail"]?.Contains(id, StringComparison.Ordinal) == true);
        Assert.Equal((keyId.ToString(), "admin", "王芳（区政务公开办）"), (line["KeyId"], line["Role"], line["Holder"]));
        var by = (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions?reporter={id}&catalogue={Catalogue2014}&period=2014", Ct))
            .GetProperty("items")[0].GetProperty("submittedBy");
        Assert.Equal((keyId, "admin", "王芳（区政务公开办）"), (by.GetProperty("keyId").GetGuid(), by.GetProperty("role").GetString(), by.GetProperty("label").GetString()));
    }
}
