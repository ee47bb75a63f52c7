using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// What sending a write again does, as each operation says it: Idempotency-Key where it is read (a submission) and refused where
/// it is not, a revocation that may be repeated, and a 503 whose detail says what a retry of that operation does.
/// </summary>
public sealed class RetryTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<JsonElement?> KeyLabelledAsync(string label)
    {
        var keys = await Admin.GetFromJsonAsync<JsonElement>("/v1/keys", Ct);
        return keys.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(k => k!.Value.TryGetProperty("label", out var l) && l.GetString() == label);
    }

    [Fact]
    public async Task An_Idempotency_Key_Sent_To_A_Write_That_Does_Not_Read_It_Is_A_400_Naming_It_And_Nothing_Is_Stored()
    {
        var label = "retry " + NewId();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/keys") { Content = JsonContent.Create(new { role = "viewer", label }) };
        request.Headers.Add("Idempotency-Key", "keys-" + label);

        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("Idempotency-Key", error.GetProperty("name").GetString());
        Assert.StartsWith("本接口不读取 Idempotency-Key 请求头", error.GetProperty("reason").GetString());
        Assert.Contains("does not read the Idempotency-Key header", error.GetProperty("reason").GetString());
        // Nothing was stored, so a retry's advice for a stored attempt (revoke the extra key) is not given here.
        Assert.DoesNotContain("GET /v1/keys", error.GetProperty("reason").GetString());
        Assert.Null(await KeyLabelledAsync(label));

        var id = NewId();
        var register = new HttpRequestMessage(HttpMethod.Post, "/v1/reporters") { Content = JsonContent.Create(new { id, name = "单位 " + id, kind = "town" }) };
        register.Headers.Add("Idempotency-Key", "reporters-" + id);
        await ProblemAsync(await Admin.SendAsync(register, Ct), 400);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_Idempotency_Key_Is_Still_Read_By_A_Submission_And_Passed_Over_By_A_Read()
    {
        var reporter = await CreateReporterAsync();
        var key = "submit-" + reporter;
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 1)])) };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await Admin.SendAsync(request, Ct)).StatusCode);
        }
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        var read = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        read.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(read, Ct)).StatusCode);
    }

    [Fact]
    public async Task Revoking_A_Key_Again_Is_204_And_Keeps_The_First_Revocation()
    {
        var (id, secret) = await CreateKeyAsync("viewer");
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{id}", Ct)).StatusCode);
        var first = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{id}", Ct)).GetProperty("revokedAt").GetDateTimeOffset();

        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await Admin.DeleteAsync($"/v1/keys/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(first, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{id}", Ct)).GetProperty("revokedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client(secret).GetAsync("/v1/me", Ct)).StatusCode);
        var unknown = Guid.NewGuid();
        var problem = await ProblemAsync(await Admin.DeleteAsync($"/v1/keys/{unknown}", Ct), 404);
        Assert.Equal($"没有编号为“{unknown}”的密钥。There is no key '{unknown}'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Store_That_Fails_Answers_503_Saying_What_A_Retry_Of_That_Write_Does()
    {
        await using var root = new ApiFactory();
        await using var failing = root.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<IKeyStore>(new FailingKeyStore())));
        using var admin = failing.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        var issue = await admin.PostAsJsonAsync("/v1/keys", new { role = "viewer" }, Ct);
        var problem = await ProblemAsync(issue, 503);
        Assert.Equal("5", issue.Headers.RetryAfter?.ToString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith("存储暂不可用", detail);
        Assert.Contains("吊销上次可能已发放的那一把", detail);
        Assert.DoesNotContain("Idempotency-Key", detail);
        Assert.Contains("GET /v1/keys", detail);

        var revoke = await ProblemAsync(await admin.DeleteAsync($"/v1/keys/{Guid.NewGuid()}", Ct), 503);
        Assert.Contains("a key revoked already answers 204", revoke.GetProperty("detail").GetString());
        Assert.Contains("可原样重发", revoke.GetProperty("detail").GetString());
    }

    private sealed class FailingKeyStore : IKeyStore
    {
        private static StoreFaultException Fault() => new(StoreFaultKind.Unavailable, "disk I/O error", new IOException("disk I/O error"));
        public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct) => throw Fault();
        public Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct) => Task.FromResult<ApiKeyRecord?>(null);
        public Task<bool> IsRevokedKeyAsync(string hash, CancellationToken ct) => throw Fault();
        public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) => throw Fault();
        public Task<ApiKeyRecord?> GetKeyAsync(Guid id, CancellationToken ct) => throw Fault();
        public Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct) => throw Fault();
    }
}
