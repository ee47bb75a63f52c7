using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 撤乡并镇 as the district office's clerk does it: a town merged into another from 2020 is marked 撤并/停用 from that year
/// (typed as people write it, 2020年), the reporter list shows it 已撤并（自2020年度起）, the 2020 overview stops naming it among
/// the missing while 2019 still shows its table, and 恢复 undoes it. Headless Chromium against the real service.
/// </summary>
public sealed class RetirementBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "retirement-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Clerk_Marks_A_Merged_Town_And_The_Overview_Stops_Counting_It_Missing_Until_It_Is_Reinstated() =>
        Browser.RunPageTestAsync("retirement", AdminKey, Budget, RunAsync);

    private const string MissingTowns = "document.querySelector('#missingList li[data-kind=\"town\"]')?.textContent ?? ''";

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var merged = $"gushao-{Guid.NewGuid():N}"[..20];
        var kept = $"tanshan-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = merged, name = "古邵镇", kind = "town" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = kept, name = "坛山街道", kind = "town" }, ct)).StatusCode);
        var table = new { reporter = merged, period = "2019", catalogue = Catalogue, values = new[] { new { code = "13.1", value = 3 } } };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", table, ct)).StatusCode);

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2020", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"(t => t.includes('古邵镇') && t.includes('坛山街道'))({MissingTowns})", ct);

        // The clerk marks the merged town from 2020, the year written as people write it.
        await browser.ClickAsync("#tab-admin", ct);
        await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{merged}\"]')?.textContent.includes('在报')", ct);
        await browser.TypeAsync("#tid", merged, ct);
        await browser.TypeAsync("#tperiod", "2020年", ct);
        await browser.ClickAsync("#retireReporter button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('古邵镇 自2020年度起不再报送')", ct);
        await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{merged}\"]')?.textContent.includes('已撤并（自2020年度起）')", ct);
        Assert.Equal("2020", (await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{merged}", ct)).GetProperty("retiredFrom").GetString());
        var refused = await admin.PostAsJsonAsync("/v1/submissions", table with { period = "2020" }, ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        // A period no one writes that way is told in Chinese, and nothing changes.
        await browser.TypeAsync("#tid", kept, ct);
        await browser.TypeAsync("#tperiod", "明年", ct);
        await browser.ClickAsync("#retireReporter button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('统计期须写作年份')", ct);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{kept}", ct)).TryGetProperty("retiredFrom", out _));

        // Back on 2020: the merged town is no longer among the missing, nor counted as expected.
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"(t => t.includes('坛山街道') && !t.includes('古邵镇'))({MissingTowns})", ct);
        await browser.WaitForAsync("document.querySelector('#counts tr[data-kind=\"town\"] td.n')?.textContent === '1'", ct);
        Assert.False((await browser.EvaluateAsync($"!!document.querySelector('#overview tr[data-reporter=\"{merged}\"]')", ct)).GetValue<bool>());

        // 2019 still shows its table, the town marked as merged.
        await browser.TypeAsync("#period", "2019", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{merged}\"]')?.dataset.status === 'onTime'", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{merged}\"]').textContent.includes('已撤并（自2020年度起）')", ct);

        // 恢复 undoes it: the town is expected in 2020 again.
        // The tab draws the lists anew, and 恢复 is there already: pressed before the tab's lists are drawn, the lists drawn last
        // may be the tab's, the town still merged in them. 恢复 is pressed once they are drawn.
        await browser.WatchAsync("#keyList", ct);
        await browser.ClickAsync("#tab-admin", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#keyList")} && !!document.querySelector('#reporters [data-reinstate=\"{merged}\"]')", ct);
        await browser.ClickAsync($"#reporters [data-reinstate=\"{merged}\"]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('已恢复：古邵镇')", ct);
        await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{merged}\"]')?.textContent.includes('在报')", ct);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{merged}", ct)).TryGetProperty("retiredFrom", out _));
        // The tab reads 2019 again, the town no longer marked: until it has, the 2020 overview opened next races it.
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{merged}\"]') && !document.querySelector('#overview tr[data-reporter=\"{merged}\"] .retired')", ct);
        await browser.TypeAsync("#period", "2020", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"(t => t.includes('古邵镇') && t.includes('坛山街道'))({MissingTowns})", ct);

        // Merged again, the town signs in with the link it was sent: its page says so, and a 2020 table is refused as typed.
        var retire = new StringContent("""{"retiredFrom":"2020"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/v1/reporters/{merged}", retire, ct)).StatusCode);
        var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = merged }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#retiredNote')?.textContent.includes('本单位已撤并（自2020年度起）')", ct);
        await browser.WaitForAsync("document.querySelector('#myPeriods tr[data-period$=\"/2019\"]')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2020", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"13.1\"]')", ct);
        await browser.TypeAsync("#entry input[name=\"13.1\"]", "3", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已自2020年度起撤并')", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已自2020年度起撤并') && !document.querySelector('#submit').disabled", ct);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={merged}&catalogue={Catalogue}&period=2020", ct)).GetProperty("items").GetArrayLength());
    }
}
