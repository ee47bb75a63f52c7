using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Features.Templates;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office entering tables on a town's behalf (代填 / 更正): the time the town sent its table (<c>sentAt</c>),
/// which the deadline is judged on, and a town's old workbook that must not silently undo the office's correction.
/// </summary>
public sealed class OfficeEntryTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly KeyValuePair<string, decimal?>[] Small = [new("13.1", 1)];

    private static string Rfc3339(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));

    private async Task<HttpResponseMessage> SubmitSentAsync(HttpClient client, string reporter, string period, string sentAt,
        IEnumerable<KeyValuePair<string, decimal?>>? values = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/submissions?sentAt={sentAt}") { Content = JsonContent.Create(Body(reporter, period, values ?? Small)) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request, Ct);
    }

    private async Task SetDeadlineAsync(string period, DateTimeOffset deadline) =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/{period}", new { deadline }, Ct)).StatusCode);

    private async Task<JsonElement> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    // ---- sentAt -----------------------------------------------------------------------------------

    [Fact]
    public async Task A_Reporters_Own_Printout_Is_Dated_When_It_Sent_The_Table_And_The_District_Table_When_It_Arrived_Or_The_Period_Closed()
    {
        var town = await CreateReporterAsync("town");
        const string period = "2012";
        // The town's letter is dated 10 January 2013, China time; the office keys it in today.
        var sent = new DateTimeOffset(2013, 1, 10, 9, 0, 0, TimeSpan.FromHours(8));
        var entered = await SubmitSentAsync(Admin, town, period, Rfc3339(sent));
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var received = (await entered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("receivedAt").GetDateTimeOffset();

        async Task<string> CsvAsync(string path) =>
            System.Text.Encoding.UTF8.GetString(await (await Admin.GetAsync($"{path}?format=csv", Ct)).Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("报出日期：2013年1月10日", await CsvAsync($"/v1/aggregates/{Catalogue2014}/{period}/reporters/{town}"));
        var district = await CsvAsync($"/v1/aggregates/{Catalogue2014}/{period}");
        Assert.DoesNotContain("报出日期：2013年1月10日", district);
        Assert.Contains($"报出日期：{received.ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日}", district);

        // Once the office closes the period, the district's table is final and dated the day it was closed; the town's own is not.
        Factory.Clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        try
        {
            var closed = Factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
            Assert.Contains($"报出日期：{closed:yyyy年M月d日}", await CsvAsync($"/v1/aggregates/{Catalogue2014}/{period}"));
            Assert.Equal(closed.Date, (await ReadAsync(Admin, $"/v1/aggregates/{Catalogue2014}/{period}")).GetProperty("completeness").GetProperty("closedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).Date);
            Assert.Contains("报出日期：2013年1月10日", await CsvAsync($"/v1/aggregates/{Catalogue2014}/{period}/reporters/{town}"));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
        }
        Assert.Contains($"报出日期：{received.ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日}", await CsvAsync($"/v1/aggregates/{Catalogue2014}/{period}"));
    }

    [Fact]
    public async Task A_Table_Sent_Before_The_Deadline_And_Entered_After_It_Is_On_Time_Where_Every_Status_Is_Computed()
    {
        var mailed = await CreateReporterAsync("town");
        var keyedLate = await CreateReporterAsync("town");
        const string period = "2011";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        await SetDeadlineAsync(period, deadline);
        // The town e-mailed its table on the day before the deadline, 09:30 China time; the office keys it in three days later.
        var sent = new DateTimeOffset((deadline - TimeSpan.FromDays(1)).UtcDateTime.Date.AddHours(1).AddMinutes(30), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8));
        Factory.Clock.Advance(TimeSpan.FromDays(3));

        var entered = await SubmitSentAsync(Admin, mailed, period, Rfc3339(sent));
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var body = await entered.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(sent, body.GetProperty("sentAt").GetDateTimeOffset());
        Assert.True(body.GetProperty("receivedAt").GetDateTimeOffset() > deadline);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, keyedLate, period, Small)).StatusCode);

        // The revision views show it.
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal(sent, (await ReadAsync(Admin, $"/v1/submissions/{id}")).GetProperty("sentAt").GetDateTimeOffset());
        var listed = Assert.Single((await RevisionsAsync(mailed, period)).EnumerateArray());
        Assert.Equal(sent, listed.GetProperty("sentAt").GetDateTimeOffset());
        Assert.False(Assert.Single((await RevisionsAsync(keyedLate, period)).EnumerateArray()).TryGetProperty("sentAt", out _));

        // 按时报送 in the overview and the town's own list; the one keyed in without sentAt is 逾期报送.
        var c = (await ReadAsync(Admin, $"/v1/aggregates/{Catalogue2014}/{period}")).GetProperty("completeness").GetProperty("reporters")
            .EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!);
        Assert.Equal(("onTime", false), (c[mailed].GetProperty("status").GetString(), c[mailed].GetProperty("late").GetBoolean()));
        Assert.Equal(sent, c[mailed].GetProperty("submissions")[0].GetProperty("sentAt").GetDateTimeOffset());
        Assert.Equal(("late", true), (c[keyedLate].GetProperty("status").GetString(), c[keyedLate].GetProperty("late").GetBoolean()));
        var mine = (await ReadAsync(Admin, $"/v1/reporters/{mailed}/periods")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == period);
        Assert.Equal("onTime", mine.GetProperty("status").GetString());
        Assert.Equal(sent, mine.GetProperty("sentAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_Correction_Keyed_In_After_The_Deadline_From_A_Letter_Sent_Before_It_Keeps_The_Table_On_Time()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        const string period = "2010";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        await SetDeadlineAsync(period, deadline);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Factory.Client(key), town, period, Small)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(HttpStatusCode.Created, (await SubmitSentAsync(Admin, town, period, Rfc3339(deadline.AddHours(-2)), [new("13.1", 2)])).StatusCode);
        var status = (await ReadAsync(Admin, $"/v1/aggregates/{Catalogue2014}/{period}")).GetProperty("completeness").GetProperty("reporters")
            .EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == town).GetProperty("status").GetString();
        Assert.Equal("onTime", status);

        // Without sentAt the same correction is a revision after the deadline.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, period, [new("13.1", 3)])).StatusCode);
        status = (await ReadAsync(Admin, $"/v1/aggregates/{Catalogue2014}/{period}")).GetProperty("completeness").GetProperty("reporters")
            .EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == town).GetProperty("status").GetString();
        Assert.Equal("revisedLate", status);
    }

    [Fact]
    public async Task A_Table_Dated_Back_By_The_Office_Does_Not_Hide_A_Revision_After_The_Deadline()
    {
        var corrected = await CreateReporterAsync("town");
        var lateFirst = await CreateReporterAsync("town");
        const string period = "2009";
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        await SetDeadlineAsync(period, deadline);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, corrected, period, Small)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        // A correction after the deadline, then a letter dated before it keyed in last: still 截止后修订, not 按时报送.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, corrected, period, [new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitSentAsync(Admin, corrected, period, Rfc3339(deadline.AddHours(-1)), [new("13.1", 3)])).StatusCode);
        // A first table after the deadline, then a letter the town had sent before it: one by the deadline, one after.
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, lateFirst, period, Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitSentAsync(Admin, lateFirst, period, Rfc3339(deadline.AddHours(-3)), [new("13.1", 2)])).StatusCode);

        var c = (await ReadAsync(Admin, $"/v1/aggregates/{Catalogue2014}/{period}")).GetProperty("completeness").GetProperty("reporters")
            .EnumerateArray().ToDictionary(r => r.GetProperty("reporter").GetString()!, r => r.GetProperty("status").GetString());
        foreach (var town in new[] { corrected, lateFirst })
        {
            Assert.Equal("revisedLate", c[town]);
            var mine = (await ReadAsync(Admin, $"/v1/reporters/{town}/periods")).GetProperty("items").EnumerateArray()
                .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == period);
            Assert.Equal("revisedLate", mine.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_Reporter_Key_Giving_SentAt_Is_Refused_With_403_And_Nothing_Is_Stored()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        var response = await SubmitSentAsync(Factory.Client(key), town, "2014", Rfc3339(Factory.Clock.GetUtcNow().AddDays(-1)));
        var problem = await ProblemAsync(response, 403);
        Assert.Contains("sentAt", problem.GetProperty("detail").GetString());
        Assert.Contains("district office", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(town, "2014")).GetArrayLength());
        // Its dry run is refused alike.
        using var dry = new HttpRequestMessage(HttpMethod.Post, $"/v1/submissions/validate?sentAt={Rfc3339(Factory.Clock.GetUtcNow().AddDays(-1))}") { Content = JsonContent.Create(Body(town, "2014", Small)) };
        Assert.Contains("district office", (await ProblemAsync(await Factory.Client(key).SendAsync(dry, Ct), 403)).GetProperty("detail").GetString());
    }

    public static TheoryData<string, string> BadSentTimes => new()
    {
        { "future", "in the future" },
        { "2015-01-18T09:30:00", "offset" },
        { "2015-01-18", "offset" },
        { "2015-01-18T09:30:00 08:00", "%2B" },
        { "yesterday", "offset" },
        { "2013-12-31T23:00:00%2B08:00", "before period 2014 began" },
    };

    [Theory]
    [MemberData(nameof(BadSentTimes))]
    public async Task A_SentAt_In_The_Future_Without_Its_Offset_Or_Before_The_Period_Is_A_400_Naming_It_And_Nothing_Is_Stored(string sentAt, string said)
    {
        var town = await CreateReporterAsync("town");
        var text = sentAt == "future" ? Rfc3339(Factory.Clock.GetUtcNow().AddMinutes(30)) : sentAt.Replace(" ", "%20", StringComparison.Ordinal);
        var problem = await ProblemAsync(await SubmitSentAsync(Admin, town, "2014", text), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("sentAt", error.GetProperty("name").GetString());
        Assert.Contains(said, error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(town, "2014")).GetArrayLength());
        // The dry run of the office's entry says the same, before anything is submitted.
        using var dry = new HttpRequestMessage(HttpMethod.Post, $"/v1/submissions/validate?sentAt={text}") { Content = JsonContent.Create(Body(town, "2014", Small)) };
        var dryError = Assert.Single((await ProblemAsync(await Admin.SendAsync(dry, Ct), 400)).GetProperty("errors").EnumerateArray());
        Assert.Equal(("sentAt", error.GetProperty("reason").GetString()), (dryError.GetProperty("name").GetString(), dryError.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task The_Dry_Run_Of_An_Entry_With_A_Good_SentAt_Is_Valid()
    {
        var town = await CreateReporterAsync("town");
        using var dry = new HttpRequestMessage(HttpMethod.Post, $"/v1/submissions/validate?sentAt={Rfc3339(new DateTimeOffset(2015, 1, 18, 9, 30, 0, TimeSpan.FromHours(8)))}")
        {
            Content = JsonContent.Create(Body(town, "2014", Small)),
        };
        var verdict = await (await Admin.SendAsync(dry, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(verdict.GetProperty("valid").GetBoolean());
        Assert.Equal(0, (await RevisionsAsync(town, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_SentAt_A_Minute_Ahead_Of_The_Service_Clock_Is_Taken_As_A_Clock_Difference()
    {
        var town = await CreateReporterAsync("town");
        var ahead = Factory.Clock.GetUtcNow().AddMinutes(1);
        var response = await SubmitSentAsync(Admin, town, "2014", Rfc3339(ahead));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(ahead.ToUnixTimeMilliseconds(), (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sentAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task The_Same_Idempotency_Key_With_Another_SentAt_Is_Another_Request_And_The_Same_Instant_In_Another_Offset_Replays()
    {
        var town = await CreateReporterAsync("town");
        var sent = new DateTimeOffset(2015, 1, 18, 9, 30, 0, TimeSpan.FromHours(8));
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await SubmitSentAsync(Admin, town, "2014", Rfc3339(sent), idempotencyKey: key)).StatusCode);

        var replay = await SubmitSentAsync(Admin, town, "2014", Rfc3339(sent.ToUniversalTime()), idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        var other = await ProblemAsync(await SubmitSentAsync(Admin, town, "2014", Rfc3339(sent.AddDays(1)), idempotencyKey: key), 422);
        Assert.Equal("idempotency-key-reused", other.GetProperty("violations")[0].GetProperty("rule").GetString());
        var without = await ProblemAsync(await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/submissions")
        {
            Content = JsonContent.Create(Body(town, "2014", Small)),
            Headers = { { "Idempotency-Key", key } },
        }, Ct), 422);
        Assert.Equal("idempotency-key-reused", without.GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.Equal(1, (await RevisionsAsync(town, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task SentAt_In_The_Body_Is_Not_A_Member_Of_It()
    {
        var town = await CreateReporterAsync("town");
        var response = await Admin.PostAsync("/v1/submissions", new StringContent(
            $$"""{"reporter":"{{town}}","period":"2014","catalogue":"{{Catalogue2014}}","values":[],"sentAt":"2015-01-18T09:30:00+08:00"}""",
            System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await ProblemAsync(response, 400);
        Assert.Equal("sentAt", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(0, (await RevisionsAsync(town, "2014")).GetArrayLength());
    }

    // ---- workbooks made from an older revision ----------------------------------------------------

    private async Task<byte[]> TemplateAsync(HttpClient client, string reporter, string period = "2014")
    {
        var response = await client.GetAsync($"/v1/templates/{Catalogue2014}/{period}?reporter={reporter}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static byte[] Filled(byte[] template, decimal value) =>
        WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] workbook, string? ifMatch = null, string path = "/v1/submissions", string? idempotencyKey = null)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue(SubmissionWorkbook.MediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request, Ct);
    }

    private static string? RevisionMark(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var name = doc.WorkbookPart!.Workbook.DefinedNames?.Elements<DefinedName>().SingleOrDefault(d => d.Name == SubmissionWorkbook.RevisionName);
        Assert.True(name is null || name.Hidden?.Value == true);
        return name?.Text;
    }

    /// <summary>The workbook with a labelled cell of 填报表 typed over, as a town reusing last quarter's file does (B3: period, B4: reporter).</summary>
    private static byte[] Retyped(byte[] workbook, string reference, string text)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == SubmissionWorkbook.SheetName);
            var cell = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
            cell.InlineString = new InlineString(new Text(text));
            doc.Save();
        }
        return stream.ToArray();
    }

    /// <summary>The workbook without one of its hidden names, as a template of an earlier build was written.</summary>
    private static byte[] Without(byte[] workbook, string name)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == name).Remove();
            doc.Save();
        }
        return stream.ToArray();
    }

    private static string? TableMark(byte[] workbook)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var name = doc.WorkbookPart!.Workbook.DefinedNames?.Elements<DefinedName>().SingleOrDefault(d => d.Name == SubmissionWorkbook.TableName);
        Assert.True(name is null || name.Hidden?.Value == true);
        return name?.Text;
    }

    [Fact]
    public async Task A_Template_Records_The_Revision_It_Was_Filled_In_From_In_A_Hidden_Name_And_Says_So_On_The_Sheet()
    {
        var town = await CreateReporterAsync("town");
        var blank = await TemplateAsync(Admin, town);
        Assert.Equal("0", RevisionMark(blank));
        Assert.Equal($"\"{town}/{Catalogue2014}/2014\"", TableMark(blank));
        Assert.Contains("空白模板", WorkbookRoundTripTests.Read(blank)["A5"]);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("13.1", 2)])).StatusCode);
        var second = await TemplateAsync(Admin, town);
        Assert.Equal("2", RevisionMark(second));
        Assert.Contains("第 2 次修订", WorkbookRoundTripTests.Read(second)["A5"]);
    }

    [Fact]
    public async Task A_Towns_Old_Workbook_Uploaded_After_The_Office_Corrected_The_Table_Is_A_409_Naming_Both_Revisions_And_Nothing_Is_Stored()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        var own = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(own, town, "2014", Small)).StatusCode);
        var old = Filled(await TemplateAsync(own, town), 5);
        var corrected = await SubmitAsync(Admin, town, "2014", [new("13.1", 2)]);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);

        var problem = await ProblemAsync(await UploadAsync(own, old), 409);

        Assert.Equal("https://disclosure.example.gov.cn/problems/stale-workbook", problem.GetProperty("type").GetString());
        Assert.Equal(1, problem.GetProperty("workbookRevision").GetInt32());
        Assert.Equal(2, problem.GetProperty("currentRevision").GetInt32());
        Assert.Equal("admin", problem.GetProperty("currentSubmittedBy").GetProperty("role").GetString());
        Assert.Equal((await corrected.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("receivedAt").GetDateTimeOffset(),
            problem.GetProperty("currentReceivedAt").GetDateTimeOffset());
        Assert.Contains("revision 1", problem.GetProperty("detail").GetString());
        Assert.Contains("district office", problem.GetProperty("detail").GetString());
        Assert.Contains("If-Match: \"2\"", problem.GetProperty("detail").GetString());
        // In Chinese first, the time it came in Beijing time to the second, not a UTC time to the ten-millionth.
        var came = problem.GetProperty("currentReceivedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8));
        Assert.StartsWith($"这个工作簿是据第 1 次修订填写的，该表现在已是第 2 次修订（{came:yyyy-MM-dd HH:mm} 收到），本表没有保存", problem.GetProperty("detail").GetString());
        Assert.Contains($"submitted at {came:yyyy-MM-dd'T'HH:mm:sszzz} by the district office", problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await RevisionsAsync(town, "2014")).GetArrayLength());

        // An explicit If-Match of the current revision is how a person says "overwrite it".
        var overwritten = await UploadAsync(own, old, "\"2\"");
        Assert.Equal(HttpStatusCode.Created, overwritten.StatusCode);
        Assert.Equal(3, (await overwritten.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_Blank_Template_Uploaded_After_A_Table_Was_Stored_Is_A_409_Made_From_No_Revision()
    {
        var town = await CreateReporterAsync("town");
        var blank = Filled(await TemplateAsync(Admin, town), 7);
        var first = await SubmitSentAsync(Admin, town, "2014", Rfc3339(Factory.Clock.GetUtcNow().AddHours(-3)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var problem = await ProblemAsync(await UploadAsync(Admin, blank), 409);

        Assert.Equal(0, problem.GetProperty("workbookRevision").GetInt32());
        Assert.Equal(1, problem.GetProperty("currentRevision").GetInt32());
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sentAt").GetDateTimeOffset(),
            problem.GetProperty("currentSentAt").GetDateTimeOffset());
        Assert.Contains("blank template", problem.GetProperty("detail").GetString());
        Assert.Equal(1, (await RevisionsAsync(town, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Town_Uploading_Its_Own_Mended_Workbook_Again_Is_Asked_To_Confirm_Too()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        var own = Factory.Client(key);
        var template = await TemplateAsync(own, town);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(own, Filled(template, 4))).StatusCode);

        var problem = await ProblemAsync(await UploadAsync(own, Filled(template, 5)), 409);

        Assert.Equal((0, 1, "reporter"), (problem.GetProperty("workbookRevision").GetInt32(), problem.GetProperty("currentRevision").GetInt32(),
            problem.GetProperty("currentSubmittedBy").GetProperty("role").GetString()));
        // The table that would be overwritten, for a page that has another open.
        var table = problem.GetProperty("workbookTable");
        Assert.Equal((town, Catalogue2014, "2014"), (table.GetProperty("reporter").GetString(), table.GetProperty("catalogue").GetString(), table.GetProperty("period").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(own, Filled(template, 5), "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task Last_Quarters_Workbook_With_Its_Period_Typed_Over_Does_Not_Overwrite_The_Offices_Entry_Of_That_Quarter()
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        var own = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(own, town, "2014Q1", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q2", [new("13.1", 2)])).StatusCode);
        // Revision 1 of 2014Q1, the same number as the office's 2014Q2: the number alone would pass for the current one.
        var reused = Retyped(Filled(await TemplateAsync(own, town, "2014Q1"), 5), "B3", "2014Q2");

        var problem = await ProblemAsync(await UploadAsync(own, reused), 409);

        Assert.Equal("https://disclosure.example.gov.cn/problems/stale-workbook", problem.GetProperty("type").GetString());
        Assert.Equal((0, 1, "admin"), (problem.GetProperty("workbookRevision").GetInt32(), problem.GetProperty("currentRevision").GetInt32(),
            problem.GetProperty("currentSubmittedBy").GetProperty("role").GetString()));
        var named = problem.GetProperty("workbookTable");
        Assert.Equal((town, Catalogue2014, "2014Q2"), (named.GetProperty("reporter").GetString(), named.GetProperty("catalogue").GetString(), named.GetProperty("period").GetString()));
        var madeFor = problem.GetProperty("workbookMadeFor");
        Assert.Equal((town, Catalogue2014, "2014Q1", 1), (madeFor.GetProperty("reporter").GetString(), madeFor.GetProperty("catalogue").GetString(),
            madeFor.GetProperty("period").GetString(), madeFor.GetProperty("revision").GetInt32()));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"made for '{town}', {Catalogue2014}, 2014Q1", detail);
        Assert.Contains($"now names '{town}', {Catalogue2014}, 2014Q2", detail);
        Assert.Contains($"/v1/templates/{Catalogue2014}/2014Q2?reporter={town}", detail);
        Assert.Contains("If-Match: \"1\"", detail);
        var kept = Assert.Single((await RevisionsAsync(town, "2014Q2")).EnumerateArray());
        Assert.Equal("admin", kept.GetProperty("submittedBy").GetProperty("role").GetString());

        // Confirmed with If-Match, it replaces the office's entry as any workbook would.
        var overwritten = await UploadAsync(own, reused, "\"1\"");
        Assert.Equal(HttpStatusCode.Created, overwritten.StatusCode);
        Assert.Equal(2, (await overwritten.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_Workbook_Sent_With_An_Empty_If_Match_Is_A_400_Naming_The_Header_And_Nothing_Is_Stored()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("13.1", 1)])).StatusCode);
        var workbook = Filled(await TemplateAsync(Admin, town), 5);

        // Not taken for an absent If-Match, which would let the workbook's own revision decide: the client named a precondition.
        var response = await SendWithEmptyIfMatchAsync(HttpMethod.Post, "/v1/submissions", workbook, SubmissionWorkbook.MediaType);

        var error = Assert.Single((await ProblemAsync(response, 400)).GetProperty("errors").EnumerateArray());
        Assert.Equal("If-Match", error.GetProperty("name").GetString());
        Assert.StartsWith("请求头 If-Match 是空的", error.GetProperty("reason").GetString());
        Assert.Single((await RevisionsAsync(town, "2014")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Admin, workbook, "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task A_Workbook_Of_A_Later_Revision_Of_Another_Period_Is_Not_Taken_For_A_Store_Restored_From_A_Backup()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q3", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q3", [new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q4", [new("13.1", 3)])).StatusCode);
        var third = Filled(await TemplateAsync(Admin, town, "2014Q3"), 9);
        Assert.Equal("2", RevisionMark(third));

        var problem = await ProblemAsync(await UploadAsync(Admin, Retyped(third, "B3", "2014Q4")), 409);

        Assert.Equal((0, 1, 2), (problem.GetProperty("workbookRevision").GetInt32(), problem.GetProperty("currentRevision").GetInt32(),
            problem.GetProperty("workbookMadeFor").GetProperty("revision").GetInt32()));
        Assert.Equal(1, (await RevisionsAsync(town, "2014Q4")).GetArrayLength());
        // Typed over to a quarter with no table yet, it is that quarter's first, as a blank template of it would be.
        var first = await UploadAsync(Admin, Retyped(third, "B3", "2013Q4"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_Workbook_With_Its_Reporter_Typed_Over_Is_Not_Checked_Against_The_Other_Reporters_Revision()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, other, "2014", [new("13.1", 2)])).StatusCode);
        var copied = Retyped(Filled(await TemplateAsync(Admin, town), 5), "B4", other);

        var problem = await ProblemAsync(await UploadAsync(Admin, copied), 409);

        Assert.Equal(town, problem.GetProperty("workbookMadeFor").GetProperty("reporter").GetString());
        Assert.Equal(1, (await RevisionsAsync(other, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_That_Records_Only_Its_Revision_From_The_Build_Before_Is_Checked_Against_The_Table_Its_Sheet_Names_As_Before()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        var old = Without(Filled(await TemplateAsync(Admin, town), 5), SubmissionWorkbook.TableName);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("13.1", 2)])).StatusCode);

        var problem = await ProblemAsync(await UploadAsync(Admin, old), 409);

        Assert.Equal((1, 2), (problem.GetProperty("workbookRevision").GetInt32(), problem.GetProperty("currentRevision").GetInt32()));
        Assert.False(problem.TryGetProperty("workbookMadeFor", out _));
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Admin, old, "\"2\"")).StatusCode);
    }

    [Fact]
    public async Task The_Dry_Run_Of_A_Workbook_With_Its_Period_Typed_Over_Says_It_Was_Made_For_Another_Quarter()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q1", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014Q2", [new("13.1", 2)])).StatusCode);
        var q1 = Filled(await TemplateAsync(Admin, town, "2014Q1"), 5);

        var response = await UploadAsync(Admin, Retyped(q1, "B3", "2014Q2"), path: "/v1/submissions/validate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        var stale = Assert.Single(verdict.GetProperty("violations").EnumerateArray());
        Assert.Equal("stale-workbook", stale.GetProperty("rule").GetString());
        Assert.Contains("2014Q1", stale.GetProperty("message").GetString());
        Assert.Contains("If-Match: \"1\"", stale.GetProperty("message").GetString());
        Assert.Contains("2014Q1", stale.GetProperty("messageZh").GetString());
        Assert.Contains("2014Q2", stale.GetProperty("messageZh").GetString());
        async Task<bool> ValidAsync(byte[] workbook, string? ifMatch = null) =>
            (await (await UploadAsync(Admin, workbook, ifMatch, "/v1/submissions/validate")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("valid").GetBoolean();
        Assert.True(await ValidAsync(Retyped(q1, "B3", "2014Q2"), "\"1\""));
        Assert.True(await ValidAsync(Retyped(q1, "B3", "2014Q3")));
        Assert.Equal(1, (await RevisionsAsync(town, "2014Q2")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_Of_The_Current_Revision_Is_Stored_And_Its_Retry_Replays_Instead_Of_Conflicting()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        var current = Filled(await TemplateAsync(Admin, town), 9);
        var key = Guid.NewGuid().ToString();

        var stored = await UploadAsync(Admin, current, idempotencyKey: key);
        var retried = await UploadAsync(Admin, current, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.True(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await retried.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
        Assert.Equal(2, (await RevisionsAsync(town, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task An_Explicit_If_Match_Of_An_Older_Revision_Is_The_Ordinary_Revision_Conflict()
    {
        var town = await CreateReporterAsync("town");
        var old = Filled(await TemplateAsync(Admin, town), 3);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", [new("13.1", 2)])).StatusCode);

        var problem = await ProblemAsync(await UploadAsync(Admin, old, "\"1\""), 409);

        Assert.Equal("https://disclosure.example.gov.cn/problems/revision-conflict", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentRevision").GetInt32());
    }

    /// <summary>The workbook with its hidden record of the revision it was made from changed by <paramref name="edit"/>.</summary>
    private static byte[] WithRevisionName(byte[] workbook, Action<DefinedName> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            edit(doc.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == SubmissionWorkbook.RevisionName));
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task A_Workbook_Without_A_Recorded_Revision_From_An_Earlier_Build_Is_Stored_As_Before()
    {
        var town = await CreateReporterAsync("town");
        var template = await TemplateAsync(Admin, town);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        var response = await UploadAsync(Admin, WithRevisionName(Filled(template, 6), name => name.Remove()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999")]
    public async Task A_Workbook_Whose_Recorded_Revision_Was_Rewritten_Is_Taken_As_Made_From_None_And_Replaces_Nothing(string rewritten)
    {
        var town = await CreateReporterAsync("town");
        var template = await TemplateAsync(Admin, town);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        var problem = await ProblemAsync(await UploadAsync(Admin, WithRevisionName(Filled(template, 6), name => name.Text = rewritten)), 409);

        Assert.Equal("https://disclosure.example.gov.cn/problems/stale-workbook", problem.GetProperty("type").GetString());
        Assert.Equal(1, problem.GetProperty("currentRevision").GetInt32());
    }

    [Fact]
    public async Task The_Dry_Run_Of_An_Old_Workbook_Says_A_Submission_Would_Be_Refused_As_Stale_As_Submitting_It_Is()
    {
        var town = await CreateReporterAsync("town");
        var old = Filled(await TemplateAsync(Admin, town), 3);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", Small)).StatusCode);
        var current = Filled(await TemplateAsync(Admin, town), 4);

        var response = await UploadAsync(Admin, old, path: "/v1/submissions/validate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        var stale = Assert.Single(verdict.GetProperty("violations").EnumerateArray());
        Assert.Equal("stale-workbook", stale.GetProperty("rule").GetString());
        Assert.Contains("If-Match: \"1\"", stale.GetProperty("message").GetString());
        Assert.Equal(409, (int)(await UploadAsync(Admin, old)).StatusCode);
        // With the If-Match the message names, the dry run says what the submission then does: it would be stored.
        Assert.True((await (await UploadAsync(Admin, old, ifMatch: "\"1\"", path: "/v1/submissions/validate")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("valid").GetBoolean());
        // A workbook of the current revision is judged on its table alone.
        Assert.True((await (await UploadAsync(Admin, current, path: "/v1/submissions/validate")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_Workbook_The_Office_Uploads_Takes_SentAt_From_The_Query()
    {
        var town = await CreateReporterAsync("town");
        var sent = new DateTimeOffset(2015, 1, 18, 9, 30, 0, TimeSpan.FromHours(8));
        var workbook = Filled(await TemplateAsync(Admin, town), 8);

        var response = await UploadAsync(Admin, workbook, path: $"/v1/submissions?sentAt={Rfc3339(sent)}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(sent, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sentAt").GetDateTimeOffset());
        Assert.Equal(sent, Assert.Single((await RevisionsAsync(town, "2014")).EnumerateArray()).GetProperty("sentAt").GetDateTimeOffset());
    }
}
