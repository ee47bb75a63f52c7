using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// What sending a write again does, as each operation says it: Idempotency-Key where it is read (a submission) and refused where
/// it is not, If-Match and the other preconditions likewise, a revocation that may be repeated, and a 503 whose detail says what
/// a retry of that operation does.
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
    public async Task An_If_Match_Sent_To_A_Write_That_Does_Not_Read_It_Is_A_400_Saying_It_Takes_No_Precondition_And_Nothing_Is_Changed()
    {
        var reporter = await CreateReporterAsync();
        var submitted = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)]);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var submission = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var (key, _) = await CreateKeyAsync("viewer");
        const string period = "2009Q2";
        async Task<string> RefusedAsync(HttpMethod method, string path, object? body)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
            var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 400);
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal("If-Match", error.GetProperty("name").GetString());
            return error.GetProperty("reason").GetString()!;
        }

        var reason = await RefusedAsync(HttpMethod.Patch, $"/v1/reporters/{reporter}", new { name = "改名 " + reporter });
        Assert.StartsWith("本接口不接受前提条件，不读取 If-Match 请求头", reason);
        Assert.Contains("This operation takes no precondition: it does not read the If-Match header", reason);
        // A review does not read If-Match (its path names the revision it reviews), so it refuses the header like any other write.
        await RefusedAsync(HttpMethod.Post, $"/v1/submissions/{submission}/review", new { decision = "accepted" });
        // A period's PUT, close and reopen read If-Match: a tag of settings it does not have is a 409, and nothing is stored either.
        var close = new HttpRequestMessage(HttpMethod.Post, $"/v1/periods/{Catalogue2014}/{period}/close");
        close.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
        Assert.EndsWith("/settings-conflict", (await ProblemAsync(await Admin.SendAsync(close, Ct), 409)).GetProperty("type").GetString());
        var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/periods/{Catalogue2014}/{period}") { Content = JsonContent.Create(new { deadline = (DateTimeOffset?)null, expectedReporters = new[] { reporter } }) };
        put.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
        Assert.EndsWith("/settings-conflict", (await ProblemAsync(await Admin.SendAsync(put, Ct), 409)).GetProperty("type").GetString());
        await RefusedAsync(HttpMethod.Delete, $"/v1/keys/{key}", null);

        Assert.Equal("测试单位 " + reporter, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{reporter}", Ct)).GetProperty("name").GetString());
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{submission}", Ct)).TryGetProperty("review", out _));
        var settings = await Admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue2014}/{period}", Ct);
        Assert.False(settings.GetProperty("closed").GetBoolean());
        Assert.False(settings.TryGetProperty("expectedReporters", out var expected) && expected.ValueKind == JsonValueKind.Array);
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{key}", Ct)).TryGetProperty("revokedAt", out var revoked) && revoked.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task If_None_Match_Or_If_Unmodified_Since_On_A_Write_Is_A_400_Naming_Each_While_A_Read_And_A_Submissions_If_Match_Are_Taken()
    {
        var reporter = await CreateReporterAsync();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 1)])) };
        submit.Headers.TryAddWithoutValidation("If-None-Match", "*");
        submit.Headers.TryAddWithoutValidation("If-Unmodified-Since", "Sun, 06 Dec 2026 00:00:00 GMT");
        var problem = await ProblemAsync(await Admin.SendAsync(submit, Ct), 400);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["If-None-Match", "If-Unmodified-Since"], errors.Select(e => e.GetProperty("name").GetString()));
        // A submission takes a precondition, If-Match, which the refusal points to.
        Assert.StartsWith("本接口不读取 If-None-Match 请求头（任何写操作都不读取；报送报表时用 If-Match", errors[0].GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        var id = NewId();
        var register = new HttpRequestMessage(HttpMethod.Post, "/v1/reporters") { Content = JsonContent.Create(new { id, name = "单位 " + id, kind = "town" }) };
        register.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var refused = Assert.Single((await ProblemAsync(await Admin.SendAsync(register, Ct), 400)).GetProperty("errors").EnumerateArray());
        Assert.StartsWith("本接口不接受前提条件，不读取 If-None-Match 请求头", refused.GetProperty("reason").GetString());
        Assert.Contains("This operation takes no precondition: it does not read the If-None-Match header", refused.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);

        var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/reporters/{reporter}");
        read.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        read.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(read, Ct)).StatusCode);
        var replace = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 2)])) };
        replace.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        Assert.Equal(HttpStatusCode.Created, (await Admin.SendAsync(replace, Ct)).StatusCode);
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
        public Task<ApiKeyRecord?> FindRevokedKeyAsync(string hash, CancellationToken ct) => throw Fault();
        public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) => throw Fault();
        public Task<ApiKeyRecord?> GetKeyAsync(Guid id, CancellationToken ct) => throw Fault();
        public Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct) => throw Fault();
    }
}
