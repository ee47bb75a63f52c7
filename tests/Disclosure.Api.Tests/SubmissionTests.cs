using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

public sealed class SubmissionTests(ApiFactory factory) : ApiTest(factory)
{
    private static Dictionary<string, decimal?> Seed() => SeedTable.Values.ToDictionary(v => v.Key, v => v.Value);

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_Seed_Table_Is_Stored_As_Revision_1_And_Read_Back_Exactly()
    {
        var reporter = await CreateReporterAsync();
        var response = await SubmitAsync(Admin, reporter, "2014", SeedTable.Values);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, body.GetProperty("revision").GetInt32());
        Assert.Equal($"/v1/submissions/{body.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
        Assert.Empty(body.GetProperty("derived").EnumerateArray());

        var stored = await Admin.GetFromJsonAsync<JsonElement>(response.Headers.Location!.ToString(), Ct);
        var values = stored.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
        Assert.Equal(SeedTable.Values.ToDictionary(v => v.Key, v => v.Value!.Value), values);
        var unit11 = stored.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "11").GetProperty("unit").GetString();
        Assert.Equal("万元", unit11);
    }

    [Fact]
    public async Task A_Resubmission_Replaces_The_Table_As_The_Next_Revision_And_Keeps_The_Old_One()
    {
        var reporter = await CreateReporterAsync();
        var first = await (await SubmitAsync(Admin, reporter, "2014", SeedTable.Values)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var second = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 4)]);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, body.GetProperty("revision").GetInt32());
        Assert.Single(body.GetProperty("values").EnumerateArray());

        var revisions = await RevisionsAsync(reporter, "2014");
        Assert.Equal([1, 2], revisions.EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
        var old = await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{first.GetProperty("id").GetGuid()}", Ct);
        Assert.Equal(SeedTable.Values.Count(), old.GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task A_Blank_Sum_Parent_Is_Derived_And_Listed()
    {
        var reporter = await CreateReporterAsync();
        var response = await SubmitAsync(Admin, reporter, "2014", [new("7.1", 2), new("7.2", 3)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["7"], body.GetProperty("derived").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(5, body.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "7").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Yuan_Converts_To_Wan_Yuan()
    {
        var reporter = await CreateReporterAsync();
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2014", catalogue = Catalogue2014,
            values = new object[] { new { code = "11", value = 5000, unit = "元" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var value = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("values")[0];
        Assert.Equal(0.5m, value.GetProperty("value").GetDecimal());
        Assert.Equal("万元", value.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task A_Broken_Table_Is_422_With_Every_Violation_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var table = Seed();
        table["3.1"] = 61;          // sum
        table["1.1.a"] = 20000;     // part (and C-rules stay satisfied otherwise)
        table["12.2"] = 18;         // C3
        var response = await SubmitAsync(Admin, reporter, "2014", table);
        var problem = await ProblemAsync(response, 422);
        var violations = problem.GetProperty("violations").EnumerateArray().ToList();
        Assert.StartsWith($"{reporter} 2014 的报表有 {violations.Count(v => v.GetProperty("severity").GetString() == "error")} 处错误，没有保存", problem.GetProperty("detail").GetString());
        Assert.Contains(violations, v => v.GetProperty("rule").GetString() == "sum" && v.GetProperty("codes")[0].GetString() == "3.1"
            && v.GetProperty("expected").GetString() == "60" && v.GetProperty("actual").GetString() == "61");
        Assert.Contains(violations, v => v.GetProperty("rule").GetString() == "part" && v.GetProperty("codes")[0].GetString() == "1.1.a");
        Assert.Contains(violations, v => v.GetProperty("rule").GetString() == "C3" && v.GetProperty("severity").GetString() == "error");
        Assert.All(violations, v =>
        {
            Assert.False(string.IsNullOrEmpty(v.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrEmpty(v.GetProperty("messageZh").GetString()));
        });
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task Warnings_Are_Accepted_And_Stored_With_The_Submission()
    {
        var reporter = await CreateReporterAsync();
        var response = await SubmitAsync(Admin, reporter, "2014", [new("3.1", 2), new("3.1.1", 2), new("3.2", 3), new("3.2.1", 3)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var stored = await Admin.GetFromJsonAsync<JsonElement>(location, Ct);
        var warning = Assert.Single(stored.GetProperty("warnings").EnumerateArray());
        Assert.Equal("C4", warning.GetProperty("rule").GetString());
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task The_201_Body_Is_The_Stored_View_Exactly_As_The_Serializer_Writes_It()
    {
        var reporter = await CreateReporterAsync();
        // Derived parents (3.2, 3.3, 7), two warnings (C4, C5), and a value in 元 that becomes a fraction of 万元.
        var values = SeedTable.Values
            .Where(v => v.Key is not ("7" or "3.2" or "3.3" or "11"))
            .Select(v => new KeyValuePair<string, decimal?>(v.Key, v.Key switch { "3.2.1" => 61, "3.3.1" => 11, _ => v.Value }))
            .Select(v => new { code = v.Key, value = v.Value, unit = (string?)null })
            .Append(new { code = "11", value = (decimal?)12300, unit = (string?)"元" });
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new { reporter, period = "2014", catalogue = Catalogue2014, values }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        var view = JsonSerializer.Deserialize<Disclosure.Api.Features.Submissions.SubmissionView>(bytes, Disclosure.Api.Infrastructure.Json.Options)!;
        Assert.Equal(["3.2", "3.3", "7"], view.Derived.Order());
        Assert.Equal(["C4", "C5"], view.Warnings.Select(w => w.Rule).Order());
        Assert.Equal(1.23m, view.Values.Single(v => v.Code == "11").Value);
        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(view, Disclosure.Api.Infrastructure.Json.Options)), Encoding.UTF8.GetString(bytes));

        // Read back, it is the same view with who submitted it last (the configured admin key).
        var stored = await Admin.GetByteArrayAsync(response.Headers.Location, Ct);
        Assert.Equal(Encoding.UTF8.GetString(bytes)[..^1] + ",\"submittedBy\":{\"keyId\":\"00000000-0000-0000-0000-000000000000\",\"role\":\"admin\"}}",
            Encoding.UTF8.GetString(stored));
    }

    [Theory]
    [InlineData("unknown-reporter", "no-such-reporter", Catalogue2014, "1.1")]
    [InlineData("unknown-catalogue", null, "gov-info-disclosure-1999", "1.1")]
    [InlineData("unknown-code", null, Catalogue2014, "99.9")]
    [InlineData("header-value", null, Catalogue2014, "1")]
    public async Task Registry_And_Catalogue_Refusals_Are_422_Naming_The_Code(string rule, string? reporterOverride, string catalogue, string code)
    {
        var reporter = reporterOverride ?? await CreateReporterAsync();
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2014", catalogue, values = new[] { new { code, value = 1 } },
        }, Ct);
        var problem = await ProblemAsync(response, 422);
        Assert.Contains(problem.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == rule);
    }

    [Theory]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"1.1\",\"value\":\"12\"}]}", "values[0].value")]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"1.1\",\"value\":true}]}", "values[0].value")]
    [InlineData("{\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]}", "reporter")]
    [InlineData("{\"reporter\":\"abc\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]}", "period")]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\"}", "values")]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"value\":1}]}", "values[0].code")]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":{}}", "values")]
    [InlineData("{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"1.1\",\"value\":1e40}]}", "values[0].value")]
    [InlineData("{\"reporter\":\"abc\",\"period\":", "period")]
    public async Task A_Malformed_Submission_Is_400_Naming_The_Field(string json, string field)
    {
        var response = await Admin.PostAsync("/v1/submissions", JsonBody(json), Ct);
        var problem = await ProblemAsync(response, 400);
        var names = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Contains(names, n => n.Equals(field, StringComparison.OrdinalIgnoreCase) || n.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/v1/submissions", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[{\"code\":\"1.1\",\"value\":\"12\"}]}", "values[0].value must be a JSON number or null.")]
    [InlineData("/v1/submissions", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[],\"expectedRevision\":1e0}", "expectedRevision must be a whole number written without a fraction or exponent, such as 3, or null.")]
    [InlineData("/v1/submissions", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[],\"expectedRevision\":2.0}", "expectedRevision must be a whole number written without a fraction or exponent, such as 3, or null.")]
    [InlineData("/v1/submissions", "{\"reporter\":7,\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":[]}", "reporter must be a JSON string.")]
    [InlineData("/v1/submissions", "{\"reporter\":\"abc\",\"period\":\"2014\",\"catalogue\":\"gov-info-disclosure-2014\",\"values\":{}}", "values must be a JSON array.")]
    [InlineData("/v1/reporters", "{\"id\":\"ok-id\",\"name\":\"x\",\"kind\":\"village\"}", "kind must be one of government, department, town.")]
    [InlineData("/v1/submissions/00000000-0000-0000-0000-000000000000/review", "{\"decision\":\"rejected\"}", "decision must be one of accepted, returned.")]
    [InlineData("/v1/catalogues", "{\"id\":\"x-enum\",\"title\":\"t\",\"titleEn\":\"t\",\"periods\":{\"fromYear\":2014,\"granularities\":[\"year\"]},\"units\":[],\"tables\":[{\"id\":\"m\",\"title\":\"t\",\"rows\":[{\"code\":\"a\",\"role\":\"row\"}]}]}", "tables[0].rows[0].role must be one of header, value.")]
    [InlineData("/v1/catalogues", "{\"id\":\"x-enum\",\"title\":\"t\",\"titleEn\":\"t\",\"periods\":{\"fromYear\":2014,\"granularities\":[\"weekly\"]}}", "periods.granularities[0] must be one of year, quarter.")]
    public async Task A_Wrong_Json_Type_Is_Explained_In_The_Clients_Terms(string path, string json, string reason)
    {
        var problem = await ProblemAsync(await Admin.PostAsync(path, JsonBody(json), Ct), 400);
        // Chinese first, then the English this names.
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("reason").GetString()!.EndsWith("。" + reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_List_Sent_As_A_String_Is_Said_To_Be_An_Array()
    {
        var problem = await ProblemAsync(await Admin.PutAsync($"/v1/periods/{Catalogue2014}/2015Q1", JsonBody("{\"expectedReporters\":\"a-town\"}"), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("reason").GetString() == "expectedReporters 须为 JSON 数组。expectedReporters must be a JSON array.");
    }

    [Theory]
    [InlineData("utf-8 with a byte order mark")]
    [InlineData("utf-16")]
    [InlineData("utf-16, its charset quoted")]
    public async Task A_Body_Is_Read_Whatever_Its_Encoding(string encoding)
    {
        var reporter = await CreateReporterAsync();
        var json = $"{{\"reporter\":\"{reporter}\",\"period\":\"2014\",\"catalogue\":\"{Catalogue2014}\",\"values\":[{{\"code\":\"13.1\",\"value\":4}}]}}";
        HttpContent content = encoding.StartsWith("utf-16", StringComparison.Ordinal)
            ? new StringContent(json, Encoding.Unicode, "application/json")
            : new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType ??= new("application/json");
        if (encoding.EndsWith("quoted", StringComparison.Ordinal)) content.Headers.ContentType.CharSet = "\"utf-16\"";

        var response = await Admin.PostAsync("/v1/submissions/validate", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("valid").GetBoolean());
        var value = Assert.Single(body.GetProperty("values").EnumerateArray());
        Assert.Equal("13.1", value.GetProperty("code").GetString());
        Assert.Equal(4m, value.GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task A_Body_Over_1_MiB_Is_413()
    {
        var reporter = await CreateReporterAsync();
        var padding = new string(' ', 1024 * 1024 + 10);
        var response = await Admin.PostAsync("/v1/submissions",
            JsonBody($"{{\"reporter\":\"{reporter}\",\"period\":\"2014\",\"catalogue\":\"{Catalogue2014}\",\"values\":[]{padding}}}"), Ct);
        await ProblemAsync(response, 413);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Workbook_Over_1_MiB_Is_Told_To_Go_In_Parts_And_A_Json_Body_Is_Not()
    {
        var workbook = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        workbook.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var json = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        json.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var tooLarge = (await ProblemAsync(await Admin.PostAsync($"/v1/templates/{Catalogue2014}/2014/reporters", workbook, Ct), 413)).GetProperty("detail").GetString();
        var tooLong = (await ProblemAsync(await Admin.PostAsync("/v1/submissions", json, Ct), 413)).GetProperty("detail").GetString();

        Assert.StartsWith("请求体有 1048577 字节，超过上限 1048576 字节（1 MiB）。分单位填报的工作簿", tooLarge, StringComparison.Ordinal);
        Assert.Contains("删去一部分单位的列，分两次（或多次）上传，或按单位类别、所选单位或只下载未报单位的模板（?kind=、?reporters=、?status=notSubmitted）", tooLarge, StringComparison.Ordinal);
        Assert.DoesNotContain("分单位", tooLong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Chunked_Body_Is_Held_To_1_MiB_As_It_Is_Decoded()
    {
        var reporter = await CreateReporterAsync();
        var json = $"{{\"reporter\":\"{reporter}\",\"period\":\"2014\",\"catalogue\":\"{Catalogue2014}\",\"values\":[{{\"code\":\"13.1\",\"value\":1}}]}}";

        var over = await Admin.SendAsync(new ChunkedContent(ChunkedContent.Padded(json, 1024 * 1024 + 1), 4096).Post("/v1/submissions"), Ct);
        var under = await Admin.SendAsync(new ChunkedContent(ChunkedContent.Padded(json, 1024 * 1024), 4096).Post("/v1/submissions"), Ct);

        var problem = await ProblemAsync(over, 413);
        Assert.EndsWith("/payload-too-large", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, under.StatusCode);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task Fifty_Parallel_Submissions_Get_Revisions_1_To_50()
    {
        var reporter = await CreateReporterAsync();
        var tasks = Enumerable.Range(1, 50).Select(i => SubmitAsync(Factory.Admin(), reporter, "2014", [new("13.1", i)]));
        var responses = await Task.WhenAll(tasks);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var revisions = new List<int>();
        foreach (var r in responses) revisions.Add((await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
        Assert.Equal(Enumerable.Range(1, 50), revisions.Order());
        Assert.Equal(Enumerable.Range(1, 50), (await RevisionsAsync(reporter, "2014")).EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task An_Idempotent_Replay_Returns_The_First_Response_And_Creates_One_Revision()
    {
        var reporter = await CreateReporterAsync();
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send(decimal value)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", value)])) };
            request.Headers.Add("Idempotency-Key", key);
            return await Admin.SendAsync(request, Ct);
        }
        var first = await Send(5);
        var replay = await Send(5);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var b = await replay.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
        Assert.Equal(1, b.GetProperty("revision").GetInt32());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        var different = await Send(6);
        var problem = await ProblemAsync(different, 422);
        Assert.Equal("idempotency-key-reused", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Dry_Run_With_A_Used_Idempotency_Key_Says_The_Submit_Would_Replay_Even_In_A_Closed_Period()
    {
        var reporter = await CreateReporterAsync();
        const string period = "2010";
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request(string path, decimal value, string idempotencyKey)
        {
            // As the page sends it: If-Match of the revision the form opened with, which is no longer current once the first is stored.
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(Body(reporter, period, [new("13.1", value)])) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            return request;
        }
        async Task<JsonElement> DryRun(decimal value, string idempotencyKey)
        {
            var response = await Admin.SendAsync(Request("/v1/submissions/validate", value, idempotencyKey), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        }
        var first = await Admin.SendAsync(Request("/v1/submissions", 5, key), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        try
        {
            // The retry is the stored answer, closed period or not; the dry run of it says so, naming the revision.
            var replay = await Admin.SendAsync(Request("/v1/submissions", 5, key), Ct);
            Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            var dry = await DryRun(5, key);
            Assert.True(dry.GetProperty("valid").GetBoolean());
            Assert.Empty(dry.GetProperty("violations").EnumerateArray());
            Assert.Equal((id, 1), (dry.GetProperty("replays").GetProperty("id").GetGuid(), dry.GetProperty("replays").GetProperty("revision").GetInt32()));

            // The same key with another table is refused by either, for the same reason.
            var reused = await ProblemAsync(await Admin.SendAsync(Request("/v1/submissions", 6, key), Ct), 422);
            var dryReused = await DryRun(6, key);
            Assert.False(dryReused.GetProperty("valid").GetBoolean());
            Assert.False(dryReused.TryGetProperty("replays", out _));
            Assert.Equal(Rules(reused), Rules(dryReused));
            Assert.Equal(["idempotency-key-reused"], Rules(dryReused));

            // A new key is a new request: another table, which the closed period refuses; the stored one over again changes
            // nothing, which the closed period answers unchanged (200), so the dry run finds nothing in its way.
            var fresh = await DryRun(7, Guid.NewGuid().ToString());
            Assert.False(fresh.TryGetProperty("replays", out _));
            Assert.Contains("period-closed", Rules(fresh));
            var same = await DryRun(5, Guid.NewGuid().ToString());
            Assert.False(same.TryGetProperty("replays", out _));
            Assert.True(same.GetProperty("valid").GetBoolean(), same.ToString());
            Assert.Equal(1, (await RevisionsAsync(reporter, period)).GetArrayLength());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
        }
    }

    private static string[] Rules(JsonElement answer) => [.. answer.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("rule").GetString()!)];

    [Fact]
    public async Task A_Stale_Expected_Revision_Is_409_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)], expectedRevision: 0)).StatusCode);
        var stale = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 2)], expectedRevision: 0);
        var problem = await ProblemAsync(stale, 409);
        Assert.Equal(1, problem.GetProperty("currentRevision").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 2)], expectedRevision: 1)).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 3)])) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await ProblemAsync(await Admin.SendAsync(request, Ct), 409);
        Assert.Equal(2, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/submissions")]
    [InlineData("/v1/submissions/validate")]
    public async Task An_ExpectedRevision_And_An_If_Match_That_Disagree_Are_A_400_Naming_Both_And_Nothing_Is_Stored(string path)
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        async Task<HttpResponseMessage> Send(int expectedRevision, string ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 2)], expectedRevision)) };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await Admin.SendAsync(request, Ct);
        }

        var problem = await ProblemAsync(await Send(1, "\"0\""), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("If-Match", error.GetProperty("name").GetString());
        Assert.Contains("expectedRevision is 1", error.GetProperty("reason").GetString());
        Assert.Contains("If-Match names revision 0", error.GetProperty("reason").GetString());
        Assert.Equal(400, (int)(await Send(1, "*")).StatusCode);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
        // Both naming the same revision is one statement, made twice.
        Assert.True((await Send(1, "\"1\"")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_Weak_If_Match_Would_Match_No_Revision_So_It_Is_A_400_Saying_So_And_Nothing_Is_Stored()
    {
        // RFC 9110 13.1.1: If-Match compares entity tags strongly, and a weak tag is never strongly equal to any: the client
        // is told to send the strong tag the service gave rather than have its condition fail whatever is current.
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        async Task<HttpResponseMessage> Send(string path, string ifMatch, int? expectedRevision = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 2)], expectedRevision)) };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await Admin.SendAsync(request, Ct);
        }

        foreach (var path in new[] { "/v1/submissions", "/v1/submissions/validate" })
        {
            var problem = await ProblemAsync(await Send(path, "W/\"1\""), 400);
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal("If-Match", error.GetProperty("name").GetString());
            Assert.Contains("weak tag", error.GetProperty("reason").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("/v1/submissions", "W/\"1\"", expectedRevision: 1)).StatusCode);
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await Send("/v1/submissions", "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task An_Empty_If_Match_Names_No_Revision_So_It_Is_A_400_Naming_The_Header_And_Nothing_Is_Stored()
    {
        // RFC 9110 13.1.1: If-Match is * or a list of entity tags; an empty one is no precondition, and not taken for an absent one,
        // which would store the table its client meant to send only over the revision it read.
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);

        foreach (var path in new[] { "/v1/submissions", "/v1/submissions/validate" })
        {
            var response = await SendWithEmptyIfMatchAsync(HttpMethod.Post, path, JsonBytes(Body(reporter, "2014", [new("13.1", 2)])));
            var error = Assert.Single((await ProblemAsync(response, 400)).GetProperty("errors").EnumerateArray());
            Assert.Equal("If-Match", error.GetProperty("name").GetString());
            Assert.StartsWith("请求头 If-Match 是空的", error.GetProperty("reason").GetString());
            Assert.Contains("The If-Match header is empty", error.GetProperty("reason").GetString());
        }
        var revisions = await RevisionsAsync(reporter, "2014");
        Assert.Equal(1, revisions.GetArrayLength());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1")]
    [InlineData("1\"")]
    [InlineData("\"01\"")]
    [InlineData("'1'")]
    public async Task An_If_Match_That_Is_Not_Star_Or_The_Quoted_Revision_Is_A_400_Naming_It_And_Nothing_Is_Stored(string ifMatch)
    {
        // RFC 9110 8.8.3: an entity tag is quoted; what the service gave as ETag ("1") is what If-Match must send back.
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        async Task<HttpResponseMessage> Send(string path, string tag)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 2)])) };
            request.Headers.TryAddWithoutValidation("If-Match", tag);
            return await Admin.SendAsync(request, Ct);
        }

        foreach (var path in new[] { "/v1/submissions", "/v1/submissions/validate" })
        {
            var error = Assert.Single((await ProblemAsync(await Send(path, ifMatch), 400)).GetProperty("errors").EnumerateArray());
            Assert.Equal("If-Match", error.GetProperty("name").GetString());
            Assert.Contains("must be a revision number in double quotes", error.GetProperty("reason").GetString());
        }
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await Send("/v1/submissions", "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task If_Match_Star_Replaces_Whichever_Revision_Is_Current_And_Is_409_While_There_Is_None()
    {
        var reporter = await CreateReporterAsync();
        async Task<HttpResponseMessage> Send(decimal value, int? expectedRevision = null, string? idempotencyKey = null, string? ifMatch = "*")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", value)], expectedRevision)) };
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await Admin.SendAsync(request, Ct);
        }

        var none = await ProblemAsync(await Send(1), 409);
        Assert.Equal(0, none.GetProperty("currentRevision").GetInt32());
        Assert.Contains("If-Match: *", none.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 2)])).StatusCode);
        var key = Guid.NewGuid().ToString();
        var replaced = await Send(3, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, replaced.StatusCode);
        Assert.Equal(3, (await replaced.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32());
        // A retry with the same key replays; the same key without If-Match: * is another request.
        Assert.Equal("true", (await Send(3, idempotencyKey: key)).Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Send(3, idempotencyKey: key, ifMatch: null)).StatusCode);
        // * beside an expectedRevision says two things at once: refused, naming both.
        Assert.Contains("If-Match is *", Assert.Single((await ProblemAsync(await Send(4, expectedRevision: 3), 400)).GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(3, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        // Sent at once, each replaces the revision current when it is stored: every one is stored, none is a conflict.
        var together = await Task.WhenAll(Enumerable.Range(10, 8).Select(v => Send(v)));
        Assert.All(together, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(11, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Closed_Period_Refuses_Submissions_Until_Reopened_And_The_Dry_Run_Says_So()
    {
        var reporter = await CreateReporterAsync();
        var period = "2015Q" + Random.Shared.Next(1, 5);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);
        var problem = await ProblemAsync(await SubmitAsync(Admin, reporter, period, [new("13.1", 1)]), 409);
        Assert.Contains(period, problem.GetProperty("detail").GetString());
        // When it was closed, and how the district office reopens it.
        var closedAt = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue2014}/{period}", Ct)).GetProperty("closedAt").GetDateTimeOffset();
        Assert.Equal(closedAt, problem.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal($"POST /v1/periods/{Catalogue2014}/{period}/reopen", problem.GetProperty("reopen").GetString());
        Assert.EndsWith($"{period} was closed at {closedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd'T'HH:mm:sszzz}; to correct this reporter's table, " +
            "the district office can return it (退回, POST /v1/submissions/{id}/review with decision returned), which lets this reporter alone submit " +
            $"one corrected revision while the period stays closed; or it can reopen the period (POST /v1/periods/{Catalogue2014}/{period}/reopen).", problem.GetProperty("detail").GetString());
        // In Chinese first, for a departmental system that shows the detail to its users, with the time in Beijing time.
        Assert.StartsWith($"{Disclosure.Api.Infrastructure.AuditText.Period(period)}统计期已关闭，本表没有保存（关闭于 {closedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}）。如需更正该单位的报表，可以将其退回" +
            $"（只放开这一张表，该单位可以更正重报一次，统计期仍然关闭），或重新开放统计期。 Period {period}", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, period)).GetArrayLength());
        var dryRun = await DryRunAsync(Body(reporter, period, [new("13.1", 1)]));
        Assert.False(dryRun.GetProperty("valid").GetBoolean());
        var violation = Assert.Single(dryRun.GetProperty("violations").EnumerateArray());
        Assert.Equal("period-closed", violation.GetProperty("rule").GetString());
        // When, as the 409 says it.
        Assert.Equal(closedAt, violation.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(problem.GetProperty("closedAt").GetString(), violation.GetProperty("closedAt").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/reopen", null, Ct)).StatusCode);
        Assert.True((await DryRunAsync(Body(reporter, period, [new("13.1", 1)]))).GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, [new("13.1", 1)])).StatusCode);
    }

    [Fact]
    public async Task A_Closed_Year_Keeps_Its_Table_When_A_Reporter_Whose_Year_Comes_From_Quarters_Sends_One()
    {
        var quarterly = await CreateReporterAsync("town");
        var yearly = await CreateReporterAsync("town");
        var silent = await CreateReporterAsync("town");
        const string year = "2008";
        var url = $"/v1/aggregates/{Catalogue2014}/{year}?reporters={quarterly},{yearly}&format=csv";
        var first = await SubmitAsync(Admin, quarterly, "2008Q1", [new("13.1", 1)]);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, yearly, year, [new("13.1", 5)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/close", null, Ct)).StatusCode);
        try
        {
            var closed = await Admin.GetStringAsync(url, Ct);
            // The 409 names the year, and the dry run says it in both languages; the closed year's table is as it was.
            var problem = await ProblemAsync(await SubmitAsync(Admin, quarterly, "2008Q2", [new("13.1", 100)]), 409);
            Assert.Equal("period-closed", problem.GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal(year, problem.GetProperty("period").GetString());
            Assert.Contains("Year 2008", problem.GetProperty("detail").GetString());
            var violation = Assert.Single((await DryRunAsync(Body(quarterly, "2008Q2", [new("13.1", 100)]))).GetProperty("violations").EnumerateArray());
            Assert.Equal("period-closed", violation.GetProperty("rule").GetString());
            Assert.StartsWith("2008年度已关闭，该单位的年度数据由季报汇总而来，2008年第2季度季报随之关闭", violation.GetProperty("messageZh").GetString());
            Assert.Equal(0, (await RevisionsAsync(quarterly, "2008Q2")).GetArrayLength());
            // A reporter that sent nothing of the year has its quarters closed with it too, but is not told that its year is
            // added up from quarters it never sent.
            var none = (await ProblemAsync(await SubmitAsync(Admin, silent, "2008Q2", [new("13.1", 1)]), 409)).GetProperty("detail").GetString();
            Assert.StartsWith("2008年度已关闭，2008年第2季度季报随之关闭，本表没有保存（关闭于 ", none);
            Assert.Contains("Year 2008 of catalogue gov-info-disclosure-2014 is closed, and this reporter sent no table of it, so its 2008Q2 is closed with it", none);
            var noneDry = Assert.Single((await DryRunAsync(Body(silent, "2008Q2", [new("13.1", 1)]))).GetProperty("violations").EnumerateArray());
            Assert.StartsWith("2008年度已关闭，2008年第2季度季报随之关闭，提交将被拒绝", noneDry.GetProperty("messageZh").GetString());
            Assert.All(new[] { none, noneDry.GetProperty("messageZh").GetString(), noneDry.GetProperty("message").GetString() },
                said => Assert.DoesNotContain("季报汇总", said));
            Assert.DoesNotContain("added up from its quarterly", noneDry.GetProperty("message").GetString());
            Assert.Equal(closed, await Admin.GetStringAsync(url, Ct));
            // A reporter whose year is a table of its own sends its quarters as before.
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, yearly, "2008Q2", [new("13.1", 2)])).StatusCode);
            // Each one's own list says which of its quarters are closed to it.
            async Task<bool> ClosedAsync(string reporter, string period) => (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{reporter}/periods", Ct))
                .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == period)
                .GetProperty("closed").GetBoolean();
            Assert.True(await ClosedAsync(quarterly, "2008Q1"));
            Assert.False(await ClosedAsync(yearly, "2008Q2"));

            // Its first quarter returned (退回): that quarter alone opens to its correction, which changes the closed year's table
            // (added up from its quarters), and closes it again; its second quarter stays closed.
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{firstId}/review", new { decision = "returned", comment = "请更正" }, Ct)).StatusCode);
            Assert.False(await ClosedAsync(quarterly, "2008Q1"));
            Assert.DoesNotContain((await DryRunAsync(Body(quarterly, "2008Q1", [new("13.1", 3)]))).GetProperty("violations").EnumerateArray(),
                v => v.GetProperty("rule").GetString() == "period-closed");
            Assert.Equal("period-closed", (await ProblemAsync(await SubmitAsync(Admin, quarterly, "2008Q2", [new("13.1", 100)]), 409)).GetProperty("type").GetString()!.Split('/')[^1]);
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, quarterly, "2008Q1", [new("13.1", 3)])).StatusCode);
            Assert.NotEqual(closed, await Admin.GetStringAsync(url, Ct));
            Assert.True(await ClosedAsync(quarterly, "2008Q1"));
            Assert.Equal(year, (await ProblemAsync(await SubmitAsync(Admin, quarterly, "2008Q1", [new("13.1", 4)]), 409)).GetProperty("period").GetString());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{year}/reopen", null, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, quarterly, "2008Q2", [new("13.1", 100)])).StatusCode);
    }

    [Fact]
    public async Task The_Dry_Run_Of_A_Stale_ExpectedRevision_Is_The_Revision_Conflict_A_Submission_Would_Be()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);
        var body = Body(reporter, "2014", [new("13.1", 2)], expectedRevision: 0);

        var refused = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions", body, Ct), 409);
        Assert.StartsWith($"“{reporter}”2014 的报表现在是第 1 次修订，不是第 0 次，本表没有保存", refused.GetProperty("detail").GetString());
        Assert.Contains($"The current revision of '{reporter}', {Catalogue2014}, 2014 is 1, not 0; nothing was stored.", refused.GetProperty("detail").GetString());
        var stale = await DryRunAsync(body);
        Assert.False(stale.GetProperty("valid").GetBoolean());
        var conflict = Assert.Single(stale.GetProperty("violations").EnumerateArray());
        Assert.Equal("revision-conflict", conflict.GetProperty("rule").GetString());
        Assert.Equal("revision 1", conflict.GetProperty("expected").GetString());
        Assert.True((await DryRunAsync(Body(reporter, "2014", [new("13.1", 2)], expectedRevision: 1))).GetProperty("valid").GetBoolean());
        Assert.True((await DryRunAsync(Body(reporter, "2014", [new("13.1", 2)]))).GetProperty("valid").GetBoolean());
        // If-Match as a submission reads it: a stale one conflicts, the current one and * pass, * for a table never sent conflicts.
        var table = Body(reporter, "2014", [new("13.1", 2)]);
        Assert.Equal("revision-conflict", (await DryRunAsync(table, "\"0\"")).GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.True((await DryRunAsync(table, "\"1\"")).GetProperty("valid").GetBoolean());
        Assert.True((await DryRunAsync(table, "*")).GetProperty("valid").GetBoolean());
        var unsent = await DryRunAsync(Body(await CreateReporterAsync(), "2014", [new("13.1", 2)]), "*");
        Assert.Equal("revision-conflict", Assert.Single(unsent.GetProperty("violations").EnumerateArray()).GetProperty("rule").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    private async Task<JsonElement> DryRunAsync(object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions/validate") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await Admin.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""[{"code":"13.1","value":null},{"code":"1","value":null}]""")]
    public async Task A_Table_Without_A_Figure_Is_422_And_Does_Not_Replace_The_Last_One(string values)
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 4)])).StatusCode);
        var json = $$"""{"reporter":"{{reporter}}","period":"2014","catalogue":"{{Catalogue2014}}","values":{{values}}}""";

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(json), Ct), 422);
        var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
        Assert.Equal("empty-table", violation.GetProperty("rule").GetString());
        Assert.Contains("填 0", violation.GetProperty("messageZh").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());

        var dryRun = await (await Admin.PostAsync("/v1/submissions/validate", JsonBody(json), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(dryRun.GetProperty("valid").GetBoolean());
        Assert.Equal("empty-table", dryRun.GetProperty("violations")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Validate_Is_A_Dry_Run_With_The_Same_Verdict()
    {
        var reporter = await CreateReporterAsync();
        var good = await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, "2014", SeedTable.Values), Ct);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.True((await good.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("valid").GetBoolean());

        var table = Seed();
        table["7"] = 1;
        var bad = await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(reporter, "2014", table), Ct);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var verdict = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(verdict.GetProperty("valid").GetBoolean());
        Assert.Contains(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "sum" && v.GetProperty("codes")[0].GetString() == "7");
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Reporter_Key_Reads_Only_Its_Own_Submissions()
    {
        var mine = await CreateReporterAsync();
        var other = await CreateReporterAsync();
        var theirs = await SubmitAsync(Admin, other, "2014", [new("13.1", 1)]);
        var (_, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);
        await ProblemAsync(await client.GetAsync(theirs.Headers.Location, Ct), 403);
        var own = await SubmitAsync(client, mine, "2014", [new("13.1", 1)]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(own.Headers.Location, Ct)).StatusCode);
        await ProblemAsync(await client.GetAsync($"/v1/submissions/{Guid.NewGuid()}", Ct), 404);
    }

    [Theory]
    [InlineData("reporter=town-x&reporter=town-y&catalogue=c&period=2014", "reporter")]
    [InlineData("reporter=town-x&catalogue=c&catalogue=d&period=2014", "catalogue")]
    [InlineData("reporter=town-x&catalogue=c&period=2014&period=2015", "period")]
    public async Task A_Revision_List_Query_Parameter_Given_Twice_Is_A_400_Naming_It_Not_A_404(string query, string name)
    {
        var response = await Admin.GetAsync($"/v1/submissions?{query}", Ct);

        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == name
            && e.GetProperty("reason").GetString()!.Contains("given more than once"));
    }

    [Fact]
    public async Task A_Table_For_A_Period_That_Has_Not_Begun_Is_Refused_Naming_It_And_Nothing_Is_Stored()
    {
        var reporter = await CreateReporterAsync();
        var thisYear = Factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Year;
        object Table(int year) => new
        {
            reporter, period = year.ToString(System.Globalization.CultureInfo.InvariantCulture), catalogue = "gov-info-disclosure-2021",
            values = new[] { new { code = "2.1.1:issued", value = 1m } },
        };
        foreach (var year in new[] { thisYear + 1, 2099 })
        {
            var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions", Table(year), Ct), 422);
            var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "period-not-begun");
            Assert.Equal($"{year} 统计期尚未开始（{year}年1月1日开始），还不能填报该期报表；请核对统计期。", violation.GetProperty("messageZh").GetString());
            var verdict = await (await Admin.PostAsJsonAsync("/v1/submissions/validate", Table(year), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.False(verdict.GetProperty("valid").GetBoolean());
            Assert.Contains(verdict.GetProperty("violations").EnumerateArray(), v => v.GetProperty("rule").GetString() == "period-not-begun");
            var stored = await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue=gov-info-disclosure-2021&period={year}", Ct);
            Assert.Equal(0, stored.GetProperty("items").GetArrayLength());
        }
        // The year under way has begun: its table may be sent (the office may collect it before the year ends).
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Table(thisYear), Ct)).StatusCode);
    }
}
