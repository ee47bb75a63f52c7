using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 趋势 across an edition change: the district reported 2020 on the 2014 edition and 2021 on the 2021 edition. The office,
/// opening 2021's trend, has 2020 beside it, read from the 2014 edition; the indicator the 2021 table does not count (主动公开信息数)
/// shows no 2021 figure rather than another figure under its name; and the page says which edition each year was read from.
/// Headless Chromium against the real service.
/// </summary>
public sealed class TrendBrowserTests
{
    private const string AdminKey = "trend-admin-key-0123456789abcdef";

    [Fact]
    public Task The_Trend_Runs_Across_The_Edition_Change_And_Says_So() =>
        Browser.RunPageTestAsync("trend-editions", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "edu-bureau", name = "区教育局", kind = "department" }, ct)).StatusCode);
            var seed = SeedTable.Values.ToDictionary(v => v.Key, v => v.Value!.Value);
            var sample = Catalogue2021RoundTripTests.Sample();
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "edu-bureau", period = "2020", catalogue = "gov-info-disclosure-2014",
                values = seed.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
            }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "edu-bureau", period = "2021", catalogue = "gov-info-disclosure-2021",
                values = sample.Select(v => new { code = v.Key, value = v.Value }).ToArray(),
            }, ct)).StatusCode);

            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", "gov-info-disclosure-2021", ct);
            await browser.TypeAsync("#period", "2021", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"edu-bureau\"]')", ct);
            await browser.ClickAsync("#tab-trend", ct);
            await browser.WaitForAsync("document.querySelector('#trendTable tr[data-indicator=\"requests\"]')", ct);

            string Row(string indicator) => $"[...document.querySelectorAll('#trendTable tr[data-indicator=\"{indicator}\"] td')].map(td => td.textContent).join('|')";
            // 收到申请数: 2020 from the 2014 edition's 3.1, 2021 from the 2021 edition's 3.1 总计.
            var requests = (await browser.EvaluateAsync(Row("requests"), ct)).GetValue<string>().Split('|');
            Assert.Equal([seed["3.1"].ToString(CultureInfo.InvariantCulture), sample["3.1:total"].ToString(CultureInfo.InvariantCulture)], requests[..2]);
            Assert.StartsWith((sample["3.1:total"] - seed["3.1"]).ToString("+0;-0", CultureInfo.InvariantCulture), requests[2]);
            // 主动公开信息数: 2020's figure, and none for 2021 (the 2021 table does not count it), so no change either.
            Assert.Equal($"{seed["1.1"].ToString(CultureInfo.InvariantCulture)}||", (await browser.EvaluateAsync(Row("disclose"), ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#trend figure[data-indicator=\"requests\"] rect.last[data-year=\"2020\"]')", ct)).GetValue<bool>());
            var notes = (await browser.EvaluateAsync("[...document.querySelectorAll('#trend .trend-note')].map(p => p.textContent).join('/')", ct)).GetValue<string>();
            Assert.Contains("2020年：政府信息公开工作情况统计表（2014年版）；2021年：", notes);
            Assert.Contains("没有“主动公开信息数”一项", notes);
        });
}
