using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Catalogue;

namespace Disclosure.Api.Tests;

/// <summary>
/// 上年结转与上年结转下年度衔接 for the office: a town whose 2022 上年结转 is not what its 2021 table carried forward is listed under
/// the overview of 2022, beside the other lists to check, and above the review of the town's table once the clerk opens it.
/// Headless Chromium against the real service.
/// </summary>
public sealed class DiffersFromLastYearCarriedBrowserTests
{
    private const string AdminKey = "differs-from-last-year-carried-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2021";

    [Fact]
    public Task A_Balance_Carried_In_Not_As_Last_Year_Carried_Forward_Is_Listed_Under_The_Overview_And_Above_The_Review() =>
        Browser.RunPageTestAsync("differs-from-last-year-carried", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name) in new[] { ("gushao-town", "古邵镇"), ("nanshan-town", "南山镇") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "town" }, ct)).StatusCode);
            async Task Store(string reporter, string period, params (string Code, decimal Value)[] values) =>
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter, period, catalogue = Catalogue, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray(),
                }, ct)).StatusCode);
            // Both towns carry 5 forward out of 2021; 古邵镇 carries 4 into 2022, 南山镇 the 5 it carried forward.
            foreach (var town in new[] { "gushao-town", "nanshan-town" })
                await Store(town, "2021", ("3.1:natural", 10), ("3.3.1:natural", 5), ("3.4:natural", 5));
            await Store("gushao-town", "2022", ("3.2:natural", 4), ("3.3.1:natural", 4));
            await Store("nanshan-town", "2022", ("3.2:natural", 5), ("3.3.1:natural", 5));

            // The clerk opens the overview of 2022: the third list to check, with last year's figure first.
            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2022", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#carriedAll tr[data-reporter=\"gushao-town\"]')", ct);
            Assert.Equal("上年结转数与上年报表结转下年度数不一致的（各单位，请核对）", (await browser.EvaluateAsync("document.querySelector('#carriedAll h3').textContent", ct)).GetValue<string>());
            Assert.Equal("古邵镇|3.2:natural|二、上年结转政府信息公开申请数量 · 自然人|5|4", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#carriedAll tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|')).join('/')", ct)).GetValue<string>());
            Assert.EndsWith("|2021年结转下年度|上年结转", (await browser.EvaluateAsync("[...document.querySelectorAll('#carriedAll thead th')].map(c => c.textContent).join('|')", ct)).GetValue<string>());

            // The town's name opens its table, with the same finding above the review.
            await browser.ClickAsync("#carriedAll [data-drill=\"gushao-town\"]", ct);
            await browser.WaitForAsync("document.querySelector('#review #differsFromLastYearCarried tr[data-code=\"3.2:natural\"]')", ct);
            Assert.Equal("以下上年结转数与本单位 2021 年报表的结转下年度数不一致，请向填报单位核对哪个正确：", (await browser.EvaluateAsync(
                "document.querySelector('#differsFromLastYearCarried .notice').textContent", ct)).GetValue<string>());
            Assert.Equal("3.2:natural|二、上年结转政府信息公开申请数量 · 自然人|5|4", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#differsFromLastYearCarried tr[data-code] td')].map(td => td.textContent).join('|')", ct)).GetValue<string>());

            // An edition that carries nothing in (2014's) asks for no such list.
            await browser.EvaluateAsync("window.asked = []; const f = window.fetch; window.fetch = (u, i) => { window.asked.push(String(u)); return f(u, i); }", ct);
            await browser.SelectAsync("#catalogue", "gov-info-disclosure-2014", ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2019", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#view h2')?.textContent.includes('2019') && window.asked.some(u => u.includes('differs-from-quarters'))", ct);
            Assert.Equal("", (await browser.EvaluateAsync("window.asked.filter(u => u.includes('differs-from-last-year-carried')).join(' ') + (document.querySelector('#carriedAll h3')?.textContent ?? '')", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Later_Quarters_Balance_Carried_In_Not_As_The_Quarter_Before_Carried_Forward_Is_Listed_As_The_Quarters() =>
        Browser.RunPageTestAsync("carried-quarter", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            // Table 三 of 2021 as an office's catalogue of years and quarters.
            using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-2021.json")!;
            var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
            const string quarterly = "carried-quarterly";
            doc["id"] = quarterly;
            doc["periods"]!["granularities"] = new JsonArray("year", "quarter");
            doc["tables"] = new JsonArray(doc["tables"]!.AsArray().Where(t => (string)t!["id"]! == "3").Select(t => t!.DeepClone()).ToArray());
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/catalogues", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"), ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            async Task Store(string period, params (string Code, decimal Value)[] values) =>
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = "gushao-town", period, catalogue = quarterly, values = values.Select(v => new { code = v.Code, value = v.Value }).ToArray(),
                }, ct)).StatusCode);
            // The first quarter carries 5 forward; the second carries 4 in.
            await Store("2023Q1", ("3.1:natural", 5), ("3.4:natural", 5));
            await Store("2023Q2", ("3.2:natural", 4), ("3.3.1:natural", 4));

            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", quarterly, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2023Q2", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#carriedAll tr[data-reporter=\"gushao-town\"]')", ct);
            Assert.Equal("期初结转数与上季度报表期末结转数不一致的（各单位，请核对）", (await browser.EvaluateAsync("document.querySelector('#carriedAll h3').textContent", ct)).GetValue<string>());
            Assert.Equal("古邵镇|3.2:natural|二、上年结转政府信息公开申请数量 · 自然人|5|4", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#carriedAll tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|')).join('/')", ct)).GetValue<string>());
            Assert.EndsWith("|2023年第1季度期末结转|本季度期初结转", (await browser.EvaluateAsync("[...document.querySelectorAll('#carriedAll thead th')].map(c => c.textContent).join('|')", ct)).GetValue<string>());

            await browser.ClickAsync("#carriedAll [data-drill=\"gushao-town\"]", ct);
            await browser.WaitForAsync("document.querySelector('#review #differsFromLastYearCarried tr[data-code=\"3.2:natural\"]')", ct);
            Assert.Equal("以下期初结转数与本单位2023年第1季度报表的期末结转数不一致，请向填报单位核对哪个正确：", (await browser.EvaluateAsync(
                "document.querySelector('#differsFromLastYearCarried .notice').textContent", ct)).GetValue<string>());
        });
}
