using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The refusals of the office's registry requests (reporters, keys, a period's expected list) say it in Chinese first, then in
/// English, as the 409s and the workbook's refusals do: a departmental system shows them to its users.
/// </summary>
public sealed class ChineseFirstRefusalTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("""{"id":"Upper-Case","name":"古邵镇","kind":"town"}""", "id",
        "填报单位代码（id）须由 2 至 64 个小写英文字母、数字或“-”组成", "id must be 2 to 64 characters of lower-case letters, digits and '-'.")]
    [InlineData("""{"id":"ok-id","name":"古邵镇"}""", "kind", "请填写类别（kind）：government（区政府本级）", "kind is required: one of government, department, town.")]
    [InlineData("""{"id":"ok-id","name":"","kind":"town"}""", "name", "请填写名称（name）", "name is required")]
    [InlineData("""{"id":"ok-id","name":"坛山\n街道","kind":"town"}""", "name", "名称将印在全区报表上：只能是一行文字", "name is printed in the district's tables: one line")]
    [InlineData("""{"id":"ok-id","name":"古邵镇","kind":"town","contact":"王芳\n0632"}""", "contact", "联系人及电话（contact）须为一行", "contact is a name and telephone number on one line")]
    public async Task A_Malformed_Registration_Is_Refused_In_Chinese_Then_English(string json, string field, string chinese, string english)
    {
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", new StringContent(json, Encoding.UTF8, "application/json"), Ct), 400);

        AssertChineseFirst(Error(problem, field), chinese, english);
    }

    [Theory]
    [InlineData("""{"retiredFrom":"2020q3"}""", "retiredFrom",
        "撤并自（retiredFrom）须为该单位不再报送的第一个统计期：年度如 2020，季度如 2020Q3", "retiredFrom must be the first period the reporter no longer reports")]
    [InlineData("""{"retiredFrom":"1899"}""", "retiredFrom", "撤并自（retiredFrom）须为", "retiredFrom must be")]
    [InlineData("""{}""", "body", "本次修改没有改动任何内容", "The patch changes nothing: give name, contact or retiredFrom.")]
    public async Task A_Bad_Patch_Of_A_Reporter_Is_Refused_In_Chinese_Then_English(string json, string field, string chinese, string english)
    {
        var id = await CreateReporterAsync("town");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        var problem = await ProblemAsync(await Admin.SendAsync(patch, Ct), 400);

        AssertChineseFirst(Error(problem, field), chinese, english);
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).TryGetProperty("retiredFrom", out var retired) && retired.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task A_Bad_Key_Request_Is_Refused_In_Chinese_Then_English()
    {
        var noReporter = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter" }, Ct), 400);
        AssertChineseFirst(Error(noReporter, "reporter"), "填报单位密钥须填写所属填报单位的代码（reporter）", "reporter is required for a reporter key and must be a reporter id.");

        var noRole = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { label = "大屏" }, Ct), 400);
        AssertChineseFirst(Error(noRole, "role"), "请填写密钥的角色（role）", "role must be one of reporter, viewer, admin.");

        var bound = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "viewer", reporter = "gushao-town" }, Ct), 400);
        AssertChineseFirst(Error(bound, "reporter"), "只有填报单位密钥属于某个填报单位", "only a reporter key is bound to a reporter: leave reporter out.");

        var noLabel = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin" }, Ct), 400);
        AssertChineseFirst(Error(noLabel, "label"), "管理员密钥须填写持有人（label）", "label is required for an admin key");

        // When it passed, in Beijing time as the office reads times.
        var past = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "viewer", expiresAt = "2020-01-31T17:00:00+08:00" }, Ct), 400);
        AssertChineseFirst(Error(past, "expiresAt"), "有效期至（expiresAt）2020-01-31 17:00（北京时间）已过：请填写将来的时间", "which has passed: give a time to come");
        // Both halves print the same time, as the office reads it: not the serializer's round-trip format.
        var utc = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "viewer", expiresAt = "2020-01-31T09:00:00Z" }, Ct), 400);
        AssertChineseFirst(Error(utc, "expiresAt"), "有效期至（expiresAt）2020-01-31 17:00（北京时间）已过", "expiresAt is 2020-01-31 17:00 (Beijing time), which has passed");
    }

    [Theory]
    [InlineData("/v1/reporters", """{"id":"ok-id","name":"古邵镇","kind":"village"}""", "kind",
        "kind 须为 government、department、town 之一。", "kind must be one of government, department, town.")]
    [InlineData("/v1/reporters", """{"id":"ok-id","id":"ok-id-2","name":"古邵镇","kind":"town"}""", "id",
        "id 填了不止一次：每项只能出现一次。", "id is given more than once: each property may appear once.")]
    [InlineData("/v1/reporters", """{"id":"ok-id","name":"古邵镇","kind":"town","village":true}""", "village",
        "village 不是本接口请求中的项：请求体只能含接口文档列出的项。", "village is not a property of this request")]
    [InlineData("/v1/submissions", """{"reporter":"ok-id","period":"2014","catalogue":"gov-info-disclosure-2014","values":[{"code":"1.1","value":"12"}]}""", "values[0].value",
        "values[0].value 须为 JSON 数字或 null。", "values[0].value must be a JSON number or null.")]
    [InlineData("/v1/submissions", """{"reporter":"ok-id","period":"2014","catalogue":"gov-info-disclosure-2014","values":[],"expectedRevision":"3"}""", "expectedRevision",
        "expectedRevision 须为不带小数点或指数的整数，如 3，或为 null。", "expectedRevision must be a whole number written without a fraction or exponent, such as 3, or null.")]
    [InlineData("/v1/reporters", """{"id":"ok-id","name":"古邵镇","kind":""", "kind",
        "kind：请求体不是有效的 JSON，或与接口文档所述的结构不符。", "kind: the body is not valid JSON or does not have the documented shape.")]
    [InlineData("/v1/reporters", "", "body", "请求体是空的：须为接口文档所述的 JSON 对象。", "The body is empty: send the JSON object the API documents.")]
    [InlineData("/v1/reporters", "null", "body", "请求体（body）须为 JSON 对象，不能是 null。", "body must be a JSON object, not null.")]
    public async Task A_Json_Body_That_Cannot_Be_Read_Is_Refused_In_Chinese_Naming_The_Member_Then_English(string path, string json, string field, string chinese, string english)
    {
        var problem = await ProblemAsync(await Admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct), 400);

        // The shape clients read is the one they read before: the type, the title, and the error's name.
        Assert.Equal("https://disclosure.example.gov.cn/problems/validation", problem.GetProperty("type").GetString());
        Assert.Equal("The request is malformed", problem.GetProperty("title").GetString());
        AssertChineseFirst(Error(problem, field), chinese, english);
        Assert.Equal(Error(problem, field), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Key_For_An_Unregistered_Reporter_Is_A_422_In_Chinese_Then_English()
    {
        var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "ghost-town" }, Ct), 422);

        AssertChineseFirst(problem.GetProperty("detail").GetString(), "填报单位“ghost-town”未登记，没有发放密钥：请先登记该单位", "Reporter 'ghost-town' is not registered.");
        Assert.Equal("unknown-reporter", Assert.Single(problem.GetProperty("violations").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task An_Expected_List_Naming_Unregistered_Reporters_Is_A_422_In_Chinese_Naming_Them_Then_English()
    {
        var known = await CreateReporterAsync("town");
        var period = $"/v1/periods/{Catalogue2014}/2012Q2";

        var problem = await ProblemAsync(await Admin.PutAsJsonAsync(period, new { expectedReporters = new[] { known, "ghost-town", "ghost-street" } }, Ct), 422);

        AssertChineseFirst(problem.GetProperty("detail").GetString(), "应报单位名单中有 2 个单位未登记（ghost-town、ghost-street），没有保存：请先登记，或从名单中删去。",
            "Some expected reporters are not registered; nothing was changed.");
        Assert.Equal(["ghost-town", "ghost-street"], problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("codes")[0].GetString()));
        Assert.DoesNotContain(known, await (await Admin.GetAsync(period, Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static string? Error(JsonElement problem, string field) =>
        Assert.Single(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field).GetProperty("reason").GetString();

    /// <summary>The Chinese sentence opens the text, and the English follows it, unchanged.</summary>
    private static void AssertChineseFirst(string? text, string chinese, string english)
    {
        Assert.NotNull(text);
        Assert.StartsWith(chinese, text, StringComparison.Ordinal);
        var at = text.IndexOf(english, StringComparison.Ordinal);
        Assert.True(at > text.IndexOf('。', StringComparison.Ordinal) && at > 0, $"'{english}' does not follow the Chinese sentence in: {text}");
    }
}
