using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The office's overview of a period in the browser: 刷新 keeps the reporter's table open below it and a return's reason typed
/// there; a closed period names its reporters as it was closed with them; the time it was read is on the computer's clock as
/// every other time on the page; and the sign-in page says when an expired key expired. Headless Chromium against the real service.
/// </summary>
public sealed class OverviewBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "overview-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task Refresh_Opens_The_Reporters_Table_Again_With_The_Reason_Typed_And_Says_When_A_Newer_Revision_Is_Shown() =>
        Browser.RunPageTestAsync("overview-refresh-drill", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (town, townKey) = await TownAsync(admin, "刷新镇", null, ct);
            await SendAsync(service.Client(townKey), town, "2014", 120, ct);
            await OpenAsync(service, browser, "2014", ct);
            await browser.SelectAsync("#statusFilter", "rv:pending", ct);
            await browser.ClickAsync($"#overview [data-drill=\"{town}\"]", ct);
            await browser.WaitForAsync("document.querySelector('#drill #reviewComment')", ct);
            await browser.TypeAsync("#reviewComment", "12.2 请核实", ct);

            // 刷新 with nothing new: the same table open again, the reason as typed, nothing said beside it; the filter kept.
            await RefreshAsync(browser, ct);
            await browser.WaitForAsync("document.querySelector('#drill #reviewComment')?.value === '12.2 请核实'", ct);
            Assert.StartsWith("刷新镇 · ", await TextAsync(browser, "#drill h2", ct));
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#reasonKept')", ct)).GetValue<bool>());
            Assert.Equal("rv:pending", (await browser.EvaluateAsync("document.querySelector('#statusFilter').value", ct)).GetValue<string>());

            // The town sends revision 2 meanwhile: 刷新 shows it, keeps the reason and says it was typed for revision 1.
            await SendAsync(service.Client(townKey), town, "2014", 130, ct);
            await RefreshAsync(browser, ct);
            await browser.WaitForAsync("document.querySelector('#drill #reasonKept')", ct);
            Assert.Equal("12.2 请核实", (await browser.EvaluateAsync("document.querySelector('#reviewComment').value", ct)).GetValue<string>());
            Assert.Equal("上面的退回理由是对第 1 版填写的，刷新后显示的是第 2 版：请核对后再发送。", await TextAsync(browser, "#reasonKept", ct));
            Assert.Equal("审核第 2 版", await TextAsync(browser, "#review h3", ct));
            Assert.Equal("rv:pending", (await browser.EvaluateAsync("document.querySelector('#statusFilter').value", ct)).GetValue<string>());
            Assert.False((await browser.EvaluateAsync($"document.querySelector('#overview tr[data-reporter=\"{town}\"]').hidden", ct)).GetValue<bool>());
        });

    [Fact]
    public Task A_Closed_Period_Names_Its_Reporters_As_It_Was_Closed_With_Them_And_An_Open_One_As_They_Are_Now() =>
        Browser.RunPageTestAsync("overview-closed-names", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (sent, sentKey) = await TownAsync(admin, "旧名镇", null, ct);
            await SendAsync(service.Client(sentKey), sent, "2014", 120, ct);
            var (owing, _) = await TownAsync(admin, "旧欠镇", "李四 0632-1234567", ct);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            foreach (var (id, name) in new[] { (sent, "新名镇"), (owing, "新欠镇") })
                Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/v1/reporters/{id}", new { name }, ct)).StatusCode);

            // 2014, closed: its row, the drill-down's heading and 未报单位 (with the contact as registered) as it was closed.
            await OpenAsync(service, browser, "2014", ct);
            Assert.Equal("旧名镇", await TextAsync(browser, $"#overview tr[data-reporter=\"{sent}\"] th.name a", ct));
            Assert.Equal("旧欠镇", await TextAsync(browser, $"#overview tr[data-reporter=\"{owing}\"] th.name a", ct));
            var missing = await TextAsync(browser, "#missingList li[data-kind=\"town\"]", ct);
            Assert.Contains("旧欠镇（李四 0632-1234567）", missing);
            Assert.DoesNotContain("新欠镇", missing);
            await browser.ClickAsync($"#overview [data-drill=\"{sent}\"]", ct);
            await browser.WaitForAsync("document.querySelector('#drill h2')", ct);
            Assert.StartsWith("旧名镇 · ", await TextAsync(browser, "#drill h2", ct));

            // 2014Q2, open, closed with the year to the town that sent nothing of it: named as the year was closed with it; the
            // town with a year's table owes the quarter, named as it is now.
            await OpenAsync(service, browser, "2014Q2", ct);
            var closedWithYear = await TextAsync(browser, "#closedWithYearNames", ct);
            Assert.Contains("旧欠镇", closedWithYear);
            Assert.DoesNotContain("新欠镇", closedWithYear);
            Assert.Equal("旧欠镇", await TextAsync(browser, $"#overview tr[data-reporter=\"{owing}\"] th.name a", ct));
            Assert.Equal("新名镇", await TextAsync(browser, $"#overview tr[data-reporter=\"{sent}\"] th.name a", ct));
            // The town that owes the quarter sends it: the one left was closed with the year, so nobody is to be reminded, and why.
            await SendAsync(service.Client(sentKey), sent, "2014Q2", 30, ct);
            await OpenAsync(service, browser, "2014Q2", ct);
            await browser.WaitForAsync("document.querySelector('#noticeNone')", ct); // the overview of 2014Q2 drawn again
            Assert.Equal("未报送的单位均已随2014年度关闭、不再报送，没有需要催报的单位。", await TextAsync(browser, "#noticeNone", ct));
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#notice')", ct)).GetValue<bool>());

            // 2013, open: the names as they are now.
            await OpenAsync(service, browser, "2013", ct);
            Assert.Contains("新欠镇（李四 0632-1234567）", await TextAsync(browser, "#missingList li[data-kind=\"town\"]", ct));
            Assert.Equal("新名镇", await TextAsync(browser, $"#overview tr[data-reporter=\"{sent}\"] th.name a", ct));
        });

    [Fact]
    public Task A_Table_Corrected_After_The_Close_Is_Marked_In_The_Overview_As_The_Printed_Table_Names_It() =>
        Browser.RunPageTestAsync("overview-after-close", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (kept, keptKey) = await TownAsync(admin, "原样镇", null, ct);
            var (corrected, correctedKey) = await TownAsync(admin, "更正镇", null, ct);
            await SendAsync(service.Client(keptKey), kept, "2012", 120, ct);
            var first = await service.Client(correctedKey).PostAsJsonAsync("/v1/submissions",
                new { reporter = corrected, period = "2012", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 50 } } }, ct);
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2012/close", null, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"{first.Headers.Location!.OriginalString}/review", new { decision = "returned", comment = "请核实" }, ct)).StatusCode);
            await SendAsync(service.Client(correctedKey), corrected, "2012", 60, ct);

            // The overview says which table is no longer as the period was closed with it, as the printed table does.
            await OpenAsync(service, browser, "2012", ct);
            Assert.Equal("关闭后更正", await TextAsync(browser, $"#overview tr[data-reporter=\"{corrected}\"] .afterClose", ct));
            var title = (await browser.EvaluateAsync($"document.querySelector('#overview tr[data-reporter=\"{corrected}\"] .afterClose').title", ct)).GetValue<string>();
            Assert.StartsWith("本统计期于 ", title);
            Assert.Contains(" 关闭后据退回更正、已计入合计：第 2 版，", title);
            Assert.False((await browser.EvaluateAsync($"!!document.querySelector('#overview tr[data-reporter=\"{kept}\"] .afterClose')", ct)).GetValue<bool>());
        });

    [Fact]
    public Task The_Time_The_Overview_Was_Read_Is_On_The_Computers_Clock_As_The_Deadline_Beside_It() =>
        Browser.RunPageTestAsync("overview-read-at", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2014", new { deadline = "2015-01-31T12:00:00Z" }, ct)).StatusCode);
            // A computer set to India's time (UTC+5:30, no summer time): neither Beijing's nor the machine's running the test.
            await browser.SetTimezoneAsync("Asia/Kolkata", ct);
            await OpenAsync(service, browser, "2014", ct);
            var readAt = await TextAsync(browser, "#overviewReadAt", ct);
            var at = DateTimeOffset.Parse((await browser.EvaluateAsync("document.querySelector('#overviewReadAt').dataset.readAt", ct)).GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.Equal($"数据读取于 {at.ToOffset(new TimeSpan(5, 30, 0)).ToString("HH:mm:ss", CultureInfo.InvariantCulture)}", readAt);
            // The deadline beside it on the same clock: 12:00 UTC is 17:30 there.
            Assert.Contains("截止时间 2015/1/31 17:30:00", await TextAsync(browser, "#view", ct));
        });

    [Fact]
    public Task An_Expired_Key_Is_Told_When_It_Expired_And_A_Revoked_One_What_Any_Refused_Key_Is() =>
        Browser.RunPageTestAsync("overview-expired-key", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (town, _) = await TownAsync(admin, "过期镇", null, ct);
            var issued = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) }, ct);
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            var expiring = (await issued.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            // Until the service refuses it for its expiry (two seconds on).
            var refusal = await RefusalAsync(service.Client(expiring), ct);
            Assert.StartsWith("该密钥已于 ", refusal);

            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(expiring)}", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')", ct);
            Assert.Equal(refusal, await TextAsync(browser, "#signinError", ct));
            Assert.Matches(@"^该密钥已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）过期", await TextAsync(browser, "#signinError", ct));

            // A revoked key: the page's own words, which name the sign-in link to ask for.
            var revoked = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct);
            var issuedRevoked = await revoked.Content.ReadFromJsonAsync<JsonElement>(ct);
            var (id, key) = (issuedRevoked.GetProperty("id").GetString()!, issuedRevoked.GetProperty("key").GetString()!);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{id}", ct)).StatusCode);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.startsWith('这个密钥')", ct);
            Assert.Equal("这个密钥或登录链接无效、已吊销或已过期：请向区政务公开办索取新的登录链接。", await TextAsync(browser, "#signinError", ct));
        });

    [Fact]
    public Task An_Expired_Key_Is_Known_By_The_Type_Of_Its_Refusal_Not_By_Its_Wording() =>
        Browser.RunPageTestAsync("overview-expired-key-type", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (town, _) = await TownAsync(admin, "过期类型镇", null, ct);
            var issued = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) }, ct);
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            var expiring = (await issued.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            Assert.StartsWith("该密钥已于 ", await RefusalAsync(service.Client(expiring), ct));
            var revoked = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{revoked.GetProperty("id").GetString()}", ct)).StatusCode);

            // Every 401's wording swapped on its way to the page (as a service that says it otherwise would): the expired key's for
            // its English half, which names no 已于…过期; any other's for words that do.
            await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
            await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
            await browser.EvaluateAsync("""
                window.fetch = (f => async (input, init) => {
                  const r = await f(input, init);
                  if (r.status !== 401) return r;
                  const body = await r.json();
                  body.detail = body.type.endsWith('/key-expired') ? body.detail.slice(body.detail.indexOf('The API key')) : '该密钥已于 2015-01-31 17:00（北京时间）过期。';
                  return new Response(JSON.stringify(body), { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
                })(window.fetch); true
                """, ct);
            async Task SignInAsync(string key)
            {
                await browser.EvaluateAsync("document.querySelector('#signinError')?.remove(); true", ct);
                await browser.TypeAsync("#keyInput", key, ct);
                await browser.ClickAsync("#signin button[type=submit]", ct);
                await browser.WaitForAsync("document.querySelector('#signinError')", ct);
            }

            await SignInAsync(expiring);
            Assert.StartsWith("The API key expired at ", await TextAsync(browser, "#signinError", ct));
            await SignInAsync(revoked.GetProperty("key").GetString()!);
            Assert.Equal("这个密钥或登录链接无效、已吊销或已过期：请向区政务公开办索取新的登录链接。", await TextAsync(browser, "#signinError", ct));
        });

    /// <summary>The 401's detail for a key, once the service refuses it (asked again until it does, at most 20 seconds).</summary>
    private static async Task<string> RefusalAsync(HttpClient client, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            using var me = await client.GetAsync("/v1/me", limit.Token);
            if (me.StatusCode == HttpStatusCode.Unauthorized) return (await me.Content.ReadFromJsonAsync<JsonElement>(limit.Token)).GetProperty("detail").GetString()!;
            await Task.Delay(200, limit.Token);
        }
    }

    /// <summary>A town registered (with its contact) and a key of its own: its id and key.</summary>
    private static async Task<(string Id, string Key)> TownAsync(HttpClient admin, string name, string? contact, CancellationToken ct)
    {
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name, kind = "town", contact }, ct)).StatusCode);
        var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        return (town, key);
    }

    private static async Task SendAsync(HttpClient town, string id, string period, int value, CancellationToken ct) =>
        Assert.Equal(HttpStatusCode.Created, (await town.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = id, period, catalogue = Catalogue, values = new[] { new { code = "12.2", value } },
        }, ct)).StatusCode);

    /// <summary>The office's page signed in (the first time) and the overview of <paramref name="period"/> drawn.</summary>
    private static async Task OpenAsync(ServiceProcess service, Browser browser, string period, CancellationToken ct)
    {
        if ((await browser.EvaluateAsync("!document.querySelector('#open')", ct)).GetValue<bool>())
        {
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
        }
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#view h2')?.textContent.endsWith('· {Disclosure.Api.Infrastructure.AuditText.Period(period)}') && document.querySelector('#overview')", ct);
    }

    /// <summary>刷新 pressed, and the overview drawn again (its read-at time moved on).</summary>
    private static async Task RefreshAsync(Browser browser, CancellationToken ct)
    {
        var before = (await browser.EvaluateAsync("document.querySelector('#overviewReadAt').dataset.readAt", ct)).GetValue<string>();
        await browser.EvaluateAsync("document.querySelector('#overviewReadAt').dataset.readAt = 'before'", ct);
        await browser.ClickAsync("#refreshOverview", ct);
        await browser.WaitForAsync("document.querySelector('#overviewReadAt') && document.querySelector('#overviewReadAt').dataset.readAt !== 'before'", ct);
        Assert.NotEqual("before", before);
    }

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();
}
