using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The 400s of a submission, a review, a template and the reads' queries say why in Chinese first, then in English, as the
/// registry's refusals do (<see cref="ChineseFirstRefusalTests"/>); their <c>errors</c> carry only what the OpenAPI document
/// names; and their text is written as it reads, not as <c>\u002B</c> escapes.
/// </summary>
public sealed class ChineseFirstRequestRefusalTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Validate = "/v1/submissions/validate";

    public static TheoryData<string, string, string, string, string, string> Submissions => new()
    {
        // query, headers (name: value; …), body, field, Chinese, English
        { "", "", """{"reporter":"Gushao Town!","catalogue":"gov-info-disclosure-2014","period":"2014","values":[]}""", "reporter",
            "填报单位代码（reporter）须由 2 至 64 个小写英文字母", "reporter must be a reporter id" },
        { "?sentAt=2099-01-01T00:00:00%2B08:00", "", Table, "sentAt", "报送时间（sentAt）2099-01-01 00:00（北京时间）晚于现在", "which is in the future" },
        { "?sentAt=2013-12-31T00:00:00%2B08:00", "", Table, "sentAt", "报送时间（sentAt）2013-12-31 00:00（北京时间）早于 2014 统计期开始", "before period 2014 began" },
        { "", "If-Match: W/\"1\"", Table, "If-Match", "请求头 If-Match 须为版本号", "a weak tag (W/\"3\") matches no revision" },
        { "", "If-Match: \"2\"", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[],"expectedRevision":1}""", "If-Match",
            "expectedRevision 为 1，而 If-Match 指明第 2 版", "expectedRevision is 1 but If-Match names revision 2" },
        { "", "If-Match: *", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[],"expectedRevision":1}""", "If-Match",
            "expectedRevision 为 1，而 If-Match 为 *", "expectedRevision is 1 but If-Match is *" },
        { "", "Idempotency-Key: a,b", Table, "Idempotency-Key", "请求头 Idempotency-Key 只能发送一次", "The Idempotency-Key header must be sent once" },
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014"}""", "values", "请填写数值（values）", "values is required" },
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[null]}""", "values[0]",
            "values[0] 须为带指标代码（code）的对象", "values[0] must be an object with a code" },
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[{"code":""}]}""", "values[0].code",
            "values[0].code 不能为空", "values[0].code must not be empty." },
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[],"note":"正常\u202E文字"}""", "note",
            "备注（note）最多 500 个字，可以分行，但不能含其他控制字符", "note may hold up to 500 characters" },
        // A rule given no message of its own speaks FluentValidation's Chinese, then its English.
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"","values":[]}""", "period", "'period' 不能为空。", "'period' must not be empty." },
        { "", "", """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[],"expectedRevision":-1}""", "expectedRevision",
            "'expectedRevision' 必须大于或等于", "'expectedRevision' must be greater than or equal to '0'." },
    };

    private const string Table = """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[]}""";

    [Theory]
    [MemberData(nameof(Submissions))]
    public async Task A_Malformed_Submission_Is_Refused_In_Chinese_Then_English(string query, string headers, string json, string field, string chinese, string english)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Validate + query) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var header in headers.Split(';', StringSplitOptions.RemoveEmptyEntries))
            request.Headers.TryAddWithoutValidation(header[..header.IndexOf(':')].Trim(), header[(header.IndexOf(':') + 1)..].Trim());

        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 400);

        AssertChineseFirst(Error(problem, field), chinese, english);
    }

    [Fact]
    public async Task A_Note_Too_Long_Is_Refused_In_Chinese_Counting_Its_Characters_Then_English()
    {
        var json = JsonSerializer.Serialize(new { reporter = "gushao-town", catalogue = ApiTest.Catalogue2014, period = "2014", values = Array.Empty<object>(), note = new string('说', 501) });
        var problem = await ProblemAsync(await Admin.PostAsync(Validate, new StringContent(json, Encoding.UTF8, "application/json"), Ct), 400);

        AssertChineseFirst(Error(problem, "note"), "note 最多 500 个字，现有 501 个：请删减。", "note may hold up to 500 characters; it has 501.");
    }

    [Theory]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?format=pdf", "format", "格式（format）须为 json、csv、xlsx 或 html。", "format must be json, csv, xlsx or html.")]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?reporters=a,,b", "reporters", "所选范围（reporters）的第 1 项不是填报单位代码", "reporters item 1 is not a reporter id")]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?reporters=ab,,cd", "reporters", "所选范围（reporters）的第 2 项是空的", "reporters item 2 is empty")]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?reporters=ab,ab", "reporters", "所选范围（reporters）中“ab”列出不止一次", "reporters names 'ab' more than once")]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?reporters=,", "reporters", "所选范围（reporters）须至少列出一个填报单位代码", "reporters must name at least one reporter id.")]
    [InlineData("/v1/audit?limit=0", "limit", "条数（limit）须为 1 至 500 的整数。", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/audit?format=pdf", "format", "格式（format）须为 json 或 csv。", "format must be json or csv.")]
    [InlineData("/v1/audit?from=2015-02-01T00:00:00Z&to=2015-01-01T00:00:00Z", "to", "截止时间（to）须晚于起始时间（from）。", "to must be later than from.")]
    [InlineData("/v1/templates/gov-info-disclosure-2014/2014", "reporter", "请填写填报单位代码（reporter）", "reporter is required: the template is filled in for one reporter.")]
    [InlineData("/v1/templates/gov-info-disclosure-2014/2014?reporter=a&reporter=b", "reporter", "查询参数 reporter 只能给出一次", "reporter must be given once")]
    public async Task A_Malformed_Query_Is_Refused_In_Chinese_Then_English(string url, string field, string chinese, string english)
    {
        var problem = await ProblemAsync(await Admin.GetAsync(url, Ct), 400);

        AssertChineseFirst(Error(problem, field), chinese, english);
    }

    [Theory]
    [InlineData("""{"decision":"returned"}""", "退回须填写原因（comment）", "comment is required to return a table")]
    [InlineData("""{"decision":"returned","comment":"数字\u202E有误"}""", "审核意见（comment）可以分行，但不能含其他控制字符或不可见的格式字符", "comment may hold line breaks but no other control characters")]
    public async Task A_Malformed_Review_Is_Refused_In_Chinese_Then_English(string json, string chinese, string english)
    {
        var reporter = await CreateReporterAsync("town");
        var stored = await SubmitAsync(Admin, reporter, "2014", [new("12.1", 1)]);
        var id = (await stored.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

        var problem = await ProblemAsync(await Admin.PostAsync($"/v1/submissions/{id}/review", new StringContent(json, Encoding.UTF8, "application/json"), Ct), 400);

        AssertChineseFirst(Error(problem, "comment"), chinese, english);
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{id}", Ct)).TryGetProperty("review", out var review) && review.ValueKind != JsonValueKind.Null);
    }

    [Theory]
    [InlineData("/v1/reporters/no-such-town", "没有代码为“no-such-town”的填报单位。", "There is no reporter 'no-such-town'.")]
    [InlineData("/v1/submissions/01a21edc-5315-7057-9d18-6e7135973dc2", "没有编号为“01a21edc-5315-7057-9d18-6e7135973dc2”的报送。", "There is no submission")]
    [InlineData("/v1/catalogues/no-such-table", "没有代码为“no-such-table”的报表。", "There is no catalogue 'no-such-table'.")]
    [InlineData("/v1/templates/gov-info-disclosure-2014/2014?reporter=no-such-town", "没有代码为“no-such-town”的填报单位。", "There is no reporter")]
    [InlineData("/v1/no-such-thing", "/v1/no-such-thing 处没有内容", "Nothing exists at /v1/no-such-thing.")]
    public async Task A_Thing_That_Is_Not_There_Is_Said_In_Chinese_Then_English(string url, string chinese, string english)
    {
        var problem = await ProblemAsync(await Admin.GetAsync(url, Ct), 404);

        AssertChineseFirst(problem.GetProperty("detail").GetString(), chinese, english);
    }

    [Fact]
    public async Task A_Key_Refused_Or_Of_Another_Reporter_Is_Said_In_Chinese_Then_English()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        var townClient = Factory.Client(key);

        AssertChineseFirst((await ProblemAsync(await townClient.GetAsync($"/v1/reporters/{other}", Ct), 403)).GetProperty("detail").GetString(),
            $"此密钥不能查看填报单位“{other}”的数据。", $"This key may not read reporter '{other}'.");
        AssertChineseFirst((await ProblemAsync(await SubmitAsync(townClient, other, "2014", [new("12.1", 1)]), 403)).GetProperty("detail").GetString(),
            $"此密钥不能为填报单位“{other}”报送报表。", $"This key may not submit for reporter '{other}'.");
        AssertChineseFirst((await ProblemAsync(await townClient.GetAsync("/v1/keys", Ct), 403)).GetProperty("detail").GetString(),
            "此密钥的角色不能使用本接口。", "This API key's role may not use this endpoint.");
        AssertChineseFirst((await ProblemAsync(await Factory.Client("dk_not-a-key").GetAsync("/v1/reporters", Ct), 401)).GetProperty("detail").GetString(),
            "X-Api-Key 请求头中的密钥无效", "The X-Api-Key header does not hold a valid, unrevoked key.");
        AssertChineseFirst((await ProblemAsync(await Factory.Client().GetAsync("/v1/reporters", Ct), 401)).GetProperty("detail").GetString(),
            "本接口须在 X-Api-Key 请求头中提供密钥。", "This endpoint needs an API key in the X-Api-Key header.");
    }

    [Fact]
    public async Task A_Malformed_Field_Is_Named_With_Its_Reason_Only_Not_The_Validators_Internal_Code()
    {
        var problem = await ProblemAsync(await Admin.PostAsync(Validate, new StringContent(
            """{"reporter":"Gushao Town!","catalogue":"gov-info-disclosure-2014","period":"","values":[{"code":""}]}""", Encoding.UTF8, "application/json"), Ct), 400);

        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["reporter", "period", "values[0].code"], errors.Select(e => e.GetProperty("name").GetString()));
        Assert.All(errors, e => Assert.Equal(["name", "reason"], e.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task A_Problems_Text_Is_Written_As_It_Reads_Without_Escapes_For_Plus_Or_Quotes()
    {
        var response = await Admin.GetAsync("/v1/audit?from=x", Ct);
        Assert.Equal(400, (int)response.StatusCode);

        var raw = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("2015-02-01T00:00:00+08:00（在网址中，+ 须写作 %2B）", raw, StringComparison.Ordinal);
        Assert.Contains("from is 'x'", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", raw, StringComparison.Ordinal);
    }

    private static string? Error(JsonElement problem, string field) =>
        problem.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("name").GetString() == field).Select(e => e.GetProperty("reason").GetString()).FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"No error names {field}: {problem}");

    private static void AssertChineseFirst(string? text, string chinese, string english)
    {
        Assert.NotNull(text);
        Assert.StartsWith(chinese, text, StringComparison.Ordinal);
        var at = text.IndexOf(english, StringComparison.Ordinal);
        Assert.True(at > 0 && at > text.IndexOf('。', StringComparison.Ordinal), $"'{english}' does not follow the Chinese sentence in: {text}");
    }
}
