using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

public sealed class ReporterTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Reporter_Is_Registered_And_Read_Back()
    {
        var id = NewId("edu");
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "峄城区教育局", kind = "department" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/reporters/{id}", response.Headers.Location?.ToString());

        var body = await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct);
        Assert.Equal("峄城区教育局", body.GetProperty("name").GetString());
        Assert.Equal("department", body.GetProperty("kind").GetString());
        Assert.Contains((await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_Year_Added_Up_From_All_Four_Quarters_Is_Reported_In_The_Reporters_Own_List_As_In_The_Overview()
    {
        var town = await CreateReporterAsync("town");
        var deadline = Factory.Clock.GetUtcNow().AddDays(1);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2009", new { deadline, expectedReporters = new[] { town } }, Ct)).StatusCode);
        foreach (var q in new[] { "Q1", "Q2", "Q3" }) Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2009" + q, [new("13.1", 1)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2009Q4", [new("13.1", 1)])).StatusCode);

        var item = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{town}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == "2009");
        Assert.Equal(4, item.GetProperty("quarters").GetArrayLength());
        Assert.Equal(0, item.GetProperty("revision").GetInt32());
        // Its fourth quarter came after the year's deadline: late, as the office's overview says.
        var overview = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2009?reporters={town}", Ct)).GetProperty("completeness");
        Assert.Equal("late", item.GetProperty("status").GetString());
        Assert.Equal("late", overview.GetProperty("reporters")[0].GetProperty("status").GetString());
        Assert.Equal(1, overview.GetProperty("submitted").GetInt32());
    }

    [Fact]
    public async Task A_Reporter_Reads_Its_Tables_By_Period_With_Their_Status()
    {
        var town = await CreateReporterAsync("town");
        var other = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        using var client = Factory.Client(key);
        var now = Factory.Clock.GetUtcNow();
        var deadline = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(2);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2011",
            new { deadline, expectedReporters = new[] { town } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2009",
            new { deadline, expectedReporters = new[] { other } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2010Q3",
            new { deadline, expectedReporters = new[] { town } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, town, "2010Q2", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, town, "2010Q2", [new("13.1", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, town, "2010Q3", [new("13.1", 1)])).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, town, "2010Q3", [new("13.1", 2)])).StatusCode);

        var response = await client.GetAsync($"/v1/reporters/{town}/periods", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("catalogue").GetString() == Catalogue2014).ToDictionary(i => i.GetProperty("period").GetString()!);
        Assert.Equal("notSubmitted", items["2011"].GetProperty("status").GetString());
        Assert.Equal(0, items["2011"].GetProperty("revision").GetInt32());
        Assert.Equal(deadline, items["2011"].GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("onTime", items["2010Q2"].GetProperty("status").GetString());
        Assert.Equal(2, items["2010Q2"].GetProperty("revision").GetInt32());
        Assert.Equal("revisedLate", items["2010Q3"].GetProperty("status").GetString());
        Assert.False(items.ContainsKey("2009"));
        // Its 2010 is added up from two quarters in the district table: listed with them, not reported yet (季报未报齐).
        Assert.Equal(["2010Q2", "2010Q3"], items["2010"].GetProperty("quarters").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal("notSubmitted", items["2010"].GetProperty("status").GetString());
        Assert.False(items["2011"].TryGetProperty("quarters", out _));

        await ProblemAsync(await client.GetAsync($"/v1/reporters/{other}/periods", Ct), 403);
        await ProblemAsync(await Admin.GetAsync("/v1/reporters/no-such-reporter/periods", Ct), 404);
    }

    private async Task<HttpResponseMessage> RenameAsync(HttpClient client, string id, string json, string mediaType = "application/json") =>
        await client.PatchAsync($"/v1/reporters/{id}", new StringContent(json, System.Text.Encoding.UTF8, mediaType), Ct);

    private async Task<JsonElement> ReporterAsync(string id) => await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct);

    [Fact]
    public async Task A_Misspelt_Name_Is_Corrected_And_Read_Listed_And_Printed_By_The_New_Name()
    {
        var id = NewId("cg");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "城关真", kind = "town" }, Ct)).StatusCode);
        var created = await ReporterAsync(id);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, id, "2014", SeedTable.Values)).StatusCode);
        var printed = $"/v1/aggregates/{Catalogue2014}/2014?reporters={id}&format=html";
        var before = await Admin.GetAsync(printed, Ct);
        Assert.Contains("城关真", await before.Content.ReadAsStringAsync(Ct));

        var response = await RenameAsync(Admin, id, """{"name":" 城关镇 "}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("城关镇", body.GetProperty("name").GetString());
        Assert.Equal("town", body.GetProperty("kind").GetString());
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), body.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal("城关镇", (await ReporterAsync(id)).GetProperty("name").GetString());
        Assert.Contains((await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("id").GetString() == id && r.GetProperty("name").GetString() == "城关镇");
        // The printed table read just before is not served again from the cache: it names the reporter as it is now.
        var after = await Admin.GetAsync(printed, Ct);
        var html = await after.Content.ReadAsStringAsync(Ct);
        Assert.Contains("城关镇", html);
        Assert.DoesNotContain("城关真", html);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var drill = await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{id}?format=csv", Ct);
        Assert.DoesNotContain("城关真", drill);
        // The stored table and its place in the split by kind are as they were.
        Assert.Equal(1, (await RevisionsAsync(id, "2014")).GetArrayLength());
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2014?reporters={id}", Ct);
        var row = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "3.1");
        Assert.Equal(60m, row.GetProperty("town").GetDecimal());
    }

    [Fact]
    public async Task A_Name_Is_Also_Corrected_By_A_Merge_Patch_Document()
    {
        var id = await CreateReporterAsync("town");

        var response = await RenameAsync(Admin, id, """{"name":"坛山街道办事处"}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("坛山街道办事处", (await ReporterAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_Kind_Given_As_It_Is_Is_Accepted_And_Another_Kind_Is_422_And_Nothing_Changes()
    {
        var id = await CreateReporterAsync("town");

        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, id, """{"name":"古邵镇","kind":"town"}""")).StatusCode);
        var problem = await ProblemAsync(await RenameAsync(Admin, id, """{"name":"古邵镇人民政府","kind":"department"}"""), 422);

        var violation = Assert.Single(problem.GetProperty("violations").EnumerateArray());
        Assert.Equal("kind-unchangeable", violation.GetProperty("rule").GetString());
        Assert.Equal("town", violation.GetProperty("expected").GetString());
        Assert.Equal("department", violation.GetProperty("actual").GetString());
        Assert.Contains("split by kind", violation.GetProperty("message").GetString());
        Assert.Contains("类别", violation.GetProperty("messageZh").GetString());
        var stored = await ReporterAsync(id);
        Assert.Equal("古邵镇", stored.GetProperty("name").GetString());
        Assert.Equal("town", stored.GetProperty("kind").GetString());

        // The kind alone: another is the same 422, not a complaint about a name nobody gave; the same changes nothing.
        Assert.Equal("kind-unchangeable", (await ProblemAsync(await RenameAsync(Admin, id, """{"kind":"department"}"""), 422))
            .GetProperty("violations")[0].GetProperty("rule").GetString());
        var same = await RenameAsync(Admin, id, """{"kind":"town"}""");
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("古邵镇", (await same.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Correcting_An_Unknown_Reporter_Is_404_And_Registers_Nobody()
    {
        var id = NewId("ghost");

        var problem = await ProblemAsync(await RenameAsync(Admin, id, """{"name":"城关镇"}"""), 404);

        Assert.Contains(id, problem.GetProperty("detail").GetString());
        await ProblemAsync(await Admin.GetAsync($"/v1/reporters/{id}", Ct), 404);
    }

    [Fact]
    public async Task Only_The_District_Office_Corrects_A_Name()
    {
        var id = await CreateReporterAsync("town");
        var (_, own) = await CreateKeyAsync("reporter", id);
        var (_, viewer) = await CreateKeyAsync("viewer");

        await ProblemAsync(await RenameAsync(Factory.Client(own), id, """{"name":"城关镇"}"""), 403);
        await ProblemAsync(await RenameAsync(Factory.Client(viewer), id, """{"name":"城关镇"}"""), 403);
        await ProblemAsync(await RenameAsync(Factory.Client(), id, """{"name":"城关镇"}"""), 401);

        Assert.Equal("测试单位 " + id, (await ReporterAsync(id)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{}""", "body")] // a patch that changes nothing
    [InlineData("""{"name":"坛山\n街道"}""", "name")]
    [InlineData("""{"name":"坛山\u0001街道"}""", "name")]
    [InlineData("""{"name":"坛山\u2028街道"}""", "name")] // a line separator: two lines in a printed cell
    [InlineData("""{"name":"\u202E道街山坛"}""", "name")] // shown reversed: 坛山街道
    [InlineData("""{"name":"\ud800"}""", "name")]
    [InlineData("""{"name":7}""", "name")]
    [InlineData("""{"name":"城关镇","kind":"village"}""", "kind")]
    [InlineData("""{"name":"城关镇","id":"another-id"}""", "id")]
    [InlineData("""{"name":"城关镇","createdAt":"2015-01-01T00:00:00Z"}""", "createdAt")]
    [InlineData("""{"name":"城关镇","name":"城关镇"}""", "name")]
    [InlineData("null", "body")]
    public async Task A_Bad_Name_Or_A_Member_That_Cannot_Change_Is_400_Naming_It_And_Nothing_Changes(string json, string field)
    {
        var id = await CreateReporterAsync("town");

        var problem = await ProblemAsync(await RenameAsync(Admin, id, json), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        Assert.Equal("测试单位 " + id, (await ReporterAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Name_Longer_Than_Registration_Allows_Is_400_And_Nothing_Changes()
    {
        var id = await CreateReporterAsync("town");

        var problem = await ProblemAsync(await Admin.PatchAsJsonAsync($"/v1/reporters/{id}", new { name = new string('名', 201) }, Ct), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "name");
        Assert.Equal("测试单位 " + id, (await ReporterAsync(id)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{id}", new { name = new string('名', 200) }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Contact_Is_Registered_Changed_Alone_Read_By_The_Office_And_The_Reporter_Not_A_Viewer_And_Removed_By_Null()
    {
        var id = NewId("town");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters",
            new { id, name = "涧头集镇", kind = "town", contact = " 王芳 0632-7712345 " }, Ct)).StatusCode);
        Assert.Equal("王芳 0632-7712345", (await ReporterAsync(id)).GetProperty("contact").GetString());

        var changed = await RenameAsync(Admin, id, """{"contact":"李强 13800000000"}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = await changed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("涧头集镇", "李强 13800000000"), (body.GetProperty("name").GetString(), body.GetProperty("contact").GetString()));
        var (_, own) = await CreateKeyAsync("reporter", id);
        var (_, viewer) = await CreateKeyAsync("viewer");
        Assert.Equal("李强 13800000000", (await Factory.Client(own).GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).GetProperty("contact").GetString());
        // A viewer key (a dashboard) reads the reporter but not the person's telephone number.
        var listed = (await Factory.Client(viewer).GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("涧头集镇", listed.GetProperty("name").GetString());
        Assert.False(listed.TryGetProperty("contact", out _));
        Assert.False((await Factory.Client(viewer).GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).TryGetProperty("contact", out _));
        Assert.Contains((await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("id").GetString() == id && r.GetProperty("contact").GetString() == "李强 13800000000");
        // Only the office changes it.
        await ProblemAsync(await RenameAsync(Factory.Client(own), id, """{"contact":"自己"}"""), 403);

        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, id, """{"contact":null}""")).StatusCode);
        Assert.False((await ReporterAsync(id)).TryGetProperty("contact", out _));
    }

    [Theory]
    [InlineData("""{"contact":""}""")]
    [InlineData("""{"contact":"  "}""")]
    [InlineData("""{"contact":"王芳\n0632-7712345"}""")]
    [InlineData("""{"contact":"王芳 \u2067\u0035\u0034\u0033\u2069"}""")]
    [InlineData("""{"contact":7}""")]
    public async Task A_Contact_That_Is_Not_One_Line_Of_Text_Is_400_Naming_It_And_Nothing_Changes(string json)
    {
        var id = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, id, """{"contact":"王芳"}""")).StatusCode);

        var problem = await ProblemAsync(await RenameAsync(Admin, id, json), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "contact");
        Assert.Equal("王芳", (await ReporterAsync(id)).GetProperty("contact").GetString());
        var tooLong = await Admin.PostAsJsonAsync("/v1/reporters", new { id = NewId("town"), name = "n", kind = "town", contact = new string('电', 101) }, Ct);
        Assert.Contains((await ProblemAsync(tooLong, 400)).GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "contact");
    }

    [Fact]
    public async Task A_Duplicate_Id_Is_409()
    {
        var id = await CreateReporterAsync();
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "again", kind = "town" }, Ct);
        var problem = await ProblemAsync(response, 409);
        Assert.Contains(id, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Second_District_Government_Is_409_Naming_The_One_Not_Retired_On_Registering_And_On_Reinstating()
    {
        var first = await CreateReporterAsync("government");
        var second = NewId("gov");
        async Task<HttpResponseMessage> RegisterSecondAsync() =>
            await Admin.PostAsJsonAsync("/v1/reporters", new { id = second, name = "峄城区人民政府" + second, kind = "government" }, Ct);

        var problem = await ProblemAsync(await RegisterSecondAsync(), 409);
        Assert.EndsWith("/duplicate-government", problem.GetProperty("type").GetString());
        Assert.Equal(first, problem.GetProperty("heldBy").GetString());
        Assert.Contains($"retire '{first}' first", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{second}", Ct)).StatusCode);

        // The government's office reorganised: the old one retired from the first period the new one reports.
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, first, """{"retiredFrom":"2021"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await RegisterSecondAsync()).StatusCode);
        // The same registration again reads as the registered id it is.
        Assert.EndsWith("/duplicate-reporter", (await ProblemAsync(await RegisterSecondAsync(), 409)).GetProperty("type").GetString());

        // Reinstating the old one would make two; moving its retirement keeps one.
        var reinstate = await ProblemAsync(await RenameAsync(Admin, first, """{"retiredFrom":null}""", "application/merge-patch+json"), 409);
        Assert.EndsWith("/duplicate-government", reinstate.GetProperty("type").GetString());
        Assert.Equal(second, reinstate.GetProperty("heldBy").GetString());
        Assert.Equal("2021", (await ReporterAsync(first)).GetProperty("retiredFrom").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, first, """{"retiredFrom":"2020Q3"}""")).StatusCode);
    }

    [Fact]
    public async Task A_Name_Another_Reporter_Has_Is_409_Naming_It_Whether_Typed_Alike_With_Spaces_Or_With_A_Combining_Accent()
    {
        var holder = NewId("gushao");
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = holder, name = "Caf\u00e9古邵镇", kind = "town" }, Ct)).StatusCode);

        foreach (var name in new[] { "Caf\u00e9古邵镇", " Caf\u00e9古邵镇 ", "Cafe\u0301古邵镇" })
        {
            var id = NewId("dup");
            var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "department" }, Ct), 409);
            Assert.EndsWith("/duplicate-reporter-name", problem.GetProperty("type").GetString());
            Assert.Equal(("Caf\u00e9古邵镇", holder), (problem.GetProperty("name").GetString(), problem.GetProperty("heldBy").GetString()));
            Assert.Contains(holder, problem.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{id}", Ct)).StatusCode);
        }
        // A name typed with a combining accent is kept precomposed, as it looks.
        var decomposed = NewId("cafe");
        var created = await Admin.PostAsJsonAsync("/v1/reporters", new { id = decomposed, name = " Cafe\u0301阴平镇", kind = "town" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Caf\u00e9阴平镇", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        Assert.Equal("Caf\u00e9阴平镇", (await ReporterAsync(decomposed)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Rename_To_Another_Reporters_Name_Is_409_And_Changes_Nothing_Of_The_Patch_While_Its_Own_Name_Retyped_Is_Fine()
    {
        var (holder, other) = (await CreateReporterAsync("town"), await CreateReporterAsync("town"));

        var response = await RenameAsync(Admin, other, $$"""{"name":" 测试单位 {{holder}}","contact":"王芳 0632-7712345"}""", "application/merge-patch+json");

        var problem = await ProblemAsync(response, 409);
        Assert.Equal(("测试单位 " + holder, holder), (problem.GetProperty("name").GetString(), problem.GetProperty("heldBy").GetString()));
        var unchanged = await ReporterAsync(other);
        Assert.Equal("测试单位 " + other, unchanged.GetProperty("name").GetString());
        Assert.False(unchanged.TryGetProperty("contact", out _));
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, holder, $$"""{"name":"测试单位 {{holder}}  "}""")).StatusCode);
    }

    [Fact]
    public async Task A_Name_That_Is_Another_Reporters_Id_Or_An_Id_That_Is_Another_Reporters_Name_Is_409_Naming_The_Field_And_That_Reporter()
    {
        // A workbook's 填报单位 cell takes an id (in capitals or full-width letters too) or a name: text that were one reporter's id and
        // another's name would name either.
        var (gsj, town) = (await CreateReporterAsync("department"), await CreateReporterAsync("town"));
        var (newId, idShapedName) = (NewId("gs"), NewId("old"));

        var asName = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id = newId, name = gsj.ToUpperInvariant(), kind = "town" }, Ct), 409);
        var renamed = await ProblemAsync(await RenameAsync(Admin, town, $$"""{"name":" {{gsj}} ","contact":"王芳 0632-7712345"}""", "application/merge-patch+json"), 409);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = newId, name = idShapedName, kind = "town" }, Ct)).StatusCode);
        var asId = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id = idShapedName, name = "峨山镇" + idShapedName, kind = "town" }, Ct), 409);

        foreach (var (problem, field, value, heldBy) in new[] { (asName, "name", gsj.ToUpperInvariant(), gsj), (renamed, "name", gsj, gsj), (asId, "id", idShapedName, newId) })
        {
            Assert.EndsWith("/reporter-id-name-clash", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Equal((field, value, heldBy), (problem.GetProperty("field").GetString(), problem.GetProperty("value").GetString(), problem.GetProperty("heldBy").GetString()));
        }
        Assert.StartsWith($"名称“{gsj}”是填报单位 {gsj}（测试单位 {gsj}）的代码，没有保存", renamed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"代码“{idShapedName}”是填报单位 {newId} 的名称，没有保存", asId.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/v1/reporters/{idShapedName}", Ct)).StatusCode);
        var unchanged = await ReporterAsync(town);
        Assert.Equal("测试单位 " + town, unchanged.GetProperty("name").GetString());
        Assert.False(unchanged.TryGetProperty("contact", out _));
        // A reporter's own id, as its name or in capitals, names nobody else.
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, town, $$"""{"name":"{{town.ToUpperInvariant()}}"}""")).StatusCode);
    }

    [Fact]
    public async Task A_Retired_Reporter_Keeps_Its_Name_Until_The_Office_Renames_It_And_Then_A_New_One_Takes_It()
    {
        var (merged, successor) = (NewId("eshan-old"), NewId("eshan"));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = merged, name = "峨山镇", kind = "town" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, merged, """{"retiredFrom":"2020"}""")).StatusCode);

        var refused = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id = successor, name = "峨山镇", kind = "town" }, Ct), 409);
        Assert.Equal(merged, refused.GetProperty("heldBy").GetString());

        Assert.Equal(HttpStatusCode.OK, (await RenameAsync(Admin, merged, """{"name":"峨山镇（已撤并）"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = successor, name = "峨山镇", kind = "town" }, Ct)).StatusCode);
        var names = (await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("name").GetString());
        Assert.Equal(("峨山镇（已撤并）", "峨山镇"), (names[merged], names[successor]));
    }

    [Theory]
    [InlineData("{\"id\":\"Upper-Case\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"a\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"town-newline\\n\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"坛山\\u0001街道\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"坛山\\u200B街道\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"坛山\\n街道\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"\\ud800\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"x\",\"kind\":\"village\"}", "kind")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"x\"}", "kind")]
    public async Task A_Malformed_Reporter_Is_400_Naming_The_Field(string json, string field)
    {
        var response = await Admin.PostAsync("/v1/reporters", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString()!.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_Unknown_Reporter_Is_404_Problem() =>
        await ProblemAsync(await Admin.GetAsync("/v1/reporters/no-such-one", Ct), 404);

    [Fact]
    public async Task Unknown_Routes_And_Methods_Are_Problems()
    {
        await ProblemAsync(await Admin.GetAsync("/v1/nothing-here", Ct), 404);
        await ProblemAsync(await Admin.PutAsJsonAsync("/v1/reporters", new { }, Ct), 405);
    }

    [Fact]
    public async Task A_Name_Stored_Before_It_Was_Checked_Still_Prints_In_The_Template_And_The_Export()
    {
        // A control character (which XML cannot carry) in a name written straight to the store, as a build before the check allowed.
        var id = NewId("ctl");
        await Factory.Services.GetRequiredService<Disclosure.Storage.IReporterStore>().CreateReporterAsync(
            new Disclosure.Storage.Reporter(id, "坛山\u0001街道", Disclosure.Storage.ReporterKind.Town, DateTimeOffset.UtcNow), Ct);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, id, "2014", SeedTable.Values)).StatusCode);

        var template = await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={id}", Ct);
        var export = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?format=xlsx", Ct);

        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains("坛山\uFFFD街道", WorkbookRoundTripTests.Read(await template.Content.ReadAsByteArrayAsync(Ct)).Values);
    }
}
