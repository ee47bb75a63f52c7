using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office's clerk in the browser, where things go wrong: an id registered twice, a key asked for a reporter
/// nobody registered, a town registered while the overview is open, closing the period with the network gone and then
/// with it back. Headless Chromium against the real service.
/// </summary>
public sealed class OfficePersonBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "office-person-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Clerk_Is_Told_In_Chinese_What_Went_Wrong_And_Sees_The_Overview_Follow_What_Was_Done() =>
        Browser.RunPageTestAsync("office-person", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
        await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
        await browser.TypeAsync("#keyInput", AdminKey, ct);
        await browser.ClickAsync("#signin button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);

        // The period's overview is open: nobody expected yet.
        await browser.EvaluateAsync($"(() => {{ const s = document.querySelector('#catalogue'); s.value = '{Catalogue}'; s.dispatchEvent(new Event('change')); }})()", ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#counts tr[data-kind=\"town\"] td[data-status=\"notSubmitted\"]')?.textContent === '0'", ct);

        // A town registered, then registered again by mistake: told in Chinese that the id exists.
        await browser.ClickAsync("#tab-admin", ct);
        for (var i = 0; i < 2; i++)
        {
            await browser.TypeAsync("#rid", town, ct);
            await browser.TypeAsync("#rname", "重复登记镇", ct);
            await browser.EvaluateAsync("document.querySelector('#rkind').value = 'town'", ct);
            await browser.ClickAsync("#newReporter button[type=submit]", ct);
            await browser.WaitForAsync(i == 0 ? "document.querySelector('#status').textContent.includes('✓')" : "document.querySelector('#status').textContent.includes('已经登记过')", ct);
        }

        // A key for an id nobody registered: told so in Chinese, and no key is made.
        await browser.TypeAsync("#kreporter", "no-such-town", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('未登记')", ct);
        Assert.False((await browser.EvaluateAsync("!!document.querySelector('#signinLink')", ct)).GetValue<bool>());

        // On a slow line the clerk presses 发放密钥 twice before anything shows: one key is issued, not two.
        await browser.SetLatencyAsync(600, ct);
        await browser.TypeAsync("#kreporter", town, ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#signinLink') && !document.querySelector('#newKey button').disabled", ct);
        await browser.SetLatencyAsync(0, ct);
        var keys = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray();
        Assert.Single(keys, k => k.TryGetProperty("reporter", out var r) && r.GetString() == town);

        // Back on the period: the new town is counted as not yet reported, without pressing 打开 again.
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{town}\"][data-status=\"notSubmitted\"]') && document.querySelector('#missingList li[data-kind=\"town\"]').textContent.includes('重复登记镇')", ct);

        // Closing with the network gone says so and changes nothing; with it back, the period closes and the page says so.
        await browser.SetOfflineAsync(true, ct);
        await browser.ClickAsync("#toggle", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('连接不上服务器')", ct);
        await browser.SetOfflineAsync(false, ct);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("closed").GetBoolean());
        await browser.ClickAsync("#toggle", ct);
        await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '重新开放'", ct);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("closed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/reporters/{town}", ct)).StatusCode);
    }
}
