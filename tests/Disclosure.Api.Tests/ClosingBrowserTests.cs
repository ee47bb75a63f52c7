using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 关闭统计期 in the browser, before and after: the office is told every reporter that could no longer send once the year is
/// closed — 未报, 季报未报齐 with the quarters to come — and those returned (已退回), which may still correct their tables once,
/// before it confirms (仍要关闭); and a town the closed year still owes a table to (not sent, quarters to come) is told so and
/// to ask the district office, not invited to submit what the service would refuse, while a town whose table the office
/// returned is invited to correct it. Headless Chromium against the real service.
/// </summary>
public sealed class ClosingBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "closing-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    private const string Reason = "12.2 与编制名册不符，请核实后重新报送";

    [Fact]
    public Task Closing_The_Year_Names_The_Missing_The_Incomplete_With_Their_Quarters_And_The_Returned_Before_It_Closes() =>
        Browser.RunPageTestAsync("closing-office", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SetUpAsync(admin, ct);

            // Nothing returned yet: the tables not sent and the years with quarters to come are named, and nothing is closed.
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await OpenAsync(browser, "2014", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"xindian-town\"]')?.dataset.status === 'incomplete' && document.querySelector('#toggle')", ct);
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#notice')", ct)).GetValue<bool>());
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("['仍要关闭', '重新开放'].includes(document.querySelector('#toggle')?.textContent)", ct);
            Assert.Equal("仍要关闭", await TextAsync(browser, "#toggle", ct));
            var said = await TextAsync(browser, "#status", ct);
            Assert.Contains("以下 2 个单位尚未报送（未报）：", said);
            Assert.Contains("区卫健局", said);
            Assert.Contains("古邵镇", said);
            Assert.Contains("以下 2 个单位的年度数据由季报汇总，季报未报齐：", said);
            Assert.Contains("新店镇（缺第2、3、4季度）", said);
            Assert.Contains("窑湾镇（缺第4季度）", said);
            Assert.Contains("其各季度也随年度关闭", said);
            Assert.Contains("仍要关闭", said);
            Assert.DoesNotContain("坛山街道", said);
            Assert.DoesNotContain("已退回", said);
            Assert.False(await ClosedAsync(admin, "2014", ct));

            // The town's table returned meanwhile, and a quarter of a year added up from quarters (which has no review of its own,
            // and closes with the year): opened again, the overview names both, with the others.
            await ReturnAsync(admin, ct);
            await ReturnAsync(admin, ct, "yaowan-town", "2014Q2");
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"tanshan-street\"] [data-reviewed]')?.dataset.reviewed === 'returned' && document.querySelector('#toggle').textContent === '关闭统计期'", ct);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#toggle').textContent === '仍要关闭'", ct);
            said = await TextAsync(browser, "#status", ct);
            Assert.Contains("以下单位的报表已退回、尚未重报：坛山街道、窑湾镇（第2季度）（关闭后它们仍可按退回意见更正一次，汇总随之改变）。", said);
            Assert.Contains("以下 2 个单位尚未报送（未报）：", said);
            Assert.Contains("新店镇（缺第2、3、4季度）", said);
            Assert.False(await ClosedAsync(admin, "2014", ct));
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("closing-office-confirm")}");

            // Pressed again, it closes, and says whom it closed on, as the service answered (in the breakdown's order).
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '重新开放'", ct);
            Assert.True(await ClosedAsync(admin, "2014", ct));
            Assert.Equal("已关闭。未报：区卫健局、古邵镇；季报未报齐：新店镇（缺第2、3、4季度）、窑湾镇（缺第4季度）；已退回（仍可更正一次）：坛山街道、窑湾镇（第2季度）。",
                await TextAsync(browser, "#status", ct));
            // Closed, its 催报 notice asks only the returned town for its correction: the tables not sent the service now refuses.
            await browser.ClickAsync("#notice", ct);
            await browser.WaitForAsync("!document.querySelector('#noticeBox').hidden", ct);
            var notice = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>();
            Assert.Contains("本统计期已关闭，以下 1 个单位的报表已被区政务公开办退回，须按退回意见更正后", notice);
            Assert.Contains($"坛山街道：{Reason}", notice);
            Assert.DoesNotContain("区卫健局", notice);
            Assert.EndsWith("其余单位的报表已随统计期关闭，无需再报送。如有疑问请联系区政务公开办。", notice);

            // Reopened (for a correction), the office is told that every reporter may now write, who has not reported yet, and that
            // to let one reporter correct its table a return (退回) would do, without letting the others in. Why it was reopened,
            // typed beside the button, is in the audit log for whoever later asks why the published table changed.
            await browser.TypeAsync("#reopenReason", "窑湾镇补报第4季度", ct);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '关闭统计期' && document.querySelector('#status').textContent.includes('重新开放')", ct);
            Assert.False(await ClosedAsync(admin, "2014", ct));
            said = await TextAsync(browser, "#status", ct);
            Assert.Contains("2014年度统计期已重新开放：所有单位都可以再提交或修改报表", said);
            Assert.Contains("只需让某个单位更正时，不必重新开放，退回其报表即可：退回后只有该单位可以重报一次。", said);
            Assert.Contains("尚未报送的 2 个单位（", said);
            Assert.Contains("区卫健局", said);
            Assert.Contains("古邵镇", said);
            var reopened = await admin.GetFromJsonAsync<JsonElement>($"/v1/audit?action={Uri.EscapeDataString("POST v1/periods/{catalogue}/{period}/reopen")}&limit=1", ct);
            Assert.Equal("重新开放 2014年度政府信息公开工作情况统计表：窑湾镇补报第4季度", reopened.GetProperty("items")[0].GetProperty("detail").GetString());

            // A period that owes nothing closes on the first press, as before, and says nothing of whom it closed on.
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2013Q1", new { expectedReporters = Array.Empty<string>() }, ct)).StatusCode);
            await OpenAsync(browser, "2013Q1", ct);
            await browser.WaitForAsync("document.querySelector('#counts tr[data-kind=\"all\"] td.n')?.textContent === '0' && document.querySelector('#toggle')?.textContent === '关闭统计期'", ct);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '重新开放'", ct);
            Assert.True(await ClosedAsync(admin, "2013Q1", ct));
            Assert.Equal("", await TextAsync(browser, "#status", ct));
        });

    [Fact]
    public Task A_Town_The_Closed_Year_Still_Owes_A_Table_Is_Told_To_Ask_The_Office_Not_To_Submit() =>
        Browser.RunPageTestAsync("closing-town", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SetUpAsync(admin, ct);
            await ReturnAsync(admin, ct);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            var mine = $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]";

            // The returned town: the return unlocked its table, closed period or not: its row keeps the reason, says the period is
            // closed (已关闭) and invites the one correction (更正), without the note of a closed period's table still owed.
            await SignInAsTownAsync(service, browser, admin, "tanshan-street", ct);
            await browser.WaitForAsync($"document.querySelector('{mine} [data-review]')", ct);
            Assert.Equal("false", (await browser.EvaluateAsync($"document.querySelector('{mine}').dataset.closed", ct)).GetValue<string>());
            Assert.Contains("已退回", await TextAsync(browser, mine, ct));
            Assert.Contains(Reason, await TextAsync(browser, mine, ct));
            Assert.Contains("（已关闭）", await TextAsync(browser, mine, ct));
            Assert.False((await browser.EvaluateAsync($"!!document.querySelector('{mine} .closedNote')", ct)).GetValue<bool>());
            Assert.Equal("更正", await TextAsync(browser, $"{mine} [data-open]", ct));
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("closing-town-returned-row")}");

            // Its form: the banner says first that the period is closed and takes one correction, then that the table was returned
            // and why, to be corrected and sent again; 提交 and the upload are on.
            await browser.ClickAsync($"{mine} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#reviewNotice .notice.returned') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '7'", ct);
            var banner = await TextAsync(browser, "#reviewNotice", ct);
            Assert.Contains("区政务公开办已退回本表（第 1 版，", banner);
            Assert.Contains("修改后重新提交", banner);
            Assert.Contains(Reason, banner);
            Assert.StartsWith("2014年度统计期已关闭：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。", banner);
            Assert.True((await browser.EvaluateAsync("!document.querySelector('#closedNotice') && !document.querySelector('#submit').disabled && !document.querySelector('#upload').disabled", ct)).GetValue<bool>());
            Assert.Equal("open", await FieldsAsync(browser, ct));
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("closing-town-returned-form")}");

            // A town that never sent 2014: 未报, closed, whom to ask; its form says so at the top.
            await SignInAsTownAsync(service, browser, admin, "gushao-town", ct);
            await browser.WaitForAsync($"document.querySelector('{mine} .closedNote')", ct);
            Assert.Contains("未报", await TextAsync(browser, mine, ct));
            await browser.ClickAsync($"{mine} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit')?.disabled", ct);
            Assert.Equal("2014年度统计期已关闭，本表不能再提交或修改；如需补报或修改，请联系区政务公开办重新开放。", await TextAsync(browser, "#reviewNotice", ct));
            // Nothing can be sent, so nothing can be typed either: the figures and the note are read-only, pointing at the notice,
            // which is on the screen.
            Assert.Equal("read-only", await FieldsAsync(browser, ct));
            Assert.True((await browser.EvaluateAsync("document.querySelector('#closedNotice').getBoundingClientRect().height > 0", ct)).GetValue<bool>());
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "5", ct);
            Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value", ct)).GetValue<string>());
            // A quarter of that year, closed with it: the town sent no quarter either, so it is not told its year is added up from them.
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014Q2", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年第2季度') && document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit')?.disabled", ct);
            Assert.Equal("2014年第2季度统计期已关闭：2014年度已关闭，本季度随之关闭，不能再提交；如需补报，请联系区政务公开办重新开放2014年度。",
                await TextAsync(browser, "#reviewNotice", ct));

            // A town whose year is added up from its quarters, three to come: its year's row says 季报未报齐 and closed, and a quarter
            // it has not sent (no row of its own) opens closed with the year.
            await SignInAsTownAsync(service, browser, admin, "xindian-town", ct);
            await browser.WaitForAsync($"document.querySelector('{mine} .closedNote')", ct);
            Assert.Contains("季报未报齐（缺第2、3、4季度）", await TextAsync(browser, mine, ct));
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014Q2", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年第2季度') && document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit')?.disabled", ct);
            Assert.Equal("2014年第2季度统计期已关闭：2014年度已关闭，本单位的年度数据由季报汇总，本季度随之关闭，不能再提交或修改；如需补报或修改，请联系区政务公开办重新开放2014年度。",
                await TextAsync(browser, "#reviewNotice", ct));
            // The quarter it sent is closed with the year too, but is corrected as any closed table is: returned (退回), the year left closed.
            await browser.TypeAsync("#period", "2014Q1", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年第1季度') && document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit')?.disabled", ct);
            Assert.Equal("2014年第1季度统计期已关闭：2014年度已关闭，本单位的年度数据由季报汇总，本季度随之关闭，不能再提交或修改；如需修改，请联系区政务公开办退回本表，退回后可以重报一次，无需重新开放2014年度。",
                await TextAsync(browser, "#reviewNotice", ct));

            // A quarter closed with its year that the office returns takes one correction too, the form saying why the quarter
            // is closed; accepted while the form is open, the correction is refused naming the year that closes the quarter,
            // and the form and the row lock.
            await ReturnAsync(admin, ct, "yaowan-town", "2014Q2");
            await SignInAsTownAsync(service, browser, admin, "yaowan-town", ct);
            var quarter = $"#myPeriods tr[data-period=\"{Catalogue}/2014Q2\"]";
            await browser.WaitForAsync($"document.querySelector('{quarter}')?.dataset.correctOnce === '2014' && document.querySelector('{quarter} [data-open]').textContent === '更正'", ct);
            Assert.Contains("（已关闭）", await TextAsync(browser, quarter, ct));
            await browser.ClickAsync($"{quarter} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#reviewNotice #correctionNotice') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '7' && document.querySelector('#verdict').className === 'ok'", ct);
            Assert.Equal("2014年第2季度统计期已关闭（2014年度已关闭，本单位的年度数据由季报汇总，本季度随之关闭）：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。",
                await TextAsync(browser, "#correctionNotice", ct));
            var q2 = (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter=yaowan-town&catalogue={Catalogue}&period=2014Q2", ct)).GetProperty("items")[0].GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{q2}/review", new { decision = "accepted" }, ct)).StatusCode);
            // A figure changed (pressed before the check of it ran): sent as it stands, it would be the accepted table, answered unchanged.
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value = '8'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.startsWith('2014年度已关闭')", ct);
            Assert.Equal("2014年度已关闭，本单位的年度数据由季报汇总，2014年第2季度随之关闭，不能再提交；如需修改已报的报表，请联系区政务公开办将其退回（无需重新开放2014年度）；如需补报，请联系区政务公开办重新开放2014年度。",
                await TextAsync(browser, "#verdict", ct));
            await browser.WaitForAsync($"document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit').disabled && document.querySelector('{quarter}')?.dataset.closed === 'true' && document.querySelector('{quarter} [data-open]').textContent === '查看'", ct);
            Assert.StartsWith("2014年第2季度统计期已关闭：2014年度已关闭", await TextAsync(browser, "#reviewNotice", ct));
            Assert.Equal("read-only", await FieldsAsync(browser, ct)); // locked since it was drawn, as drawn closed

            // A town registered after the year closed does not owe it, so its list has no row of 2014 (nor of its quarters);
            // opened all the same, its form says the period is closed, in the dry run's words, with 提交 off.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "xinshe-town", name = "新设镇", kind = "town" }, ct)).StatusCode);
            await SignInAsTownAsync(service, browser, admin, "xinshe-town", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年度') && document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit')?.disabled", ct);
            Assert.StartsWith("2014年度统计期已关闭", await TextAsync(browser, "#reviewNotice", ct)); // the dry run's words, the service's

            // Reopened, the town is invited again: its row says 填报, and the quarter's form has no banner and 提交 on.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/reopen", null, ct)).StatusCode);
            await SignInAsTownAsync(service, browser, admin, "xindian-town", ct);
            await browser.WaitForAsync($"document.querySelector('{mine}')?.dataset.closed === 'false' && !document.querySelector('{mine} .closedNote') && document.querySelector('{mine} [data-open]').textContent === '填报'", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014Q2", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年第2季度') && document.querySelector('#submit')", ct);
            Assert.True((await browser.EvaluateAsync("!document.querySelector('#closedNotice') && !document.querySelector('#submit').disabled && !document.querySelector('#upload').disabled", ct)).GetValue<bool>());
            Assert.Equal("open", await FieldsAsync(browser, ct));
        });

    [Fact]
    public Task A_Town_Pressing_Submit_Again_On_Its_Table_After_The_Close_Is_Told_It_Is_Unchanged_And_The_Form_Then_Says_The_Period_Is_Closed() =>
        Browser.RunPageTestAsync("closing-unchanged", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "tanshan-street", name = "坛山街道", kind = "town" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                new { reporter = "tanshan-street", period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 7 } } }, ct)).StatusCode);
            var mine = $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]";
            await SignInAsTownAsync(service, browser, admin, "tanshan-street", ct);
            await browser.WaitForAsync($"document.querySelector('{mine} [data-open]')?.textContent === '填报'", ct);
            await browser.ClickAsync($"{mine} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '7' && document.querySelector('#verdict').className === 'ok'", ct);

            // The office closes the year while the form is open; the town presses 提交 again on the table the office holds.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            await browser.ClickAsync("#submit", ct);

            // Told it is the table stored (nothing changed, nothing stored), not that it was refused; and, as the form opened now
            // would, that the period is closed: 提交 off, figures read-only, its row in 我的报表 查看.
            await browser.WaitForAsync($"document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit').disabled && document.querySelector('{mine}')?.dataset.closed === 'true'", ct);
            Assert.Equal("与已提交的第 1 版完全相同，没有改动，未另存新版本", await TextAsync(browser, "#verdict", ct));
            Assert.Equal("ok", (await browser.EvaluateAsync("document.querySelector('#verdict').className", ct)).GetValue<string>());
            Assert.Equal("2014年度统计期已关闭，本表不能再提交或修改；如需修改，请联系区政务公开办退回本表，退回后可以重报一次。", await TextAsync(browser, "#reviewNotice", ct));
            Assert.Equal("read-only", await FieldsAsync(browser, ct));
            Assert.True((await browser.EvaluateAsync("document.querySelector('#upload').disabled", ct)).GetValue<bool>());
            Assert.Equal("查看", await TextAsync(browser, $"{mine} [data-open]", ct));
            Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter=tanshan-street&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").EnumerateArray());
        });

    [Fact]
    public Task A_Close_Or_Reopening_Pressed_After_Another_Clerk_Changed_The_Settings_Is_Not_Made_And_The_Page_Reads_Them_Again() =>
        Browser.RunPageTestAsync("closing-conflict", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            // A period that owes nothing: a press closes it at once, with no confirmation to give first.
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2013Q2", new { expectedReporters = Array.Empty<string>() }, ct)).StatusCode);
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await OpenAsync(browser, "2013Q2", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '关闭统计期'", ct);

            // Another clerk sets the deadline after the page read the settings: the close is not made, and the page says why.
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2013Q2",
                new { deadline = "2013-07-31T17:00:00+08:00", expectedReporters = Array.Empty<string>() }, ct)).StatusCode);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#status').textContent.includes('没有执行')", ct);
            Assert.Equal("其他人已在此期间修改了本统计期的设置（关闭、重新开放、截止时间或应报单位），本次“关闭统计期”没有执行。页面已重新读取最新设置：请核对后再操作。",
                await TextAsync(browser, "#status", ct));
            Assert.False(await ClosedAsync(admin, "2013Q2", ct));
            Assert.Equal("关闭统计期", await TextAsync(browser, "#toggle", ct));

            // Read again, the page holds the new tag: pressed again, it closes.
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '重新开放'", ct);
            Assert.True(await ClosedAsync(admin, "2013Q2", ct));

            // Reopened and closed again by another clerk meanwhile: the page's reopening is not made, the period stays closed.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2013Q2/reopen", null, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2013Q2/close", null, ct)).StatusCode);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("document.querySelector('#status').textContent.includes('“重新开放”没有执行')", ct);
            Assert.True(await ClosedAsync(admin, "2013Q2", ct));
            Assert.Equal("重新开放", await TextAsync(browser, "#toggle", ct));
        });

    // Six reporters of 2014: one (坛山街道) sent its year; two sent nothing (区卫健局, 古邵镇); two add their year up from quarters
    // still to come (新店镇 its first, 窑湾镇 three); 区教育局 sent its year and is not in the way.
    private static async Task SetUpAsync(HttpClient admin, CancellationToken ct)
    {
        foreach (var (id, name, kind) in new[]
        {
            ("yc-edu", "区教育局", "department"), ("yc-weijian", "区卫健局", "department"), ("tanshan-street", "坛山街道", "town"),
            ("gushao-town", "古邵镇", "town"), ("xindian-town", "新店镇", "town"), ("yaowan-town", "窑湾镇", "town"),
        })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
        foreach (var (id, period) in new[]
        {
            ("yc-edu", "2014"), ("tanshan-street", "2014"), ("xindian-town", "2014Q1"), ("yaowan-town", "2014Q1"), ("yaowan-town", "2014Q2"), ("yaowan-town", "2014Q3"),
        })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                new { reporter = id, period, catalogue = Catalogue, values = new[] { new { code = "12.2", value = 7 } } }, ct)).StatusCode);
    }

    private static async Task ReturnAsync(HttpClient admin, CancellationToken ct, string reporter = "tanshan-street", string period = "2014")
    {
        var id = (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={Catalogue}&period={period}", ct))
            .GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = Reason }, ct)).StatusCode);
    }

    private static async Task OpenAsync(Browser browser, string period, CancellationToken ct)
    {
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
    }

    private static async Task SignInAsTownAsync(ServiceProcess service, Browser browser, HttpClient admin, string town, CancellationToken ct)
    {
        var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        await browser.NavigateAsync("about:blank", ct); // a sign-in link is followed as a fresh page, not as a jump within this one
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#minePeriods') && document.querySelector('#open')", ct);
    }

    private static async Task<bool> ClosedAsync(HttpClient admin, string period, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/{period}", ct)).GetProperty("closed").GetBoolean();

    // The form's figures and note: all read-only and described by the closed notice ("read-only"), all open to typing ("open"),
    // or, named, those that are neither.
    private static async Task<string> FieldsAsync(Browser browser, CancellationToken ct) =>
        (await browser.EvaluateAsync("""
            (() => {
              const fields = [...document.querySelectorAll('#entry input[name]'), document.querySelector('#note')];
              const locked = f => f.readOnly && !f.disabled && (f.getAttribute('aria-describedby') ?? '').split(' ').includes('closedNotice');
              if (fields.length > 1 && fields.every(locked)) return 'read-only';
              if (fields.length > 1 && fields.every(f => !f.readOnly && !f.disabled)) return 'open';
              return fields.filter(f => !locked(f)).map(f => f.name || f.id).join(',');
            })()
            """, ct)).GetValue<string>();

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();
}
