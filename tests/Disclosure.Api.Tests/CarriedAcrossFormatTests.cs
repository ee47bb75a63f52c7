using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disclosure.Api.Tests;

/// <summary>
/// A district that reported 2019–2020 on its own format, loaded with <c>edition.national</c> the 2021 edition and mapped cell for
/// cell (all but 3.4:research), and 2021 on the 2021 edition: 2021's 3.2 上年结转 is checked against 2020's 3.4 结转下年度 read through
/// the mapping, in the dry run and in the office's list, and 与上年比较 with it; a cell the mapping does not read is not compared, nor
/// a table of 2020 on a format that declares no mapping.
/// </summary>
public sealed class CarriedAcrossFormatTests(ApiFactory factory) : ApiTest(factory)
{
    internal const string Catalogue2021 = "gov-info-disclosure-2021";
    internal const string Mapped = "carried-format-2019";
    private const string Unmapped = "carried-format-unmapped-2019";

    private Task LoadFormatsAsync() => LoadFormatsAsync(Admin, (Mapped, true, 2019), (Unmapped, false, 2019));

    internal static async Task LoadFormatsAsync(HttpClient admin, params (string Id, bool Mapped, int From)[] formats)
    {
        var national = (await admin.GetFromJsonAsync<JsonObject>($"/v1/catalogues/{Catalogue2021}", Ct))!;
        foreach (var (id, mapped, from) in formats)
        {
            var doc = (JsonObject)national.DeepClone();
            doc["id"] = id;
            doc["title"] = "区用统计表（2019年格式）" + id;
            doc["periods"] = JsonSerializer.SerializeToNode(new { fromYear = from, toYear = 2020, granularities = new[] { "year" } });
            if (mapped)
                doc["edition"] = new JsonObject
                {
                    ["national"] = Catalogue2021,
                    ["cells"] = new JsonArray([.. doc["cells"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()).Where(c => c != "3.4:research")
                        .Select(c => (JsonNode)new JsonObject { ["code"] = c, ["national"] = new JsonArray(c) })]),
                };
            var loaded = await admin.PostAsJsonAsync("/v1/catalogues", doc, Ct);
            Assert.True(loaded.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await loaded.Content.ReadAsStringAsync(Ct));
        }
    }

    internal static object Table(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values) =>
        new { reporter, period, catalogue, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray() };

