using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office's statistics officer on the period's page presses 导出分单位明细 and gets the workbook with each
/// reporter's figures side by side, as the spreadsheets once e-mailed from every town. Headless Chromium against the real service.
/// </summary>
public sealed class BreakdownBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "breakdown-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Officer_Downloads_Every_Reporters_Figures_Side_By_Side_From_The_District_View() =>
        Browser.RunPageTestAsync("breakdown", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        foreach (var (id, name, kind) in new[] { ("yicheng-edu", "区教育局", "department"), ("yinping-town", "阴平镇", "town") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
        foreach (var (reporter, values) in new[] { ("yicheng-edu", SeedTable.Values.ToList()), ("yinping-town", [new("3.1.1", 4), new("3.1", 4)]) })
        {
            var body = new { reporter, period = "2014", catalogue = Catalogue, values = values.Select(v => new { code = v.Key, value = v.Value }).ToArray() };
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", body, ct)).StatusCode);
        }

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#breakdown')?.textContent === '导出分单位明细'", ct);

        var folder = Directory.CreateTempSubdirectory("disclosure-breakdown-").FullName;
        try
        {
            await browser.AllowDownloadsAsync(folder, ct);
            await browser.ClickAsync("#breakdown", ct);
            var file = Path.Combine(folder, "2014年度政府信息公开工作情况统计表-分单位明细.xlsx");
            // Chromium writes a .crdownload and gives it the page's name once it is whole.
            while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);

            using var doc = SpreadsheetDocument.Open(file, false);
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single();
            Assert.Equal("分单位明细", sheet.Name!.Value);
            var cells = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>()
                .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
            Assert.Equal(["区直部门", "乡镇街道", "合计"], new[] { "E3", "F3", "G3" }.Select(r => cells[r]));
            Assert.Equal(["区教育局", "阴平镇"], new[] { "E4", "F4" }.Select(r => cells[r]));
            var row = cells.Single(c => c.Key.StartsWith('B') && c.Value == "3.1").Key[1..];
            Assert.Equal(["60", "4", "64"], new[] { "E", "F", "G" }.Select(c => cells[c + row]));
            var blank = cells.Single(c => c.Key.StartsWith('B') && c.Value == "1.1").Key[1..];
            Assert.Equal((SeedTable.Value("1.1")!.Value.ToString(CultureInfo.InvariantCulture), ""), (cells["E" + blank], cells["F" + blank]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
