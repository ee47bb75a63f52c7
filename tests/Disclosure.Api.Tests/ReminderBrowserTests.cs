using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 催报通知: from the overview, the district office writes the reminder it sends the reporters that have not reported — by kind,
/// each with its contact — and those whose table it returned, with the deadline in Beijing time and where to report.
/// Headless Chromium against the real service.
/// </summary>
public sealed class ReminderBrowserTests
{
    private const string AdminKey = "reminder-page-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Office_Writes_The_Reminder_For_Those_Missing_And_Those_Returned() =>
        Browser.RunPageTestAsync("reminder", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind, contact) in new[]
            {
                ("yc-edu", "区教育局", "department", "王芳 0632-7712345"), ("yc-jiaoyu-2", "区卫健局", "department", (string?)null),
                ("gushao-town", "古邵镇", "town", null), ("tanshan-street", "坛山街道", "town", "赵六 0632-7711111"),
            })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", contact is null ? new { id, name, kind } : (object)new { id, name, kind, contact }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2014", new { deadline = "2099-01-31T17:00:00+08:00" }, ct)).StatusCode);
            // Two reported; the district office returned one of them.
            foreach (var id in new[] { "yc-jiaoyu-2", "gushao-town" })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                    new { reporter = id, period = "2014", catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } }, ct)).StatusCode);
            var returned = (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter=gushao-town&catalogue={Catalogue}&period=2014", ct))
                .GetProperty("items")[0].GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{returned}/review", new { decision = "returned", comment = "13.1 与会议记录不符" }, ct)).StatusCode);

            await OpenReminderAsync(service, browser, ct);

            var lines = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>().Split('\n');
            Assert.StartsWith("【催报】2014年度政府信息公开工作情况统计表", lines[0]);
            Assert.EndsWith("（北京时间），以下 2 个单位尚未报送。", lines[0]);
            Assert.Equal("区直部门：区教育局（王芳 0632-7712345）", lines[1]);
            Assert.Equal("乡镇街道：坛山街道（赵六 0632-7711111）", lines[2]);
            Assert.Equal($"请于 2099年1月31日 17:00（北京时间）前登录 {service.BaseAddress} 填报提交。", lines[3]);
            Assert.Equal("以下单位的报表已退回，请按退回意见修改后重新提交：古邵镇：13.1 与会议记录不符", lines[4]);
            Assert.Equal("已报送的单位请忽略。如有疑问请联系区政务公开办。", lines[5]);
            Assert.Equal(6, lines.Length);
            // Selected, ready to copy with Ctrl+C where the page may not write to the clipboard itself.
            Assert.True((await browser.EvaluateAsync("document.activeElement?.id === 'noticeText' && document.querySelector('#noticeText').selectionEnd > 0", ct)).GetValue<bool>());
        });

    [Fact]
    public Task With_Every_Table_In_No_Reminder_Is_Offered_Until_Refresh_Shows_One_Missing() =>
        Browser.RunPageTestAsync("reminder-all-in", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind) in new[] { ("yc-edu", "区教育局", "department"), ("gushao-town", "古邵镇", "town") })
            {
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                    new { reporter = id, period = "2014", catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } }, ct)).StatusCode);
            }

            await OpenOverviewAsync(service, browser, ct);
            await browser.WaitForAsync("document.querySelector('#noticeNone')", ct);
            async Task<string> TextAsync(string selector) => (await browser.EvaluateAsync($"document.querySelector('{selector}')?.textContent ?? ''", ct)).GetValue<string>();

            // Every reporter has reported: nobody to remind, so no 生成催报通知, and why not where it would be.
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#notice')", ct)).GetValue<bool>());
            Assert.Equal("各单位均已报送，没有需要催报的单位。", await TextAsync("#noticeNone"));
            // The page in English says so in English.
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#noticeNone')?.textContent === 'Every reporter has reported: there is nobody to remind.'", ct);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#notice')", ct)).GetValue<bool>());
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#noticeNone')?.textContent === '各单位均已报送，没有需要催报的单位。'", ct);

            // A town registered meanwhile owes 2014 (the period has no list of its own): 刷新 shows it missing, and offers the reminder.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "tanshan-street", name = "坛山街道", kind = "town" }, ct)).StatusCode);
            await browser.ClickAsync("#refreshOverview", ct);
            await browser.WaitForAsync("document.querySelector('#notice')", ct);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#noticeNone')", ct)).GetValue<bool>());
            await browser.ClickAsync("#notice", ct);
            await browser.WaitForAsync("!document.querySelector('#noticeBox').hidden", ct);
            var lines = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>().Split('\n');
            Assert.EndsWith("（北京时间），以下 1 个单位尚未报送。", lines[0]);
            Assert.Equal("乡镇街道：坛山街道", lines[1]);
        });

    [Fact]
    public Task A_Closed_Periods_Reminder_Chases_Only_Those_Returned_To_Correct_And_Is_Not_Offered_Without_Them() =>
        Browser.RunPageTestAsync("reminder-closed", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind, contact) in new[]
            {
                ("yc-edu", "区教育局", "department", (string?)null), ("gushao-town", "古邵镇", "town", "赵六 0632-7711111"), ("tanshan-street", "坛山街道", "town", null),
            })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", contact is null ? new { id, name, kind } : (object)new { id, name, kind, contact }, ct)).StatusCode);
            // Two reported, 坛山街道 did not; the office returned 古邵镇's, then closed 2014.
            object Table(string id) => new { reporter = id, period = "2014", catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } };
            foreach (var id in new[] { "yc-edu", "gushao-town" })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", Table(id), ct)).StatusCode);
            var returned = (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter=gushao-town&catalogue={Catalogue}&period=2014", ct))
                .GetProperty("items")[0].GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{returned}/review", new { decision = "returned", comment = "13.1 与会议记录不符" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);

            await OpenReminderAsync(service, browser, ct);

            // Only the returned table: it must be corrected and sent again; 坛山街道, which sent nothing, is not chased (closed).
            var lines = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>().Split('\n');
            Assert.StartsWith("【催报】2014年度政府信息公开工作情况统计表", lines[0]);
            Assert.EndsWith($"：本统计期已关闭，以下 1 个单位的报表已被区政务公开办退回，须按退回意见更正后，登录 {service.BaseAddress} 重新提交（可重报一次）：", lines[0]);
            Assert.Equal(["古邵镇（赵六 0632-7711111）：13.1 与会议记录不符", "其余单位的报表已随统计期关闭，无需再报送。如有疑问请联系区政务公开办。"], lines[1..]);

            // Corrected, nothing in the closed period is left to chase: no reminder is offered.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", Table("gushao-town"), ct)).StatusCode);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"gushao-town\"] [data-reviewed]')?.dataset.reviewed === 'pending'", ct);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#notice')", ct)).GetValue<bool>());
            Assert.Equal("本统计期已关闭，没有退回待更正的报表，没有需要催报的单位。",
                (await browser.EvaluateAsync("document.querySelector('#noticeNone')?.textContent ?? ''", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Quarters_Reminder_Does_Not_Chase_Those_It_Is_Closed_To_With_Their_Year() =>
        Browser.RunPageTestAsync("reminder-closed-year", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind, contact) in new[]
            {
                ("yc-edu", "区教育局", "department", "王芳 0632-7712345"), ("yc-weijian", "区卫健局", "department", (string?)null),
                ("gushao-town", "古邵镇", "town", null), ("tanshan-street", "坛山街道", "town", null),
            })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", contact is null ? new { id, name, kind } : (object)new { id, name, kind, contact }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2014Q3", new { deadline = "2099-01-31T17:00:00+08:00" }, ct)).StatusCode);
            // 区教育局 sends a table of the year; 古邵镇 and 坛山街道 send quarters, 坛山街道 its third; 区卫健局 nothing. Then 2014 is closed.
            foreach (var (id, period) in new[] { ("yc-edu", "2014"), ("gushao-town", "2014Q1"), ("tanshan-street", "2014Q3") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                    new { reporter = id, period, catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014Q3", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#notice')", ct);
            async Task<string> TextAsync(string selector) => (await browser.EvaluateAsync($"document.querySelector('{selector}').textContent", ct)).GetValue<string>();

            // Only 区教育局 can still send 2014Q3 (its year is a table of its own): the others' year is added up from their quarters, and closed.
            Assert.Equal("随2014年度关闭 2", await TextAsync("#closedWithYear"));
            Assert.Equal("区直部门（1）：区教育局（王芳 0632-7712345）", await TextAsync("#missingList li[data-kind=\"department\"]"));
            Assert.Equal("乡镇街道（0）：无", await TextAsync("#missingList li[data-kind=\"town\"]"));
            // Said of every reporter named, whether or not it sent a quarterly table of 2014: none has a table of the year.
            Assert.Equal("随2014年度关闭、不再催报（没有2014年度的年报，2014年度统计期已关闭，本季度随之关闭，不再报送）：区卫健局、古邵镇", await TextAsync("#closedWithYearNames"));
            Assert.Equal(("1", "2"), (await TextAsync("#counts tr[data-kind=\"all\"] td[data-status=\"notSubmitted\"]"), await TextAsync("#counts tr[data-kind=\"all\"] td[data-status=\"closedWithYear\"]")));
            Assert.Equal("随年度关闭", await TextAsync("#overview tr[data-reporter=\"gushao-town\"] td"));
            // Not offered to be entered on its behalf (代填) either: the service would refuse the quarter; the missing one still is.
            var fill = await browser.EvaluateAsync("[!!document.querySelector('#overview tr[data-reporter=\"gushao-town\"] [data-fill]'), " +
                "!!document.querySelector('#overview tr[data-status=\"notSubmitted\"] [data-fill]')]", ct);
            Assert.Equal((false, true), (fill[0]!.GetValue<bool>(), fill[1]!.GetValue<bool>()));

            await browser.ClickAsync("#notice", ct);
            await browser.WaitForAsync("!document.querySelector('#noticeBox').hidden", ct);
            var lines = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>().Split('\n');
            Assert.StartsWith("【催报】2014年第3季度政府信息公开工作情况统计表", lines[0]);
            Assert.EndsWith("（北京时间），以下 1 个单位尚未报送。", lines[0]);
            Assert.Equal("区直部门：区教育局（王芳 0632-7712345）", lines[1]);
            Assert.Equal($"请于 2099年1月31日 17:00（北京时间）前登录 {service.BaseAddress} 填报提交。", lines[2]);
            Assert.Equal("以下单位没有2014年度的年报，2014年度统计期已关闭，本季度随之关闭，无需报送：区卫健局、古邵镇", lines[3]);
            Assert.Equal("已报送的单位请忽略。如有疑问请联系区政务公开办。", lines[4]);
            Assert.Equal(5, lines.Length);
        });

    [Fact]
    public Task A_Years_Reminder_Sends_A_Quarter_Closed_On_Its_Own_Through_The_Office_And_A_Closed_Year_Offers_No_Entry() =>
        Browser.RunPageTestAsync("reminder-quarter-shut", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind) in new[] { ("yc-edu", "区教育局", "department"), ("gushao-town", "古邵镇", "town"), ("tanshan-street", "坛山街道", "town") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
            // 区教育局 sends its year; 古邵镇 its first two quarters, then the office closes the third on its own (2014 stays open);
            // 坛山街道 sends nothing.
            foreach (var (id, period) in new[] { ("yc-edu", "2014"), ("gushao-town", "2014Q1"), ("gushao-town", "2014Q2") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                    new { reporter = id, period, catalogue = Catalogue, values = new[] { new { code = "13.1", value = 2 } } }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014Q3/close", null, ct)).StatusCode);

            await OpenReminderAsync(service, browser, ct);
            async Task<string> TextAsync(string selector) => (await browser.EvaluateAsync($"document.querySelector('{selector}')?.textContent ?? ''", ct)).GetValue<string>();
            // 古邵镇 can no longer send its third quarter: the reminder does not ask it of the town, but says it goes through the office.
            var lines = (await browser.EvaluateAsync("document.querySelector('#noticeText').value", ct)).GetValue<string>().Split('\n');
            Assert.Equal("乡镇街道：古邵镇（缺第3、4季度；第3季度已关闭，须经区政务公开办补报）、坛山街道", lines[1]);
            Assert.Equal("乡镇街道（2）：古邵镇（缺第3、4季度；第3季度已关闭）、坛山街道", await TextAsync("#missingList li[data-kind=\"town\"]"));
            // While the year is open the office may enter 古邵镇's year for it (代填), or correct 区教育局's table.
            async Task<string> FillsAsync() => (await browser.EvaluateAsync("['gushao-town', 'tanshan-street', 'yc-edu']" +
                ".map(id => document.querySelector(`#overview tr[data-reporter=\"${id}\"] [data-fill]`)?.textContent ?? '').join('|')", ct)).GetValue<string>();
            Assert.Equal("代填|代填|更正", await FillsAsync());

            // The year closed, a table not sent can no longer be entered for the reporter (the service would refuse it): no 代填;
            // a table sent is still corrected through its return (更正).
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            await browser.ClickAsync("#refreshOverview", ct);
            await browser.WaitForAsync("document.querySelector('#overview') && !document.querySelector('#notice')", ct);
            Assert.Equal("||更正", await FillsAsync());
        });

    /// <summary>Signs in as the office and opens 2014's overview.</summary>
    private static async Task OpenOverviewAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#overview')", ct);
    }

    /// <summary>Signs in as the office, opens 2014 and presses 生成催报通知.</summary>
    private static async Task OpenReminderAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        await OpenOverviewAsync(service, browser, ct);
        await browser.WaitForAsync("document.querySelector('#notice')", ct);
        await browser.ClickAsync("#notice", ct);
        await browser.WaitForAsync("!document.querySelector('#noticeBox').hidden", ct);
    }
}
