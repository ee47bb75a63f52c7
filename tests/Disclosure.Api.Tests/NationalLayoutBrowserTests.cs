using System.Net;
using System.Net.Http.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Disclosure.Api.Tests;

/// <summary>
/// A district on a provincial edition (Fujian's) sends the national table upward: the office, on the edition's period,
/// presses 按全国表样导出 Excel and gets the district table in the national 2014 layout, or 按全国表样打印 for the national
/// form; a national catalogue's period has no such buttons. Headless Chromium against the real service.
/// </summary>
public sealed class NationalLayoutBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "national-layout-browser-admin-key-0123456789";
    private const string Edition = "gov-info-disclosure-fujian-2008";
    private const string National = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Office_On_An_Edition_Exports_And_Prints_The_District_Table_In_The_National_Layout() =>
        Browser.RunPageTestAsync("national-layout", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        // 电子邮件 (2.3) and 网上 (2.4) are both the national 网络申请数 (3.1.3): 2 + 4 + 1 + 6 = 13 in the national table.
        foreach (var (id, name, kind, email, online) in new[] { ("putian-edu", "区教育局", "department", 1m, 6m), ("putian-town", "黄石镇", "town", 2m, 4m) })
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
            var body = new
            {
                reporter = id, period = "2015", catalogue = Edition,
                values = new[] { new { code = "2.3:year", value = email }, new { code = "2.4:year", value = online }, new { code = "4:year", value = 1m } },
            };
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", body, ct)).StatusCode);
        }

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync($"document.querySelector('#catalogue option[value=\"{Edition}\"]')", ct);

        // The national catalogue is itself the national layout: nothing to convert, no button.
        await OpenAsync(browser, National, ct);
        await browser.WaitForAsync("document.querySelector('#xlsx') && document.querySelector('#districtTable table')", ct);
        Assert.True((await browser.EvaluateAsync("!document.querySelector('#nationalXlsx') && !document.querySelector('#nationalPrint')", ct)).GetValue<bool>());

        await OpenAsync(browser, Edition, ct);
        await browser.WaitForAsync("document.querySelector('#nationalXlsx')?.textContent === '按全国表样导出 Excel'", ct);
        Assert.Equal("按全国表样打印", (await browser.EvaluateAsync("document.querySelector('#nationalPrint').textContent", ct)).GetValue<string>());
        // Beside the table's other exports, saying which national table it is.
        Assert.Equal("汇总表", (await browser.EvaluateAsync("document.querySelector('#nationalXlsx').closest('p').previousElementSibling.textContent", ct)).GetValue<string>());
        Assert.Contains("政府信息公开工作情况统计表（2014年版）", (await browser.EvaluateAsync("document.querySelector('#nationalXlsx').title", ct)).GetValue<string>());

        var folder = Directory.CreateTempSubdirectory("disclosure-national-").FullName;
        try
        {
            await browser.AllowDownloadsAsync(folder, ct);
            await browser.ClickAsync("#nationalXlsx", ct);
            var file = Path.Combine(folder, "2015年度政府信息公开工作情况统计表-按全国表样.xlsx");
            // Chromium writes a .crdownload and gives it the page's name once it is whole.
            while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);

            using var doc = SpreadsheetDocument.Open(file, false);
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().Single();
            var cells = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Cell>()
                .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "");
            string Row(string code) => cells.Single(c => c.Key.StartsWith('B') && c.Key[1..].All(char.IsAsciiDigit) && c.Value == code).Key[1..];
            // The national form: its title, its rows by their national codes, 统计数 then the split by kind.
            Assert.Contains("政府信息公开工作情况统计表", cells["A1"]);
            Assert.Equal(["代码", "统计数", "区直部门", "乡镇街道"], new[] { "B3", "E3", "G3", "H3" }.Select(r => cells[r]));
            Assert.Equal(["13", "7", "6"], new[] { "E", "G", "H" }.Select(c => cells[c + Row("3.1.3")]));
            Assert.Equal("2", cells["E" + Row("4")]);
            // A national row the edition has no counterpart for stays blank, not 0.
            Assert.Equal("", cells.GetValueOrDefault("E" + Row("3.1.2"), ""));
            Assert.DoesNotContain(cells.Values, v => v == "2.3:year");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // The national form to print, read with the key and printed from a frame of the page.
        await browser.ClickAsync("#nationalPrint", ct);
        await browser.WaitForAsync("document.querySelector('#printFrame')?.contentDocument?.querySelector('tr[data-code=\"3.1.3\"] td.n')", ct);
        Assert.Equal("13", (await browser.EvaluateAsync("document.querySelector('#printFrame').contentDocument.querySelector('tr[data-code=\"3.1.3\"] td.n').textContent", ct)).GetValue<string>());
        Assert.Contains("政府信息公开工作情况统计表", (await browser.EvaluateAsync("document.querySelector('#printFrame').contentDocument.title", ct)).GetValue<string>());

        // In English too.
        await browser.ClickAsync("#lang", ct);
        await browser.WaitForAsync("document.documentElement.lang === 'en' && document.querySelector('#nationalXlsx')?.textContent === 'Export Excel in the national layout'", ct);
        Assert.Equal("Print in the national layout", (await browser.EvaluateAsync("document.querySelector('#nationalPrint').textContent", ct)).GetValue<string>());
    }

    private static async Task OpenAsync(Browser browser, string catalogue, CancellationToken ct)
    {
        await browser.SelectAsync("#catalogue", catalogue, ct);
        await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
        await browser.TypeAsync("#period", "2015", ct);
        await browser.ClickAsync("#open", ct);
    }
}
