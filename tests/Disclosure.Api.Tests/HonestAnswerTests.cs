using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>Reads that name nothing that exists, formats asked for in any spelling, and a store's answer the endpoint does not know.</summary>
public sealed class HonestAnswerTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("nobody-at-all", Catalogue2014, "2014")]
    [InlineData(null, "no-such-catalogue", "2014")]
    [InlineData(null, Catalogue2014, "1999")]
    public async Task A_Revision_List_For_An_Unknown_Reporter_Catalogue_Or_Period_Is_404_Not_An_Empty_List(string? reporter, string catalogue, string period)
    {
        reporter ??= await CreateReporterAsync();
        var response = await Admin.GetAsync($"/v1/submissions?reporter={reporter}&catalogue={catalogue}&period={period}", Ct);
        var problem = await ProblemAsync(response, 404);
        Assert.EndsWith("/not-found", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("no-such-catalogue/2014", "没有代码为“no-such-catalogue”的报表。There is no catalogue 'no-such-catalogue'.")]
    [InlineData("gov-info-disclosure-2021/2021Q1", "政府信息公开工作年度报告统计表（2021年版）没有统计期“2021Q1”：可填 2021 年起的年份（如 2021）。")]
    [InlineData("gov-info-disclosure-2014/2021", "政府信息公开工作情况统计表（2014年版）没有统计期“2021”：可填 2008 至 2020 年的年份（如 2008）或季度（如 2008Q3）。")]
    public async Task A_Period_The_Catalogue_Does_Not_Take_Is_A_404_Saying_In_Chinese_Which_It_Takes(string route, string said)
    {
        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/periods/{route}", Ct), 404);
        Assert.StartsWith(said, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/v1/aggregates/{0}/2015Q9")]
    [InlineData("/v1/aggregates/{0}/2015q3/breakdown")]
    [InlineData("/v1/aggregates/{0}/abc/reporters/{1}")]
    [InlineData("/v1/aggregates/{0}/2015-Q3/far-from-last-year")]
    [InlineData("/v1/aggregates/{0}/15/differs-from-quarters")]
    [InlineData("/v1/aggregates/{0}/2015Q0/differs-from-last-year-carried")]
    [InlineData("/v1/aggregates/{0}/1800/as/gov-info-disclosure-2021")]
    [InlineData("/v1/periods/{0}/2015Q5")]
    [InlineData("/v1/templates/{0}/2015年/reporters")]
    [InlineData("/v1/templates/{0}/2015Q9?reporter={1}")]
    [InlineData("/v1/submissions?reporter={1}&catalogue={0}&period=abc")]
    public async Task A_Malformed_Period_In_A_Read_Is_A_400_Naming_Period_And_The_Forms_It_Takes(string path)
    {
        var reporter = await CreateReporterAsync("town");
        var problem = await ProblemAsync(await Admin.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Catalogue2014, reporter), Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("period", error.GetProperty("name").GetString());
        Assert.Contains("年度（如 2014）或季度（如 2014Q3）", error.GetProperty("reason").GetString());
        Assert.Contains("a year such as 2014 or a quarter such as 2014Q3", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_Time_A_Write_Answers_With_Is_The_Time_Later_Reads_Show()
    {
        Factory.Clock.Advance(TimeSpan.FromTicks(1_234)); // now holds a fraction of a millisecond, which the stores do not keep
        var id = NewId();
        var created = await (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "测试单位", kind = "town" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        const string period = $"/v1/periods/{Catalogue2014}/2012";
        var deadline = new DateTimeOffset(2013, 1, 31, 23, 59, 59, TimeSpan.FromHours(8)).AddTicks(9_999);
        var set = await (await Admin.PutAsJsonAsync(period, new { deadline }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var closed = await (await Admin.PostAsync(period + "/close", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var reporter = await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct);
        var settings = await Admin.GetFromJsonAsync<JsonElement>(period, Ct);

        Assert.Equal(reporter.GetProperty("createdAt").GetString(), created.GetProperty("createdAt").GetString());
        Assert.Equal(settings.GetProperty("deadline").GetString(), set.GetProperty("deadline").GetString());
        Assert.Equal(settings.GetProperty("closedAt").GetString(), closed.GetProperty("closedAt").GetString());
        Assert.Equal(deadline.AddTicks(-9_999), settings.GetProperty("deadline").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_Revision_List_Of_A_Known_Reporter_That_Submitted_Nothing_Is_Still_An_Empty_List()
    {
        var reporter = await CreateReporterAsync();
        Assert.Empty((await RevisionsAsync(reporter, "2014")).EnumerateArray());
    }

    [Fact]
    public async Task An_Aggregate_Filter_Naming_An_Unregistered_Reporter_Says_So()
    {
        var known = await CreateReporterAsync("town");
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={known},ghost-town", Ct);
        var problem = await ProblemAsync(response, 422);
        var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
        Assert.Equal("unknown-reporter", violation.GetProperty("rule").GetString());
        Assert.Equal("ghost-town", violation.GetProperty("codes")[0].GetString());
    }

    [Fact]
    public async Task A_422_To_Anything_But_A_Submission_Does_Not_Call_It_A_Submission()
    {
        var read = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters=ghost-town", Ct), 422);
        var key = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "ghost-town" }, Ct), 422);
        var period = await ProblemAsync(await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2013", new { expectedReporters = new[] { "ghost-town" } }, Ct), 422);

        foreach (var problem in new[] { read, key, period })
            Assert.Equal("The request was refused", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("ghost-town", await (await Admin.GetAsync($"/v1/periods/{Catalogue2014}/2013", Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Deadline_Before_Its_Period_Began_Is_A_400_And_Nothing_Changes()
    {
        // 2015-01-31 typed for 2016's tables, whose deadline falls in 2017: every one of them would be late.
        var problem = await ProblemAsync(await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2016Q2", new { deadline = "2016-03-31T23:59:59+08:00" }, Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("deadline", error.GetProperty("name").GetString());
        Assert.Contains("before period 2016Q2 began", error.GetProperty("reason").GetString());
        // Chinese first, as the office reads it, with the day the period began.
        Assert.StartsWith("截止时间 2016-03-31 23:59（北京时间）早于 2016Q2 统计期开始（2016-04-01）：那样每张报表都会算作逾期。", error.GetProperty("reason").GetString());
        // The English half gives the time as people read it, not the serializer's ten-millionths.
        Assert.Contains("deadline is 2016-03-31 23:59:59 (Beijing time), before period 2016Q2 began on 2016-04-01", error.GetProperty("reason").GetString());
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue2014}/2016Q2", Ct)).TryGetProperty("deadline", out var d) && d.ValueKind != JsonValueKind.Null);
        // On the day it began is a deadline, if an odd one.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2016Q2", new { deadline = "2016-04-01T00:00:00+08:00" }, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("?format=CSV", null, "text/csv")]
    [InlineData("?format=Html", null, "text/html")]
    [InlineData("", "text/csv;q=0.5, text/html", "text/html")]
    [InlineData("", "text/html;q=0.2, application/json;q=0.9", "application/json")]
    [InlineData("", "text/*;q=0.3, text/csv", "text/csv")]
    [InlineData("", "image/png, */*;q=0.1", "application/json")]
    public async Task The_Format_Is_Chosen_By_Any_Spelling_Of_Format_Or_By_Accept_With_Its_Q_Values(string query, string? accept, string expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014{query}");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await Admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("text/csv;q=0, application/json;q=0, text/html;q=0, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0")]
    public async Task An_Accept_That_No_Format_Satisfies_Is_406(string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 406);
        Assert.EndsWith("/not-acceptable", problem.GetProperty("type").GetString());
        Assert.StartsWith("没有符合 Accept", problem.GetProperty("detail").GetString());
        Assert.Contains("No format of this table satisfies Accept", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_Append_Status_The_Endpoint_Does_Not_Name_Is_Not_Taken_For_A_Closed_Period()
    {
        // A host of its own on a file of its own: the class's host owns its file.
        await using var root = new ApiFactory();
        await using var odd = root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<ISubmissionStore>(sp => new OddStatusStore(sp.GetRequiredService<IDisclosureStore>()))));
        using var admin = odd.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var reporter = NewId();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "n", kind = "town" }, Ct)).StatusCode);

        var response = await admin.PostAsJsonAsync("/v1/submissions", Body(reporter, "2014", SeedTable.Values), Ct);

        var problem = await ProblemAsync(response, 500);
        Assert.DoesNotContain("period-closed", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_Write_That_Meets_A_Failing_Disk_Is_503_With_Retry_After()
    {
        await using var root = new ApiFactory();
        await using var failing = root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<ISubmissionStore>(sp => new OddStatusStore(sp.GetRequiredService<IDisclosureStore>(),
                () => new StoreFaultException(StoreFaultKind.Unavailable, "disk I/O error", new IOException("EIO"))))));
        using var admin = failing.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var reporter = NewId();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "n", kind = "town" }, Ct)).StatusCode);

        var response = await admin.PostAsJsonAsync("/v1/submissions", Body(reporter, "2014", SeedTable.Values), Ct);

        var problem = await ProblemAsync(response, 503);
        Assert.EndsWith("/store-unavailable", problem.GetProperty("type").GetString());
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_Write_That_Meets_A_MongoDB_Server_It_Cannot_Reach_Is_503_With_Retry_After()
    {
        // As the driver throws them, unmapped: the one mapping of store exceptions must know them, not each adapter's call.
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("mongo1", 27017)));
        Exception[] unreachable =
        [
            new MongoDB.Driver.MongoConnectionPoolPausedException("The connection pool is in paused state for server mongo1:27017."),
            new MongoDB.Driver.MongoConnectionException(connection, "An exception occurred while opening a connection to the server."),
            new TimeoutException("A timeout occurred after 30000ms selecting a server using CompositeServerSelector."),
        ];
        var next = new System.Collections.Concurrent.ConcurrentQueue<Exception>(unreachable);
        await using var root = new ApiFactory();
        await using var failing = root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<ISubmissionStore>(sp => new OddStatusStore(sp.GetRequiredService<IDisclosureStore>(),
                () => next.TryDequeue(out var e) ? e : throw new InvalidOperationException("one append too many")))));
        using var admin = failing.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var reporter = NewId();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "n", kind = "town" }, Ct)).StatusCode);

        foreach (var e in unreachable)
        {
            var response = await admin.PostAsJsonAsync("/v1/submissions", Body(reporter, "2014", SeedTable.Values), Ct);

            var problem = await ProblemAsync(response, 503);
            Assert.EndsWith("/store-unavailable", problem.GetProperty("type").GetString());
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        }
        Assert.Empty(next);
    }

    /// <summary>A store answering every append with a status that no version of the endpoint has named, or failing it with what <paramref name="fault"/> gives.</summary>
    private sealed class OddStatusStore(IDisclosureStore inner, Func<Exception>? fault = null) : ISubmissionStore
    {
        public Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct) =>
            fault is null ? Task.FromResult(new AppendResult((AppendStatus)42, null, 0)) : Task.FromException<AppendResult>(fault());
        public Task<IdempotentSubmission?> FindIdempotentAsync(IdempotencyToken idempotency, CancellationToken ct) => inner.FindIdempotentAsync(idempotency, ct);
        public Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct) => inner.GetSubmissionAsync(id, ct);
        public Task<IReadOnlyDictionary<Guid, Submission>> GetSubmissionsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => inner.GetSubmissionsAsync(ids, ct);
        public Task<ReviewResult> ReviewAsync(Guid submissionId, Review review, ExpectedReview? expected, CancellationToken ct) => inner.ReviewAsync(submissionId, review, expected, ct);
        public Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct) =>
            inner.ListRevisionsAsync(reporterId, catalogueId, period, ct);
        public Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct) =>
            inner.ListLatestAsync(catalogueId, periods, ct);
        public Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct) => inner.AggregateAsync(query, ct);
        public Task<IReadOnlyList<ContributedTable>> ListContributedTablesAsync(AggregateQuery query, CancellationToken ct) => inner.ListContributedTablesAsync(query, ct);
    }

    [Fact]
    public void The_Store_Is_Initialised_Once_At_Start_Not_Again_By_A_Hosted_Service()
    {
        _ = Admin; // the host has started
        Assert.DoesNotContain(Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            h => h.GetType().Name == "StoreInitialiser");
    }

    [Theory]
    [InlineData("short-key")]
    [InlineData("a-key-with a space-inside-it-0123")]
    public async Task An_Admin_Key_Authentication_Could_Not_Accept_Is_Refused_At_Start(string key)
    {
        var db = TestDatabase.NewPath("admin-key");
        try
        {
            var (exit, output) = await ServiceProcess.StartRefusedAsync(db, key, Ct);
            Assert.NotEqual(0, exit);
            Assert.Contains("Auth:AdminKey must be 16–256 visible ASCII characters", output);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task An_Admin_Key_Longer_Than_Authentication_Reads_Is_Refused_At_Start()
    {
        var db = TestDatabase.NewPath("admin-key-long");
        try
        {
            var (exit, output) = await ServiceProcess.StartRefusedAsync(db, new string('k', 257), Ct);
            Assert.NotEqual(0, exit);
            Assert.Contains("has 257 characters", output);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }
}
