using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The pages at <c>/</c> as the district office and a town use them, in headless Chromium against the real service:
/// sign in, register a town and issue its key (and revoke another from the key list), the town's own tables by period, enter
/// the 2014 seed table (a broken 3.1 shown at its cell), submit on time, send the Excel template back after the deadline,
/// a 2021 table; then the office's overview (revised after the deadline, counts by kind, who is missing), the district
/// table, its print layout, a phone's width, the trend chart and the 2021 table under its grouped headers. A screenshot of
/// each page is written to the test output.
/// </summary>
public sealed class WebFrontEndBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "web-front-end-admin-key-0123456789";

    [Fact]
    public Task The_Office_And_A_Town_Do_Their_Work_In_The_Browser() =>
        Browser.RunPageTestAsync("web", AdminKey, Budget, RunAsync, () => step);

    private static void Shot(string path) => TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");

    private static string step = "start";

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var reporter = $"web-town-{Guid.NewGuid():N}"[..20];
        var absent = $"web-dept-{Guid.NewGuid():N}"[..20];
        var admin = service.Client(AdminKey);
        const string catalogue = "gov-info-disclosure-2014";

        // The office signs in with its key, registers a department and a town, then issues the town's key.
        step = "The office signs in, registers a department and a town, issues the town's key";
        await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
        await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
        Shot(await browser.ScreenshotAsync("01-sign-in"));
        await browser.TypeAsync("#keyInput", AdminKey, ct);
        await browser.ClickAsync("#signin button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#tab-admin') && document.querySelector('#who').textContent.includes('管理员')", ct);

        // The table picker offers every catalogue the service lists (the Fujian edition too), not a list of its own.
        step = "The table picker lists the service's catalogues";
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/v1/catalogues", ct)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray();
        Assert.Contains("gov-info-disclosure-fujian-2008", listed);
        var offered = (await browser.EvaluateAsync("JSON.stringify([...document.querySelectorAll('#catalogue option')].map(o => o.value))", ct)).GetValue<string>();
        Assert.Equal(listed, JsonSerializer.Deserialize<string[]>(offered));
        await browser.ClickAsync("#tab-admin", ct);
        await browser.WaitForAsync("!document.querySelector('#page-admin').hidden && document.querySelector('#keys')", ct);
        foreach (var (id, name, kind) in new[] { (absent, "未报测试局", "department"), (reporter, "网页测试镇人民政府（含原东城镇合并部分）", "town") })
        {
            await browser.TypeAsync("#rid", id, ct);
            await browser.TypeAsync("#rname", name, ct);
            await browser.EvaluateAsync($"document.querySelector('#rkind').value = '{kind}'", ct);
            await browser.ClickAsync("#newReporter button[type=submit]", ct);
            await browser.WaitForAsync($"document.querySelector('#kreporter').value === '{id}'", ct);
        }
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#signinLink')", ct);
        var link = (await browser.EvaluateAsync("document.querySelector('#signinLink').textContent", ct)).GetValue<string>();
        Assert.StartsWith(service.BaseAddress.ToString().TrimEnd('/') + "/#key=", link);

        // The key list names the town; a second key issued for it is revoked from the list with a confirming second press.
        step = "The key list shows the town's keys and revokes one";
        await browser.WaitForAsync($"document.querySelector('#keys tr[data-reporter=\"{reporter}\"][data-revoked=\"false\"]')?.textContent.includes('网页测试镇')", ct);
        var firstKey = (await browser.EvaluateAsync($"document.querySelector('#keys tr[data-reporter=\"{reporter}\"]').dataset.key", ct)).GetValue<string>();
        // The second is for a named person (持有人或用途), and the list says whose it is, so the clerk can tell the two apart.
        await browser.TypeAsync("#klabel", "王五（新任统计员）", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync($"document.querySelectorAll('#keys tr[data-reporter=\"{reporter}\"]').length === 2", ct);
        var secondKey = (await browser.EvaluateAsync($"[...document.querySelectorAll('#keys tr[data-reporter=\"{reporter}\"]')].map(r => r.dataset.key).find(k => k !== '{firstKey}')", ct)).GetValue<string>();
        Assert.Equal("王五（新任统计员）", await TextAsync(browser, $"#keys tr[data-key=\"{secondKey}\"] td.label", ct));
        Assert.Equal("", await TextAsync(browser, $"#keys tr[data-key=\"{firstKey}\"] td.label", ct));
        Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#klabel').value", ct)).GetValue<string>());
        await browser.ClickAsync($"button[data-revoke=\"{secondKey}\"]", ct);
        Assert.Equal("false", (await browser.EvaluateAsync($"document.querySelector('tr[data-key=\"{secondKey}\"]').dataset.revoked", ct)).GetValue<string>());
        await browser.ClickAsync($"button[data-revoke=\"{secondKey}\"]", ct);
        await browser.WaitForAsync($"document.querySelector('tr[data-key=\"{secondKey}\"]').dataset.revoked === 'true' && document.querySelector('tr[data-key=\"{firstKey}\"] button[data-revoke]')", ct);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct);
        var revoked = keys.GetProperty("items").EnumerateArray().ToDictionary(k => k.GetProperty("id").GetString()!, k => k.TryGetProperty("revokedAt", out var at) && at.ValueKind == JsonValueKind.String);
        Assert.True(revoked[secondKey]);
        Assert.False(revoked[firstKey]);
        Shot(await browser.ScreenshotAsync("02-office-keys", fullPage: true));

        // The office sets a deadline an hour away: the town's page lists the period as not submitted yet.
        step = "The town signs in through the link and sees its tables by period";
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{catalogue}/2014", new { deadline = DateTimeOffset.UtcNow.AddHours(1) }, ct)).StatusCode);
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync(link, ct);
        await browser.WaitForAsync("document.querySelector('#who').textContent.includes('网页测试镇')", ct);
        Assert.DoesNotContain("key=", (await browser.EvaluateAsync("location.href", ct)).GetValue<string>());
        var mine = $"#myPeriods tr[data-period=\"{catalogue}/2014\"]";
        await browser.WaitForAsync($"document.querySelector('{mine}[data-status=\"notSubmitted\"]')", ct);
        Shot(await browser.ScreenshotAsync("03-town-own-tables", fullPage: true));
        await browser.ClickAsync($"#myPeriods a[data-open=\"{catalogue}|2014\"]", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.1\"]') && document.querySelector('#formTitle').textContent.includes('2014')", ct);

        // The seed table typed in cell by cell; a wrong 3.1 is shown at its cell, then mended; submitted before the deadline.
        step = "The seed table typed in cell by cell; a wrong 3.1 is shown at its cell";
        var seed = SeedTable.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value);
        foreach (var (code, value) in seed)
            await browser.TypeAsync($"#entry input[name=\"{code}\"]", value.ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        await browser.TypeAsync("#entry input[name=\"3.1\"]", (seed["3.1"] + 1).ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("document.querySelector('td[data-cell=\"3.1\"]').classList.contains('bad') && document.querySelector('td[data-cell=\"3.1\"] .msg').textContent.includes('3.1')", ct);
        Shot(await browser.ScreenshotAsync("04-town-violation-at-3.1"));
        await browser.TypeAsync("#entry input[name=\"3.1\"]", seed["3.1"].ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("!document.querySelector('td[data-cell=\"3.1\"]').classList.contains('bad') && document.querySelector('#verdict').className === 'ok'", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('1')  && document.querySelector('#verdict').textContent.includes('已提交')", ct);
        await browser.WaitForAsync($"document.querySelector('{mine}[data-status=\"onTime\"]')", ct);

        // The deadline passes; the Excel template, filled in and chosen in the page's upload field, is revision 2: revised after the deadline.
        step = "The Excel template sent back after the deadline";
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{catalogue}/2014", new { deadline = DateTimeOffset.UtcNow }, ct)).StatusCode);
        var template = await admin.GetByteArrayAsync($"/v1/templates/{catalogue}/2014?reporter={reporter}", ct);
        var values = seed.ToDictionary(v => v.Key, v => (string?)v.Value.ToString(CultureInfo.InvariantCulture));
        values["13.1"] = (seed["13.1"] + 2).ToString(CultureInfo.InvariantCulture);
        var file = Path.Combine(Path.GetTempPath(), $"{reporter}.xlsx");
        await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, values), ct);
        try
        {
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("document.querySelector('main').textContent.includes('#2')", ct);
        }
        finally
        {
            File.Delete(file);
        }
        await browser.WaitForAsync($"document.querySelector('{mine}[data-status=\"revisedLate\"]')?.textContent.includes('截止后修订')", ct);
        Shot(await browser.ScreenshotAsync("05-town-revised-after-deadline", fullPage: true));
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        await AssertAccessibleAsync(browser, 390, ct);
        await browser.EvaluateAsync("document.querySelector('#entry').scrollIntoView()", ct);
        Assert.True((await browser.EvaluateAsync("(r => r.right <= 390)(document.querySelector('#entry input[name=\"1.1\"]').getBoundingClientRect())", ct)).GetValue<bool>(), "The 2014 form's fields run off a phone's screen.");
        Shot(await browser.ScreenshotAsync("05-town-form-phone-390"));
        // The upload's message stays in the status bar at the screen's foot; scrolled to the end, 提交 is not under it.
        Assert.False(string.IsNullOrEmpty((await browser.EvaluateAsync("document.querySelector('#status').textContent", ct)).GetValue<string>()));
        await browser.EvaluateAsync("window.scrollTo(0, document.documentElement.scrollHeight)", ct);
        Assert.True((await browser.EvaluateAsync("(r => document.elementFromPoint(r.left + 5, r.top + r.height / 2)?.id === 'submit')(document.querySelector('#submit').getBoundingClientRect())", ct)).GetValue<bool>(), "The status bar covers 提交 on a phone.");
        Shot(await browser.ScreenshotAsync("05-town-form-phone-390-end"));
        // Read, the message is put away with a tap.
        await browser.ClickAsync("#status", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent === '' && getComputedStyle(document.querySelector('#status')).display === 'none'", ct);
        await browser.SetViewportAsync(null, ct);

        // A 2021 table through the same page, laid out under its grouped column headers.
        step = "A 2021 table through the same page";
        await browser.SelectAsync("#catalogue", "gov-info-disclosure-2021", ct);
        await browser.TypeAsync("#period", "2022", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelectorAll('#entry input[name*=\":\"]').length > 10", ct);
        Assert.Equal(7, (await browser.EvaluateAsync("document.querySelector('#entry th[data-column=\"applicant\"]').colSpan", ct)).GetValue<int>());
        var first = (await browser.EvaluateAsync("document.querySelector('#entry input[name*=\":\"]').name", ct)).GetValue<string>();
        Shot(await browser.ScreenshotAsync("06-town-2021-form"));
        // On a phone the grid scrolls sideways in its region: the row names stay readable (not a character a line) and at
        // the left, so that a figure typed far right is typed into the row the officer means.
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        await browser.EvaluateAsync("(r => { r.scrollIntoView(); r.scrollLeft = r.scrollWidth; })(document.querySelectorAll('#entry .scroll')[1])", ct);
        await browser.WaitForAsync("(r => r.scrollLeft > 0 && [...r.querySelectorAll('th.name')].every(n => n.getBoundingClientRect().width >= 100 && Math.abs(n.getBoundingClientRect().left - r.getBoundingClientRect().left) <= 2))(document.querySelectorAll('#entry .scroll')[1])", ct);
        // So do the heading rows' words (三、本年度办理结果), not an empty band.
        await browser.WaitForAsync("(r => r.querySelector('tr.h span') && [...r.querySelectorAll('tr.h span')].every(s => s.getBoundingClientRect().left >= r.getBoundingClientRect().left - 1 && s.getBoundingClientRect().left < r.getBoundingClientRect().left + 20))(document.querySelectorAll('#entry .scroll')[1])", ct);
        Shot(await browser.ScreenshotAsync("06-town-2021-form-phone-390"));
        await browser.SetViewportAsync(null, ct);
        await browser.TypeAsync($"#entry input[name=\"{first}\"]", "0", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.length > 0", ct);
        // A cell the check marked is marked before 提交 is pressed: the answer waited for is the submission's, which writes the verdict anew.
        await browser.WatchAsync("#verdict", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && (document.querySelector('#verdict').textContent.includes('已提交') || document.querySelector('.bad'))", ct);

        // A table the page once could not offer: the Fujian edition, opening at the last year it covers (2020).
        step = "The Fujian edition through the same page";
        await browser.SelectAsync("#catalogue", "gov-info-disclosure-fujian-2008", ct);
        Assert.Equal("2020", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.includes('福建') && document.querySelector('#formTitle').textContent.includes('2020') && document.querySelector('#entry input')", ct);

        // Last year's table, so that the trend has two years.
        var lastYear = await admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter, period = "2013", catalogue, values = new[] { new { code = "1.1", value = 10000m }, new { code = "1.2.1", value = 10000m }, new { code = "3.1.1", value = 50m } },
        }, ct);
        Assert.True(lastYear.StatusCode == HttpStatusCode.Created, await lastYear.Content.ReadAsStringAsync(ct));

        // The office: the town revised after the deadline, counts by kind, the department missing by name, the district table.
        step = "The office sees the overview and the district table";
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        // The page runs under its Content-Security-Policy: anything it renders that the policy blocks is recorded here.
        await browser.EvaluateAsync("(() => { window.blocked = []; document.addEventListener('securitypolicyviolation', e => window.blocked.push(e.violatedDirective + ' ' + e.blockedURI)); })()", ct);
        // The page opens at the edition in which last year is reported, not at the first catalogue by id.
        Assert.Equal("gov-info-disclosure-2021", (await browser.EvaluateAsync("document.querySelector('#catalogue').value", ct)).GetValue<string>());
        Assert.Equal($"{DateTime.Now.Year - 1}", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());
        await browser.SelectAsync("#catalogue", catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{reporter}\"][data-status=\"revisedLate\"]')", ct);
        await browser.WaitForAsync("document.querySelector('#district tr[data-code=\"3.1\"]')", ct);
        Assert.Equal("1", await TextAsync(browser, "#counts tr[data-kind=\"town\"] td[data-status=\"revisedLate\"]", ct));
        Assert.Equal("0", await TextAsync(browser, "#counts tr[data-kind=\"town\"] td[data-status=\"late\"]", ct));
        Assert.Equal("1", await TextAsync(browser, "#counts tr[data-kind=\"department\"] td[data-status=\"notSubmitted\"]", ct));
        Assert.Contains("未报测试局", await TextAsync(browser, "#missingList li[data-kind=\"department\"]", ct));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d$", (await browser.EvaluateAsync("document.querySelector('#deadline').value", ct)).GetValue<string>());
        Assert.DoesNotContain("网页测试镇", await TextAsync(browser, "#missingList", ct));
        Assert.Equal(seed["3.1"].ToString(CultureInfo.InvariantCulture), await TextAsync(browser, "#district tr[data-code=\"3.1\"] td:nth-child(4)", ct));
        Assert.Equal(values["13.1"], await TextAsync(browser, "#district tr[data-code=\"13.1\"] td:nth-child(4)", ct));
        // The town typed 3.1 itself: a figure typed is not marked 自动计算, though 3.1 is the sum of its parts.
        Assert.False((await browser.EvaluateAsync("document.querySelector('#district tr[data-code=\"3.1\"] td:nth-child(4)').classList.contains('derived')", ct)).GetValue<bool>());
        await AssertAccessibleAsync(browser, 1366, ct);
        Shot(await browser.ScreenshotAsync("07-office-overview-1366", fullPage: true));
        // The share of 3.1 names each reporter in full, a long name too (wrapped, not cut off with …).
        Assert.True((await browser.EvaluateAsync("(ls => ls.length > 0 && ls.every(l => l.scrollWidth <= l.clientWidth + 1))([...document.querySelectorAll('#chart .share .label')])", ct)).GetValue<bool>(), "A reporter's name is cut off in the share of 3.1.");
        // The share holds the town's 3.1 as it sent it, and no row for the department that sent nothing.
        await browser.WaitForAsync($"document.querySelector('#chart .share[data-reporter=\"{reporter}\"] .n')", ct);
        Assert.Equal(seed["3.1"].ToString(CultureInfo.InvariantCulture), await TextAsync(browser, $"#chart .share[data-reporter=\"{reporter}\"] .n", ct));
        Assert.False((await browser.EvaluateAsync($"!!document.querySelector('#chart .share[data-reporter=\"{absent}\"]')", ct)).GetValue<bool>());

        // Printed: no buttons, tabs or forms; the tables are there.
        step = "The office's page as printed";
        await browser.EmulateMediaAsync("print", ct);
        Assert.Equal("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('.tabs')).display", ct)).GetValue<string>());
        Assert.Equal("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('#csv')).display", ct)).GetValue<string>());
        Assert.NotEqual("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('#district')).display", ct)).GetValue<string>());
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth <= window.innerWidth", ct)).GetValue<bool>(), "The printed page is wider than the paper's width.");
        Shot(await browser.ScreenshotAsync("08-office-print", fullPage: true));
        await browser.EmulateMediaAsync("", ct);

        // A phone's width: nothing wider than the screen but the tables, which scroll in their own regions.
        step = "The office's page at a phone's width";
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        await AssertAccessibleAsync(browser, 390, ct);
        Shot(await browser.ScreenshotAsync("09-office-phone-390"));
        await browser.EvaluateAsync("document.querySelector('#district').scrollIntoView()", ct);
        Shot(await browser.ScreenshotAsync("09-office-phone-390-district-table"));
        await browser.SetViewportAsync(null, ct);

        // The trend: this year against last year, as bars and as a table.
        step = "The trend chart, reached by the keyboard";
        await browser.EvaluateAsync("document.querySelector('#tab-period').focus()", ct);
        await browser.PressKeyAsync("Tab", ct);
        Assert.Equal("tab-trend", (await browser.EvaluateAsync("document.activeElement.id", ct)).GetValue<string>());
        // The page's own focus ring (3px), wider than the browser's default.
        Assert.Equal("solid 3px", (await browser.EvaluateAsync("(s => s.outlineStyle + ' ' + s.outlineWidth)(getComputedStyle(document.activeElement))", ct)).GetValue<string>());
        await browser.PressKeyAsync("Enter", ct);
        await browser.WaitForAsync("document.querySelector('#trend figure[data-indicator=\"requests\"] rect.this[data-year=\"2014\"]') && document.querySelector('#trend rect.last[data-year=\"2013\"]')", ct);
        Assert.Equal("50", await TextAsync(browser, "#trendTable tr[data-indicator=\"requests\"] td:nth-child(2)", ct));
        Assert.Equal("10000", await TextAsync(browser, "#trendTable tr[data-indicator=\"disclose\"] td:nth-child(2)", ct));
        Assert.StartsWith($"+{seed["1.1"] - 10000}", await TextAsync(browser, "#trendTable tr[data-indicator=\"disclose\"] td:nth-child(4)", ct));
        Assert.Equal(seed["3.1"].ToString(CultureInfo.InvariantCulture), await TextAsync(browser, "#trendTable tr[data-indicator=\"requests\"] td:nth-child(3)", ct));
        Assert.Equal(seed["1.1"].ToString(CultureInfo.InvariantCulture), await TextAsync(browser, "#trendTable tr[data-indicator=\"disclose\"] td:nth-child(3)", ct));
        Assert.False((await browser.EvaluateAsync("!!document.querySelector('#trend rect[data-year=\"2012\"]')", ct)).GetValue<bool>());
        Shot(await browser.ScreenshotAsync("10-office-trend", fullPage: true));

        // The 2021 district table under its printed column headers; a cell typed is not marked derived.
        step = "The 2021 district table";
        // Back on the period, the 2014 overview is read again (drawn anew, the same as before, then its share of 3.1): until it
        // is, the 2021 table opened next races it, and the one answered last is the one shown.
        await browser.WatchAsync("#view", ct);
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#view")} && document.querySelector('#chart .share')", ct);
        await browser.SelectAsync("#catalogue", "gov-info-disclosure-2021", ct);
        await browser.TypeAsync("#period", "2022", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('.grid th[data-column=\"org\"]')", ct);
        Assert.Equal("申请人情况|7", (await browser.EvaluateAsync("(e => e.textContent + '|' + e.colSpan)(document.querySelector('.grid th[data-column=\"applicant\"]'))", ct)).GetValue<string>());
        Assert.Equal("法人或其他组织|5", (await browser.EvaluateAsync("(e => e.textContent + '|' + e.colSpan)(document.querySelector('.grid th[data-column=\"org\"]'))", ct)).GetValue<string>());
        Assert.Equal("自然人|2", (await browser.EvaluateAsync("(e => e.textContent + '|' + e.rowSpan)(document.querySelector('.grid th[data-column=\"natural\"]'))", ct)).GetValue<string>());
        Assert.False((await browser.EvaluateAsync("document.querySelector('.grid td[data-code=\"3.1:natural\"]').classList.contains('derived')", ct)).GetValue<bool>());
        Assert.Contains("自动计算", await TextAsync(browser, ".legend", ct));
        Shot(await browser.ScreenshotAsync("11-office-2021-table", fullPage: true));
        // The town left 3.1 blank in its 2021 table: the share shows no figure, not a 0 it never reported.
        await browser.WaitForAsync($"document.querySelector('#chart .share[data-reporter=\"{reporter}\"] .n')?.textContent === '—'", ct);

        // On a phone: the overview's status and time each on one line, and the grid's row names and heading rows at the left
        // while its figures scroll past (they were a character a line, and empty bands).
        step = "The office's overview and district grid on a phone";
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        await browser.WaitForAsync($"(r => r && [...r.querySelectorAll('td')].slice(0, 3).every(c => (g => (g.selectNodeContents(c), g.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(c).fontSize)))(document.createRange())))(document.querySelector('#overview tr[data-reporter=\"{reporter}\"]'))", ct);
        await browser.EvaluateAsync("(r => { r.scrollIntoView(); r.scrollLeft = 250; })(document.querySelectorAll('#districtTable .scroll')[1])", ct);
        await browser.WaitForAsync("(r => r.scrollLeft > 0 && [...r.querySelectorAll('th.name')].every(n => Math.abs(n.getBoundingClientRect().left - r.getBoundingClientRect().left) <= 2) && [...r.querySelectorAll('tr.h span')].every(s => s.getBoundingClientRect().left >= r.getBoundingClientRect().left - 1 && s.getBoundingClientRect().left < r.getBoundingClientRect().left + 20))(document.querySelectorAll('#districtTable .scroll')[1])", ct);
        Shot(await browser.ScreenshotAsync("11-office-2021-table-phone-390"));
        await browser.SetViewportAsync(null, ct);

        // 中文 first; the English switch relabels the statuses.
        step = "The English switch";
        // The switch opens again the table that was open (2021, 2022): until its overview is back, the 2014 one opened next races it.
        await browser.ClickAsync("#lang", ct);
        await browser.WaitForAsync("document.querySelector('#tab-period')?.textContent === 'Period' && document.querySelector('#overview')", ct);
        await browser.SelectAsync("#catalogue", catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{reporter}\"]')?.textContent.includes('Revised after the deadline')", ct);
        await browser.ClickAsync("#lang", ct);

        var stored = await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={catalogue}&period=2014", ct);
        Assert.Equal(2, stored.GetProperty("items").GetArrayLength());
        Assert.Equal("[]", (await browser.EvaluateAsync("JSON.stringify(window.blocked)", ct)).GetValue<string>());
    }

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent.trim() ?? '(no {selector.Replace("'", "", StringComparison.Ordinal)})'", ct)).GetValue<string>();

    /// <summary>Every field has a name a screen reader reads out, and the page is no wider than the screen.</summary>
    private static async Task AssertAccessibleAsync(Browser browser, int width, CancellationToken ct)
    {
        var unlabelled = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('main input, main select, main button')].filter(e => e.offsetParent && !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).map(e => e.id || e.name).join(',')", ct)).GetValue<string>();
        Assert.Equal("", unlabelled);
        var scrollWidth = (await browser.EvaluateAsync("document.documentElement.scrollWidth", ct)).GetValue<int>();
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth}px wide on a {width}px screen.");
    }
}
