using System.Net.Http.Json;
using System.Text;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>Whatever a client sends, the answer is a 4xx problem, never a 5xx.</summary>
public sealed class EdgeCaseTests(ApiFactory factory) : ApiTest(factory)
{
    public static TheoryData<string, string, string?, string?> Requests => new()
    {
        { "GET", "/v1/submissions/not-a-guid", null, null },
        { "DELETE", "/v1/keys/not-a-guid", null, null },
        { "POST", "/v1/submissions", "text/plain", "hello" },
        { "POST", "/v1/submissions", "application/json", "" },
        { "POST", "/v1/submissions", "application/json", "[]" },
        { "POST", "/v1/submissions", "application/json", "null" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[null]}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":null,\"value\":1}]}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"" + new string('x', 500) + "\",\"value\":1}]}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014Q5\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[],\"expectedRevision\":-1}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[],\"expectedRevision\":1.5}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"1.1\",\"value\":-0.000000000000000000000000001}]}" },
        { "POST", "/v1/submissions/validate", "application/json", "{\"reporter\":\"abc\",\"period\":\"\",\"catalogue\":\"\",\"values\":[]}" },
        { "POST", "/v1/submissions", "application/json", "{\"reporter\":\"\\ud800\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]}" },
        { "POST", "/v1/submissions/validate", "application/json", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"\\udc00x\",\"value\":1}]}" },
        { "PUT", "/v1/periods/gov-info-disclosure-2014/2014", "application/json", "{\"deadline\":\"tomorrow\"}" },
        { "PUT", "/v1/periods/gov-info-disclosure-2014/2014", "application/json", "{\"expectedReporters\":[\"NOT VALID\"]}" },
        { "POST", "/v1/periods/gov-info-disclosure-2014/1999/close", null, null },
        { "POST", "/v1/periods/nope/2014/close", null, null },
        { "GET", "/v1/aggregates/gov-info-disclosure-2014/2014?reporters=,,,", null, null },
        { "GET", "/v1/aggregates/gov-info-disclosure-2014/2014?format=pdf", null, null },
        { "GET", "/v1/aggregates/gov-info-disclosure-2014/20x4", null, null },
        { "GET", "/v1/submissions?reporter=abc", null, null },
        { "POST", "/v1/keys", "application/json", "{\"role\":1}" },
        { "POST", "/v1/reporters", "application/json", "{\"id\":\"ok-id\",\"name\":\"" + new string('名', 300) + "\",\"kind\":\"town\"}" },
    };

    [Theory]
    [InlineData("\"period\":\"2014\",\"expectedRevision\":-5", "expectedRevision", "'expectedRevision' must be greater than or equal to '0'")]
    [InlineData("\"period\":\"\"", "period", "'period' must not be empty")]
    public async Task The_Frameworks_Own_Messages_Name_A_Member_As_It_Is_Written_In_Json(string members, string name, string reason)
    {
        var body = "{\"reporter\":\"abc\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]," + members + "}";
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", new StringContent(body, Encoding.UTF8, "application/json"), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == name
            && e.GetProperty("reason").GetString()!.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Text_That_Is_Not_Valid_Unicode_Is_Said_To_Be_So_Not_To_Be_No_String(bool rawBytes)
    {
        // An escaped lone surrogate, or the bytes FF FE, which are no UTF-8.
        byte[] body = [.. "{\"id\":\"ok-id\",\"name\":\""u8, .. rawBytes ? [0xFF, 0xFE] : "\\ud800"u8.ToArray(), .. "\",\"kind\":\"town\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", content, Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("name", error.GetProperty("name").GetString());
        Assert.Contains("not valid Unicode", error.GetProperty("reason").GetString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync("/v1/reporters/ok-id", Ct)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Bad_Input_Gets_A_4xx_Problem(string method, string path, string? contentType, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        var response = await Admin.SendAsync(request, Ct);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path} answered {status}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/submissions", "no-such-charset")]
    [InlineData("/v1/submissions/validate", "no-such-charset")]
    [InlineData("/v1/reporters", "no-such-charset")]
    // A charset .NET knows but will not read (UTF-7 is disabled as unsafe) is refused the same way.
    [InlineData("/v1/submissions", "utf-7")]
    [InlineData("/v1/submissions/validate", "UTF-7")]
    [InlineData("/v1/reporters", "utf-7")]
    public async Task A_Charset_The_Service_Cannot_Read_Is_A_415_Naming_It(string path, string charset)
    {
        var content = new ByteArrayContent("{}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var response = await Admin.PostAsync(path, content, Ct);

        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await ProblemAsync(response, 415)).GetProperty("detail").GetString();
        Assert.StartsWith($"本服务不能读取 Content-Type 中的字符集“{charset}”：请以 UTF-8 发送请求体。", detail, StringComparison.Ordinal);
        Assert.Contains($"'{charset}'", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "gzip")]
    [InlineData("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "gzip")]
    [InlineData("application/json", "br")]
    public async Task A_Compressed_Body_Is_A_415_Naming_Its_Content_Encoding_And_Nothing_Is_Stored(string mediaType, string coding)
    {
        var reporter = await CreateReporterAsync();
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes($$"""{"reporter":"{{reporter}}","period":"2014","catalogue":"{{Catalogue2014}}","values":[{"code":"1.1","value":1}]}"""));
        var content = new ByteArrayContent(gzipped.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        content.Headers.ContentEncoding.Add(coding);

        var response = await Admin.PostAsync("/v1/submissions", content, Ct);

        var detail = (await ProblemAsync(response, 415)).GetProperty("detail").GetString();
        Assert.StartsWith($"本服务不接受压缩的请求体（Content-Encoding“{coding}”）", detail, StringComparison.Ordinal);
        Assert.Contains($"Content-Encoding '{coding}'", detail, StringComparison.Ordinal);
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Compressed_Body_On_A_Write_That_Takes_None_Is_A_415_And_The_Period_Stays_Open()
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gzip.Write("{}"u8);
        var content = new ByteArrayContent(gzipped.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        var response = await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2011/close", content, Ct);

        Assert.StartsWith("本服务不接受压缩的请求体（Content-Encoding“gzip”）", (await ProblemAsync(response, 415)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());
        Assert.False((await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/periods/{Catalogue2014}/2011", Ct)).GetProperty("closed").GetBoolean());
    }

    [Theory]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014?kind=nope", "kind", "one of government, department, town")]
    // One kind's name, as in a body: not two.
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014/breakdown?kind=town,department", "kind", "one of government, department, town")]
    [InlineData("/v1/submissions/not-a-guid", "id", "an id such as")]
    public async Task A_Path_Or_Query_Value_That_Cannot_Be_Read_Is_A_400_Saying_What_It_Takes(string path, string field, string expected)
    {
        var problem = await ProblemAsync(await Admin.GetAsync(path, Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("name").GetString());
        // Chinese first, then the English.
        Assert.StartsWith($"{field} 填的是“", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains($"。{field} is '", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[null]", "expectedReporters[0]", "应报单位名单中的 expectedReporters[0] 是 null：请填写填报单位代码。", "expectedReporters[0] is null: give a reporter id.")]
    [InlineData("[\"town-a\",\"\"]", "expectedReporters[1]", "应报单位名单中的 expectedReporters[1] 是空的：请填写填报单位代码。", "expectedReporters[1] is empty: give a reporter id.")]
    [InlineData("[\"town-a\",\"Town A\"]", "expectedReporters[1]", "应报单位名单中的 expectedReporters[1] 不是填报单位代码：代码由 2 至 64 个小写英文字母、数字或“-”组成（如 gushao-town）。",
        "expectedReporters[1] is not a reporter id: 2 to 64 characters of lower-case letters, digits and '-'.")]
    [InlineData("[\"town-a\",\"town-b\",\"town-a\"]", "expectedReporters[2]", "应报单位名单中“town-a”出现了两次（expectedReporters[0] 和 expectedReporters[2]）：每个单位只写一次。",
        "expectedReporters[2] is 'town-a' again, as expectedReporters[0]: name each reporter once.")]
    public async Task An_Expected_Reporters_Item_That_Is_Wrong_Is_One_Error_Naming_It_In_Chinese_Then_English_And_Changes_Nothing(string list, string name, string chinese, string english)
    {
        var reason = chinese + english;
        const string period = "/v1/periods/gov-info-disclosure-2014/2009";
        var town = await CreateReporterAsync("town");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { expectedReporters = new[] { town } }, Ct)).StatusCode);

        var problem = await ProblemAsync(await Admin.PutAsync(period, new StringContent($"{{\"expectedReporters\":{list}}}", Encoding.UTF8, "application/json"), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((name, reason), (error.GetProperty("name").GetString(), error.GetProperty("reason").GetString()));
        Assert.Equal(reason, problem.GetProperty("detail").GetString());
        var settings = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>(period, Ct);
        Assert.Equal([town], settings.GetProperty("expectedReporters").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task An_Expected_Reporters_List_Over_The_Limit_Says_How_Long_It_Is()
    {
        var list = Enumerable.Range(0, 10_001).Select(i => $"town-{i}").ToArray();

        var problem = await ProblemAsync(await Admin.PutAsJsonAsync("/v1/periods/gov-info-disclosure-2014/2009", new { expectedReporters = list }, Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(("expectedReporters", "应报单位名单（expectedReporters）有 10001 项，最多 10000 项：请删去多余的。expectedReporters has 10001 items; at most 10000."),
            (error.GetProperty("name").GetString(), error.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_Body_Of_Json_Null_Is_A_400_And_Changes_Nothing()
    {
        const string period = "/v1/periods/gov-info-disclosure-2014/2016";
        var deadline = new DateTimeOffset(2017, 1, 31, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline }, Ct)).StatusCode);

        var problem = await ProblemAsync(await Admin.PutAsync(period, new StringContent("null", Encoding.UTF8, "application/json"), Ct), 400);

        // Valid JSON, not the object: said as such, not as JSON that does not parse.
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(("body", "请求体（body）须为 JSON 对象，不能是 null。body must be a JSON object, not null."), (error.GetProperty("name").GetString(), error.GetProperty("reason").GetString()));
        var settings = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>(period, Ct);
        Assert.Equal(deadline, settings.GetProperty("deadline").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("gbk")]
    [InlineData("GB18030")]
    public async Task A_Body_In_A_Chinese_Code_Page_Is_Read_As_Its_Charset_Says(string charset)
    {
        var id = NewId();
        // Encoded through the provider itself: registering it here would register it for the service in this process too.
        var content = new ByteArrayContent(System.Text.CodePagesEncodingProvider.Instance.GetEncoding(charset)!.GetBytes($"{{\"id\":\"{id}\",\"name\":\"峄城区坛山街道办事处（{charset}）\",\"kind\":\"town\"}}"));
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var response = await Admin.PostAsync("/v1/reporters", content, Ct);

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var stored = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/reporters/{id}", Ct);
        Assert.Equal($"峄城区坛山街道办事处（{charset}）", stored.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("gb18030", false)]
    [InlineData("gbk", false)]
    [InlineData("gb18030", true)]
    public async Task A_Body_With_Bytes_Its_Charset_Does_Not_Define_Is_A_400_Saying_So_And_Nothing_Is_Stored(string charset, bool utf8Mislabelled)
    {
        // 城关镇 in the code page with one stray byte after it, or in UTF-8 from a system whose charset setting is wrong: replaced,
        // either would be stored with a ? in the name every printed table shows.
        var id = NewId();
        var name = utf8Mislabelled ? Encoding.UTF8.GetBytes("城关镇") : [.. System.Text.CodePagesEncodingProvider.Instance.GetEncoding(charset)!.GetBytes("城关镇"), 0x81];
        byte[] body = [.. Encoding.ASCII.GetBytes($"{{\"id\":\"{id}\",\"name\":\""), .. name, .. "\",\"kind\":\"town\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", content, Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("body", error.GetProperty("name").GetString());
        var reason = error.GetProperty("reason").GetString()!;
        Assert.Contains($"body is not valid {charset} text", reason, StringComparison.Ordinal);
        Assert.Contains("0x", reason, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/reporters/%E5%B1%80", 404)]
    [InlineData("GET", "/v1/aggregates/x%20y/2014", 404)]
    [InlineData("GET", "/v1/no%20such/%E5%B1%80", 404)]
    [InlineData("GET", "/v1/aggregates/gov-info-disclosure-2014/2014%E5%B9%B4", 400)] // 2014年 is not a period
    [InlineData("GET", "/v1/aggregates/x%20y/2014?format=pdf", 400)]
    [InlineData("DELETE", "/v1/reporters/%E5%B1%80", 405)]
    public async Task A_Problems_Instance_Is_The_Path_Percent_Encoded_As_A_Uri_Reference_Holds_It(string method, string path, int status)
    {
        var response = await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        var problem = await ProblemAsync(response, status);
        Assert.Equal(path.Split('?')[0], problem.GetProperty("instance").GetString());
        Assert.True(Uri.IsWellFormedUriString(problem.GetProperty("instance").GetString(), UriKind.Relative));
    }

    [Fact]
    public async Task A_Json_Content_Type_Without_A_Body_Is_Ignored_Where_The_Operation_Takes_None()
    {
        var (keyId, _) = await CreateKeyAsync("viewer");
        HttpRequestMessage WithJsonType(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            return request;
        }

        var aggregate = await Admin.SendAsync(WithJsonType(HttpMethod.Get, "/v1/aggregates/gov-info-disclosure-2014/2014?kind=town"), Ct);
        var revoked = await Admin.SendAsync(WithJsonType(HttpMethod.Delete, $"/v1/keys/{keyId}"), Ct);

        var closed = await Admin.SendAsync(WithJsonType(HttpMethod.Post, "/v1/periods/gov-info-disclosure-2014/2017/close"), Ct);
        var closedState = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/periods/gov-info-disclosure-2014/2017", Ct);
        var reopened = await Admin.SendAsync(WithJsonType(HttpMethod.Post, "/v1/periods/gov-info-disclosure-2014/2017/reopen"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, aggregate.StatusCode);
        Assert.True(revoked.IsSuccessStatusCode, $"DELETE answered {(int)revoked.StatusCode}");
        Assert.Equal(System.Net.HttpStatusCode.OK, closed.StatusCode);
        Assert.True(closedState.GetProperty("closed").GetBoolean());
        Assert.Equal(System.Net.HttpStatusCode.OK, reopened.StatusCode);
        Assert.False((await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/periods/gov-info-disclosure-2014/2017", Ct)).GetProperty("closed").GetBoolean());
        var keys = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/keys", Ct);
        Assert.Contains(keys.GetProperty("items").EnumerateArray(), k => k.GetProperty("id").GetGuid() == keyId && k.TryGetProperty("revokedAt", out var at) && at.ValueKind == System.Text.Json.JsonValueKind.String);
    }

    [Theory]
    [InlineData("POST", "/v1/reporters")]
    [InlineData("POST", "/v1/submissions")]
    [InlineData("PUT", "/v1/periods/gov-info-disclosure-2014/2019")]
    [InlineData("PATCH", "/v1/reporters/no-body-town")]
    public async Task A_Request_With_No_Body_At_All_Where_One_Is_Taken_Is_A_415_Problem_Saying_What_To_Send(string method, string path)
    {
        // `curl -X POST` with the -d forgotten: no body and no Content-Type.
        var response = await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        var problem = await ProblemAsync(response, 415);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(path, problem.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("POST", "/v1/submissions/validate")]
    [InlineData("POST", "/v1/submissions")]
    [InlineData("POST", "/v1/reporters")]
    [InlineData("POST", "/v1/keys")]
    [InlineData("PUT", "/v1/periods/gov-info-disclosure-2014/2019")]
    [InlineData("PATCH", "/v1/reporters/no-type-town")]
    public async Task A_Body_Without_A_Content_Type_Is_A_415_Problem_Saying_What_To_Send_And_Nothing_Is_Stored(string method, string path)
    {
        var id = NewId();
        async Task<HashSet<string>> KeyIdsAsync() => (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/keys", Ct))
            .GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToHashSet();
        var keysBefore = await KeyIdsAsync();
        // A script's body with the header forgotten: HttpClient sends no Content-Type for bare bytes.
        var body = path switch
        {
            "/v1/reporters" => $"{{\"id\":\"{id}\",\"name\":\"无类型\",\"kind\":\"town\"}}",
            "/v1/keys" => "{\"role\":\"viewer\"}",
            "/v1/submissions" or "/v1/submissions/validate" => $"{{\"reporter\":\"{id}\",\"period\":\"2014\",\"catalogue\":\"{Catalogue2014}\",\"values\":[]}}",
            "/v1/reporters/no-type-town" => "{\"name\":\"无类型\"}",
            _ => "{\"deadline\":\"2020-01-31T16:00:00Z\"}",
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        Assert.Null(request.Content.Headers.ContentType);

        var response = await Admin.SendAsync(request, Ct);

        var problem = await ProblemAsync(response, 415);
        Assert.Equal("https://disclosure.example.gov.cn/problems/unsupported-media-type", problem.GetProperty("type").GetString());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(path, problem.GetProperty("instance").GetString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
        Assert.Equal(keysBefore, await KeyIdsAsync());
        var period = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/periods/gov-info-disclosure-2014/2019", Ct);
        Assert.False(period.TryGetProperty("deadline", out var deadline) && deadline.ValueKind == System.Text.Json.JsonValueKind.String);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/v1/catalogues")]
    [InlineData("/v1/me")]
    [InlineData("/v1/aggregates/gov-info-disclosure-2014/2014")]
    public async Task Head_Answers_As_Get_Does_Where_Get_Is_Allowed(string path)
    {
        var get = await Admin.GetAsync(path, Ct);

        var head = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Fact]
    public async Task A_Request_Line_Over_8_KiB_Is_A_414_Problem_Naming_The_Limit_And_One_Under_It_Is_Served()
    {
        // "GET " + path + " HTTP/1.1" + CRLF: 15 bytes besides the path.
        var under = "/v1/reporters/" + new string('a', RequestLimits.MaxRequestLineBytes - 15 - 14);
        var over = under + "a";

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync(under, Ct)).StatusCode);
        var problem = await ProblemAsync(await Admin.GetAsync(over, Ct), 414);

        Assert.Equal("https://disclosure.example.gov.cn/problems/uri-too-long", problem.GetProperty("type").GetString());
        Assert.Contains($"有 {RequestLimits.MaxRequestLineBytes + 1} 字节，超过上限 {RequestLimits.MaxRequestLineBytes} 字节", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_Over_32_KiB_Are_A_431_Problem_Naming_The_Limit_And_The_Largest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Filler", new string('x', RequestLimits.MaxHeaderBytes));

        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 431);

        Assert.Equal("https://disclosure.example.gov.cn/problems/request-header-fields-too-large", problem.GetProperty("type").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"超过上限 {RequestLimits.MaxHeaderBytes} 字节", detail, StringComparison.Ordinal);
        Assert.Contains("The largest is X-Filler", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TRACE", "/v1/reporters", new[] { "GET", "HEAD", "POST" })]
    [InlineData("DELETE", "/v1/aggregates/gov-info-disclosure-2014/2014", new[] { "GET", "HEAD" })]
    [InlineData("PUT", "/v1/reporters/some-town", new[] { "GET", "HEAD", "PATCH" })]
    [InlineData("GET", "/v1/periods/gov-info-disclosure-2014/2014/close", new[] { "POST" })]
    public async Task A_405_Allows_Head_Wherever_It_Allows_Get(string method, string path, string[] allowed)
    {
        // RFC 9110: Allow lists the methods the resource takes, and every GET answers HEAD (Head_Answers_As_Get_Does_Where_Get_Is_Allowed).
        var response = await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await ProblemAsync(response, 405);
        Assert.Equal(allowed, response.Content.Headers.Allow.OrderBy(m => m, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Head_Where_Only_Post_Is_Allowed_Is_Still_405()
    {
        var response = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/periods/gov-info-disclosure-2014/2014/close"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("2018-01-31")]
    [InlineData("2018-01-31T17:00:00")]
    [InlineData("2018-01-31 17:00")]
    [InlineData("31/01/2018")]
    public async Task A_Deadline_Without_Its_Offset_Is_A_400_Naming_It_And_Changes_Nothing(string deadline)
    {
        const string period = "/v1/periods/gov-info-disclosure-2014/2018";
        var set = new DateTimeOffset(2018, 1, 31, 17, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Admin.PutAsync(period,
            new StringContent("{\"deadline\":\"2018-01-31T17:00:00+08:00\"}", Encoding.UTF8, "application/json"), Ct)).StatusCode);

        var problem = await ProblemAsync(await Admin.PutAsync(period,
            new StringContent($"{{\"deadline\":\"{deadline}\"}}", Encoding.UTF8, "application/json"), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("deadline", error.GetProperty("name").GetString());
        Assert.Contains("offset", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var stored = await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>(period, Ct);
        Assert.Equal(set, stored.GetProperty("deadline").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("POST", "/v1/submissions", "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("POST", "/v1/submissions/validate", "text/plain", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("PATCH", "/v1/reporters/wrong-type-town", "text/plain", "application/merge-patch+json")]
    [InlineData("PATCH", "/v1/reporters/wrong-type-town", "application/json-patch+json", "application/merge-patch+json")]
    [InlineData("POST", "/v1/submissions", "application/problem+json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public async Task A_Content_Type_The_Operation_Does_Not_Take_Is_A_415_Naming_Every_Type_It_Does(string method, string path, string contentType, string alsoTaken)
    {
        // An old .xls sent to the submission: the answer named only JSON, never the workbook the operation also takes.
        var content = new ByteArrayContent("x"u8.ToArray());
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        var problem = await ProblemAsync(await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content }, Ct), 415);

        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"'{contentType}'", detail, StringComparison.Ordinal);
        Assert.Contains("application/json", detail, StringComparison.Ordinal);
        Assert.Contains(alsoTaken, detail, StringComparison.Ordinal);
    }

    [Theory]
    // Refused by routing: no operation at the path takes the type.
    [InlineData("/v1/reporters", "text/plain", "application/json", "application/json")]
    [InlineData("/v1/submissions", "text/plain", "application/json 或 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    // Refused by the service: routing takes any +json type for JSON.
    [InlineData("/v1/reporters", "application/json-patch+json", "application/json", "application/json")]
    [InlineData("/v1/submissions", "application/json-patch+json", "application/json 或 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public async Task A_Content_Type_Not_Taken_Is_One_415_Whoever_Refuses_It_Naming_The_Type_Sent_And_Those_Taken_In_Chinese_Then_English(
        string path, string contentType, string takenZh, string taken)
    {
        var content = new ByteArrayContent("{}"u8.ToArray());
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        var problem = await ProblemAsync(await Admin.PostAsync(path, content, Ct), 415);

        Assert.Equal("https://disclosure.example.gov.cn/problems/unsupported-media-type", problem.GetProperty("type").GetString());
        Assert.Equal("Unsupported Media Type", problem.GetProperty("title").GetString());
        Assert.Equal($"本接口不接受 Content-Type“{contentType}”：请以 {takenZh} 发送请求体。The Content-Type '{contentType}' is not one this operation takes; send the body as {taken}.",
            problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/x-anything+json")]
    [InlineData("application/json-patch+json")]
    [InlineData("text/json")]
    public async Task A_Json_Body_Sent_As_Another_Json_Type_Is_A_415_Naming_It_And_Nothing_Is_Stored(string contentType)
    {
        var id = NewId();
        var content = new StringContent($"{{\"id\":\"{id}\",\"name\":\"名称 {id}\",\"kind\":\"town\"}}", Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", content, Ct), 415);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"'{contentType}' is not", detail, StringComparison.OrdinalIgnoreCase);
        // Routing refuses text/json itself, in its own words; a +json type is refused as the operation's own.
        Assert.Matches(@"send (the body as )?application/json\.$", detail);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
        // The same body as application/json is taken.
        content = new StringContent(await content.ReadAsStringAsync(Ct), Encoding.UTF8, "application/json");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await Admin.PostAsync("/v1/reporters", content, Ct)).StatusCode);
    }

    [Theory]
    [InlineData(";;;")]
    [InlineData("/")]
    [InlineData("application/json; charset=\"")]
    public async Task A_Content_Type_That_Is_Not_A_Media_Type_Is_A_415_Naming_It_Not_A_List_Of_Empty_Fields(string contentType)
    {
        var id = NewId();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\",\"name\":\"名称 {id}\",\"kind\":\"town\"}}"));
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", content, Ct), 415);

        Assert.Contains($"'{contentType}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("application/json;")]
    [InlineData("Application/JSON; charset=UTF-8; profile=x")]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/json; charset=\"UTF_8\"")]
    public async Task A_Json_Content_Type_With_Odd_But_Valid_Parameters_Is_Still_Read(string contentType)
    {
        var id = NewId();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\",\"name\":\"名称 {id}\",\"kind\":\"town\"}}"));
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));

        Assert.Equal(System.Net.HttpStatusCode.Created, (await Admin.PostAsync("/v1/reporters", content, Ct)).StatusCode);
    }
}
