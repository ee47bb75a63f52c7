using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office's review of a submitted table (审核通过 / 退回): only the office reviews, only the latest revision, a
/// returned table carries the reason the town must act on, and the review is read wherever the revision is.
/// </summary>
public sealed class ReviewTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<Guid> SubmittedAsync(string reporter, string period = "2014", decimal value = 120)
    {
        var response = await SubmitAsync(Admin, reporter, period, [new("12.2", value)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private Task<HttpResponseMessage> ReviewAsync(HttpClient client, Guid id, object body) =>
        client.PostAsJsonAsync($"/v1/submissions/{id}/review", body, Ct);

    private async Task<JsonElement> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task A_Returned_Table_Carries_Its_Reason_Wherever_The_Town_And_The_Office_Read_It()
    {
        var town = await CreateReporterAsync("town");
        var (_, townKey) = await CreateKeyAsync("reporter", town);
        var id = await SubmittedAsync(town);
        var before = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={town}", Ct);
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));

        var (clerkId, clerk) = await ClerkAsync("王芳");
        var response = await ReviewAsync(clerk, id, new { decision = "returned", comment = "  12.2 与上年差异过大，请核实  " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("returned", review.GetProperty("decision").GetString());
        Assert.Equal("12.2 与上年差异过大，请核实", review.GetProperty("comment").GetString());
        // Who, as a review-conflict's currentReviewedBy says it: the key and the clerk it was issued to (and so wherever it is read, below).
        Assert.Equal((clerkId, "王芳"), (review.GetProperty("reviewedBy").GetGuid(), review.GetProperty("reviewedByLabel").GetString()));
        Assert.Equal(Factory.Clock.GetUtcNow().ToUnixTimeMilliseconds(), review.GetProperty("reviewedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        var town_ = Factory.Client(townKey);
        Assert.Equal(review.ToString(), (await ReadAsync(town_, $"/v1/submissions/{id}")).GetProperty("review").ToString());
        var list = await ReadAsync(town_, $"/v1/submissions?reporter={town}&catalogue={Catalogue2014}&period=2014");
        Assert.Equal(review.ToString(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("review").ToString());
        var periods = await ReadAsync(town_, $"/v1/reporters/{town}/periods");
        var item = periods.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == "2014");
        Assert.Equal(review.ToString(), item.GetProperty("review").ToString());

        // The district table's completeness shows it, and its ETag moved: a cached table must not keep the old state.
        var ask = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014?reporters={town}");
        ask.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        var after = await Admin.SendAsync(ask, Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var contribution = Assert.Single((await after.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("completeness").GetProperty("reporters").EnumerateArray());
        Assert.Equal(review.ToString(), contribution.GetProperty("review").ToString());
    }

    [Fact]
    public async Task A_Later_Review_Replaces_The_Earlier_And_A_New_Revision_Starts_Unreviewed()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "请补报 12.2" })).StatusCode);

        var accepted = await ReviewAsync(Admin, id, new { decision = "accepted" });

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var review = (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review");
        Assert.Equal("accepted", review.GetProperty("decision").GetString());
        Assert.False(review.TryGetProperty("comment", out _));

        var corrected = await SubmittedAsync(town, value: 121);
        var items = (await RevisionsAsync(town, "2014")).EnumerateArray().ToList();
        Assert.Equal("accepted", items[0].GetProperty("review").GetProperty("decision").GetString());
        Assert.False(items[1].TryGetProperty("review", out _));
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{corrected}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task A_Returned_Table_Of_A_Reporter_Retired_For_Its_Period_Is_Shown_Closed_To_It()
    {
        // Returned in a closed period, the table is open to its reporter's correction, and its list says so; once the reporter is
        // retired for that period, which takes none of its tables, the list says closed again, as a submission would find it.
        var town = await CreateReporterAsync("town");
        var (_, townKey) = await CreateKeyAsync("reporter", town);
        var id = await SubmittedAsync(town, "2012");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2012/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "12.2 与台账不符" })).StatusCode);
        async Task<bool> ClosedAsync() => (await ReadAsync(Factory.Client(townKey), $"/v1/reporters/{town}/periods")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("period").GetString() == "2012").GetProperty("closed").GetBoolean();
        Assert.False(await ClosedAsync());

        // A retirement that changes a closed period waits for it to be reopened (409 retirement-changes-closed-period).
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2012/reopen", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsync($"/v1/reporters/{town}",
            new StringContent("""{"retiredFrom":"2012"}""", System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2012/close", null, Ct)).StatusCode);
        Assert.True(await ClosedAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SubmitAsync(Factory.Client(townKey), town, "2012", [new("12.2", 130)])).StatusCode);
    }

    [Fact]
    public async Task A_Returned_Tables_Own_List_Says_Whether_Its_Period_Is_Closed_Beside_Whether_It_Takes_The_Table()
    {
        // closed: whether the period takes this reporter's table (a return opens it to one correction); periodClosed and
        // periodClosedAt: whether and since when the period itself is closed, so that the town's page need not read the district table.
        var town = await CreateReporterAsync("town");
        var (_, townKey) = await CreateKeyAsync("reporter", town);
        var townClient = Factory.Client(townKey);
        var inClosed = await SubmittedAsync(town, "2017");
        var quarter = await SubmittedAsync(town, "2018Q2");
        var inOpen = await SubmittedAsync(town, "2019");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2017/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2018/close", null, Ct)).StatusCode);
        var closedAt = (await ReadAsync(Admin, $"/v1/periods/{Catalogue2014}/2017")).GetProperty("closedAt").GetDateTimeOffset();
        foreach (var id in new[] { inClosed, quarter, inOpen })
            Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "请核实 12.2" })).StatusCode);
        async Task<JsonElement> ItemAsync(string period) => (await ReadAsync(townClient, $"/v1/reporters/{town}/periods")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == period);

        var year = await ItemAsync("2017");
        Assert.False(year.GetProperty("closed").GetBoolean());
        Assert.True(year.GetProperty("periodClosed").GetBoolean());
        Assert.Equal(closedAt, year.GetProperty("periodClosedAt").GetDateTimeOffset());
        // A quarter closed only through its closed year (the town has no table of 2018) is not closed itself: the year's item says it is.
        var q2 = await ItemAsync("2018Q2");
        Assert.False(q2.GetProperty("closed").GetBoolean());
        Assert.False(q2.GetProperty("periodClosed").GetBoolean());
        Assert.False(q2.TryGetProperty("periodClosedAt", out _));
        var ofQuarters = await ItemAsync("2018");
        Assert.True(ofQuarters.GetProperty("closed").GetBoolean());
        Assert.True(ofQuarters.GetProperty("periodClosed").GetBoolean());
        var open = await ItemAsync("2019");
        Assert.False(open.GetProperty("closed").GetBoolean());
        Assert.False(open.GetProperty("periodClosed").GetBoolean());
        Assert.False(open.TryGetProperty("periodClosedAt", out _));

        // Corrected, the table is closed to the town again; the period was closed throughout.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(townClient, town, "2017", [new("12.2", 121)])).StatusCode);
        var corrected = await ItemAsync("2017");
        Assert.True(corrected.GetProperty("closed").GetBoolean());
        Assert.True(corrected.GetProperty("periodClosed").GetBoolean());
        Assert.Equal(closedAt, corrected.GetProperty("periodClosedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_Earlier_Revision_Is_A_409_Naming_The_Latest_And_Nothing_Is_Stored()
    {
        var town = await CreateReporterAsync("town");
        var first = await SubmittedAsync(town);
        var second = await SubmittedAsync(town, value: 121);

        var problem = await ProblemAsync(await ReviewAsync(Admin, first, new { decision = "accepted" }), 409);

        Assert.EndsWith("/revision-conflict", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentRevision").GetInt32());
        Assert.Equal(second, problem.GetProperty("currentSubmission").GetGuid());
        Assert.Contains(second.ToString(), problem.GetProperty("detail").GetString());
        Assert.StartsWith($"这是 {town} 2014 的第 1 版，已有第 2 版：只能审核最新一版，没有保存。", problem.GetProperty("detail").GetString());
        Assert.All((await RevisionsAsync(town, "2014")).EnumerateArray(), i => Assert.False(i.TryGetProperty("review", out _)));
    }

    private async Task<(Guid Id, HttpClient Client)> ClerkAsync(string label)
    {
        var response = await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (body.GetProperty("id").GetGuid(), Factory.Client(body.GetProperty("key").GetString()!));
    }

    [Fact]
    public async Task A_Clerk_Who_Saw_The_Table_Awaiting_Review_Is_Refused_After_Another_Returned_It_And_Told_Who_Returned_It_And_Why()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town, "2013");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2013/close", null, Ct)).StatusCode);
        var (clerkA, a) = await ClerkAsync("王芳");
        var (_, b) = await ClerkAsync("李强");
        var returned = await ReviewAsync(a, id, new { decision = "returned", comment = "3.1 请核实", expectedDecision = "pending" });
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        var returnedAt = (await returned.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reviewedAt").GetDateTimeOffset();

        // Clerk B's page still said 待审核.
        var problem = await ProblemAsync(await ReviewAsync(b, id, new { decision = "accepted", expectedDecision = "pending" }), 409);

        Assert.EndsWith("/review-conflict", problem.GetProperty("type").GetString());
        Assert.Equal("returned", problem.GetProperty("currentDecision").GetString());
        Assert.Equal("3.1 请核实", problem.GetProperty("currentComment").GetString());
        Assert.Equal(returnedAt, problem.GetProperty("currentReviewedAt").GetDateTimeOffset());
        Assert.Equal(clerkA, problem.GetProperty("currentReviewedBy").GetProperty("keyId").GetGuid());
        Assert.Equal("王芳", problem.GetProperty("currentReviewedBy").GetProperty("label").GetString());
        Assert.StartsWith($"该表（{town} 2013 第 1 版）已由“王芳”于 ", problem.GetProperty("detail").GetString());
        Assert.Contains("审核：退回（原因：3.1 请核实），本次审核（依据“待审核”）没有保存。", problem.GetProperty("detail").GetString());
        Assert.Contains($"by key {clerkA} (王芳)", problem.GetProperty("detail").GetString());
        var stored = (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review");
        Assert.Equal(("returned", "3.1 请核实"), (stored.GetProperty("decision").GetString(), stored.GetProperty("comment").GetString()));
        // The town was told to correct its table, and its correction is taken, closed period and all.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2013", [new("12.2", 130)])).StatusCode);
    }

    [Fact]
    public async Task A_Review_Expecting_The_State_Stored_Replaces_It_And_One_Without_An_Expectation_Checks_Nothing()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "3.1 请核实", expectedDecision = "pending" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "accepted", expectedDecision = "returned" })).StatusCode);
        Assert.Equal("accepted", (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review").GetProperty("decision").GetString());
        var stale = await ProblemAsync(await ReviewAsync(Admin, id, new { decision = "returned", comment = "再核实", expectedDecision = "returned" }), 409);
        Assert.Equal(("accepted", false), (stale.GetProperty("currentDecision").GetString(), stale.TryGetProperty("currentComment", out _)));
        Assert.Equal(Disclosure.Api.Infrastructure.ApiKeys.ConfiguredAdminKeyId, stale.GetProperty("currentReviewedBy").GetProperty("keyId").GetGuid());
        // The same key reviewed it (another tab, or a retry): said so, not 其他人.
        Assert.StartsWith($"该表（{town} 2014 第 1 版）已由您（本密钥）于 ", stale.GetProperty("detail").GetString());
        Assert.Contains($"by key {Disclosure.Api.Infrastructure.ApiKeys.ConfiguredAdminKeyId} (this key)", stale.GetProperty("detail").GetString());
        // An integrator that sends no expectation keeps working: the review replaces whatever is current.
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "再核实" })).StatusCode);
        Assert.Equal("returned", (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review").GetProperty("decision").GetString());
        // A table not yet reviewed is said so.
        var other = await SubmittedAsync(await CreateReporterAsync("town"));
        var pending = await ProblemAsync(await ReviewAsync(Admin, other, new { decision = "accepted", expectedDecision = "returned" }), 409);
        Assert.Equal("pending", pending.GetProperty("currentDecision").GetString());
        Assert.False(pending.TryGetProperty("currentReviewedBy", out _));
        Assert.Contains("尚未审核（待审核）", pending.GetProperty("detail").GetString());
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{other}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task A_Clerk_Who_Saw_One_Return_Is_Refused_After_Another_Returned_It_Again_With_Another_Reason_And_Stored_Naming_That_One()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);
        var (_, a) = await ClerkAsync("王芳");
        var (_, b) = await ClerkAsync("李强");
        var (clerkC, c) = await ClerkAsync("张伟");
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(a, id, new { decision = "returned", comment = "3.1 不符", expectedDecision = "pending" })).StatusCode);
        // Clerk B's page shows that return, as the submission reads.
        var seen = (await ReadAsync(b, $"/v1/submissions/{id}")).GetProperty("review").GetProperty("reviewedAt").GetString()!;
        // Clerk C returns it again, with another reason, naming the same return (on a clock that has not moved since: the test's).
        var again = await ReviewAsync(c, id, new { decision = "returned", comment = "3.2 漏报", expectedDecision = "returned", expectedReviewedAt = seen });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var againAt = (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reviewedAt").GetDateTimeOffset();
        Assert.True(againAt > DateTimeOffset.Parse(seen, System.Globalization.CultureInfo.InvariantCulture));

        // Clerk B accepts the table as the page showed it: returned, but by the first return.
        var problem = await ProblemAsync(await ReviewAsync(b, id, new { decision = "accepted", expectedDecision = "returned", expectedReviewedAt = seen }), 409);

        Assert.EndsWith("/review-conflict", problem.GetProperty("type").GetString());
        Assert.Equal(("returned", "3.2 漏报"), (problem.GetProperty("currentDecision").GetString(), problem.GetProperty("currentComment").GetString()));
        Assert.Equal(againAt, problem.GetProperty("currentReviewedAt").GetDateTimeOffset());
        Assert.Equal(clerkC, problem.GetProperty("currentReviewedBy").GetProperty("keyId").GetGuid());
        Assert.Contains("审核：退回（原因：3.2 漏报），本次审核（依据另一次“退回”）没有保存。", problem.GetProperty("detail").GetString());
        Assert.Contains("(\"3.2 漏报\"), not the other returned review as this review expected; nothing was stored.", problem.GetProperty("detail").GetString());
        var stored = (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review");
        Assert.Equal(("returned", "3.2 漏报"), (stored.GetProperty("decision").GetString(), stored.GetProperty("comment").GetString()));
        // Having read it, clerk B accepts naming the return now current, by the 409's time in Beijing's offset and written finer
        // than the millisecond it is kept at (as a client's own clock type may write it): stored.
        var current = problem.GetProperty("currentReviewedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8));
        var accepted = await ReviewAsync(b, id, new { decision = "accepted", expectedDecision = "returned", expectedReviewedAt = current.ToString("yyyy-MM-ddTHH:mm:ss.fff'4321'zzz", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("accepted", (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review").GetProperty("decision").GetString());
    }

    [Fact]
    public async Task An_Expected_Review_Time_Without_Its_Offset_Or_Beside_Pending_Is_A_400()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);

        var pending = await ProblemAsync(await ReviewAsync(Admin, id, new { decision = "accepted", expectedDecision = "pending", expectedReviewedAt = "2015-01-20T12:00:00.123+08:00" }), 400);
        var local = await ProblemAsync(await ReviewAsync(Admin, id, new { decision = "accepted", expectedReviewedAt = "2015-01-20T12:00:00.123" }), 400);

        Assert.Contains(pending.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "expectedReviewedAt");
        Assert.Contains(local.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "expectedReviewedAt");
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task Two_Clerks_Reviewing_One_Table_At_Once_Are_One_200_And_One_409()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);
        var (_, a) = await ClerkAsync("王芳");
        var (_, b) = await ClerkAsync("李强");

        var answers = await Task.WhenAll(
            ReviewAsync(a, id, new { decision = "accepted", expectedDecision = "pending" }),
            ReviewAsync(b, id, new { decision = "returned", comment = "3.1 请核实", expectedDecision = "pending" }));

        var won = Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
        var lost = await ProblemAsync(Assert.Single(answers, r => r != won), 409);
        var stored = (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("review");
        Assert.Equal(stored.ToString(), (await won.Content.ReadFromJsonAsync<JsonElement>(Ct)).ToString());
        Assert.Equal(stored.GetProperty("decision").GetString(), lost.GetProperty("currentDecision").GetString());
    }

    [Fact]
    public async Task An_Expected_Decision_That_Is_No_State_Is_A_400()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);

        var problem = await ProblemAsync(await ReviewAsync(Admin, id, new { decision = "accepted", expectedDecision = "maybe" }), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "expectedDecision");
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task A_Return_In_A_Closed_Period_Lets_That_Town_Alone_Correct_Its_Table_Once()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        var (townKeyId, townKey) = await CreateKeyAsync("reporter", town);
        var (_, otherKey) = await CreateKeyAsync("reporter", other);
        var (townClient, otherClient) = (Factory.Client(townKey), Factory.Client(otherKey));
        var id = await SubmittedAsync(town, "2016");
        await SubmittedAsync(other, "2016", 5);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2016/close", null, Ct)).StatusCode);
        var closedAt = (await ReadAsync(Admin, $"/v1/periods/{Catalogue2014}/2016")).GetProperty("closedAt").GetDateTimeOffset();
        var table = $"/v1/aggregates/{Catalogue2014}/2016?reporters={town},{other}";
        async Task<decimal> TotalAsync() => (await ReadAsync(Admin, table)).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("code").GetString() == "12.2").GetProperty("total").GetDecimal();
        async Task<JsonElement> DryRunAsync(HttpClient client, string reporter) =>
            await (await client.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, "2016", [new("12.2", 130)]), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var returned = await ReviewAsync(Admin, id, new { decision = "returned", comment = "12.2 与台账不符" });

        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        Assert.Equal("returned", (await ReadAsync(townClient, $"/v1/submissions/{id}")).GetProperty("review").GetProperty("decision").GetString());
        Assert.True((await ReadAsync(Admin, $"/v1/periods/{Catalogue2014}/2016")).GetProperty("closed").GetBoolean());
        // Until corrected, the returned table counts with its figures as they stand.
        var before = await Admin.GetAsync(table, Ct);
        Assert.Equal(125m, await TotalAsync());
        // The town's dry run says what its submission will do: no period-closed; the other town's still says closed, and when.
        Assert.True((await DryRunAsync(townClient, town)).GetProperty("valid").GetBoolean());
        var closing = Assert.Single((await DryRunAsync(otherClient, other)).GetProperty("violations").EnumerateArray());
        Assert.Equal("period-closed", closing.GetProperty("rule").GetString());
        Assert.Equal(closedAt, closing.GetProperty("closedAt").GetDateTimeOffset());
        // The other town is refused as before, and told the office can return its table instead of reopening the period.
        var refused = await ProblemAsync(await SubmitAsync(otherClient, other, "2016", [new("12.2", 6)]), 409);
        Assert.EndsWith("/period-closed", refused.GetProperty("type").GetString());
        Assert.Contains("将其退回", refused.GetProperty("detail").GetString());
        Assert.Equal(closedAt, refused.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal($"POST /v1/periods/{Catalogue2014}/2016/reopen", refused.GetProperty("reopen").GetString());
        Assert.Equal(1, (await RevisionsAsync(other, "2016")).GetArrayLength());

        // The returned town's correction is stored, unreviewed, and changes the closed period's table.
        var corrected = await SubmitAsync(townClient, town, "2016", [new("12.2", 130)]);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var correction = await corrected.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, correction.GetProperty("revision").GetInt32());
        Assert.False(correction.TryGetProperty("review", out _));
        Assert.Equal(135m, await TotalAsync());
        var ask = new HttpRequestMessage(HttpMethod.Get, table);
        ask.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(ask, Ct)).StatusCode);
        // The office's log has the return and the correction it let in, whose table is otherwise not logged.
        var logged = (await ReadAsync(Admin, $"/v1/audit?keyId={townKeyId}")).GetProperty("items").EnumerateArray().ToList();
        var entry = Assert.Single(logged, e => e.GetProperty("path").GetString() == "/v1/submissions");
        Assert.Equal(201, entry.GetProperty("status").GetInt32());
        Assert.Equal($"据退回更正已关闭统计期的报表：测试单位 {town} 2016年度政府信息公开工作情况统计表 第 2 版（数字有改动，该统计期的汇总随之改变）", entry.GetProperty("detail").GetString());
        // The log's sheet names the action in words, as it names every other write.
        var sheet = await Admin.GetStringAsync($"/v1/audit?keyId={townKeyId}&format=csv", Ct);
        Assert.Contains(",报送已关闭统计期的报表,", sheet);
        Assert.Contains((await ReadAsync(Admin, $"/v1/audit?keyId={ApiKeys.ConfiguredAdminKeyId}")).GetProperty("items").EnumerateArray(),
            e => e.TryGetProperty("detail", out var d) && d.GetString() == $"退回 测试单位 {town} 2016年度政府信息公开工作情况统计表 第 1 版：12.2 与台账不符");

        // Corrected, the table is locked again: a second correction waits for another return.
        var again = await ProblemAsync(await SubmitAsync(townClient, town, "2016", [new("12.2", 131)]), 409);
        Assert.EndsWith("/period-closed", again.GetProperty("type").GetString());
        Assert.Equal(2, (await RevisionsAsync(town, "2016")).GetArrayLength());
        Assert.Equal(135m, await TotalAsync());
        // The correction may be accepted, as any table of a closed period may.
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, correction.GetProperty("id").GetGuid(), new { decision = "accepted" })).StatusCode);
    }

    [Fact]
    public async Task A_Correction_In_A_Closed_Period_That_Repeats_The_Returned_Figures_Is_Logged_As_Leaving_The_Total_As_It_Was()
    {
        // The town checks the returned figures, finds them right and sends them again: the published total did not move.
        var town = await CreateReporterAsync("town");
        var (townKeyId, townKey) = await CreateKeyAsync("reporter", town);
        var id = await SubmittedAsync(town, "2010");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2010/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, id, new { decision = "returned", comment = "12.2 请核实" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Factory.Client(townKey), town, "2010", [new("12.2", 120.0m)])).StatusCode);

        var entry = Assert.Single((await ReadAsync(Admin, $"/v1/audit?keyId={townKeyId}")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("path").GetString() == "/v1/submissions");
        Assert.Equal($"据退回更正已关闭统计期的报表：测试单位 {town} 2010年度政府信息公开工作情况统计表 第 2 版（数字与退回的第 1 版相同，该统计期的汇总未变）",
            entry.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Quarters_Correction_After_Its_Year_Closed_Is_Logged_As_Changing_The_Closed_Year_Too()
    {
        // The town's 2011 is added up from its quarters: its second quarter, returned and corrected, moves the published year.
        var town = await CreateReporterAsync("town");
        var (townKeyId, townKey) = await CreateKeyAsync("reporter", town);
        var second = Guid.Empty;
        foreach (var quarter in new[] { "2011Q1", "2011Q2", "2011Q3", "2011Q4" })
        {
            var id = await SubmittedAsync(town, quarter, 10);
            if (quarter == "2011Q2") second = id;
        }
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2011/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(Admin, second, new { decision = "returned", comment = "12.2 请核实" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Factory.Client(townKey), town, "2011Q2", [new("12.2", 12)])).StatusCode);

        var entry = Assert.Single((await ReadAsync(Admin, $"/v1/audit?keyId={townKeyId}")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("path").GetString() == "/v1/submissions");
        Assert.Equal($"据退回更正已关闭统计期的报表：测试单位 {town} 2011年第2季度政府信息公开工作情况统计表 第 2 版（数字有改动，该统计期及2011年度的汇总随之改变）",
            entry.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("reporter")]
    public async Task Only_The_District_Office_Reviews(string role)
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);
        var (_, key) = await CreateKeyAsync(role, role == "reporter" ? town : null);

        await ProblemAsync(await ReviewAsync(Factory.Client(key), id, new { decision = "accepted" }), 403);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ReviewAsync(Factory.Client(), id, new { decision = "accepted" })).StatusCode);
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { """{"decision":"returned"}""", "comment" },
        { """{"decision":"returned","comment":"   "}""", "comment" },
        { """{"comment":"ok"}""", "decision" },
        { """{"decision":"approved"}""", "decision" },
        { $$"""{"decision":"accepted","comment":"{{new string('长', 1001)}}"}""", "comment" },
        { """{"decision":"accepted","comment":"a\u0007b"}""", "comment" },
        { """{"decision":"returned","comment":"请核实\u202E数据"}""", "comment" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_Malformed_Review_Is_A_400_Naming_The_Field_And_Stores_Nothing(string body, string field)
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);

        var response = await Admin.PostAsync($"/v1/submissions/{id}/review", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task A_Review_Without_Its_Decision_Says_What_To_Write_In_Chinese_First()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);

        var problem = await ProblemAsync(await Admin.PostAsync($"/v1/submissions/{id}/review", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct), 400);

        Assert.Equal(["须填写审核结论（decision）：accepted（审核通过）或 returned（退回）。decision is required: accepted or returned."],
            problem.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("name").GetString() == "decision").Select(e => e.GetProperty("reason").GetString()));
        // A member left out with no message of its own is said as a form says it, not FluentValidation's “不能为Null”.
        Assert.Equal("须填写 {PropertyName}。'{PropertyName}' must not be empty.", new Infrastructure.BilingualMessages().GetString("NotNullValidator"));
    }

    [Fact]
    public async Task A_Review_Of_An_Unknown_Submission_Is_A_404()
    {
        var problem = await ProblemAsync(await ReviewAsync(Admin, Guid.NewGuid(), new { decision = "accepted" }), 404);

        Assert.Contains("no submission", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Body_That_Names_An_Id_Is_Refused_Rather_Than_Reviewing_Another_Submission()
    {
        var town = await CreateReporterAsync("town");
        var id = await SubmittedAsync(town);

        var response = await ReviewAsync(Admin, id, new { id = Guid.NewGuid(), decision = "accepted" });

        await ProblemAsync(response, 400);
        Assert.False((await ReadAsync(Admin, $"/v1/submissions/{id}")).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task A_Review_Of_A_Path_That_Is_Not_A_Submission_Id_Is_A_400_Naming_The_Id()
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions/not-a-guid/review", new { decision = "accepted" }, Ct);

        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "id");
        // The detail says what was wrong, as GET /v1/submissions/{id} does, not FastEndpoints' "Unable to read value of route parameter!".
        Assert.Equal(Problems.BindingFailure(typeof(Guid), "id", "not-a-guid"), problem.GetProperty("detail").GetString());
    }
}
