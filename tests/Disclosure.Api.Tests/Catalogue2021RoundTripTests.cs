using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>The 2021 national format through the HTTP surface: submit → aggregate → exports laid out as printed.</summary>
public sealed class Catalogue2021RoundTripTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Catalogue2021 = "gov-info-disclosure-2021";

    /// <summary>The sample table of tests/Disclosure.Catalogue.Tests/Data/district-2021.tsv (see its header for its provenance).</summary>
    internal static Dictionary<string, decimal> Sample(string file = "district-2021.tsv")
    {
        var values = new Dictionary<string, decimal>();
        string[]? columns = null;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", file)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f[0] == "row") { columns = f; continue; }
            for (var i = 1; i < f.Length; i++)
                if (f[i].Length > 0) values[f[0] + ":" + columns![i]] = decimal.Parse(f[i], CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>Every cell of the tables with columns, code → district total.</summary>
    private static Dictionary<string, JsonElement> CellTotals(JsonElement table) =>
        table.GetProperty("rows").EnumerateArray()
            .Where(r => r.TryGetProperty("cells", out var c) && c.ValueKind == JsonValueKind.Array)
            .SelectMany(r => r.GetProperty("cells").EnumerateArray())
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("total"));

    private async Task<string> SubmitSampleAsync()
    {
        var reporter = await CreateReporterAsync("department");
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021", catalogue = Catalogue2021,
            values = Sample().Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings").EnumerateArray());
        return reporter;
    }

    [Fact]
    public async Task The_Sample_2021_Table_Round_Trips_Through_Submit_And_Aggregate()
    {
        var reporter = await SubmitSampleAsync();
        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter}", Ct);
        Assert.Empty(table.GetProperty("violations").EnumerateArray());
        var cells = CellTotals(table);
        foreach (var (code, value) in Sample())
            Assert.True(cells[code].GetDecimal() == value, $"{code}: expected {value}, got {cells[code]}");
        Assert.Equal(Sample()["3.1:total"], cells["3.1:total"].GetDecimal());
    }

    /// <summary>Tables 三 and 四 of 《2019年上海市人民政府办公厅政府信息公开工作年度报告》 as printed (see the data file's header).</summary>
    [Fact]
    public async Task A_Published_Table_With_Blank_Totals_Round_Trips_With_Its_Totals_Derived()
    {
        var reporter = await CreateReporterAsync("government");
        var printed = Sample("shanghai-2019-tables-3-4.tsv");
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021", catalogue = Catalogue2021,
            values = printed.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var derived = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("derived").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains("3.3.1:total", derived);

        var table = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter}", Ct);
        Assert.Empty(table.GetProperty("violations").EnumerateArray());
        var cells = CellTotals(table);
        foreach (var (code, value) in printed) Assert.Equal(value, cells[code].GetDecimal());
        Assert.Equal(272, cells["3.3.1:total"].GetDecimal());
        Assert.Equal(JsonValueKind.Null, cells["4.2.2:total"].ValueKind);
    }

    [Fact]
    public async Task A_Quarter_Is_Refused_For_The_2021_Catalogue()
    {
        var reporter = await CreateReporterAsync();
        var response = await Admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2021Q1", catalogue = Catalogue2021, values = new[] { new { code = "3.1:natural", value = 1 } },
        }, Ct);
        var problem = await ProblemAsync(response, 422);
        Assert.Equal("period", problem.GetProperty("violations")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task The_Csv_Export_Lays_Columns_Across()
    {
        var reporter = await SubmitSampleAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2021}/2021?reporters={reporter}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var text = Encoding.UTF8.GetString((await (await Admin.SendAsync(request, Ct)).Content.ReadAsByteArrayAsync(Ct))[3..]);
        Assert.Contains("序号,代码,统计指标,单位,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计", text);
        var sample = Sample();
        var line = text.Split("\r\n").Single(l => l.Contains(",3.1,", StringComparison.Ordinal));
        Assert.EndsWith(string.Join(",", new[] { "natural", "commercial", "research", "welfare", "legal", "other", "total" }
            .Select(c => sample[$"3.1:{c}"].ToString(CultureInfo.InvariantCulture))), line);
    }
}
