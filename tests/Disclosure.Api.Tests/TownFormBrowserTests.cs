using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A town's own form and list in the small things a statistics officer meets: the template saved under the period, the table and
/// her town's name (the service's Content-Disposition), the row's code where a phone hides the code column, and 我的报表 in English naming the table in English.
/// Headless Chromium against the real service.
/// </summary>
public sealed class TownFormBrowserTests
{
    private const string AdminKey = "town-form-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Template_Is_Saved_By_Period_And_Town_A_Phone_Shows_Each_Rows_Code_And_My_Tables_Speak_English()
    {
        var step = "signing in";
        return Browser.RunPageTestAsync("town-form", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "huangzhuang", name = "黄庄镇", kind = "town" }, ct)).StatusCode);
            var stored = await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "huangzhuang", period = "2016Q4", catalogue = Catalogue, values = new[] { new { code = "1.2.1", value = 80m } },
            }, ct);
            Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync(ct));
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "huangzhuang" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#myPeriods tr[data-period]') && document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2016Q4", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.2.1\"]')?.value === '80'", ct);

            step = "downloading the template";
            var folder = Directory.CreateTempSubdirectory("disclosure-town-form-").FullName;
            try
            {
                await browser.AllowDownloadsAsync(folder, ct);
                await browser.ClickAsync("#template", ct);
                var file = Path.Combine(folder, "2016年第4季度政府信息公开工作情况统计表-黄庄镇-填报模板.xlsx");
                while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);
                Assert.Equal("80", WorkbookRoundTripTests.Read(await File.ReadAllBytesAsync(file, ct)).Single(c => c.Key.StartsWith('E') && c.Value == "80").Value);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            step = "on a phone";
            // The code column is hidden on a phone; the code stands before the row's name instead, and only there.
            const string RowCode = "getComputedStyle(document.querySelector('#entry td[data-cell=\"1.2.1\"]').closest('tr').querySelector('th .rowcode')).display";
            Assert.Equal("none", (await browser.EvaluateAsync(RowCode, ct)).GetValue<string>());
            await browser.SetViewportAsync((390, 844, true), ct);
            await browser.WaitForAsync($"{RowCode} !== 'none'", ct);
            Assert.Equal("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('#entry td.code')).display", ct)).GetValue<string>());
            Assert.StartsWith("1.2.1 ", (await browser.EvaluateAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"]').closest('tr').querySelector('th').innerText", ct)).GetValue<string>());
            await browser.SetViewportAsync(null, ct);

            step = "in English";
            // 我的报表 in English names the table as the select above it does.
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#lang').textContent === '中文' && document.querySelector('#myPeriods tr[data-period] td.title')", ct);
            var english = (await browser.EvaluateAsync($"document.querySelector('#catalogue option[value=\"{Catalogue}\"]').textContent", ct)).GetValue<string>();
            Assert.Equal(english, (await browser.EvaluateAsync("document.querySelector('#myPeriods tr[data-period] td.title').textContent", ct)).GetValue<string>());
            Assert.DoesNotContain("政府信息公开", english);
        }, () => step);
    }
}
