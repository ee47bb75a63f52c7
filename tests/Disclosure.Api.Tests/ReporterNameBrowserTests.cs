using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office's clerk mends a town registered under a misspelt name: an id nobody registered is told so in
/// Chinese, the town chosen from the list brings its name to mend, and the overview and the lists name it as mended.
/// Headless Chromium against the real service.
/// </summary>
public sealed class ReporterNameBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "reporter-name-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Clerk_Corrects_A_Misspelt_Town_And_Every_List_Names_It_So() =>
        Browser.RunPageTestAsync("reporter-name", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "城关真", kind = "town" }, ct)).StatusCode);

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);

        // The overview names the town as it was registered, among those not yet reported.
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#missingList li[data-kind=\"town\"]')?.textContent.includes('城关真')", ct);

        // An id nobody registered: told so in Chinese, and nobody is registered by it.
        await browser.ClickAsync("#tab-admin", ct);
        await browser.WaitForAsync($"[...document.querySelectorAll('#reporterIds option')].some(o => o.value === '{town}')", ct);
        await browser.TypeAsync("#nid", "no-such-town", ct);
        await browser.TypeAsync("#nname", "城关镇", ct);
        await browser.ClickAsync("#renameReporter button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('没有代码为“no-such-town”的填报单位')", ct);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/reporters/no-such-town", ct)).StatusCode);

        // The town chosen by its id brings the name it has, which the clerk mends and sends.
        await browser.TypeAsync("#nid", town, ct);
        await browser.PressKeyAsync("Tab", ct);
        await browser.WaitForAsync("document.querySelector('#nname').value === '城关真'", ct);
        await browser.TypeAsync("#nname", "城关镇", ct);
        // With whom to call about its tables (联系人及电话), in the same correction.
        await browser.TypeAsync("#ncontact", "王芳 0632-7712345", ct);
        await browser.ClickAsync("#renameReporter button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('✓ 城关镇')", ct);
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{town}", ct);
        Assert.Equal("城关镇", stored.GetProperty("name").GetString());
        Assert.Equal("town", stored.GetProperty("kind").GetString());
        Assert.Equal("王芳 0632-7712345", stored.GetProperty("contact").GetString());
        await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{town}\"] td.contact')?.textContent === '王芳 0632-7712345'", ct);
        await browser.WaitForAsync($"document.querySelector('#reporterIds option[value=\"{town}\"]')?.textContent === '城关镇'", ct);

        // Back on the period: the overview names the town as mended, with whom to call to chase its table.
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync("(t => t.includes('城关镇（王芳 0632-7712345）') && !t.includes('城关真'))(document.querySelector('#missingList li[data-kind=\"town\"]')?.textContent ?? '')", ct);
        // Its revisions, opened from its name, say whom to call too.
        await browser.ClickAsync($"[data-drill=\"{town}\"]", ct);
        await browser.WaitForAsync("document.querySelector('#drillContact')?.textContent.includes('王芳 0632-7712345')", ct);

        // Chosen again, the town brings its contact to mend; emptied, the contact is removed.
        // The form still holds the town and the contact typed above, and the same id typed over itself is no change: emptied
        // first, the contact waited for can only be the one the town's id brings.
        await browser.ClickAsync("#tab-admin", ct);
        await browser.EvaluateAsync("for (const id of ['#nid', '#nname', '#ncontact']) document.querySelector(id).value = ''", ct);
        await browser.TypeAsync("#nid", town, ct);
        await browser.PressKeyAsync("Tab", ct);
        await browser.WaitForAsync("document.querySelector('#ncontact').value === '王芳 0632-7712345' && document.querySelector('#nname').value === '城关镇'", ct);
        await browser.TypeAsync("#ncontact", "", ct);
        await browser.PressKeyAsync("Backspace", ct);
        await browser.ClickAsync("#renameReporter button[type=submit]", ct);
        await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{town}\"] td.contact')?.textContent === ''", ct);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{town}", ct)).TryGetProperty("contact", out _));
    }
}
