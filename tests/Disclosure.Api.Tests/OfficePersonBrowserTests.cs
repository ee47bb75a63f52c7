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
        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);

        // The period's overview is open: nobody expected yet.
        await browser.SelectAsync("#catalogue", Catalogue, ct);
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

        // On a phone the list of reporters keeps 类别 and 状态 on one line (a row is one line tall, not a character a line).
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        await browser.WaitForAsync($"(r => r && [...r.querySelectorAll('.short')].every(c => (g => (g.selectNodeContents(c), g.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(c).fontSize)))(document.createRange())))(document.querySelector('#reporters tr[data-reporter=\"{town}\"]'))", ct);
        await browser.SetViewportAsync(null, ct);

        // A key for an id nobody registered: told so in Chinese, and no key is made.
        await browser.TypeAsync("#kreporter", "no-such-town", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('未登记')", ct);
        Assert.False((await browser.EvaluateAsync("!!document.querySelector('#signinLink')", ct)).GetValue<bool>());

        // On a slow line the clerk presses 发放密钥 twice before anything shows: one key is issued, not two.
        await browser.SetLatencyAsync(600, ct);
        await browser.TypeAsync("#kreporter", town, ct);
        await browser.TypeAsync("#klabel", "王五（重复登记镇统计员，2026年起）", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#signinLink') && !document.querySelector('#newKey button').disabled", ct);
        await browser.SetLatencyAsync(0, ct);
        var keys = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray();
        Assert.Single(keys, k => k.TryGetProperty("reporter", out var r) && r.GetString() == town);
        // A second clerk gets an admin key of their own, which must name them: the reporter field goes, the name is asked for.
        await browser.SelectAsync("#krole", "admin", ct);
        Assert.True((await browser.EvaluateAsync("getComputedStyle(document.querySelector('#kreporterField')).display === 'none' && document.querySelector('#klabel').required", ct)).GetValue<bool>());
        await browser.TypeAsync("#klabel", "赵六（区政务公开办）", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("[...document.querySelectorAll('#keys tr[data-reporter=\"\"]')].some(r => r.textContent.includes('赵六（区政务公开办）') && r.textContent.includes('管理员'))", ct);
        Assert.Contains((await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray(),
            k => k.GetProperty("role").GetString() == "admin" && k.GetProperty("label").GetString() == "赵六（区政务公开办）");

        // On a phone the key list too keeps 角色, 状态 and 吊销 on one line.
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync("window.innerWidth === 390", ct);
        // (吊销 is a button: one line of it is about 2.2 times its font size tall, two lines 3.7.)
        await browser.WaitForAsync($"(r => r && r.querySelectorAll('.short').length === 3 && [...r.querySelectorAll('.short')].every(c => c.querySelector('button') " +
            "? c.querySelector('button').getBoundingClientRect().height < 3 * parseFloat(getComputedStyle(c.querySelector('button')).fontSize) " +
            $": (g => (g.selectNodeContents(c), g.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(c).fontSize)))(document.createRange())))(document.querySelector('#keys tr[data-reporter=\"{town}\"]'))", ct);
        await browser.SetViewportAsync(null, ct);

        // Back on the period: the new town is counted as not yet reported, without pressing 打开 again.
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{town}\"][data-status=\"notSubmitted\"]') && document.querySelector('#missingList li[data-kind=\"town\"]').textContent.includes('重复登记镇')", ct);

        // Closing names the town not yet reported first (once closed it could not send); pressed again with the network gone,
        // the page says so and changes nothing; with it back, the period closes and the page says so.
        await browser.ClickAsync("#toggle", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('重复登记镇') && document.querySelector('#toggle').textContent === '仍要关闭'", ct);
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

    [Fact]
    public Task The_Clerk_Enters_And_Corrects_A_Towns_Table_On_Its_Behalf_And_A_Viewer_Cannot() =>
        Browser.RunPageTestAsync("office-on-behalf", AdminKey, Budget, OnBehalfAsync);

    [Fact]
    public Task A_Town_Whose_Year_Comes_From_Its_Quarters_Is_Offered_To_Enter_The_Year_Not_To_Correct_It() =>
        Browser.RunPageTestAsync("office-quarters", AdminKey, Budget, QuartersAsync);

    // A town that sent only its first quarter has no table of the year: the year is added up from the quarter. 更正 on its row
    // opened an empty year's form under the word for correcting figures, as if its figures had been lost.
    private static async Task QuartersAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var quarterly = $"town-{Guid.NewGuid():N}"[..20];
        var yearly = $"town-{Guid.NewGuid():N}"[..20];
        foreach (var (id, name) in new[] { (quarterly, "季报镇"), (yearly, "年报镇") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "town" }, ct)).StatusCode);
        foreach (var (id, period) in new[] { (quarterly, "2014Q1"), (yearly, "2014") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = id, period, catalogue = Catalogue, values = new[] { new { code = "12.2", value = 3 } },
            }, ct)).StatusCode);

        await SignInAndOpenAsync(service, browser, AdminKey, ct);
        var row = $"#overview tr[data-reporter=\"{quarterly}\"]";
        await browser.WaitForAsync($"document.querySelector('{row}')?.dataset.status === 'incomplete' && document.querySelector('#overview tr[data-reporter=\"{yearly}\"] [data-fill]')", ct);
        // Its year is not reported yet (季报未报齐): counted apart, and chased among the missing with the quarters to come.
        Assert.Equal("季报未报齐", (await browser.EvaluateAsync($"document.querySelector('{row} .st-incomplete').textContent", ct)).GetValue<string>());
        Assert.Contains("季报镇（缺第2、3、4季度）", (await browser.EvaluateAsync("document.querySelector('#missingList li[data-kind=\"town\"]').textContent", ct)).GetValue<string>());
        Assert.True((await browser.EvaluateAsync("+document.querySelector('#counts tr[data-kind=\"town\"] td[data-status=\"incomplete\"]').textContent >= 1 && document.querySelector('#incomplete').textContent.startsWith('季报未报齐 ')", ct)).GetValue<bool>());
        Assert.Equal("更正", (await browser.EvaluateAsync($"document.querySelector('#overview tr[data-reporter=\"{yearly}\"] [data-fill]').textContent", ct)).GetValue<string>());
        Assert.Equal("代填", (await browser.EvaluateAsync($"document.querySelector('{row} [data-fill]').textContent", ct)).GetValue<string>());

        // What 代填 opens: the town's year, with no revision of its own yet.
        await browser.ClickAsync($"{row} [data-fill]", ct);
        await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.startsWith('季报镇 · ') && document.querySelector('#entry input[name=\"12.2\"]')", ct);
        Assert.Equal("—", (await browser.EvaluateAsync("document.querySelector('#revisionList').textContent", ct)).GetValue<string>());
        Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value", ct)).GetValue<string>());
    }

    [Fact]
    public Task What_The_Service_Refused_Is_Said_To_The_Clerk_In_Chinese() =>
        Browser.RunPageTestAsync("office-refusals", AdminKey, Budget, RefusalsAsync);

    private static async Task RefusalsAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "拒绝测试镇", kind = "town" }, ct)).StatusCode);
        var keyId = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        await SignInAndOpenAsync(service, browser, AdminKey, ct);
        await browser.ClickAsync("#tab-admin", ct);

        // A key asked for an id typed as a name (the service's 400 names the field): said in Chinese, and no key is made.
        await browser.TypeAsync("#kreporter", "Town A", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('填报单位代码须为 2 至 64 位小写字母')", ct);
        Assert.False((await browser.EvaluateAsync("!!document.querySelector('#signinLink')", ct)).GetValue<bool>());

        // A reporter whose name is only spaces: said in Chinese, and nothing is registered.
        var nameless = $"town-{Guid.NewGuid():N}"[..20];
        await browser.TypeAsync("#rid", nameless, ct);
        await browser.TypeAsync("#rname", "   ", ct);
        await browser.ClickAsync("#newReporter button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('名称不能为空')", ct);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/reporters/{nameless}", ct)).StatusCode);

        // A key revoked meanwhile (another clerk, another tab): revoking it again succeeds (DELETE is idempotent: 204, the first
        // revocation kept), and is said so.
        await browser.WaitForAsync($"document.querySelector('#keys [data-revoke=\"{keyId}\"]')", ct);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{keyId}", ct)).StatusCode);
        await browser.ClickAsync($"#keys [data-revoke=\"{keyId}\"]", ct);
        await browser.ClickAsync($"#keys [data-revoke=\"{keyId}\"]", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent === '吊销 ✓'", ct);

        // The clerk corrects a town's table in a closed period: told to return the table first, or reopen the period (not that
        // someone else submitted), nothing stored. (A town without a table there is offered no 代填: nothing could be stored.)
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
            new { reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
        await browser.ClickAsync("#tab-period", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{town}\"] [data-fill]') && document.querySelector('#toggle').textContent === '重新开放'", ct);
        await browser.ClickAsync($"#overview tr[data-reporter=\"{town}\"] [data-fill]", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')", ct);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "5", ct);
        // Said as the figures are checked, before anything is submitted.
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'missing' && document.querySelector('#verdict').textContent.includes('提交不会保存')", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('2014年度统计期已关闭，没有保存。要更正，请先返回2014年度的报送情况，在该单位的历次提交下“退回”其报表（只放开这一张表），再提交；或“重新开放”统计期')", ct);
        Assert.DoesNotContain("别人", (await browser.EvaluateAsync("document.querySelector('#verdict').textContent", ct)).GetValue<string>());
        Assert.Equal(1, (await RevisionsAsync(admin, town, ct)).GetArrayLength());

        // A number too large to be one (41 digits), marked at its cell in Chinese.
        await browser.TypeAsync("#entry input[name=\"12.2\"]", new string('9', 41), ct);
        await browser.WaitForAsync("document.querySelector('td[data-cell=\"12.2\"] .msg').textContent.includes('这个数太大')", ct);
    }

    private static async Task SignInAndOpenAsync(ServiceProcess service, Browser browser, string key, CancellationToken ct)
    {
        await browser.NavigateAsync("about:blank", ct); // a sign-in link is followed as a fresh page, not as a jump within this one
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#overview')", ct);
    }

    private static async Task<JsonElement> RevisionsAsync(HttpClient admin, string reporter, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items");

    private static async Task<decimal> StoredAsync(HttpClient admin, string reporter, string code, CancellationToken ct)
    {
        var items = await RevisionsAsync(admin, reporter, ct);
        var latest = await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{items[items.GetArrayLength() - 1].GetProperty("id").GetString()}", ct);
        return latest.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == code).GetProperty("value").GetDecimal();
    }

    private static async Task OnBehalfAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        var other = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "代填甲镇", kind = "town" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = other, name = "代填乙镇", kind = "town" }, ct)).StatusCode);
        var viewerKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "viewer" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;

        await SignInAndOpenAsync(service, browser, AdminKey, ct);
        // Every request the page sends is noted, to see what the clerk's form sends on the town's behalf.
        await browser.EvaluateAsync("(() => { window.sent = []; const f = window.fetch; window.fetch = (u, i = {}) => { window.sent.push({ url: String(u), method: i.method ?? 'GET', headers: i.headers ?? {} }); return f(u, i); }; })()", ct);

        // The town has not reported: its row offers 代填, which opens the town's form titled with the town's name.
        var row = $"#overview tr[data-reporter=\"{town}\"]";
        await browser.WaitForAsync($"document.querySelector('{row} [data-fill]')?.textContent === '代填'", ct);
        await browser.ClickAsync($"{row} [data-fill]", ct);
        await browser.WaitForAsync($"document.querySelector('#formTitle')?.textContent.startsWith('代填甲镇 · ') && document.querySelector('#behalf').textContent.includes('{town}') && document.querySelector('#entry input[name=\"12.2\"]')", ct);

        // Figures given by phone: checked as typed (for the town), stored as the town's revision 1 with If-Match and an Idempotency-Key.
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        Assert.True((await browser.EvaluateAsync($"window.sent.some(s => s.url === '/v1/submissions/validate' && s.method === 'POST')", ct)).GetValue<bool>());
        await browser.ClickAsync("#template", ct);
        await browser.WaitForAsync($"window.sent.some(s => s.url === '/v1/templates/{Catalogue}/2014?reporter={town}')", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 1 版')", ct);
        Assert.True((await browser.EvaluateAsync("window.sent.some(s => s.url === '/v1/submissions' && s.method === 'POST' && s.headers['If-Match'] === '\"0\"' && s.headers['Idempotency-Key'])", ct)).GetValue<bool>());
        Assert.Equal(1, (await RevisionsAsync(admin, town, ct)).GetArrayLength());
        Assert.Equal(120m, await StoredAsync(admin, town, "12.2", ct));

        // Back on the overview: the town's revision 1, and the action is now 更正.
        await browser.ClickAsync("#back", ct);
        await browser.WaitForAsync($"document.querySelector('{row}')?.dataset.status !== 'notSubmitted' && document.querySelector('{row} td.n')?.textContent === '1' && document.querySelector('{row} [data-fill]').textContent === '更正'", ct);

        // A correction while the town submits meanwhile: the clerk's form is told of the newer revision, reloads it, and stores the next one.
        var townSubmits = async (int value) => Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value } },
        }, ct)).StatusCode);
        // The form opens with its revision checked (校验通过): the check of the figure typed is waited for as a new verdict.
        await browser.ClickAsync($"{row} [data-fill]", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '120' && document.querySelector('#verdict').className === 'ok'", ct);
        // Stored between the check and 提交: the submit is refused and says so.
        await browser.WatchAsync("#verdict", ct);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "121", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'ok'", ct);
        await townSubmits(130);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('第 2 版') && document.querySelector('#reload')", ct);
        await browser.ClickAsync("#reload", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '130' && document.querySelector('#formTitle').textContent.startsWith('代填甲镇')", ct);
        // 重新载入 redrew the form and the button pressed with it: the focus is on the form's title, not lost to the page.
        await browser.WaitForAsync("document.activeElement?.id === 'formTitle'", ct);
        // Stored before the figures are typed: the check says so at once, before 提交.
        await townSubmits(140);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "121", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('第 3 版') && document.querySelector('#reload')", ct);
        await browser.ClickAsync("#reload", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '140' && document.querySelector('#verdict').className === 'ok'", ct);
        await browser.WatchAsync("#verdict", ct);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "121", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'ok'", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 4 版')", ct);
        Assert.Equal(121m, await StoredAsync(admin, town, "12.2", ct));

        // The other town's workbook chosen in this town's form: stored as the other town's, and the page says whose it was.
        var file = Path.Combine(Path.GetTempPath(), $"{other}.xlsx");
        try
        {
            var template = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={other}", ct);
            await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["12.2"] = "7" }), ct);
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("document.querySelector('#uploadResult').textContent.includes('代填乙镇') && document.querySelector('#formTitle').textContent.startsWith('代填乙镇 · ') && document.querySelector('#status').textContent.includes('代填乙镇')", ct);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Contains("不是“代填甲镇”", (await browser.EvaluateAsync("document.querySelector('#uploadResult').textContent", ct)).GetValue<string>());
        Assert.Equal(7m, await StoredAsync(admin, other, "12.2", ct));
        Assert.Equal(4, (await RevisionsAsync(admin, town, ct)).GetArrayLength());
        await browser.ClickAsync("#back", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{other}\"] td.n')?.textContent === '1'", ct);

        // A viewer sees the same overview without the action.
        await SignInAndOpenAsync(service, browser, viewerKey, ct);
        await browser.WaitForAsync($"document.querySelector('{row}') && document.querySelector('#who').textContent.includes('查看')", ct);
        Assert.False((await browser.EvaluateAsync("!!document.querySelector('#overview [data-fill]') || document.querySelector('#overview thead').textContent.includes('操作')", ct)).GetValue<bool>());
    }
}
