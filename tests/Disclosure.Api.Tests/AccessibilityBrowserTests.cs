using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The pages as a screen reader, a keyboard and weak eyes meet them (信息无障碍, WCAG 2.1 AA): axe-core, the engine browsers'
/// own audits use, run in headless Chromium on every view a town officer and the district office reach, in Chinese and in
/// English, on a laptop and a phone, with the states that add to a page (an error at a cell, a figure far from last year,
/// a review, the lists). Each rule axe breaks is named with the elements that break it.
/// </summary>
public sealed class AccessibilityBrowserTests
{
    private const string AdminKey = "accessibility-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    private static readonly string AxePath = RepositoryFile.Path("tests", "browser", "node_modules", "axe-core", "axe.min.js");

    [Fact]
    public Task A_Towns_Pages_Break_No_Accessibility_Rule()
    {
        RequireAxe();
        return Browser.RunPageTestAsync("accessibility-town", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
            {
                var admin = service.Client(AdminKey);
                var key = await SeedAsync(admin, ct);

                await browser.SignInAsync(service.BaseAddress, key, ct);
                await browser.WaitForAsync("document.querySelector('#myPeriods')", ct);
                await AssertNoViolationsAsync(browser, "the town's home page with 我的报表", ct);

                await OpenAsync(browser, Catalogue, "2014", ct);
                await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"] .prev')", ct);
                await AssertNoViolationsAsync(browser, "the 2014 form with last year's figures", ct);

                // A part above its whole (red) and a digit typed twice (orange), each said at its cell.
                await browser.EvaluateAsync("document.querySelector('#entry input[name=\"3.1.1\"]').value = ''", ct);
                await browser.TypeAsync("#entry input[name=\"3.1.1\"]", "999", ct);
                await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.2.1\"]').value = ''", ct);
                await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "98760", ct);
                // 1.2.1 is marked from the form's opening (its stored figure is ten times last year's), and blank while it is retyped:
                // marked with 3.1.1's message too, it is the check of both figures typed.
                await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"1.2.1\"].check') && document.querySelector('#entry td[data-cell=\"3.1.1\"] .msg')?.textContent", ct);
                await AssertNoViolationsAsync(browser, "the form with an error and a figure far from last year", ct);

                await browser.SetViewportAsync((390, 844, true), ct);
                await AssertNoViolationsAsync(browser, "the same form on a phone", ct);
                await browser.SetViewportAsync(null, ct);

                // The 2014 form it replaces has more than 50 fields too: only the 2021 form names its cells row:column.
                await OpenAsync(browser, "gov-info-disclosure-2021", "2022", ct);
                await browser.WaitForAsync("document.querySelector('#entry input[name*=\":\"]') && document.querySelectorAll('#entry input').length > 50", ct);
                await AssertNoViolationsAsync(browser, "the 2021 form (rows × columns)", ct);

                await AuditAfterAsync(browser, "#lang", "document.documentElement.lang === 'en' && document.querySelectorAll('#entry input').length > 50", "the 2021 form in English", ct);
            });
    }

    [Fact]
    public Task The_District_Offices_Pages_Break_No_Accessibility_Rule()
    {
        RequireAxe();
        return Browser.RunPageTestAsync("accessibility-office", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
            {
                var admin = service.Client(AdminKey);
                await SeedAsync(admin, ct);

                await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
                await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
                await OpenAsync(browser, Catalogue, "2014", ct);
                await browser.WaitForAsync("document.querySelector('#farAll tr[data-reporter=\"gushao-town\"]') && document.querySelector('#quartersAll tr[data-reporter=\"gushao-town\"]') && document.querySelector('#districtTable table')", ct);
                await AssertNoViolationsAsync(browser, "the overview with the district table and the lists to check", ct);

                await AuditAfterAsync(browser, "#overview tr[data-reporter=\"gushao-town\"] [data-drill]", "document.querySelector('#review #return') && document.querySelector('#farFromLastYear') && document.querySelector('#differsFromQuarters')", "a reporter's revisions and review", ct);

                // Opened again, the overview is drawn anew: until the review drilled into above is gone, its 代填 button is the old
                // overview's, and a click on it would open a form the new overview then replaces.
                await browser.ClickAsync("#open", ct);
                await browser.WaitForAsync("!document.querySelector('#review') && document.querySelector('#overview tr[data-reporter=\"yicheng-district\"] [data-fill]')", ct);
                await AuditAfterAsync(browser, "#overview tr[data-reporter=\"yicheng-district\"] [data-fill]", "document.querySelector('#sentAt') && document.querySelector('#entry input')", "the office's entry of a reporter's table (代填)", ct);

                await AuditAfterAsync(browser, "#tab-trend", "document.querySelector('#trend table')", "趋势", ct);

                await AuditAfterAsync(browser, "#tab-admin", "document.querySelector('#keys tbody tr') && document.querySelector('#reporters tbody tr')", "the reporters and keys", ct);

                await AuditAfterAsync(browser, "#tab-audit", "document.querySelector('#auditLog tbody tr')", "操作日志", ct);

                await browser.SetViewportAsync((390, 844, true), ct);
                await AssertNoViolationsAsync(browser, "操作日志 on a phone", ct);
                // The switch opens again, in English, what was open: the overview, then the 代填 form over it. Until that form is
                // back, the 统计期 tab is pressed into a page still reopening, and the form then replaces the overview it asked for.
                await browser.ClickAsync("#lang", ct);
                await browser.WaitForAsync("document.documentElement.lang === 'en' && document.querySelector('#tab-period') && document.querySelector('#behalf') && document.querySelector('#entry input')", ct);
                await AuditAfterAsync(browser, "#tab-period", "document.querySelector('#farAll tr[data-reporter=\"gushao-town\"]')", "the overview in English on a phone", ct);

                await OpenAsync(browser, "gov-info-disclosure-fujian-2008", "2014", ct);
                await browser.WaitForAsync("document.querySelector('#nationalXlsx') && document.querySelector('#nationalPrint') && document.querySelector('#districtTable table')", ct);
                await AssertNoViolationsAsync(browser, "a provincial edition's overview with its national-layout exports, in English on a phone", ct);
            });
    }

    /// <summary>
    /// Three reporters, a town's 2013 and 2014 (one figure ten times last year's) and its four quarters of 2014 (which do not
    /// give its year), and a department's 2014; returns the town's key.
    /// </summary>
    private static async Task<string> SeedAsync(HttpClient admin, CancellationToken ct)
    {
        foreach (var (id, name, kind) in new[] { ("yicheng-district", "峄城区人民政府", "government"), ("education", "区教育局", "department"), ("gushao-town", "古邵镇", "town") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind, contact = "王芳 0632-7712345" }, ct)).StatusCode);
        async Task StoreAsync(string reporter, string period, decimal figure) =>
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter, period, catalogue = Catalogue,
                values = new[] { new { code = "1.2.1", value = figure }, new { code = "3.1.1", value = 10m }, new { code = "3.1.3", value = 30m } },
            }, ct)).StatusCode);
        await StoreAsync("gushao-town", "2013", 9876);
        await StoreAsync("gushao-town", "2014", 98760);
        for (var q = 1; q <= 4; q++) await StoreAsync("gushao-town", $"2014Q{q}", 20000); // 80 000 in all: not the year's 98 760
        await StoreAsync("education", "2014", 120);
        var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "gushao-town", label = "张三" }, ct);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        return (await key.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
    }

    private static async Task OpenAsync(Browser browser, string catalogue, string period, CancellationToken ct)
    {
        await browser.WaitForAsync($"document.querySelector('#catalogue option[value=\"{catalogue}\"]')", ct);
        await browser.SelectAsync("#catalogue", catalogue, ct);
        await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
    }

    /// <summary>
    /// Skips the test, with its reason, where axe-core is not installed (a fresh clone before tests/ci-setup.sh, which .ci/run
    /// calls); asked before the page test starts, whose frame reports what stops it inside as a failure.
    /// </summary>
    private static void RequireAxe()
    {
        if (!File.Exists(AxePath))
            Assert.Skip($"{AxePath} is absent: run `bash tests/ci-setup.sh` (npm ci in tests/browser) to run the accessibility audit.");
    }

    /// <summary>Runs axe-core's WCAG 2.0/2.1 A and AA rules and its best practices on the page as it stands; fails naming each rule broken and where.</summary>
    /// <summary>What a person does to reach a view (a click), the view ready, then its audit.</summary>
    private static async Task AuditAfterAsync(Browser browser, string click, string ready, string view, CancellationToken ct)
    {
        await browser.ClickAsync(click, ct);
        await browser.WaitForAsync(ready, ct);
        await AssertNoViolationsAsync(browser, view, ct);
    }

    private static async Task AssertNoViolationsAsync(Browser browser, string view, CancellationToken ct)
    {
        if (!(await browser.EvaluateAsync("typeof window.axe === 'object'", ct)).GetValue<bool>())
            await browser.EvaluateAsync(await File.ReadAllTextAsync(AxePath, ct) + ";true", ct);
        var violations = (await browser.EvaluateAsync("""
            axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })
              .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`))
            """, ct)).AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.True(violations.Count == 0, $"{view}: {string.Join("; ", violations)}");
    }
}
