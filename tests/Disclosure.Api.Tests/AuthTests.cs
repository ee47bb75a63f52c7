using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

public sealed class AuthTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Request_Without_A_Key_Is_401_Problem()
    {
        var response = await Factory.Client().GetAsync("/v1/reporters", Ct);
        var problem = await ProblemAsync(response, 401);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_Unknown_Key_Is_401_Problem()
    {
        var response = await Factory.Client("dk_not-a-real-key").GetAsync("/v1/reporters", Ct);
        await ProblemAsync(response, 401);
    }

    [Fact]
    public async Task Catalogues_And_Health_Need_No_Key()
    {
        var client = Factory.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/catalogues", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/catalogues/" + Catalogue2014, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Viewer_Reads_But_Does_Not_Write()
    {
        var (_, key) = await CreateKeyAsync("viewer");
        var viewer = Factory.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/reporters", Ct)).StatusCode);
        var response = await viewer.PostAsJsonAsync("/v1/reporters", new { id = NewId(), name = "x", kind = "town" }, Ct);
        await ProblemAsync(response, 403);
        var reporter = await CreateReporterAsync();
        await ProblemAsync(await SubmitAsync(viewer, reporter, "2014", SeedTable.Values), 403);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Reporter_Key_Writing_For_Another_Reporter_Is_403_And_Nothing_Is_Stored()
    {
        var mine = await CreateReporterAsync();
        var other = await CreateReporterAsync();
        var (_, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);

        var problem = await ProblemAsync(await SubmitAsync(client, other, "2014", SeedTable.Values), 403);
        Assert.Contains(other, problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(other, "2014")).GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, mine, "2014", SeedTable.Values)).StatusCode);
        await ProblemAsync(await client.GetAsync($"/v1/submissions?reporter={other}&catalogue={Catalogue2014}&period=2014", Ct), 403);
        await ProblemAsync(await client.GetAsync("/v1/keys", Ct), 403);
    }

    [Fact]
    public async Task A_Revoked_Key_Is_401_At_Once()
    {
        var reporter = await CreateReporterAsync();
        var (id, key) = await CreateKeyAsync("reporter", reporter);
        var client = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, reporter, "2014", SeedTable.Values)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{id}", Ct)).StatusCode);

        await ProblemAsync(await SubmitAsync(client, reporter, "2014", SeedTable.Values), 401);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
        // The office sees which key a system still polls with, not only from where: the 401 is kept under the key, never its secret.
        var refusal = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/audit?keyId={id}&limit=1", Ct)).GetProperty("items")[0];
        Assert.Equal((401, id, reporter), (refusal.GetProperty("status").GetInt32(), refusal.GetProperty("keyId").GetGuid(), refusal.GetProperty("reporter").GetString()));
        Assert.Matches("^密钥已于 .+ 吊销$", refusal.GetProperty("detail").GetString());
        Assert.DoesNotContain(key, refusal.GetRawText(), StringComparison.Ordinal);
        // Revoking it again changes nothing and says so with the same 204 (RetryTests).
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_New_Key_Is_Read_At_Its_Location_As_Listed_Never_With_Its_Secret()
    {
        var reporter = await CreateReporterAsync();
        var created = await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
        var location = created.Headers.Location!.ToString();

        var response = await Admin.GetAsync(location, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(secret, text);
        var key = JsonDocument.Parse(text).RootElement;
        var id = key.GetProperty("id").GetGuid();
        Assert.EndsWith(id.ToString(), location);
        var listed = JsonDocument.Parse(await Admin.GetStringAsync("/v1/keys", Ct)).RootElement.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);
        Assert.Equal(listed.GetRawText(), key.GetRawText());
        Assert.Equal("reporter", key.GetProperty("role").GetString());
        Assert.Equal(reporter, key.GetProperty("reporter").GetString());
        Assert.False(key.TryGetProperty("key", out _));
        Assert.False(key.TryGetProperty("revokedAt", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(location, Ct)).StatusCode);
        Assert.True((await Admin.GetFromJsonAsync<JsonElement>(location, Ct)).TryGetProperty("revokedAt", out _));
        await ProblemAsync(await Admin.GetAsync($"/v1/keys/{Guid.NewGuid()}", Ct), 404);
        // The id a revision's submittedBy gives for the configured admin key is followed to a 404 that says what it is.
        var configured = await ProblemAsync(await Admin.GetAsync($"/v1/keys/{Guid.Empty}", Ct), 404);
        Assert.Contains("Auth:AdminKey", configured.GetProperty("detail").GetString());
        await ProblemAsync(await Factory.Client(secret).GetAsync(location, Ct), 401);
        var (_, viewer) = await CreateKeyAsync("viewer");
        await ProblemAsync(await Factory.Client(viewer).GetAsync(location, Ct), 403);
    }

    [Fact]
    public async Task Me_Says_Which_Key_Asks_Its_Role_Reporter_And_Label()
    {
        var reporter = await CreateReporterAsync("town");
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, label = "张三" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var me = await Factory.Client(issued.GetProperty("key").GetString()!).GetFromJsonAsync<JsonElement>("/v1/me", Ct);
        Assert.Equal(("reporter", issued.GetProperty("id").GetGuid(), reporter, "张三"),
            (me.GetProperty("role").GetString(), me.GetProperty("keyId").GetGuid(), me.GetProperty("reporter").GetProperty("id").GetString(), me.GetProperty("label").GetString()));
        Assert.Equal(1800, me.GetProperty("lockAfterIdleSeconds").GetInt32()); // the pages lock after 30 idle minutes unless configured
        var admin = await Admin.GetFromJsonAsync<JsonElement>("/v1/me", Ct);
        Assert.Equal(("admin", Guid.Empty), (admin.GetProperty("role").GetString(), admin.GetProperty("keyId").GetGuid()));
        Assert.False(admin.TryGetProperty("reporter", out _));
        Assert.False(admin.TryGetProperty("label", out _));
    }

    [Fact]
    public async Task A_Key_Works_Until_Its_Expiry_And_Then_Is_Refused_As_Expired()
    {
        // A host of its own, so that its clock moves for this test alone.
        await using var own = new ApiFactory();
        using var admin = own.Admin();
        var reporter = NewId();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "古邵镇", kind = "town" }, Ct)).StatusCode);
        var expires = own.Clock.GetUtcNow().AddHours(1);
        var past = await ProblemAsync(await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, expiresAt = own.Clock.GetUtcNow().AddMinutes(-1) }, Ct), 400);
        Assert.Equal("expiresAt", Assert.Single(past.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());

        var issued = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, label = "李四", expiresAt = expires }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var (id, client) = (issued.GetProperty("id").GetGuid(), own.Client(issued.GetProperty("key").GetString()!));
        Assert.Equal(expires, issued.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var me = await client.GetFromJsonAsync<JsonElement>("/v1/me", Ct);
        Assert.Equal(expires, me.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(expires, (await admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{id}", Ct)).GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Contains("，有效期至 ", (await admin.GetFromJsonAsync<JsonElement>("/v1/audit?limit=10", Ct)).GetProperty("items").EnumerateArray()
            .Single(e => e.TryGetProperty("detail", out var d) && d.GetString()!.Contains(id.ToString(), StringComparison.Ordinal)).GetProperty("detail").GetString());

        own.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/reporters/{reporter}", Ct)).StatusCode);
        own.Clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await ProblemAsync(await client.GetAsync($"/v1/reporters/{reporter}", Ct), 401);
        Assert.Contains("expired", expired.GetProperty("detail").GetString());
        Assert.Contains("district office", expired.GetProperty("detail").GetString());
        // A type of its own, with the time, that a client reads instead of the wording; any other refused key stays `unauthorized`.
        Assert.Equal("https://disclosure.example.gov.cn/problems/key-expired", expired.GetProperty("type").GetString());
        Assert.Equal("API key expired", expired.GetProperty("title").GetString());
        Assert.Equal(expires, expired.GetProperty("expiredAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var unknown = await ProblemAsync(await own.Client("dk_not-a-key-of-this-service").GetAsync($"/v1/reporters/{reporter}", Ct), 401);
        Assert.Equal("https://disclosure.example.gov.cn/problems/unauthorized", unknown.GetProperty("type").GetString());
        Assert.False(unknown.TryGetProperty("expiredAt", out _));
        // The office sees who still uses it: the refusal is in the audit log under the key, with its holder.
        var refusal = (await admin.GetFromJsonAsync<JsonElement>("/v1/audit?limit=5", Ct)).GetProperty("items").EnumerateArray().First();
        Assert.Equal((401, id, "李四", reporter), (refusal.GetProperty("status").GetInt32(), refusal.GetProperty("keyId").GetGuid(),
            refusal.GetProperty("holder").GetString(), refusal.GetProperty("reporter").GetString()));
        Assert.StartsWith("密钥已于 ", refusal.GetProperty("detail").GetString());
        // Keys without an end, the configured one included, are untouched by the time.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/reporters/{reporter}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Keys_Are_Shown_Once_And_Listed_Without_Secrets()
    {
        var reporter = await CreateReporterAsync();
        var (id, key) = await CreateKeyAsync("reporter", reporter);
        Assert.StartsWith("dk_", key);
        var list = await Admin.GetStringAsync("/v1/keys", Ct);
        Assert.Contains(id.ToString(), list);
        Assert.DoesNotContain(key, list);
        var item = JsonDocument.Parse(list).RootElement.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);
        Assert.Equal("reporter", item.GetProperty("role").GetString());
        Assert.Equal(reporter, item.GetProperty("reporter").GetString());
        Assert.False(item.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task A_Reporter_Key_For_An_Unknown_Reporter_Is_422()
    {
        var response = await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "no-such-reporter" }, Ct);
        var problem = await ProblemAsync(response, 422);
        Assert.Equal("unknown-reporter", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_Reporter_Key_Writes_Only_For_Its_Own_Reporter_Request_After_Request()
    {
        var mine = await CreateReporterAsync();
        var (_, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, mine, "2014", SeedTable.Values)).StatusCode);
        await ProblemAsync(await SubmitAsync(client, await CreateReporterAsync(), "2014", SeedTable.Values), 403);
        await ProblemAsync(await client.GetAsync("/v1/reporters", Ct), 403);
        // A correction (the same table again would store nothing).
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, mine, "2014",
            SeedTable.Values.Select(v => v.Key == "13.1" ? new KeyValuePair<string, decimal?>(v.Key, v.Value + 1) : v))).StatusCode);
    }

    [Theory]
    [InlineData("{\"role\":\"admin\"}", "label")]
    [InlineData("{\"role\":\"admin\",\"label\":\"王芳\",\"reporter\":\"abc\"}", "reporter")]
    [InlineData("{\"role\":\"reporter\"}", "reporter")]
    [InlineData("{\"role\":\"viewer\",\"reporter\":\"abc\"}", "reporter")]
    [InlineData("{\"role\":\"superuser\"}", "role")]
    [InlineData("{\"role\":\"viewer\",\"label\":\"  \"}", "label")]
    [InlineData("{\"role\":\"viewer\",\"label\":\"\u202e屏大\"}", "label")]
    [InlineData("{\"role\":\"viewer\",\"label\":\"一\\n二\"}", "label")]
    public async Task A_Malformed_Key_Request_Is_400_Naming_The_Field(string json, string field)
    {
        var response = await Admin.PostAsync("/v1/keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString()!.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain((await Admin.GetFromJsonAsync<JsonElement>("/v1/keys", Ct)).GetProperty("items").EnumerateArray(),
            k => k.TryGetProperty("label", out var label) && label.GetString()!.Contains('屏'));
    }

    [Fact]
    public async Task A_Keys_Label_Says_Who_Holds_It_Wherever_The_Key_Is_Listed_Or_Read()
    {
        var reporter = await CreateReporterAsync();
        var created = await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, label = " 张三（2026年起） " }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("张三（2026年起）", body.GetProperty("label").GetString());
        var id = body.GetProperty("id").GetGuid();

        Assert.Equal("张三（2026年起）", (await Admin.GetFromJsonAsync<JsonElement>(created.Headers.Location, Ct)).GetProperty("label").GetString());
        var listed = (await Admin.GetFromJsonAsync<JsonElement>("/v1/keys", Ct)).GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);
        Assert.Equal("张三（2026年起）", listed.GetProperty("label").GetString());
        // Without one, the key has no label at all (not an empty one).
        var (plain, _) = await CreateKeyAsync("viewer");
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{plain}", Ct)).TryGetProperty("label", out _));
    }
}

