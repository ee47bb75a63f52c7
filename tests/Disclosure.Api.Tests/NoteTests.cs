using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>填报说明: a reporter's note goes with its revision, read back wherever the revision is; it is checked like any field.</summary>
public sealed class NoteTests(ApiFactory factory) : ApiTest(factory)
{
    private static object Table(string reporter, string? note, decimal value = 5) => new
    {
        reporter, period = "2014", catalogue = Catalogue2014, values = new[] { new { code = "13.1", value } }, note,
    };

    [Fact]
    public async Task A_Note_Is_Stored_Trimmed_With_Its_Revision_And_The_Next_Revision_Has_Its_Own()
    {
        var reporter = await CreateReporterAsync();
        var created = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, "  依申请公开数量比上年增加较多，系因征地拆迁项目集中。\n13.1 已核对。 "), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("依申请公开数量比上年增加较多，系因征地拆迁项目集中。\n13.1 已核对。", body.GetProperty("note").GetString());
        var read = await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{body.GetProperty("id").GetGuid()}", Ct);
        Assert.Equal(body.GetProperty("note").GetString(), read.GetProperty("note").GetString());

        // A blank note is none: the next revision says nothing, and its answer has no note.
        var second = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, "   ", 6), Ct);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("note", out _));
    }

    [Fact]
    public async Task The_Note_Is_On_The_Revision_List_On_The_District_Tables_Contributions_And_On_The_Reporters_Printed_Table()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, "第二行起为补充。\n13.1 已核对。"), Ct)).StatusCode);

        var item = (await RevisionsAsync(reporter, "2014"))[0];
        Assert.Equal("第二行起为补充。\n13.1 已核对。", item.GetProperty("note").GetString());
        var drill = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2014/reporters/{reporter}", Ct);
        var contribution = Assert.Single(drill.GetProperty("completeness").GetProperty("reporters").EnumerateArray());
        Assert.Equal("第二行起为补充。\n13.1 已核对。", contribution.GetProperty("submissions")[0].GetProperty("note").GetString());

        // The paper copy carries it under the table, before who reported and the signatures; the district's own table does not.
        var html = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{reporter}?format=html", Ct);
        Assert.Contains("<p class=\"note\">填报说明：第二行起为补充。\n13.1 已核对。</p>", html);
        Assert.True(html.IndexOf("填报说明：", StringComparison.Ordinal) < html.IndexOf("填报单位（盖章）", StringComparison.Ordinal));
        Assert.Contains("填报说明：第二行起为补充。", await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{reporter}?format=csv", Ct));
        Assert.DoesNotContain("填报说明", await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014?format=html", Ct));
    }

    [Fact]
    public async Task A_Note_Of_Several_Lines_Keeps_Them_In_The_Workbooks_And_Through_The_Template_Round_Trip()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, "第一行\n第二行\r\n第三行\t已核对"), Ct)).StatusCode);

        // The reporter's printed table as a workbook: the note's lines, not a replacement character for each break.
        var export = await Admin.GetByteArrayAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{reporter}?format=xlsx", Ct);
        Assert.Contains("填报说明：第一行\n第二行\n第三行\t已核对", CellTexts(export));

        // The template carries it; sent back over a revision corrected since (If-Match), the next revision keeps it (each break as one \n).
        var template = await Admin.GetByteArrayAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", Ct);
        Assert.Contains("第一行\n第二行\n第三行\t已核对", CellTexts(template));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, null, 6), Ct)).StatusCode);
        var content = new ByteArrayContent(template);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(Disclosure.Api.Features.Templates.SubmissionWorkbook.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = content };
        request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        var stored = await Admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal("第一行\n第二行\n第三行\t已核对", (await stored.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());
    }

    /// <summary>Every cell's text in a workbook's sheets (inline strings and shared strings alike).</summary>
    internal static List<string> CellTexts(byte[] workbook)
    {
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var shared = doc.WorkbookPart!.SharedStringTablePart?.SharedStringTable.Elements<DocumentFormat.OpenXml.Spreadsheet.SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        return [.. doc.WorkbookPart.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>())
            .Select(c => c.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.SharedString ? shared[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)] : c.InnerText)];
    }

    [Theory]
    [InlineData(501)]
    [InlineData(-1)] // a right-to-left override in it
    public async Task A_Note_Too_Long_Or_With_A_Hidden_Character_Is_400_Naming_It_And_Nothing_Is_Stored(int length)
    {
        var reporter = await CreateReporterAsync();
        var note = length > 0 ? new string('说', length) : "正常\u202E文字";
        var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, note), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "note");
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("第一行\u2028第二行")] // a line separator, as a word processor pastes a line break
    [InlineData("第一段\u2029第二段")]
    [InlineData("第一行\r\n第二行\u0085第三行")]
    public async Task A_Note_May_Break_Into_Lines_By_Any_Line_Break(string note)
    {
        var reporter = await CreateReporterAsync();
        var created = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, note), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(note, (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_Note_Is_Counted_In_Characters_As_People_Count_Them()
    {
        // 500 characters outside the Basic Multilingual Plane are 1 000 UTF-16 units, and still 500 characters.
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, string.Concat(Enumerable.Repeat("😀", 500))), Ct)).StatusCode);
        var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, string.Concat(Enumerable.Repeat("𠀀", 501))), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "note"
            && e.GetProperty("reason").GetString() == "note 最多 500 个字，现有 501 个：请删减。note may hold up to 500 characters; it has 501.");
    }

    [Fact]
    public async Task A_Retry_With_The_Same_Idempotency_Key_And_Another_Note_Is_Another_Request()
    {
        var reporter = await CreateReporterAsync();
        async Task<HttpResponseMessage> Send(string note)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Table(reporter, note)) };
            request.Headers.Add("Idempotency-Key", "note-retry-1");
            return await Admin.SendAsync(request, Ct);
        }

        Assert.Equal(HttpStatusCode.Created, (await Send("第一次说明")).StatusCode);
        var same = await Send("第一次说明");
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.True(same.Headers.Contains("Idempotent-Replayed"));
        await ProblemAsync(await Send("另一个说明"), 422);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }
}
