using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;

namespace Disclosure.Api.Tests;

/// <summary>
/// The current table sent again — the form's 提交 pressed once more, or the downloaded template uploaded unchanged — stores
/// nothing: a revision that changes nothing would put the table back to 待审核 and, after the deadline, count it as revised late.
/// </summary>
public sealed class UnchangedSubmissionTests(ApiFactory factory) : ApiTest(factory)
{
    private static object Table(string reporter, decimal value, string? note = null, string period = "2014") => new
    {
        reporter, period, catalogue = Catalogue2014, values = new[] { new { code = "13.1", value } }, note,
    };

    private static ByteArrayContent Workbook(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        return content;
    }

    [Fact]
    public async Task The_Same_Table_Sent_Again_Is_200_With_The_Current_Revision_And_Keeps_Its_Acceptance()
    {
        var reporter = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", reporter);
        var town = Factory.Client(key);
        var first = await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "已核对"), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var stored = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = stored.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "accepted" }, Ct)).StatusCode);

        var again = await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "已核对"), Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("\"1\"", again.Headers.ETag?.Tag);
        Assert.Equal($"/v1/submissions/{id}", again.Content.Headers.ContentLocation?.OriginalString);
        Assert.Null(again.Headers.Location);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((id, 1), (body.GetProperty("id").GetGuid(), body.GetProperty("revision").GetInt32()));
        var item = Assert.Single((await RevisionsAsync(reporter, "2014")).EnumerateArray());
        Assert.Equal("accepted", item.GetProperty("review").GetProperty("decision").GetString());
        // With If-Match of that revision and an Idempotency-Key alike; another note is a new revision.
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Table(reporter, 5, "已核对")) };
        keyed.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, (await town.SendAsync(keyed, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "已核对，无变化"), Ct)).StatusCode);
        Assert.Equal(2, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task The_Same_Table_Sent_Again_After_The_Period_Closed_Is_200_With_The_Current_Revision_And_A_Changed_One_Is_409()
    {
        const string period = "2012Q4"; // closed below: a period no other test of the class reads
        var reporter = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", reporter);
        var town = Factory.Client(key);
        var first = await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "已核对", period), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        async Task<JsonElement> DryRunAsync(object table) =>
            await (await town.PostAsJsonAsync("/v1/submissions/validate", table, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        // The town's officer presses 提交 again on the table the office holds: nothing would change, so it is told so.
        var again = await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "已核对", period), Ct);
        var dryAgain = await DryRunAsync(Table(reporter, 5, "已核对", period));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(($"/v1/submissions/{id}", "\"1\""), (again.Content.Headers.ContentLocation?.OriginalString, again.Headers.ETag?.Tag));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        Assert.True(dryAgain.GetProperty("valid").GetBoolean(), dryAgain.ToString());
        // A changed figure or note would change the closed period: refused by both, as before.
        var changed = await ProblemAsync(await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 6, "已核对", period), Ct), 409);
        Assert.EndsWith("/period-closed", changed.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5, "另一说明", period), Ct)).StatusCode);
        var dryChanged = await DryRunAsync(Table(reporter, 6, "已核对", period));
        Assert.False(dryChanged.GetProperty("valid").GetBoolean());
        Assert.Contains(dryChanged.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "period-closed");
        Assert.Single((await RevisionsAsync(reporter, period)).EnumerateArray());
    }

    [Fact]
    public async Task A_Retry_Under_The_Key_Of_An_Unchanged_Answer_Gets_That_Answer_Again_And_Leaves_A_Later_Correction_Standing()
    {
        var reporter = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", reporter);
        var town = Factory.Client(key);
        var first = await town.PostAsJsonAsync("/v1/submissions", Table(reporter, 5), Ct);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var nightlyKey = Guid.NewGuid().ToString();
        HttpRequestMessage Nightly(decimal value)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Table(reporter, value)) };
            request.Headers.Add("Idempotency-Key", nightlyKey);
            return request;
        }

        using (var unchanged = Nightly(5)) Assert.Equal(HttpStatusCode.OK, (await town.SendAsync(unchanged, Ct)).StatusCode);
        // The office corrects the figure before the departmental system's retry (its first answer lost) arrives.
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, 6), Ct)).StatusCode);
        using var retry = Nightly(5);
        var replayed = await town.SendAsync(retry, Ct);
        using var other = Nightly(7);
        var reused = await town.SendAsync(other, Ct);

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(($"/v1/submissions/{firstId}", "\"1\""), (replayed.Content.Headers.ContentLocation?.OriginalString, replayed.Headers.ETag?.Tag));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("idempotency-key-reused", await reused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var revisions = await RevisionsAsync(reporter, "2014");
        Assert.Equal(2, revisions.GetArrayLength());
        var head = await (await Admin.GetAsync($"/v1/submissions/{revisions[1].GetProperty("id").GetGuid()}", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(6m, head.GetProperty("values")[0].GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task A_Table_The_Office_Entered_With_The_Day_It_Was_Sent_Confirmed_Unchanged_By_Its_Town_Is_Not_Stored_Again()
    {
        var reporter = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", reporter);
        var entered = await Admin.PostAsJsonAsync("/v1/submissions?sentAt=2015-01-20T09:30:00%2B08:00", Table(reporter, 5), Ct);
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);

        var confirmed = await Factory.Client(key).PostAsJsonAsync("/v1/submissions", Table(reporter, 5), Ct);
        var resent = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, 5), Ct);
        var redated = await Admin.PostAsJsonAsync("/v1/submissions?sentAt=2015-01-21T09:30:00%2B08:00", Table(reporter, 5), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Created), (confirmed.StatusCode, resent.StatusCode, redated.StatusCode));
        var revisions = await RevisionsAsync(reporter, "2014");
        Assert.Equal(2, revisions.GetArrayLength());
        Assert.Equal(DateTimeOffset.Parse("2015-01-20T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
            revisions[0].GetProperty("sentAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_Downloaded_Template_Uploaded_Unchanged_Stores_Nothing_And_A_Returned_Table_Sent_Back_Unchanged_Is_Stored()
    {
        var reporter = await CreateReporterAsync("town");
        var first = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, 7), Ct);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var template = await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", Ct);

        var uploaded = await Admin.PostAsync("/v1/submissions", Workbook(template), Ct);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal(id, (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        // Uploaded once more: still the table as it stands, not a workbook made from an older revision.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync("/v1/submissions", Workbook(template), Ct)).StatusCode);
        Assert.Single((await RevisionsAsync(reporter, "2014")).EnumerateArray());

        // Filled in and stored, then uploaded a second time: made from the revision before, but the table as it now stands, so
        // neither stale nor stored again; the dry run says so too.
        var filled = WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = "8" });
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/submissions", Workbook(filled), Ct)).StatusCode);
        var twice = await Admin.PostAsync("/v1/submissions", Workbook(filled), Ct);
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        var current = await twice.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
        var dry = await (await Admin.PostAsync("/v1/submissions/validate", Workbook(filled), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(dry.GetProperty("valid").GetBoolean(), dry.ToString());
        Assert.Equal(2, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
        id = current.GetProperty("id").GetGuid();

        // Returned, the same figures sent back are the town's answer that they stand: a new revision, to be reviewed again.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "请核实 13.1" }, Ct)).StatusCode);
        var returned = await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", Ct);
        var answered = await Admin.PostAsync("/v1/submissions", Workbook(returned), Ct);
        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        Assert.Equal(3, (await answered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
    }
}
