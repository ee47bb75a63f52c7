using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 年报与季报衔接 in the pages: a town that sent its four quarters fills in its year, has a figure that is not what its quarters
/// give pointed out at the cell (without being stopped), and the office finds it listed under the overview and above the
/// review of that town's table. Headless Chromium against the real service.
/// </summary>
public sealed class DiffersFromQuartersBrowserTests
{
    private const string AdminKey = "differs-from-quarters-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task A_Year_Figure_Not_As_The_Quarters_Give_Is_Marked_Still_Submits_And_Is_Listed_For_The_Review() =>
        Browser.RunPageTestAsync("differs-from-quarters", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            for (var q = 1; q <= 4; q++)
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = "gushao-town", period = $"2017Q{q}", catalogue = Catalogue,
                    values = new[] { new { code = "1.2.1", value = 1000m }, new { code = "12.2", value = q == 4 ? 6m : 5m } },
                }, ct)).StatusCode);
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "gushao-town" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            // The year as its quarters give it: nothing to check.
            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2017", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.2.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "4000", ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "6", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过'", ct);

            // 4100: the cell is marked in orange with the quarters' sum, and the table is still valid.
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.2.1\"]').value = ''", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "4100", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过；有 1 处与季报不一致，请核对'", ct);
            Assert.Equal("与本年四个季度季报（4,000）不一致：请核对（不影响提交；汇总以年报为准）。", (await browser.EvaluateAsync(
                "document.querySelector('#entry td[data-cell=\"1.2.1\"].check:not(.bad) .msg').textContent", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.2.1\"]').getAttribute('aria-invalid') === null", ct)).GetValue<bool>());
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交')", ct);

            // The office: listed under the overview of 2017, and above the review of the town's table.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2017", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#quartersAll tr[data-reporter=\"gushao-town\"]')", ct);
            Assert.Equal("古邵镇|1.2.1|1、政府网站公开政府信息数|4,000|4,100", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#quartersAll tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|')).join('/')", ct)).GetValue<string>());
            Assert.EndsWith("|季报|年报", (await browser.EvaluateAsync("[...document.querySelectorAll('#quartersAll thead th')].map(c => c.textContent).join('|')", ct)).GetValue<string>());
            await browser.ClickAsync("#quartersAll [data-drill=\"gushao-town\"]", ct);
            await browser.WaitForAsync("document.querySelector('#review #differsFromQuarters tr[data-code=\"1.2.1\"]')", ct);
            Assert.Equal("1.2.1|1、政府网站公开政府信息数|4,000|4,100", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#differsFromQuarters tr[data-code] td')].map(td => td.textContent).join('|')", ct)).GetValue<string>());

            // A quarter's overview asks for no such list.
            await browser.EvaluateAsync("window.asked = []; const f = window.fetch; window.fetch = (u, i) => { window.asked.push(String(u)); return f(u, i); }", ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2017Q4", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#view h2')?.textContent.includes('2017年第4季度') && document.querySelector('#overview tr[data-reporter=\"gushao-town\"]') && window.asked.some(u => u.includes('far-from-last-year'))", ct);
            Assert.Equal("", (await browser.EvaluateAsync("window.asked.filter(u => u.includes('differs-from-quarters')).join(' ') + (document.querySelector('#quartersAll h3')?.textContent ?? '')", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Year_Filled_In_Before_Its_Fourth_Quarter_Says_The_Quarter_Is_To_Come_And_Its_Table_Sent_Again_Unchanged_Stores_Nothing() =>
        Browser.RunPageTestAsync("quarters-to-come", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "huangzhuang", name = "黄庄镇", kind = "town" }, ct)).StatusCode);
            for (var q = 1; q <= 3; q++)
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = "huangzhuang", period = $"2016Q{q}", catalogue = Catalogue, values = new[] { new { code = "1.2.1", value = 100m } },
                }, ct)).StatusCode);
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "huangzhuang" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2016", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.2.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "400", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过 2016年第四季度季报尚未报送，年报与季报暂无法核对（报齐后再核对）；不影响提交。'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '已提交，第 1 版'", ct);

            // Opened again and sent as it stands: nothing stored, and said so.
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.2.1\"]')?.value === '400' && document.querySelector('#verdict').textContent.startsWith('校验通过')", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '与已提交的第 1 版完全相同，没有改动，未另存新版本'", ct);
            var revisions = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions?reporter=huangzhuang&catalogue={Catalogue}&period=2016", ct);
            Assert.Single(revisions.GetProperty("items").EnumerateArray());
        });
}