public sealed class AdminKeyConfigurationTests
{
    [Fact]
    public async Task Production_Refuses_To_Start_Without_An_Admin_Key()
    {
        // The real process: a refused start is one line on stderr and exit code 1, not an exception for a host to catch.
        var database = TestDatabase.NewPath("nokey");
        try
        {
            var (exit, output) = await ServiceProcess.StartRefusedAsync(database, "", TestContext.Current.CancellationToken);
            Assert.Equal(1, exit);
            Assert.Contains("Disclosure cannot start: Auth:AdminKey is not configured", output);
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    [Fact]
    public async Task Development_Generates_An_Admin_Key_When_None_Is_Configured()
    {
        var database = TestDatabase.NewPath("devkey");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={database}");
            b.UseSetting("SecretsDirectory", NoSecrets.Folder);
        });
        var client = factory.CreateClient();
        var settings = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.AuthSettings>>().Value;
        Assert.StartsWith("dk_", settings.AdminKey);
        client.DefaultRequestHeaders.Add(Infrastructure.ApiKeys.Header, settings.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", TestContext.Current.CancellationToken)).StatusCode);
    }
}

public sealed class ApiKeyHashTests
{
    [Fact]
    public void A_Key_Is_Stored_And_Looked_Up_As_The_Lower_Case_Hex_Of_Its_Sha256()
    {
        // Keys in existing files were stored as this: a change of hashing would lock every issued key out.
        static string Expected(string key) =>
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        string[] keys = ["dk_21SG1rMIHjr9deh1FRPCX-tgnSGaNLSuA9QkcLCULV8", "a", "dk_21SG1rMIHjr9deh1FRPCX-tgnSGaNLSuA9QkcLCULV8", "密钥-" + new string('x', 250)];
        foreach (var key in keys) Assert.Equal(Expected(key), Infrastructure.ApiKeys.Hash(key));
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", Infrastructure.ApiKeys.Hash("a"));
    }
}
