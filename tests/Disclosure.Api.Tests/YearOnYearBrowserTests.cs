using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 与上年比较: a town officer who types a figure with a digit twice (98760 where last year was 9876) has the cell pointed out to
/// be checked, without being stopped, and may say why in its 填报说明; the office, reviewing the table, reads the note and sees
/// the figure listed beside last year's; the mark goes once the figure is near last year's again. Headless Chromium against the real service.
/// </summary>
public sealed class YearOnYearBrowserTests
{
    private const string AdminKey = "year-on-year-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task A_Figure_Far_From_Last_Years_Is_Marked_To_Check_Still_Submits_And_Is_Listed_For_The_Review() =>
        Browser.RunPageTestAsync("year-on-year", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            var lastYear = await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "gushao-town", period = "2013", catalogue = Catalogue,
                values = new[] { new { code = "1.2.1", value = 9876m }, new { code = "1.2.2", value = 1369m } },
            }, ct);
            Assert.Equal(HttpStatusCode.Created, lastYear.StatusCode);
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "gushao-town" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"] .prev')", ct);
            // Last year's figures beside the cells, as the service compares them (a cell blank last year has none).
            Assert.Equal("上年 9,876|上年 1,369|", (await browser.EvaluateAsync(
                "['1.2.1', '1.2.2', '1.2.3'].map(c => document.querySelector(`#entry td[data-cell=\"${c}\"] .prev`)?.textContent ?? '').join('|')", ct)).GetValue<string>());

            // A digit typed twice: the cell is marked to be checked (last year's figure is under it); the table is still valid.
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "98760", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.2\"]", "1400", ct);
            await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"]').classList.contains('check')" +
                " && document.querySelector('#verdict').textContent.startsWith('校验通过') && document.querySelector('#verdict').textContent.includes('有 1 处与上年相差很大')", ct);
            Assert.Contains("与上年相差很大", (await browser.EvaluateAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"] .msg').textContent", ct)).GetValue<string>());
            Assert.False((await browser.EvaluateAsync("document.querySelector('#entry td[data-cell=\"1.2.2\"]').classList.contains('check')", ct)).GetValue<bool>());

            // It stops nothing: the table is stored as typed, with the town's 填报说明.
            await browser.TypeAsync("#note", "网站改版，信息量增加。", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交')", ct);
            var stored = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/submissions?reporter=gushao-town&catalogue=" + Catalogue + "&period=2014", ct);
            Assert.Equal(1, stored.GetProperty("items").GetArrayLength());
            var revision = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions/{stored.GetProperty("items")[0].GetProperty("id").GetString()}", ct);
            Assert.Equal("网站改版，信息量增加。", revision.GetProperty("note").GetString());

            // Corrected, the mark goes.
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.2.1\"]').value = ''", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "9880", ct);
            await browser.WaitForAsync("!document.querySelector('#entry td.check') && document.querySelector('#verdict').textContent === '校验通过'", ct);

            // The office, reviewing that table, has the figure listed with last year's above its buttons, and only that one.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct); // the office's sign-in link
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"gushao-town\"] [data-drill]')", ct);
            // Under the overview, every reporter's figures far from its last year, in one list.
            await browser.WaitForAsync("document.querySelector('#farAll tr[data-reporter=\"gushao-town\"][data-code=\"1.2.1\"]')", ct);
            Assert.Equal("古邵镇|1.2.1|1、政府网站公开政府信息数|9,876|98,760", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#farAll tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|')).join('/')", ct)).GetValue<string>());
            // The overview says which tables came with a note.
            Assert.Equal("附说明", (await browser.EvaluateAsync("document.querySelector('#overview tr[data-reporter=\"gushao-town\"] [data-note]')?.textContent ?? ''", ct)).GetValue<string>());
            await browser.ClickAsync("#overview tr[data-reporter=\"gushao-town\"] [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#farFromLastYear tr[data-code=\"1.2.1\"]')", ct);
            Assert.Equal("1.2.1|1、政府网站公开政府信息数|9,876|98,760", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#farFromLastYear tr[data-code] td')].map(td => td.textContent).join('|')", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#review #accept')", ct)).GetValue<bool>());
            // And the town's note with it, first.
            Assert.Equal("填报说明：网站改版，信息量增加。", (await browser.EvaluateAsync("document.querySelector('#review #reviewNote').textContent", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("document.querySelector('#reviewNote').nextElementSibling.id === 'farFromLastYear'", ct)).GetValue<bool>());
        });

    [Fact]
    public Task A_Sum_Being_Filled_In_Is_Not_Marked_And_A_Year_From_Quarters_Is_Listed_As_Such() =>
        Browser.RunPageTestAsync("year-on-year-quarters", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "tanshan-town", name = "坛山街道", kind = "town" }, ct)).StatusCode);
            async Task StoreAsync(string period, params (string Code, decimal Value)[] values) =>
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = "tanshan-town", period, catalogue = Catalogue, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray(),
                }, ct)).StatusCode);
            await StoreAsync("2015", ("1.2.1", 30), ("3.1.1", 10), ("3.1.3", 50));
            // 2016 sent quarter by quarter, ten times 2015's 1.2.1 in all.
            for (var q = 1; q <= 4; q++) await StoreAsync($"2016Q{q}", ("1.2.1", 75));
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "tanshan-town" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            // The town fills in its 2016 year table, against 2015: 3.1.1 typed as last year, and the 3.1 the service derives from
            // it alone so far (10, against 2015's 60) is not marked: nobody typed it.
            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2016", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"3.1.1\"] .prev')", ct);
            await browser.TypeAsync("#entry input[name=\"3.1.1\"]", "10", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过'", ct);
            Assert.Equal("10", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"3.1\"]').placeholder", ct)).GetValue<string>());
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#entry td.check').length", ct)).GetValue<int>());

            // The office's list names the town's 2016 as added up from its quarters, with no link to revisions it does not have.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2016", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#farAll tr[data-reporter=\"tanshan-town\"][data-code=\"1.2.1\"]')", ct);
            Assert.Equal("坛山街道（据季报）|1.2.1|1、政府网站公开政府信息数|30|300", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#farAll tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|')).join('/')", ct)).GetValue<string>());
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#farAll [data-drill]').length", ct)).GetValue<int>());
            // And the overview says where its year comes from, rather than the revision number of one quarter.
            Assert.Equal("据季报（4 个季度）", (await browser.EvaluateAsync("document.querySelector('#overview tr[data-reporter=\"tanshan-town\"] td.n').textContent", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Quarter_Chosen_Gives_The_Trend_Of_That_Quarter_Across_The_Years() =>
        Browser.RunPageTestAsync("quarter-trend", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            // 3.1 收到申请数 of the third quarter in 2013 and 2014, and of the year 2014 (from a table of its own), all different.
            foreach (var (period, requests) in new[] { ("2013Q3", 4m), ("2014Q3", 6m), ("2014Q2", 50m), ("2014", 80m) })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = "gushao-town", period, catalogue = Catalogue, values = new[] { new { code = "3.1.1", value = requests } },
                }, ct)).StatusCode);

            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014年第三季度", ct);
            await browser.ClickAsync("#tab-trend", ct);
            await browser.WaitForAsync("document.querySelector('#trendTable tr[data-indicator=\"requests\"]')", ct);
            // The same quarter of each year (同比), not the years: 2013Q3 4 → 2014Q3 6.
            Assert.Equal("4|6|+2（50.0%）", (await browser.EvaluateAsync("[...document.querySelectorAll('#trendTable tr[data-indicator=\"requests\"] td')].map(td => td.textContent).join('|')", ct)).GetValue<string>());
            Assert.Equal("全区主要指标（各年第3季度）", (await browser.EvaluateAsync("document.querySelector('#page-trend h2').textContent", ct)).GetValue<string>());
            Assert.Equal("本期 2014 / 上年同期 2013", (await browser.EvaluateAsync("document.querySelector('#trendTable caption').textContent", ct)).GetValue<string>());

            // The year chosen again, the years: 2014's own table, 80.
            await browser.ClickAsync("#tab-period", ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#tab-trend", ct);
            await browser.WaitForAsync("document.querySelector('#page-trend h2').textContent === '全区主要指标（各年度）' && document.querySelector('#trendTable tr[data-indicator=\"requests\"] td:nth-child(3)')?.textContent === '80'", ct);
        });
}