    internal async Task StoreAsync(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values)
    {
        var response = await Admin.PostAsJsonAsync("/v1/submissions", Table(reporter, period, catalogue, values), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>2020: 自然人 carries 5 forward, 科研机构 2.</summary>
    internal Task Store2020Async(string reporter, string catalogue) =>
        StoreAsync(reporter, "2020", catalogue, ("3.1:natural", 10), ("3.3.1:natural", 5), ("3.4:natural", 5), ("3.1:research", 2), ("3.4:research", 2));

    /// <summary>2021: 自然人 carries in 4 and receives 1000 (a hundred times last year's 10), 科研机构 carries in 7.</summary>
    internal static readonly (string, decimal)[] Values2021 =
        [("3.1:natural", 1000), ("3.2:natural", 4), ("3.3.1:natural", 1004), ("3.2:research", 7), ("3.3.1:research", 7)];

    internal async Task<List<string>> DryRunAsync(string reporter, string rule)
    {
        var verdict = await (await Admin.PostAsJsonAsync("/v1/submissions/validate", Table(reporter, "2021", Catalogue2021, Values2021), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. verdict.GetProperty("violations").EnumerateArray().Where(v => v.GetProperty("rule").GetString() == rule)
            .Select(v => $"{v.GetProperty("codes")[0].GetString()} {v.GetProperty("expected").GetString()} {v.GetProperty("actual").GetString()}")];
    }

    [Fact]
    public async Task The_First_Year_Of_The_2021_Edition_Is_Checked_Against_Last_Year_On_A_Format_Mapped_To_It()
    {
        await LoadFormatsAsync();
        var town = await CreateReporterAsync("town");
        await Store2020Async(town, Mapped);

        // The dry run: 3.2:natural against 2020's 3.4:natural through the mapping; 3.2:research not, as the mapping does not read 3.4:research.
        Assert.Equal(["3.2:natural 5 4"], await DryRunAsync(town, "differs-from-last-year-carried"));
        Assert.Contains("3.1:natural", (await DryRunAsync(town, "far-from-last-year")).Select(w => w.Split(' ')[0]));
        // Its words name the format last year's figures were read from, as the office's lists do (catalogueBefore).
        var words = (await (await Admin.PostAsJsonAsync("/v1/submissions/validate", Table(town, "2021", Catalogue2021, Values2021), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
            .GetProperty("violations").EnumerateArray().ToDictionary(v => v.GetProperty("codes")[0].GetString()!, v => v.GetProperty("messageZh").GetString()!);
        Assert.Equal($"3.1:natural 一、本年新收政府信息公开申请数量 · 自然人为 1000，2020年（按《区用统计表（2019年格式）{Mapped}》报送，经对照）为 10，相差五倍以上：请核对是否多打或漏打了数字（不影响提交）。",
            words["3.1:natural"]);
        Assert.Equal($"2021年 3.2:natural 二、上年结转政府信息公开申请数量 · 自然人为 4，2020年（按《区用统计表（2019年格式）{Mapped}》报送，经对照） 3.4:natural 四、结转下年度继续办理 · 自然人为 5，" +
            "结转数应当相等：请核对（不影响提交）。", words["3.2:natural"]);

        // The office's lists, once 2021 is stored, say the same and name the period before.
        await StoreAsync(town, "2021", Catalogue2021, Values2021);
        var carried = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2021/differs-from-last-year-carried?reporters={town}", Ct);
        Assert.Equal(("2020", Mapped), (carried.GetProperty("periodBefore").GetString(), carried.GetProperty("catalogueBefore").GetString()));
        var item = Assert.Single(carried.GetProperty("items").EnumerateArray());
        Assert.Equal(("3.2:natural", "3.4:natural", 5m, 4m),
            (item.GetProperty("code").GetString(), item.GetProperty("carriedFrom").GetString(), item.GetProperty("valueBefore").GetDecimal(), item.GetProperty("value").GetDecimal()));
        var far = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2021/far-from-last-year?reporters={town}", Ct);
        Assert.Equal(("2020", Mapped), (far.GetProperty("yearBefore").GetString(), far.GetProperty("catalogueBefore").GetString()));
        Assert.Contains("3.1:natural", far.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));

        // A town that sent 2020 on a format with no mapping has nothing compared: its items are not known to be the 2021 edition's.
        var other = await CreateReporterAsync("town");
        await Store2020Async(other, Unmapped);
        Assert.Empty(await DryRunAsync(other, "differs-from-last-year-carried"));
        Assert.Empty(await DryRunAsync(other, "far-from-last-year"));
    }
}

/// <summary>
/// The office loaded a revised format for 2020 (a corrected copy must be a new id), mapped to 2021 too, after a town had sent its
/// 2020 on the first: the town's 2021 is still compared with its own 2020, on the format it sent it on, in the dry run and the
/// office's lists alike, not with nothing because the revised one begins later.
/// </summary>
public sealed class CarriedAcrossTwoFormatsTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Last_Year_Is_Read_From_The_Mapped_Format_The_Reporter_Sent_It_On()
    {
        const string revised = "carried-format-2020-revised";
        await CarriedAcrossFormatTests.LoadFormatsAsync(Admin, (CarriedAcrossFormatTests.Mapped, true, 2019), (revised, true, 2020));
        var tests = new CarriedAcrossFormatTests(Factory);
        var town = await CreateReporterAsync("town");
        await tests.Store2020Async(town, CarriedAcrossFormatTests.Mapped);

        Assert.Equal(["3.2:natural 5 4"], await tests.DryRunAsync(town, "differs-from-last-year-carried"));
        await tests.StoreAsync(town, "2021", CarriedAcrossFormatTests.Catalogue2021, CarriedAcrossFormatTests.Values2021);
        var far = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{CarriedAcrossFormatTests.Catalogue2021}/2021/far-from-last-year?reporters={town}", Ct);
        Assert.Contains("3.1:natural", far.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
    }
}
