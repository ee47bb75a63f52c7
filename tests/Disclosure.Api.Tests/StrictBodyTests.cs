using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>Nothing is accepted that the contract does not define: unknown or repeated properties, inexact numbers, odd headers.</summary>
public sealed class StrictBodyTests(ApiFactory factory) : ApiTest(factory)
{
    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Table(string reporter, string valueJson, string code = "13.1", string extra = "") =>
        $$"""{"reporter":"{{reporter}}","period":"2014","catalogue":"gov-info-disclosure-2014"{{extra}},"values":[{"code":"{{code}}","value":{{valueJson}}}]}""";

    [Theory]
    [InlineData(""","remark":"x" """, "remark")]
    [InlineData(""","reporter":"other" """, "reporter")]
    // What comes as a header is not a member of the body.
    [InlineData(""","idempotencyKey":"k-1" """, "idempotencyKey")]
    [InlineData(""","ifMatch":"\"0\"" """, "ifMatch")]
    public async Task A_Property_The_Schema_Does_Not_Name_Or_One_Given_Twice_Is_400_Naming_It(string extra, string field)
    {
        var reporter = await CreateReporterAsync();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, "5", extra: extra.Trim())), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("10e-1")]
    [InlineData("\"1\"")]
    public async Task An_Expected_Revision_Not_Written_As_A_Json_Integer_Is_400_And_Nothing_Is_Stored(string revision)
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, "5")), Ct)).StatusCode);

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, "6", extra: $",\"expectedRevision\":{revision}")), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("expectedRevision", error.GetProperty("name").GetString());
        Assert.EndsWith("。expectedRevision must be a whole number written without a fraction or exponent, such as 3, or null.", error.GetProperty("reason").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData(" town")]
    [InlineData("town, government")]
    [InlineData("towns")]
    public async Task A_Reporter_Kind_That_Is_Not_One_Kinds_Name_Is_400_Naming_The_Kinds_And_Nothing_Is_Stored(string kind)
    {
        var id = NewId();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", JsonBody($$"""{"id":"{{id}}","name":"坛山街道办事处","kind":"{{kind}}"}"""), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("kind", error.GetProperty("name").GetString());
        Assert.Equal("kind 须为 government、department、town 之一。kind must be one of government, department, town.", error.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Property_Name_In_Another_Case_Is_Not_The_Documented_Property_But_An_Unknown_One_And_Nothing_Is_Stored()
    {
        var id = NewId();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/reporters", JsonBody($$"""{"id":"{{id}}","Name":"坛山街道办事处","kind":"town"}"""), Ct), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "Name");
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Reporter_Kind_In_Another_Case_Is_Read_As_That_Kind_And_Written_Back_As_The_Schema_Lists_It()
    {
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsync("/v1/reporters", JsonBody($$"""{"id":"{{id}}","name":"坛山街道办事处","kind":"Town"}"""), Ct)).StatusCode);

        Assert.Equal("town", (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).GetProperty("kind").GetString());
        // And the document says so, where a generated client reads the names: every enum's schema.
        var schemas = (await Factory.CreateClient().GetFromJsonAsync<JsonElement>(OpenApi.DocumentPath, Ct)).GetProperty("components").GetProperty("schemas");
        Assert.All(schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("enum", out _)),
            s => Assert.EndsWith("a name is read in any case (`Town` as `town`); answers write it as listed.", s.Value.GetProperty("description").GetString()));
    }

    [Theory]
    [InlineData("/v1/periods/{0}/2009Q1/reopen?reason=%FF%FE", "POST", "reason")]
    [InlineData("/v1/audit?action=GET%20v1%2F%C0%AF", "GET", "action")]
    [InlineData("/v1/reporters/%FF%FE", "GET", "id")]
    [InlineData("/v1/aggregates/{0}/2014/reporters/ab%E5%8F", "GET", "id")]
    public async Task A_Value_Percent_Encoding_Bytes_That_Are_Not_Utf8_Is_400_Naming_It_Not_Read_As_Its_Literal_Text(string path, string method, string name)
    {
        // The framework keeps such a value as the literal text %FF%FE: a reopening's reason would be stored as that, an id looked up as it.
        var problem = await ProblemAsync(await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Catalogue2014)), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(name, error.GetProperty("name").GetString());
        Assert.EndsWith($"{name} is not UTF-8 text: the percent-encoded bytes of a URL must encode characters in UTF-8.", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_Path_Value_That_Is_Not_Utf8_Is_400_In_An_Absolute_Form_Request_Target_Too()
    {
        // GET http://host/v1/reporters/%FF%FE, as a proxy sends it: the path is read from after the authority.
        var context = await Factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/v1/reporters/%FF%FE";
            c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = "http://localhost/v1/reporters/%FF%FE";
            c.Request.Headers[ApiKeys.Header] = ApiFactory.AdminKey;
        }, Ct);

        Assert.Equal(400, context.Response.StatusCode);
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body, cancellationToken: Ct);
        Assert.Equal("id", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("period", "2014\\u202e", "period")]
    [InlineData("catalogue", "gov-info-disclosure-2014\\u001b[31m", "catalogue")]
    [InlineData("code", "13.1\\u202e", "values[0].code")]
    [InlineData("unit", "\\u200b次", "values[0].unit")]
    public async Task A_Submission_Whose_Period_Catalogue_Code_Or_Unit_Holds_A_Control_Or_Format_Character_Is_400_Naming_It(string member, string value, string field)
    {
        // Echoed in a 422's words, a right-to-left override or a terminal escape would make the refusal read other than it is.
        var reporter = await CreateReporterAsync();
        var cell = member == "unit" ? $$"""{"code":"13.1","value":5,"unit":"{{value}}"}""" : $$"""{"code":"{{(member == "code" ? value : "13.1")}}","value":5}""";
        var body = $$"""{"reporter":"{{reporter}}","period":"{{(member == "period" ? value : "2014")}}","catalogue":"{{(member == "catalogue" ? value : Catalogue2014)}}","values":[{{cell}}]}""";

        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(body), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("name").GetString());
        Assert.EndsWith($"{field} holds a control character or an invisible format character (such as the right-to-left override U+202E): send visible characters only.", error.GetProperty("reason").GetString());
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/reporters/ab%E2%80%AEcd")]
    [InlineData("/v1/submissions?reporter=gushao-town&catalogue=x%1B%5B31m&period=2014")]
    [InlineData("/v1/audit?from=%E2%80%AE1")]
    [InlineData("/v1/audit?%E2%80%AE=1")]
    public async Task A_Problem_Shows_A_Control_Or_Format_Character_The_Client_Sent_As_U_Fffd(string path)
    {
        var response = await Admin.GetAsync(path, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True((int)response.StatusCode is 400 or 404, $"{(int)response.StatusCode}");
        var texts = new[] { problem.GetProperty("detail").GetString()! }
            .Concat(problem.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().SelectMany(e => new[] { e.GetProperty("name").GetString()!, e.GetProperty("reason").GetString()! }) : []);
        Assert.All(texts, text => Assert.True(Disclosure.Catalogue.PrintableText.IsPrintable(text), text));
        Assert.Contains("\uFFFD", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Violations_Words_Show_A_Control_Or_Format_Character_The_Client_Sent_As_U_Fffd()
    {
        // A catalogue id is checked by the catalogue's rules, whose 422 quotes it in each violation's message, as the pages show it.
        await using var stream = typeof(Disclosure.Catalogue.CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-fujian-2008.json")!;
        var document = System.Text.Json.Nodes.JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        document["id"] = "ab\u202ecd";
        var response = await Admin.PostAsync("/v1/catalogues", JsonBody(document.ToJsonString()), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(422, (int)response.StatusCode);
        var violations = problem.GetProperty("violations").EnumerateArray().ToList();
        Assert.Contains(violations, v => v.GetProperty("message").GetString()!.Contains("ab\uFFFDcd", StringComparison.Ordinal));
        Assert.All(violations, v => Assert.True(Disclosure.Catalogue.PrintableText.IsPrintable(v.GetProperty("message").GetString()! + v.GetProperty("messageZh").GetString()!)));
    }

    [Fact]
    public async Task A_Write_Answers_Json_Whatever_Accept_Says_As_The_Document_Says()
    {
        // RFC 9110 12.5.1 lets a server disregard an Accept it cannot meet: the operation answers in JSON only, and says so.
        var id = NewId();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/reporters") { Content = JsonBody($$"""{"id":"{{id}}","name":"坛山街道办事处{{id}}","kind":"town"}""") };
        request.Headers.TryAddWithoutValidation("Accept", "text/csv");

        var response = await Admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await Factory.CreateClient().GetFromJsonAsync<JsonElement>(OpenApi.DocumentPath, Ct);
        Assert.Contains("answers in JSON only answers in JSON whatever `Accept` says", document.GetProperty("info").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("accepted, returned")]
    public async Task A_Review_Decision_That_Is_Not_One_Decisions_Name_Is_400_Naming_The_Decisions_And_Nothing_Is_Stored(string decision)
    {
        var reporter = await CreateReporterAsync();
        var submitted = await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, "5")), Ct);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

        var problem = await ProblemAsync(await Admin.PostAsync($"/v1/submissions/{id}/review",
            JsonBody($$"""{"decision":"{{decision}}","comment":"请核实"}"""), Ct), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("decision", error.GetProperty("name").GetString());
        Assert.EndsWith("。decision must be one of accepted, returned.", error.GetProperty("reason").GetString());
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{id}", Ct)).TryGetProperty("review", out _));
    }

    [Fact]
    public async Task The_Headers_Are_Not_Taken_From_The_Query()
    {
        // ?ifMatch="5" would be a conflict and ?idempotencyKey=… a replay, were they read: they are parameters the operation
        // does not take, each named, and nothing is stored.
        var reporter = await CreateReporterAsync();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions?idempotencyKey=q-1&ifMatch=%225%22", JsonBody(Table(reporter, "5")), Ct), 400);
        Assert.Equal(["idempotencyKey", "ifMatch"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task A_Misspelt_Query_Parameter_Is_400_Naming_It_And_What_The_Operation_Takes()
    {
        // ?reporter= for ?reporters=: passed over, it would answer the whole district as if it were the one reporter's.
        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporter=gushao-town", Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("reporter", error.GetProperty("name").GetString());
        Assert.Contains("reporters", error.GetProperty("reason").GetString());

        // A parameter it takes, written in another case, is bound as FastEndpoints binds it: the CSV.
        var csv = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?FORMAT=csv", Ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);

        // A list that takes no filter says so, rather than list every reporter for ?kind=town.
        var none = await ProblemAsync(await Admin.GetAsync("/v1/reporters?kind=town", Ct), 400);
        Assert.Equal("kind 不是本接口的查询参数：本接口不接受查询参数。kind is not a query parameter of this operation: it takes none.", Assert.Single(none.GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("/v1/aggregates/{0}/2014?kind=", "kind")]
    [InlineData("/v1/aggregates/{0}/2014?kind", "kind")]
    [InlineData("/v1/aggregates/{0}/2014/breakdown?kind=&reporters=gushao-town", "kind")]
    [InlineData("/v1/aggregates/{0}/2014/far-from-last-year?kind=", "kind")]
    [InlineData("/v1/aggregates/{0}/2014?format=html&layout=", "layout")]
    [InlineData("/v1/aggregates/{0}/2014?format=html&reportDate=", "reportDate")]
    [InlineData("/v1/templates/{0}/2014/reporters?kind=", "kind")]
    [InlineData("/v1/audit?keyId=", "keyId")]
    [InlineData("/v1/audit?from=", "from")]
    public async Task A_Query_Parameter_Given_Empty_Is_400_Naming_It_Not_Read_As_Absent(string path, string name)
    {
        // kind=${kind} with none chosen, by a slip: read as absent it would answer the whole district as if it were the towns'.
        var problem = await ProblemAsync(await Admin.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Catalogue2014), Ct), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(name, error.GetProperty("name").GetString());
        Assert.StartsWith($"查询参数 {name} 是空的：不使用它时请整个省去", error.GetProperty("reason").GetString());
        Assert.Contains($"The query parameter {name} is empty: leave it out", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_Office_Entry_With_SentAt_Given_Empty_Is_400_And_Stores_Nothing()
    {
        // Judged on when it was received instead, the table keyed in weeks later would stand as late.
        var town = await CreateReporterAsync("town");
        var response = await Admin.PostAsync("/v1/submissions?sentAt=", JsonBody(JsonSerializer.Serialize(new
        {
            reporter = town, period = "2014", catalogue = Catalogue2014,
            values = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }),
        })), Ct);
        Assert.Equal("sentAt", Assert.Single((await ProblemAsync(response, 400)).GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
        var list = await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue2014}&period=2014", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("catalogue", "\"zzz\"")]
    [InlineData("period", "\"1999\"")]
    public async Task A_Path_Member_Repeated_In_A_Period_Body_Is_400_Naming_It_And_Nothing_Is_Changed(string member, string value)
    {
        // The route names the period; a body that names one too would be silently overruled by it (additionalProperties: false).
        var path = $"/v1/periods/{Catalogue2014}/2019";
        var problem = await ProblemAsync(await Admin.PutAsync(path,
            JsonBody($$"""{"{{member}}":{{value}},"deadline":"2020-01-31T16:00:00+00:00"}"""), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == member);
        var settings = await (await Admin.GetAsync(path, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(settings.TryGetProperty("deadline", out var deadline) && deadline.ValueKind != JsonValueKind.Null, $"deadline was set: {settings}");
    }

    [Theory]
    [InlineData("2009Q1", "close", """{"closed":false}""", "closed")]
    [InlineData("2009Q2", "close", """{"reason":"网站改版"}""", "reason")]
    [InlineData("2009Q3", "close", "[]", "body")]
    [InlineData("2009Q4", "reopen", """{"catalogue":"zzz"}""", "catalogue")]
    public async Task A_Member_Sent_To_An_Operation_That_Takes_No_Body_Is_400_Naming_It_And_Nothing_Is_Changed(string period, string operation, string body, string field)
    {
        // Each case a period of its own; a reopen is tried on a closed one. {} is what such an operation takes, if anything.
        var path = $"/v1/periods/{Catalogue2014}/{period}";
        var closed = operation == "reopen";
        if (closed) Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync(path + "/close", JsonBody("{}"), Ct)).StatusCode);

        var problem = await ProblemAsync(await Admin.PostAsync($"{path}/{operation}", JsonBody(body), Ct), 400);

        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(closed, (await Admin.GetFromJsonAsync<JsonElement>(path, Ct)).GetProperty("closed").GetBoolean());
    }

    [Theory]
    [InlineData("2010Q1", "close", "directory=/tmp", "application/x-www-form-urlencoded")]
    [InlineData("2010Q2", "close", "hello", "text/plain")]
    [InlineData("2010Q3", "reopen", """{"x":1}""", null)]
    [InlineData("2010Q4", "close", "{}", "application/x-anything+json")]
    public async Task A_Body_That_Is_Not_Json_Sent_To_An_Operation_That_Takes_None_Is_415_And_Nothing_Is_Changed(string period, string operation, string body, string? contentType)
    {
        // Its fields would be passed over as a JSON body's members would: the client is told to send none.
        var path = $"/v1/periods/{Catalogue2014}/{period}";
        var closed = operation == "reopen";
        if (closed) Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync(path + "/close", null, Ct)).StatusCode);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var problem = await ProblemAsync(await Admin.PostAsync($"{path}/{operation}", content, Ct), 415);

        // Chinese first, then the English.
        Assert.StartsWith($"POST {path}/{operation} 不带请求体：请不要发送请求体，或以 application/json 发送 {{}}", problem.GetProperty("detail").GetString());
        Assert.Contains("takes no body", problem.GetProperty("detail").GetString());
        Assert.Equal(closed, (await Admin.GetFromJsonAsync<JsonElement>(path, Ct)).GetProperty("closed").GetBoolean());
    }

    [Theory]
    [InlineData("""{"reporters":"no-such-town"}""", "application/json", "reporters")]
    [InlineData("reporters=no-such-town", "application/x-www-form-urlencoded", "body")]
    public async Task A_Body_Sent_With_A_Get_Is_400_Naming_It_Rather_Than_Answering_As_If_It_Were_Not_There(string body, string contentType, string field)
    {
        // A filter put in the body instead of the query would otherwise be answered with the whole district table, 200.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };

        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 400);

        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Body_Sent_With_A_Delete_Is_400_Naming_It_And_The_Key_Stays_Valid_While_An_Empty_Object_Is_Taken()
    {
        var (first, _) = await CreateKeyAsync("viewer");
        var (second, _) = await CreateKeyAsync("viewer");

        var refused = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/keys/{first}") { Content = JsonBody("""{"reason":"调离"}""") }, Ct);
        var taken = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/keys/{second}") { Content = JsonBody("{}") }, Ct);

        var problem = await ProblemAsync(refused, 400);
        Assert.Equal("reason", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
        Assert.False((await Admin.GetFromJsonAsync<JsonElement>($"/v1/keys/{first}", Ct)).TryGetProperty("revokedAt", out _));
        Assert.Equal(HttpStatusCode.NoContent, taken.StatusCode);
    }

    [Fact]
    public async Task A_Property_Unknown_Inside_A_Value_Is_400_Naming_It()
    {
        var reporter = await CreateReporterAsync();
        var json = $$"""{"reporter":"{{reporter}}","period":"2014","catalogue":"gov-info-disclosure-2014","values":[{"code":"13.1","value":5,"comment":"x"}]}""";
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(json), Ct), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "values[0].comment");
    }

    [Theory]
    [InlineData("1e-400")]
    [InlineData("0.0000000000000000000000000000000000001")]
    [InlineData("2.9999999999999999999999")]
    [InlineData("2.99999999999999999999999999999999")]
    [InlineData("5.5")]
    [InlineData("-1e-30")]
    public async Task A_Count_With_Any_Fraction_Is_Refused_With_Rule_Integer_Never_Rounded(string value)
    {
        var reporter = await CreateReporterAsync();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, value)), Ct), 422);
        Assert.Contains(problem.GetProperty("violations").EnumerateArray(),
            v => v.GetProperty("rule").GetString() is "integer" or "negative" && v.GetProperty("codes")[0].GetString() == "13.1");
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("5e0", 5)]
    [InlineData("5.000", 5)]
    [InlineData("0.5e1", 5)]
    [InlineData("500e-2", 5)]
    public async Task A_Whole_Count_However_Spelled_Is_Stored_As_That_Count(string value, int count)
    {
        var reporter = await CreateReporterAsync();
        var response = await Admin.PostAsync("/v1/submissions", JsonBody(Table(reporter, value)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            body.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "13.1").GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task An_Amount_With_More_Places_Than_A_Decimal_Holds_Is_Refused_Not_Rounded()
    {
        var reporter = await CreateReporterAsync();
        var problem = await ProblemAsync(await Admin.PostAsync("/v1/submissions",
            JsonBody(Table(reporter, "1.00000000000000000000000000000000001", code: "11")), Ct), 422);
        Assert.Contains(problem.GetProperty("violations").EnumerateArray(), v => v.GetProperty("codes")[0].GetString() == "11");
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("1e-400", true)]
    [InlineData("2.99999999999999999999999999999999", true)]
    [InlineData("12345678901234567890.123456789012345", true)]
    [InlineData("2.9999999999999999999999", true)]
    [InlineData("1e3", false)]
    [InlineData("-0", false)]
    [InlineData("0.000001", true)]
    public void The_Reader_Keeps_A_Fraction_Wherever_One_Was_Written(string number, bool fractional)
    {
        var value = ExactDecimalConverter.Parse(number)!.Value;
        Assert.Equal(fractional, value != decimal.Truncate(value));
        if (decimal.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var exact)
            && exact.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace(".", "").TrimStart('-', '0').Length <= 28 && exact != 0)
            Assert.Equal(exact, value);
    }

    [Fact]
    public void A_Whole_Number_Too_Large_For_A_Decimal_Is_Not_Read()
    {
        Assert.Null(ExactDecimalConverter.Parse("1e40"));
        Assert.Null(ExactDecimalConverter.Parse("123456789012345678901234567890.5"));
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData("has space")]
    public async Task An_Idempotency_Key_Sent_Empty_Twice_Or_Malformed_Is_400(string sent)
    {
        var keys = sent.Split('|');
        var reporter = await CreateReporterAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonBody(Table(reporter, "5")) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", keys);
        var response = await Admin.SendAsync(request, Ct);
        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => string.Equals(e.GetProperty("name").GetString(), "Idempotency-Key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task The_Idempotency_Fingerprint_Covers_If_Match()
    {
        var reporter = await CreateReporterAsync();
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send(string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonBody(Table(reporter, "5")) };
            request.Headers.Add("Idempotency-Key", key);
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await Admin.SendAsync(request, Ct);
        }
        Assert.Equal(HttpStatusCode.Created, (await Send("\"0\"")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send("\"0\"")).StatusCode);
        var problem = await ProblemAsync(await Send(null), 422);
        Assert.Equal("idempotency-key-reused", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
        Assert.Equal(1, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Theory]
    [InlineData("2020-01-31T16:00:00Z", true)]
    [InlineData("2020-01-31t16:00:00z", true)]   // RFC 3339 lets both be lower case, as ?sentAt= takes them
    [InlineData("2020-02-01T00:00:00.5+08:00", true)]
    [InlineData("2020-01-31T16:00:00", false)]   // no offset: whose time would it be?
    [InlineData("2020-01-31", false)]
    public async Task A_Deadline_Is_An_Rfc_3339_Date_Time_With_Its_Offset(string deadline, bool taken)
    {
        var response = await Admin.PutAsync($"/v1/periods/{Catalogue2014}/2012Q1", JsonBody($$"""{"deadline":"{{deadline}}"}"""), Ct);
        if (taken) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else Assert.Contains("deadline must be a date-time string with its UTC offset", (await ProblemAsync(response, 400)).GetRawText());
    }

    [Theory]
    // The store keeps a deadline to the millisecond; what matters is that the digits dropped did not round it into the next day.
    [InlineData("2020-02-01T23:59:59.99999999+08:00", "2020-02-01T23:59:59.999+08:00")]    // Go's RFC3339Nano, 8 digits
    [InlineData("2020-02-01T23:59:59.999999999+08:00", "2020-02-01T23:59:59.999+08:00")]   // 9
    [InlineData("2020-02-01T00:00:00.123456789Z", "2020-02-01T00:00:00.123+00:00")]
    public async Task A_Date_Time_With_Eight_Or_Nine_Fraction_Digits_Is_Taken_To_100_Ns(string deadline, string kept)
    {
        var response = await Admin.PutAsync($"/v1/periods/{Catalogue2014}/2012Q2", JsonBody($$"""{"deadline":"{{deadline}}"}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DateTimeOffset.Parse(kept, System.Globalization.CultureInfo.InvariantCulture),
            (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deadline").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("2015-01-20T10:00:00.1234567891Z", false)] // past 100 ns, as a deadline's or ?from='s
    [InlineData("2015-01-20t10:00:00z", true)]             // RFC 3339's lower-case t and z, as ?from= takes them
    [InlineData("2015-01-20T10:00:00%2B08:00", true)]
    [InlineData("2015-01-20T10:00:00+08:00", true)]        // a + sent unencoded arrives as a space, read as the + it was
    public async Task As_At_Is_Read_By_Every_Date_Times_Rule(string asAt, bool taken)
    {
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?asAt={asAt}", Ct);
        if (taken) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else Assert.Equal("asAt", Assert.Single((await ProblemAsync(response, 400)).GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Date_Time_With_Ten_Fraction_Digits_Is_Refused()
    {
        var response = await Admin.PutAsync($"/v1/periods/{Catalogue2014}/2012Q2", JsonBody("""{"deadline":"2020-02-01T00:00:00.1234567891Z"}"""), Ct);

        Assert.Contains("deadline must be a date-time string with its UTC offset", (await ProblemAsync(response, 400)).GetRawText());
    }
}
