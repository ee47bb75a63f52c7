using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Disclosure.Api.Tests;

/// <summary>The service in-process on its embedded store, in a fresh database file per factory.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    /// <summary>The service's clock: tests move it forward instead of waiting.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public string DatabasePath { get; } = TestDatabase.NewPath("api");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath}");
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("SecretsDirectory", NoSecrets.Folder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // The audit log's lines, kept for the tests that read them (Services.GetFakeLogCollector()).
            services.AddFakeLogging(o => o.FilteredCategories.Add(Disclosure.Api.Infrastructure.AuditLog.Category));
        });
    }

    public HttpClient Client(string? key = null)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add(ApiKeys.Header, key);
        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TestDatabase.Delete(DatabasePath);
    }
}

/// <summary>Embedded-store files that a test owns: a fresh path, and removal with its WAL and shared-memory files.</summary>
public static class TestDatabase
{
    public static string NewPath(string purpose) => Path.Combine(Path.GetTempPath(), $"disclosure-{purpose}-{Guid.NewGuid():N}.db");

    public static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(path + suffix); } catch (IOException) { }
    }
}

/// <summary>
/// An empty secrets folder, for the service under test to read instead of the machine's /run/secrets; made here, since a
/// SecretsDirectory that is set must exist.
/// </summary>
public static class NoSecrets
{
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(Path.GetTempPath(), "disclosure-no-secrets");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}

/// <summary>Shared host for a test class; every test still owns its data (fresh reporter ids).</summary>
public abstract class ApiTest(ApiFactory factory) : IClassFixture<ApiFactory>
{
    protected ApiFactory Factory { get; } = factory;
    protected HttpClient Admin { get; } = factory.Admin();
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const string Catalogue2014 = "gov-info-disclosure-2014";

    protected static string NewId(string prefix = "r") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    protected async Task<string> CreateReporterAsync(string kind = "department", string? id = null)
    {
        id ??= NewId();
        if (kind == "government") await RetireGovernmentsAsync();
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "测试单位 " + id, kind }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    /// <summary>
    /// Makes way for a test's own district government, of which there is one at a time (409 duplicate-government) while the
    /// tests of a class share a host: one registered before is retired from 2100, a period no test reads, so that it still
    /// reports every period that one does.
    /// </summary>
    protected async Task RetireGovernmentsAsync()
    {
        var reporters = await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct);
        foreach (var reporter in reporters.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "government" && !r.TryGetProperty("retiredFrom", out _)))
        {
            var response = await Admin.PatchAsJsonAsync($"/v1/reporters/{reporter.GetProperty("id").GetString()}", new { retiredFrom = "2100" }, Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }

    protected async Task<(Guid Id, string Key)> CreateKeyAsync(string role, string? reporter = null)
    {
        var response = await Admin.PostAsJsonAsync("/v1/keys", reporter is null ? new { role } : (object)new { role, reporter }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    protected static object Body(string reporter, string period, IEnumerable<KeyValuePair<string, decimal?>> values, int? expectedRevision = null) => new
    {
        reporter,
        period,
        catalogue = Catalogue2014,
        values = values.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        expectedRevision,
    };

    protected async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string reporter, string period, IEnumerable<KeyValuePair<string, decimal?>> values, int? expectedRevision = null) =>
        await client.PostAsJsonAsync("/v1/submissions", Body(reporter, period, values, expectedRevision), Ct);

    protected async Task<JsonElement> RevisionsAsync(string reporter, string period, string catalogue = Catalogue2014)
    {
        var response = await Admin.GetAsync($"/v1/submissions?reporter={reporter}&catalogue={catalogue}&period={period}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items");
    }

    /// <summary>
    /// An admin request with If-Match sent empty (<c>If-Match:</c>), which HttpClient leaves out of what it hands the in-process
    /// server: made on the server's own request instead. <paramref name="body"/> goes as <paramref name="contentType"/>.
    /// </summary>
    protected async Task<HttpResponseMessage> SendWithEmptyIfMatchAsync(HttpMethod method, string path, byte[]? body = null, string contentType = "application/json")
    {
        var context = await Factory.Server.SendAsync(c =>
        {
            c.Request.Method = method.Method;
            c.Request.Path = path;
            c.Request.Headers[ApiKeys.Header] = ApiFactory.AdminKey;
            c.Request.Headers["If-Match"] = "";
            if (body is null) return;
            c.Request.Body = new MemoryStream(body);
            c.Request.ContentType = contentType;
            c.Request.ContentLength = body.Length;
        }, Ct);
        Assert.True(context.Request.Headers.ContainsKey("If-Match"));
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)context.Response.StatusCode) { Content = new StreamContent(context.Response.Body) };
        if (context.Response.ContentType is { } type) response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        return response;
    }

    /// <summary>A request's JSON body as <see cref="SendWithEmptyIfMatchAsync"/> sends it, named as JsonContent names it.</summary>
    protected static byte[] JsonBytes(object body) => JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);

    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        return body;
    }
}
