using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A closed period is what went into a published report: it prints the reporters' names it was closed with, whatever they are
/// renamed to since, while an open period prints the names as they are now; a reopening drops them and the next close records
/// them anew. A rename stays allowed. Its own database (a class fixture), since these tests close periods; each closes its own years.
/// </summary>
public sealed class ClosedPeriodNamesTests(ApiFactory factory) : ApiTest(factory)
{
    private async Task<(string Id, string Name)> NamedReporterAsync(string kind)
    {
        if (kind == "government") await RetireGovernmentsAsync();
        var (id, name) = (NewId(), Named("榴园镇"));
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, Ct)).StatusCode);
        return (id, name);
    }

    /// <summary>A name no other test uses, without its reporter's id in it, so that a name printed is not an id printed.</summary>
    private static string Named(string name) => $"{name}{Random.Shared.Next(100000, 999999)}号";

    private async Task RenameAsync(string id, string name) =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/v1/reporters/{id}", new { name }, Ct)).StatusCode);

    private async Task PostAsync(string period, string action) =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/{action}", null, Ct)).StatusCode);

    private async Task<string> ExportAsync(string path, string format)
    {
        var response = await Admin.GetAsync($"{path}?format={format}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        if (format != "xlsx") return Encoding.UTF8.GetString(bytes);
        // The workbook's text, its sheets' and shared strings' XML together.
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var text = new StringBuilder();
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
            using (var reader = new StreamReader(entry.Open())) text.Append(await reader.ReadToEndAsync(Ct));
        return text.ToString();
    }

    /// <summary>Who signs the district table of <paramref name="period"/>, in each export format.</summary>
    private async Task<string[]> SignedByAsync(string period)
    {
        var path = $"/v1/aggregates/{Catalogue2014}/{period}";
        return [.. await Task.WhenAll(new[] { "csv", "html", "xlsx" }.Select(async format => await ExportAsync(path, format)))];
    }

    [Fact]
    public async Task A_Government_Renamed_After_A_Close_Signs_The_Closed_Periods_Exports_By_Its_Old_Name_And_An_Open_Ones_By_Its_New()
    {
        var (government, before) = await NamedReporterAsync("government");
        await PostAsync("2016", "close");
        var after = Named("峄城区人民政府");

        await RenameAsync(government, after);

        foreach (var export in await SignedByAsync("2016"))
        {
            Assert.Contains($"填报单位（盖章）：{before}", export);
            Assert.DoesNotContain(after, export);
        }
        foreach (var export in await SignedByAsync("2017")) Assert.Contains($"填报单位（盖章）：{after}", export);
        // The printed page's heading names it too, as closed.
        Assert.Contains($"（{before}）", await ExportAsync($"/v1/aggregates/{Catalogue2014}/2016", "html"));

        // Reopened, 2016 prints the name as it is; closed again, it keeps that one through the next rename.
        await PostAsync("2016", "reopen");
        foreach (var export in await SignedByAsync("2016")) Assert.Contains($"填报单位（盖章）：{after}", export);
        await PostAsync("2016", "close");
        var later = Named("峄城区人民政府办公室");
        await RenameAsync(government, later);
        foreach (var export in await SignedByAsync("2016"))
        {
            Assert.Contains($"填报单位（盖章）：{after}", export);
            Assert.DoesNotContain(later, export);
        }
        Assert.Equal(later, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{government}", Ct)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Town_Renamed_After_A_Close_Keeps_Its_Old_Name_In_The_Closed_Periods_Breakdown_Own_Table_And_Missing_List()
    {
        var (sent, sentBefore) = await NamedReporterAsync("town");
        var (owed, owedBefore) = await NamedReporterAsync("town");
        foreach (var period in new[] { "2018", "2019" })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, sent, period, SeedTable.Values)).StatusCode);
        await PostAsync("2018", "close");
        var (sentAfter, owedAfter) = (Named("榴园街道"), Named("阴平街道"));

        await RenameAsync(sent, sentAfter);
        await RenameAsync(owed, owedAfter);

        string ColumnName(JsonElement breakdown, string id) => breakdown.GetProperty("columns").EnumerateArray()
            .Single(c => c.GetProperty("reporter").GetString() == id).GetProperty("name").GetString()!;
        var closed = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2018/breakdown", Ct);
        Assert.Equal(sentBefore, ColumnName(closed, sent));
        var open = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2019/breakdown", Ct);
        Assert.Equal(sentAfter, ColumnName(open, sent));
        var breakdownSheet = await ExportAsync($"/v1/aggregates/{Catalogue2014}/2018/breakdown", "xlsx");
        Assert.Contains(sentBefore, breakdownSheet);
        Assert.DoesNotContain(sentAfter, breakdownSheet);
        // The town's own table of the closed year, and the district table's 未报 footer.
        var own = await ExportAsync($"/v1/aggregates/{Catalogue2014}/2018/reporters/{sent}", "csv");
        Assert.Contains($"填报单位（盖章）：{sentBefore}", own);
        var district = await ExportAsync($"/v1/aggregates/{Catalogue2014}/2018", "csv");
        Assert.Contains(owedBefore, district);
        Assert.DoesNotContain(owedAfter, district);
        Assert.Contains(owedAfter, await ExportAsync($"/v1/aggregates/{Catalogue2014}/2019", "csv"));

        await PostAsync("2018", "reopen");
        Assert.Equal(sentAfter, ColumnName(await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2018/breakdown", Ct), sent));
        Assert.Contains(owedAfter, await ExportAsync($"/v1/aggregates/{Catalogue2014}/2018", "csv"));
    }

    [Fact]
    public async Task The_Overviews_Names_Are_Each_Listed_Reporters_As_The_Period_Prints_It_And_A_Quarters_Closed_With_Its_Year_As_The_Year_Was_Closed()
    {
        var (sent, sentBefore) = await NamedReporterAsync("town");
        var (owed, owedBefore) = await NamedReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, sent, "2012", SeedTable.Values)).StatusCode);
        await PostAsync("2012", "close");
        var (sentAfter, owedAfter) = (Named("古邵镇"), Named("周营镇"));
        await RenameAsync(sent, sentAfter);
        await RenameAsync(owed, owedAfter);

        static string NameIn(JsonElement aggregate, string id) => aggregate.GetProperty("completeness").GetProperty("names").GetProperty(id).GetString()!;
        // Closed 2012: the one that reported and the one it closed on owing, as it was closed with them.
        var closed = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2012", Ct);
        Assert.Contains(owed, closed.GetProperty("completeness").GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((sentBefore, owedBefore), (NameIn(closed, sent), NameIn(closed, owed)));
        // Open 2013: as they are now.
        var open = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2013", Ct);
        Assert.Equal((sentAfter, owedAfter), (NameIn(open, sent), NameIn(open, owed)));
        // 2012Q3, open, closed with its year to the town that sent nothing of 2012: named as the year was closed with it, on the
        // page and in the printed footer; the town with a year's table owes the quarter, named as it is now.
        var quarter = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2012Q3", Ct);
        Assert.Contains(owed, quarter.GetProperty("completeness").GetProperty("closedWithYear").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((sentAfter, owedBefore), (NameIn(quarter, sent), NameIn(quarter, owed)));
        var footer = await ExportAsync($"/v1/aggregates/{Catalogue2014}/2012Q3", "csv");
        Assert.Contains(owedBefore, footer);
        Assert.DoesNotContain(owedAfter, footer);
    }
}
