using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Catalogue;
using Disclosure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>POST /v1/catalogues: an office's catalogue checked, stored, found by every instance, and never changed.</summary>
public sealed class CatalogueLoadingTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>The shipped Fujian edition's document under a fresh id (each test owns its catalogue).</summary>
    private static JsonObject Document(string? id = null)
    {
        using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-fujian-2008.json")!;
        var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        doc["id"] = id ?? NewId("test-cat");
        return doc;
    }

    private static JsonObject Row(JsonObject doc, string code) =>
        doc["tables"]![0]!["rows"]!.AsArray().Single(r => (string)r!["code"]! == code)!.AsObject();

    private Task<HttpResponseMessage> PostAsync(JsonObject doc, HttpClient? client = null) =>
        (client ?? Admin).PostAsync("/v1/catalogues", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task A_Loaded_Catalogue_Is_Stored_Listed_Readable_And_Takes_Submissions()
    {
        var doc = Document();
        var id = (string)doc["id"]!;

        var response = await PostAsync(doc);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/catalogues/{id}", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(34, body.GetProperty("cells").GetArrayLength());
        Assert.Equal("gov-info-disclosure-2014", body.GetProperty("edition").GetProperty("national").GetString());
        var read = await Factory.Client().GetFromJsonAsync<JsonElement>($"/v1/catalogues/{id}", Ct);
        Assert.Equal(body.GetRawText(), read.GetRawText());
        var list = await Factory.Client().GetFromJsonAsync<JsonElement>("/v1/catalogues", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        Assert.NotNull(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync(id, Ct));

        var reporter = await CreateReporterAsync();
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2015", catalogue = id,
            values = new[] { new { code = "2.1:year", value = 3m }, new { code = "2.5:year", value = 2m }, new { code = "4:year", value = 1m } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var derived = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("derived").EnumerateArray().Select(d => d.GetString());
        Assert.Contains("2:year", derived);
    }

    [Fact]
    public async Task The_Same_Document_Again_Answers_As_The_First_Load_And_Another_Under_The_Same_Id_Is_409()
    {
        var doc = Document();
        var first = await PostAsync(doc);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var again = await PostAsync(doc);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));
        var changed = Document((string)doc["id"]!);
        changed["title"] = "改过的标题";
        var conflict = await ProblemAsync(await PostAsync(changed), 409);

        Assert.EndsWith("/catalogue-exists", conflict.GetProperty("type").GetString(), StringComparison.Ordinal);
        var read = await Factory.Client().GetFromJsonAsync<JsonElement>($"/v1/catalogues/{doc["id"]}", Ct);
        Assert.Equal((string)doc["title"]!, read.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_Built_In_Catalogue_Cannot_Be_Overridden()
    {
        var doc = Document("gov-info-disclosure-2014");

        var problem = await ProblemAsync(await PostAsync(doc), 409);

        Assert.EndsWith("/catalogue-built-in", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var read = await Factory.Client().GetFromJsonAsync<JsonElement>("/v1/catalogues/gov-info-disclosure-2014", Ct);
        Assert.Equal(73, read.GetProperty("cells").GetArrayLength());
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync("gov-info-disclosure-2014", Ct));
    }

    [Fact]
    public async Task Null_In_Place_Of_A_List_Or_An_Item_Is_A_422_Naming_Where_And_Nothing_Is_Stored()
    {
        var doc = Document();
        doc["tables"]![0]!["rows"]![2] = null;
        doc["units"]![0]!["accepts"] = null;

        var problem = await ProblemAsync(await PostAsync(doc), 422);

        Assert.Equal(["units[0].accepts", "tables[0].rows[2]"],
            problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("codes")[0].GetString()));
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync((string)doc["id"]!, Ct));
    }

    [Fact]
    public async Task Null_In_Place_Of_A_Required_List_Is_Not_Told_It_May_Be_Left_Out()
    {
        var doc = Document();
        doc["rules"] = null;
        doc["units"]![0]!["accepts"] = null;

        var problem = await ProblemAsync(await PostAsync(doc), 422);

        var messages = problem.GetProperty("violations").EnumerateArray().ToDictionary(v => v.GetProperty("codes")[0].GetString()!, v => v.GetProperty("message").GetString()!);
        Assert.Equal("rules is null: give a list, [] if there is nothing to list; it is required, and cannot be left out.", messages["rules"]);
        Assert.Equal("units[0].accepts is null: give a list, or leave it out if there is nothing to list.", messages["units[0].accepts"]);
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync((string)doc["id"]!, Ct));
    }

    [Fact]
    public async Task A_Catalogue_As_It_Is_Read_Can_Be_Loaded_Again_Under_A_New_Id_Its_Cells_Not_Kept()
    {
        var doc = Document();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(doc)).StatusCode);
        var read = JsonNode.Parse(await Factory.Client().GetStringAsync($"/v1/catalogues/{doc["id"]}", Ct))!.AsObject();
        var next = NewId("test-cat");
        read["id"] = next;

        var again = await PostAsync(read);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(read["cells"]!.ToJsonString(), JsonSerializer.Serialize(body.GetProperty("cells")));
        // The cells are not kept with the document: the same document without them is the very one stored.
        var stored = await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync(next, Ct);
        Assert.False(JsonNode.Parse(stored!.Document)!.AsObject().ContainsKey("cells"));
        var withoutCells = Document(next);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(withoutCells)).StatusCode);
    }

    [Theory]
    [InlineData("name", "cells[3].name", "cells[3].name is '改过的名称' where the tables imply")]
    [InlineData("drop-last", "cells[33]", "cells lists 33 cells, and the tables imply 34: the next is")]
    [InlineData("extra", "cells[34]", "cells[34] ('9.9') is a cell the tables do not imply: they imply 34 cells.")]
    [InlineData("swap", "cells[0].code", "cells[0].code is")]
    [InlineData("decimals", "cells[5].decimals", "cells[5].decimals is '3' where the tables imply")]
    public async Task Cells_Other_Than_Those_The_Tables_Imply_Are_A_422_Naming_The_First_Difference_And_Nothing_Is_Stored(string change, string at, string message)
    {
        var doc = Document();
        var cells = JsonNode.Parse(await Factory.Client().GetStringAsync("/v1/catalogues/gov-info-disclosure-fujian-2008", Ct))!["cells"]!.AsArray();
        Assert.Equal(34, cells.Count);
        switch (change)
        {
            case "name": cells[3]!["name"] = "改过的名称"; break;
            case "drop-last": cells.RemoveAt(33); break;
            case "extra": cells.Add(JsonNode.Parse("""{"code":"9.9","table":"t","row":"9.9","name":"多余","unit":"件","decimals":0,"overTime":"flow"}""")); break;
            case "swap": var first = cells[0]!; cells.RemoveAt(0); cells.Insert(1, first); break;
            case "decimals": cells[5]!["decimals"] = 3; break;
        }
        doc["cells"] = cells.DeepClone();

        var problem = await ProblemAsync(await PostAsync(doc), 422);

        var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
        Assert.Equal("catalogue-cells", violation.GetProperty("rule").GetString());
        Assert.Equal([at], violation.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.StartsWith(message, violation.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(violation.GetProperty("messageZh").GetString()));
        if (change == "name") Assert.Equal("改过的名称", violation.GetProperty("actual").GetString());
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync((string)doc["id"]!, Ct));
    }

    [Theory]
    [InlineData(983, 2000)]
    [InlineData(984, 2002)]
    public async Task A_Catalogue_With_More_Value_Cells_Than_A_Submission_Carries_Is_A_422_And_Nothing_Is_Stored(int addedRows, int cells)
    {
        var doc = Document();
        doc.Remove("edition");
        var rows = doc["tables"]![0]!["rows"]!.AsArray();
        for (var i = 0; i < addedRows; i++)
            rows.Add(new JsonObject { ["code"] = $"9.{i}", ["role"] = "value", ["unit"] = "件", ["overTime"] = "flow", ["name"] = $"附加行 {i}" });

        var response = await PostAsync(doc);

        if (cells <= CatalogueChecker.MaxCells)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(cells, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("cells").GetArrayLength());
            return;
        }
        var violation = Assert.Single((await ProblemAsync(response, 422)).GetProperty("violations").EnumerateArray());
        Assert.Equal("catalogue-table", violation.GetProperty("rule").GetString());
        Assert.Contains($"{cells} value cells", violation.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"最多 {CatalogueChecker.MaxCells} 项", violation.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync((string)doc["id"]!, Ct));
    }

    [Fact]
    public async Task Every_Problem_Of_A_Document_Is_Listed_In_One_422_And_Nothing_Is_Stored()
    {
        var doc = Document();
        Row(doc, "2.4")["code"] = "2.1";
        Row(doc, "5")["unit"] = "吨";
        Row(doc, "1.1")["parent"] = "9";
        doc["rules"]![0]!["expression"] = "1:year <= 7:year";

        var problem = await ProblemAsync(await PostAsync(doc), 422);

        var violations = problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("rule").GetString()).ToList();
        Assert.Contains("catalogue-code", violations);
        Assert.Contains("catalogue-unit", violations);
        Assert.Contains("catalogue-parent", violations);
        Assert.Contains("catalogue-rule", violations);
        Assert.All(problem.GetProperty("violations").EnumerateArray(), v => Assert.False(string.IsNullOrEmpty(v.GetProperty("messageZh").GetString())));
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync((string)doc["id"]!, Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await Factory.Client().GetAsync($"/v1/catalogues/{doc["id"]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Member_The_Shape_Does_Not_Have_Is_A_400_Not_Dropped()
    {
        var doc = Document();
        Row(doc, "2")["sumsOf"] = new JsonArray("2.1");

        await ProblemAsync(await PostAsync(doc), 400);
    }

    [Fact]
    public async Task A_Document_Missing_Required_Members_Is_A_400_Naming_Them_And_Nothing_Is_Stored()
    {
        var doc = Document();
        var id = (string)doc["id"]!;
        doc.Remove("title");
        doc.Remove("units");

        var problem = await ProblemAsync(await PostAsync(doc), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("title", error.GetProperty("name").GetString()); // the first member left out, not "body"
        var reason = error.GetProperty("reason").GetString()!;
        Assert.Contains("'title'", reason, StringComparison.Ordinal);
        Assert.Contains("'units'", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("must be a JSON object", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("tables[0].title")]
    [InlineData("tables[0].rows[0].name")]
    [InlineData("tables[0].columns[0].name")]
    [InlineData("units[0].nameEn")]
    [InlineData("rules[0].why")]
    [InlineData("rules[0].whyEn")]
    public async Task Null_Where_The_Document_Declares_Text_Is_A_400_Naming_It_And_Nothing_Is_Stored(string at)
    {
        // A title or name stored as null would be printed by every export and template of the catalogue, which it never leaves.
        var doc = Document();
        var id = (string)doc["id"]!;
        var dot = at.LastIndexOf('.');
        var owner = dot < 0 ? doc : Member(doc, at[..dot]).AsObject();
        owner[at[(dot + 1)..]] = null;

        var problem = await ProblemAsync(await PostAsync(doc), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(at, error.GetProperty("name").GetString());
        Assert.Equal($"{at} 须为 JSON 字符串，不能是 null。{at} must be a JSON string, not null.", error.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);
        Assert.Null(await Factory.Services.GetRequiredService<ICatalogueStore>().GetCatalogueAsync(id, Ct));
    }

    /// <summary>The node at a path such as <c>tables[0].rows[0]</c>.</summary>
    private static JsonNode Member(JsonNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = node[bracket < 0 ? part : part[..bracket]]!;
            if (bracket >= 0) node = node[int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
        }
        return node;
    }

    [Fact]
    public async Task A_Stored_Document_Holding_Null_Text_Is_Left_Out_Rather_Than_Failing_Its_Exports()
    {
        // An earlier build stored such a document: this one cannot print it, and says there is no such catalogue rather than a 500.
        var doc = Document();
        var id = (string)doc["id"]!;
        doc["tables"]![0]!["title"] = null;
        doc["rules"]![0]!["why"] = null;
        Assert.Equal(CatalogueSaveStatus.Created,
            await Factory.Services.GetRequiredService<ICatalogueStore>().SaveCatalogueAsync(new StoredCatalogue(id, doc.ToJsonString(), DateTimeOffset.UtcNow), Ct));

        foreach (var path in new[] { $"/v1/aggregates/{id}/2016?format=csv", $"/v1/aggregates/{id}/2016/breakdown?format=xlsx", $"/v1/catalogues/{id}" })
            Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Member_Left_Out_Of_A_Nested_Object_Is_Named_By_Its_Path()
    {
        var doc = Document();
        var unit = doc["units"]!.AsArray()[0]!.AsObject();
        Assert.True(unit.Remove("code"));

        var problem = await ProblemAsync(await PostAsync(doc), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("units[0].code", error.GetProperty("name").GetString());
        Assert.Contains("'code'", error.GetProperty("reason").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Document_Without_Rules_Is_A_400_Naming_Them_And_An_Empty_List_Is_Stored()
    {
        var doc = Document();
        var id = (string)doc["id"]!;
        doc.Remove("rules");

        var problem = await ProblemAsync(await PostAsync(doc), 400);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("rules", error.GetProperty("name").GetString());
        Assert.Equal("请求体（body）缺少必填项 'rules'。body lacks the required properties 'rules'.", error.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);

        doc["rules"] = new JsonArray();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(doc)).StatusCode);
        var read = await Admin.GetFromJsonAsync<JsonElement>($"/v1/catalogues/{id}", Ct);
        Assert.Equal(0, read.GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task Only_The_Admin_May_Load_A_Catalogue()
    {
        var (_, viewer) = await CreateKeyAsync("viewer");

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Document(), Factory.Client(viewer))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Document(), Factory.Client())).StatusCode);
    }

    [Fact]
    public async Task A_Catalogue_Stored_Through_Another_Instance_Is_Found_Here_On_First_Use()
    {
        // Another instance shares the store: what it saved is in the store, not in this instance's registry.
        var doc = Document();
        var id = (string)doc["id"]!;
        var document = CatalogueRegistry.Serialize(JsonSerializer.Deserialize<CatalogueDocument>(doc.ToJsonString(), CatalogueRegistry.FileOptions)!);
        Assert.Equal(CatalogueSaveStatus.Created,
            await Factory.Services.GetRequiredService<ICatalogueStore>().SaveCatalogueAsync(new StoredCatalogue(id, document, DateTimeOffset.UtcNow), Ct));

        var reporter = await CreateReporterAsync();
        var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2016", catalogue = id, values = new[] { new { code = "5:year", value = 1m } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Factory.Client().GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Catalogue_Named_Before_It_Was_Loaded_Is_Used_As_Soon_As_It_Is_Loaded_Here()
    {
        // The first submission finds no such catalogue, and the miss is remembered; loading it here must not wait for the
        // miss to expire.
        var doc = Document();
        var id = (string)doc["id"]!;
        var reporter = await CreateReporterAsync();
        object Body() => new { reporter, period = "2016", catalogue = id, values = new[] { new { code = "5:year", value = 1m } } };

        var before = await Admin.PostAsJsonAsync("/v1/submissions", Body(), Ct);
        Assert.NotEqual(HttpStatusCode.Created, before.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Factory.Client().GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(doc)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", Body(), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Factory.Client().GetAsync($"/v1/catalogues/{id}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("")]
    public async Task A_Format_The_National_Layout_Does_Not_Write_Is_The_District_Tables_400_Naming_Format(string format)
    {
        // Not a 406 blaming the Accept header (*/* here), which every format satisfies.
        var national = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/gov-info-disclosure-fujian-2008/2014/as/gov-info-disclosure-2014?format={format}", Ct), 400);
        var district = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/gov-info-disclosure-fujian-2008/2014?format={format}", Ct), 400);

        var error = Assert.Single(national.GetProperty("errors").EnumerateArray());
        Assert.Equal("format", error.GetProperty("name").GetString());
        Assert.Equal(Assert.Single(district.GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString(), error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_Edition_Aggregate_Reads_In_The_National_Layout()
    {
        var doc = Document();
        var id = (string)doc["id"]!;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(doc)).StatusCode);
        foreach (var (kind, email, online) in new[] { ("town", 2m, 4m), ("department", 1m, 6m) })
        {
            var reporter = await CreateReporterAsync(kind);
            var submitted = await Admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter, period = "2015", catalogue = id,
                values = new[] { new { code = "2.4:year", value = online }, new { code = "2.3:year", value = email }, new { code = "4:year", value = 1m } },
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        var response = await Admin.GetAsync($"/v1/aggregates/{id}/2015/as/gov-info-disclosure-2014", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("gov-info-disclosure-2014", body.GetProperty("catalogue").GetString());
        var cells = body.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.Equal(13m, cells["3.1.3"].GetProperty("total").GetDecimal());       // 网络申请数 = 电子邮件 (2 + 1) + 网上 (4 + 6)
        Assert.Equal(6m, cells["3.1.3"].GetProperty("town").GetDecimal());
        Assert.Equal(2m, cells["4"].GetProperty("total").GetDecimal());            // 行政复议
        Assert.Equal(JsonValueKind.Null, cells["3.1.2"].GetProperty("total").ValueKind); // 传真 was not reported
        Assert.Equal(13m, cells["3.1"].GetProperty("total").GetDecimal());         // 受理总数, derived in the edition from the parts given
        Assert.Empty(body.GetProperty("unreadable").EnumerateArray());
        Assert.Equal(["2.3:year", "2.4:year"], cells["3.1.3"].GetProperty("from").EnumerateArray().Select(e => e.GetString()));

        // Tagged and cached as the edition's own table is, and printed as the national form is, for the district to send upward.
        var url = $"/v1/aggregates/{id}/2015/as/gov-info-disclosure-2014";
        using (var again = new HttpRequestMessage(HttpMethod.Get, url))
        {
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);
        }
        var csv = await Admin.GetAsync(url + "?format=csv", Ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(("2015年度政府信息公开工作情况统计表-按全国表样.csv", $"gov-info-disclosure-2014-2015-{id}.csv"),
            (csv.Content.Headers.ContentDisposition?.FileNameStar, csv.Content.Headers.ContentDisposition?.FileName?.Trim('"')));
        var text = await csv.Content.ReadAsStringAsync(Ct);
        Assert.Contains(",13,", text.Split("\r\n").Single(l => l.Contains(",3.1.3,", StringComparison.Ordinal)));
        Assert.Contains("已报 2 个", text);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (await Admin.GetAsync(url + "?format=xlsx", Ct)).Content.Headers.ContentType?.MediaType);

        var notAnEdition = await Admin.GetAsync($"/v1/aggregates/{id}/2015/as/gov-info-disclosure-2021", Ct);
        Assert.Equal(HttpStatusCode.NotFound, notAnEdition.StatusCode);
    }

    [Fact]
    public async Task The_National_Layout_Says_The_Edition_Periods_Completeness_As_The_Editions_Own_Table_Does()
    {
        var doc = Document();
        var id = (string)doc["id"]!;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(doc)).StatusCode);
        var (sent, owing) = (await CreateReporterAsync("town"), await CreateReporterAsync("department"));
        var settings = await Admin.PutAsJsonAsync($"/v1/periods/{id}/2015", new { deadline = "2016-01-31T16:00:00+00:00", expectedReporters = new[] { sent, owing } }, Ct);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = sent, period = "2015", catalogue = id, values = new[] { new { code = "2.3:year", value = 2m } },
        }, Ct)).StatusCode);

        var national = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2015/as/gov-info-disclosure-2014", Ct);

        var completeness = national.GetProperty("completeness");
        Assert.Equal((2, 1), (completeness.GetProperty("expected").GetInt32(), completeness.GetProperty("submitted").GetInt32()));
        Assert.Equal([owing], completeness.GetProperty("missing").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(sent, Assert.Single(completeness.GetProperty("reporters").EnumerateArray()).GetProperty("reporter").GetString());
        Assert.Equal(DateTimeOffset.Parse("2016-01-31T16:00:00+00:00", CultureInfo.InvariantCulture), completeness.GetProperty("deadline").GetDateTimeOffset());
        // The very object the edition's own table gives.
        var own = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{id}/2015", Ct);
        Assert.Equal(own.GetProperty("completeness").GetRawText(), completeness.GetRawText());
    }
}
