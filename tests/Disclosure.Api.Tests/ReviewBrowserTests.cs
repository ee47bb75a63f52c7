using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 审核 / 退回 in the browser: the district office returns a town's table of a closed period from the overview with a reason
/// typed in, without reopening the period; the overview counts it, and the town sees 已退回 and the reason in 我的报表 and at
/// the top of its form, which takes its correction; the correction awaits review again and locks the table, and an acceptance
/// shows as 已通过. Headless Chromium against the real service.
/// </summary>
public sealed class ReviewBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "review-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    private const string Reason = "12.2 比上年多出十倍，请核实后重新报送";
    private const string CorrectOnce = "2014年度统计期已关闭：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。";
    private const string ClosedSent = "2014年度统计期已关闭，本表不能再提交或修改；如需修改，请联系区政务公开办退回本表，退回后可以重报一次。";

    [Fact]
    public Task The_Office_Returns_A_Table_With_A_Reason_And_The_Town_Sees_It_Where_It_Works() =>
        Browser.RunPageTestAsync("review", AdminKey, Budget, RunAsync);

    [Fact]
    public Task A_Returned_Table_Accepted_While_Its_Form_Is_Open_Is_Refused_And_Its_Form_And_Row_Lock() =>
        Browser.RunPageTestAsync("review-accepted-meanwhile", AdminKey, Budget, async (service, browser, ct) =>
        {
            var (admin, town, first) = await CorrectionFormOpenAsync(service, browser, "审核同时镇", ct);

            // Meanwhile the office accepts the table as it stands: the correction the town then sends (a figure changed, pressed
            // before the check of it ran) is refused as closed, and the page draws the table as it now stands, locked: the notice,
            // the revisions, 我的报表 and 提交. (Sent as it stands, it would be the accepted table, answered unchanged.)
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "accepted" }, ct)).StatusCode);
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value = '8'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.startsWith('2014年度统计期已关闭，不能再提交')", ct);
            var refused = await TextAsync(browser, "#verdict", ct);
            // A year's refusal has no clause about the quarters a closed year closes.
            Assert.DoesNotContain("季", refused);
            Assert.Equal("2014年度统计期已关闭，不能再提交；如需修改已报的报表，请联系区政务公开办将其退回（无需重新开放统计期）；如需补报，请联系区政务公开办重新开放。", refused);
            await AssertLockedAsync(browser, admin, town, ct);
        });

    [Fact]
    public Task A_Returned_Table_Accepted_While_The_Town_Types_Locks_Its_Form_At_The_Check_Before_Submit() =>
        Browser.RunPageTestAsync("review-accepted-while-typing", AdminKey, Budget, async (service, browser, ct) =>
        {
            var (admin, town, first) = await CorrectionFormOpenAsync(service, browser, "边填边审镇", ct);

            // Meanwhile the office accepts the table; the town types a figure, and the check of it (which answers period-closed)
            // locks the form then, without 提交 being pressed: it says why, and takes nothing more.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "accepted" }, ct)).StatusCode);
            await browser.WatchAsync("#verdict", ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
            await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'missing'", ct);
            // Said to the town as what the office can do for it, and not as figures to mend (有错误，请按提示修改): it has none.
            Assert.Equal("2014年度统计期已关闭，提交将被拒绝。如需更正本单位已报的报表，区政务公开办可以将其退回，退回后本单位可以更正重报一次（无需重新开放统计期）；" +
                "如需补报，请联系区政务公开办。", await TextAsync(browser, "#verdict", ct));
            await AssertLockedAsync(browser, admin, town, ct);
            Assert.Equal("120", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value", ct)).GetValue<string>());
        });

    [Fact]
    public Task The_Towns_List_Says_Which_Returned_Tables_Are_In_Closed_Periods_Without_Reading_The_District_Table() =>
        Browser.RunPageTestAsync("review-returned-closed-list", AdminKey, Budget, async (service, browser, ct) =>
        {
            // Returned: 2014 in the closed 2014, 2015Q1 of the closed 2015 (the town has no table of 2015, so its year closes
            // the quarter), and 2016, open.
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "退回列表镇", kind = "town" }, ct)).StatusCode);
            var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            foreach (var period in new[] { "2014", "2015Q1", "2016" })
            {
                var sent = await service.Client(townKey).PostAsJsonAsync("/v1/submissions", new
                {
                    reporter = town, period, catalogue = Catalogue, values = new[] { new { code = "12.2", value = 7 } },
                }, ct);
                Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
                var id = (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
                if (period != "2016") Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/{period[..4]}/close", null, ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = Reason }, ct)).StatusCode);
            }

            // 我的报表: a returned row of a closed period says （已关闭）, names the period that closes it and invites the one
            // correction (更正); the open period's is filled in (填报). All read from the list itself: the page asks for no district table.
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
            string Row(string period) => $"#myPeriods tr[data-period=\"{Catalogue}/{period}\"]";
            await browser.WaitForAsync($"[['2014', '更正'], ['2015Q1', '更正'], ['2016', '填报']].every(([p, a]) => document.querySelector(`#myPeriods tr[data-period=\"{Catalogue}/${{p}}\"] [data-open]`)?.textContent === a)", ct);
            const string aggregateReads = "performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/v1/aggregates/'))";
            Assert.Empty((await browser.EvaluateAsync(aggregateReads, ct)).AsArray());
            Assert.Equal("2014", (await browser.EvaluateAsync($"document.querySelector('{Row("2014")}').dataset.correctOnce", ct)).GetValue<string>());
            Assert.Equal("2015", (await browser.EvaluateAsync($"document.querySelector('{Row("2015Q1")}').dataset.correctOnce", ct)).GetValue<string>());
            Assert.False((await browser.EvaluateAsync($"'correctOnce' in document.querySelector('{Row("2016")}').dataset", ct)).GetValue<bool>());
            Assert.Contains("（已关闭）", await TextAsync(browser, Row("2014"), ct));
            Assert.Contains("（已关闭）", await TextAsync(browser, Row("2015Q1"), ct));
            Assert.DoesNotContain("（已关闭）", await TextAsync(browser, Row("2016"), ct));

            // The form of the quarter says first that it is closed with its year and takes one correction; it reads no district
            // table of its own period to say so (only last year's, for the figures beside the cells).
            await browser.ClickAsync($"{Row("2015Q1")} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#reviewNotice #correctionNotice') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '7'", ct);
            Assert.Equal("2015年第1季度统计期已关闭（2015年度已关闭，本单位的年度数据由季报汇总，本季度随之关闭）：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。",
                await TextAsync(browser, "#correctionNotice", ct));
            Assert.DoesNotContain((await browser.EvaluateAsync(aggregateReads, ct)).AsArray(), p => p!.GetValue<string>().StartsWith($"/v1/aggregates/{Catalogue}/2015", StringComparison.Ordinal));
            await browser.ClickAsync($"{Row("2016")} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2016年度') && document.querySelector('#reviewNotice .notice.returned')", ct);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#correctionNotice') || document.querySelector('#submit').disabled", ct)).GetValue<bool>());
        });

    [Fact]
    public Task A_Clerk_Whose_Page_Said_Awaiting_Review_Is_Shown_Another_Clerks_Return_Instead_Of_Overwriting_It() =>
        Browser.RunPageTestAsync("review-another-clerk", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (town, first) = await TownWithTableAsync(admin, service, "先退回镇", ct);
            var (other, second) = await TownWithTableAsync(admin, service, "批量冲突镇", ct);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            var clerk = await ClerkAsync(service, admin, "王芳", ct);
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await OpenPeriodAsync(browser, ct);
            var row = $"#overview tr[data-reporter=\"{town}\"]";
            await browser.WaitForAsync($"document.querySelector('{row} [data-drill]')", ct);
            await browser.ClickAsync($"{row} [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#review #accept') && document.querySelector('#reviewState').textContent.includes('待审核')", ct);

            // Another clerk returns the table while this page still says 待审核; this clerk presses 审核通过.
            Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "returned", comment = "3.1 请核实", expectedDecision = "pending" }, ct)).StatusCode);
            await browser.ClickAsync("#accept", ct);

            // Nothing is overwritten: the page says who returned it and why, and shows it returned, here, in the row and in the counts.
            await browser.WaitForAsync("document.querySelector('#reviewResult').textContent.includes('您的审核没有保存')", ct);
            var said = await TextAsync(browser, "#reviewResult", ct);
            Assert.StartsWith("该表已由“王芳”于 ", said);
            Assert.Contains("审核：退回（原因：3.1 请核实），您的审核没有保存。", said);
            Assert.Contains("已退回", await TextAsync(browser, "#reviewState", ct));
            Assert.Contains("3.1 请核实", await TextAsync(browser, "#reviewState", ct));
            Assert.Equal("returned", (await browser.EvaluateAsync("document.querySelector('#drillRevisions [data-review]').dataset.review", ct)).GetValue<string>());
            await browser.WaitForAsync($"document.querySelector('{row} [data-reviewed]')?.dataset.reviewed === 'returned'", ct);
            Assert.Contains("3.1 请核实", await TextAsync(browser, $"{row} [data-reviewed]", ct));
            var stored = (await LatestAsync(admin, town, ct)).GetProperty("review");
            Assert.Equal(("returned", "3.1 请核实"), (stored.GetProperty("decision").GetString(), stored.GetProperty("comment").GetString()));

            // The other clerk returns it again, with another reason; this page, which shows the first return, presses 审核通过 again:
            // a return still, but not the one shown, so it is refused and the page shows the return now current.
            Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsJsonAsync($"/v1/submissions/{first}/review", new
            {
                decision = "returned", comment = "3.1 与 3.2 之和不符", expectedDecision = "returned", expectedReviewedAt = stored.GetProperty("reviewedAt").GetString(),
            }, ct)).StatusCode);
            await browser.ClickAsync("#accept", ct);
            await browser.WaitForAsync("document.querySelector('#reviewResult').textContent.includes('3.1 与 3.2 之和不符')", ct);
            Assert.Contains("审核：退回（原因：3.1 与 3.2 之和不符），您的审核没有保存。", await TextAsync(browser, "#reviewResult", ct));
            Assert.Contains("3.1 与 3.2 之和不符", await TextAsync(browser, "#reviewState", ct));
            await browser.WaitForAsync($"document.querySelector('{row} [data-reviewed]')?.textContent.includes('3.1 与 3.2 之和不符')", ct);
            stored = (await LatestAsync(admin, town, ct)).GetProperty("review");
            Assert.Equal(("returned", "3.1 与 3.2 之和不符"), (stored.GetProperty("decision").GetString(), stored.GetProperty("comment").GetString()));

            // The page's own key, in another tab, accepts it; this page presses 审核通过 again: refused, and said to be this key's
            // own review, not someone else's (the configured admin key has no label to name it by).
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new
            {
                decision = "accepted", expectedDecision = "returned", expectedReviewedAt = stored.GetProperty("reviewedAt").GetString(),
            }, ct)).StatusCode);
            await browser.ClickAsync("#accept", ct);
            await browser.WaitForAsync("document.querySelector('#reviewResult').textContent.includes('审核：审核通过')", ct);
            Assert.StartsWith("该表已由您（本密钥）于 ", await TextAsync(browser, "#reviewResult", ct));
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "returned", comment = "3.1 与 3.2 之和不符" }, ct)).StatusCode);
            // The town's correction is taken: the return it was told of stands.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 121 } },
            }, ct)).StatusCode);

            // 批量审核通过 of a table ticked while it awaited review, returned meanwhile by the other clerk: refused, said, and its row shows the return.
            var otherRow = $"#overview tr[data-reporter=\"{other}\"]";
            await browser.ClickAsync($"{otherRow} [data-pick]", ct);
            Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsJsonAsync($"/v1/submissions/{second}/review", new { decision = "returned", comment = "12.2 与台账不符" }, ct)).StatusCode);
            await browser.ClickAsync("#acceptPicked", ct);
            await browser.WaitForAsync("document.querySelector('#bulkProgress').textContent.startsWith('批量审核通过：通过 0 个，未通过 1 个。')", ct);
            Assert.Contains("批量冲突镇（该表已由“王芳”于 ", await TextAsync(browser, "#bulkProgress", ct));
            Assert.Contains("退回（原因：12.2 与台账不符）", await TextAsync(browser, "#bulkProgress", ct));
            await browser.WaitForAsync($"document.querySelector('{otherRow} [data-reviewed]')?.dataset.reviewed === 'returned'", ct);
            Assert.Equal("returned", (await LatestAsync(admin, other, ct)).GetProperty("review").GetProperty("decision").GetString());
        });

    [Fact]
    public Task A_Review_Of_A_Revision_Replaced_Meanwhile_Loads_The_New_One_To_Review() =>
        Browser.RunPageTestAsync("review-newer-revision", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var (town, _) = await TownWithTableAsync(admin, service, "又报一版镇", ct);
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await OpenPeriodAsync(browser, ct);
            var row = $"#overview tr[data-reporter=\"{town}\"]";
            await browser.WaitForAsync($"document.querySelector('{row} [data-drill]')", ct);
            await browser.ClickAsync($"{row} [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#review #accept')", ct);
            Assert.Equal("审核第 1 版", await TextAsync(browser, "#review h3", ct));

            // The town sends revision 2 while the clerk reads revision 1; the clerk presses 审核通过.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 130 } },
            }, ct)).StatusCode);
            await browser.ClickAsync("#accept", ct);

            // Revision 2 is loaded in its place, said so, and its row says 2; nothing was reviewed.
            await browser.WaitForAsync("document.querySelector('#review h3')?.textContent === '审核第 2 版'", ct);
            Assert.Equal("该单位已提交了更新的版本（第 2 版），本次审核没有保存；下面已载入第 2 版，请审核这一版。", await TextAsync(browser, "#reviewResult", ct));
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#drillRevisions [data-revision=\"2\"]')", ct)).GetValue<bool>());
            Assert.Contains("待审核", await TextAsync(browser, "#reviewState", ct));
            // The review drawn anew took 审核通过, pressed, with it: the focus is on the revisions' heading, and Tab goes on to the review.
            Assert.True((await browser.EvaluateAsync("document.activeElement === document.querySelector('#drill h2')", ct)).GetValue<bool>());
            await browser.WaitForAsync($"document.querySelector('{row}').cells[2].textContent === '2' && document.querySelector('{row} [data-reviewed]').dataset.reviewed === 'pending'", ct);
            var revisions = (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items");
            Assert.All(revisions.EnumerateArray(), i => Assert.False(i.TryGetProperty("review", out _)));

            // 审核通过 now accepts revision 2.
            await browser.ClickAsync("#accept", ct);
            await browser.WaitForAsync($"document.querySelector('{row} [data-reviewed]')?.dataset.reviewed === 'accepted'", ct);
            var latest = await LatestAsync(admin, town, ct);
            Assert.Equal((2, "accepted"), (latest.GetProperty("revision").GetInt32(), latest.GetProperty("review").GetProperty("decision").GetString()));
        });

    [Fact]
    public Task Refresh_Reads_The_Overview_Again_Keeping_Its_Filter_And_Order_And_Says_When() =>
        Browser.RunPageTestAsync("review-refresh", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await TownWithTableAsync(admin, service, "早报镇", ct);
            var late = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = late, name = "晚报镇", kind = "town" }, ct)).StatusCode);
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await OpenPeriodAsync(browser, ct);
            var lateRow = $"#overview tr[data-reporter=\"{late}\"]";
            await browser.WaitForAsync($"document.querySelector('{lateRow}')?.dataset.status === 'notSubmitted'", ct);
            var readAt = await TextAsync(browser, "#overviewReadAt", ct);
            Assert.Matches(@"^数据读取于 \d{2}:\d{2}:\d{2}$", readAt);
            // The time is the computer's, as every other time on the page (this test's and the browser's zone are the same machine's).
            var first = (await browser.EvaluateAsync("document.querySelector('#overviewReadAt').dataset.readAt", ct)).GetValue<string>();
            Assert.Equal(DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture).ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), readAt[^8..]);
            // Shown: awaiting review only, ordered by name descending.
            await browser.SelectAsync("#statusFilter", "rv:pending", ct);
            await browser.ClickAsync("#overview thead th:first-child button", ct);
            await browser.ClickAsync("#overview thead th:first-child button", ct);
            Assert.Equal("descending", (await browser.EvaluateAsync("document.querySelector('#overview thead th:first-child').getAttribute('aria-sort')", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync($"document.querySelector('{lateRow}').hidden", ct)).GetValue<bool>());

            // The late town sends its table: the overview does not change by itself; 刷新 reads it.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = late, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 5 } },
            }, ct)).StatusCode);
            Assert.Equal("notSubmitted", (await browser.EvaluateAsync($"document.querySelector('{lateRow}').dataset.status", ct)).GetValue<string>());
            await browser.ClickAsync("#refreshOverview", ct);

            await browser.WaitForAsync($"document.querySelector('{lateRow}')?.dataset.status !== 'notSubmitted' && !document.querySelector('{lateRow}').hidden", ct);
            Assert.Equal("pending", (await browser.EvaluateAsync($"document.querySelector('{lateRow} [data-reviewed]').dataset.reviewed", ct)).GetValue<string>());
            Assert.Equal("rv:pending", (await browser.EvaluateAsync("document.querySelector('#statusFilter').value", ct)).GetValue<string>());
            Assert.Equal("descending", (await browser.EvaluateAsync("document.querySelector('#overview thead th:first-child').getAttribute('aria-sort')", ct)).GetValue<string>());
            // Both shown, by name descending as the page's collation orders them.
            Assert.True((await browser.EvaluateAsync("(names => names.length === 2 && names[0].localeCompare(names[1], 'zh') > 0)([...document.querySelectorAll('#overview tr[data-reporter]:not([hidden]) th.name a')]" +
                ".map(a => a.textContent).filter(n => n === '早报镇' || n === '晚报镇'))", ct)).GetValue<bool>());
            Assert.Equal("2", await TextAsync(browser, "#reviewCounts [data-review=\"pending\"] .n", ct));
            Assert.NotEqual(first, (await browser.EvaluateAsync("document.querySelector('#overviewReadAt').dataset.readAt", ct)).GetValue<string>());
            Assert.Matches(@"^数据读取于 \d{2}:\d{2}:\d{2}$", await TextAsync(browser, "#overviewReadAt", ct));
        });

    /// <summary>A town with a 2014 table awaiting review, sent by its own key: its id and the table's.</summary>
    private static async Task<(string Town, Guid Table)> TownWithTableAsync(HttpClient admin, ServiceProcess service, string name, CancellationToken ct)
    {
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name, kind = "town" }, ct)).StatusCode);
        var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        var sent = await service.Client(townKey).PostAsJsonAsync("/v1/submissions", new
        {
            reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 120 } },
        }, ct);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        return (town, (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid());
    }

    /// <summary>Another clerk of the office: an admin key issued to <paramref name="label"/>.</summary>
    private static async Task<HttpClient> ClerkAsync(ServiceProcess service, HttpClient admin, string label, CancellationToken ct)
    {
        var issued = await admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label }, ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return service.Client((await issued.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!);
    }

    /// <summary>
    /// A town whose 2014 table the office returned in the closed 2014, its page signed in and the correction form open, checked
    /// (校验通过); the office's client, the town and the returned revision's id.
    /// </summary>
    private static async Task<(HttpClient Admin, string Town, Guid Returned)> CorrectionFormOpenAsync(ServiceProcess service, Browser browser, string name, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name, kind = "town" }, ct)).StatusCode);
        var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await service.Client(townKey).PostAsJsonAsync("/v1/submissions", new
        {
            reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 1200 } },
        }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
        var first = (await LatestAsync(admin, town, ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "returned", comment = Reason }, ct)).StatusCode);

        // The town opens its returned table: the form takes its correction.
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
        var mine = $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]";
        await browser.WaitForAsync($"document.querySelector('{mine} [data-open]')?.textContent === '更正'", ct);
        await browser.ClickAsync($"{mine} [data-open]", ct);
        await browser.WaitForAsync("document.querySelector('#reviewNotice #correctionNotice') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '1200' && document.querySelector('#verdict').className === 'ok'", ct);
        Assert.Equal("2014", (await browser.EvaluateAsync("document.querySelector('#formTitle').dataset.period", ct)).GetValue<string>());
        Assert.EndsWith("· 2014年度", await TextAsync(browser, "#formTitle", ct));
        Assert.False((await browser.EvaluateAsync("document.querySelector('#submit').disabled", ct)).GetValue<bool>());
        return (admin, town, first);
    }

    /// <summary>The correction form and the town's row of 2014 locked as the table now stands (accepted), and nothing more stored.</summary>
    private static async Task AssertLockedAsync(Browser browser, HttpClient admin, string town, CancellationToken ct)
    {
        var mine = $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]";
        await browser.WaitForAsync($"document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit').disabled && document.querySelector('#upload').disabled"
            + $" && document.querySelector('#revisionList [data-review]')?.dataset.review === 'accepted'"
            + $" && document.querySelector('{mine}')?.dataset.closed === 'true' && document.querySelector('{mine} [data-review]')?.dataset.review === 'accepted'", ct);
        Assert.Equal(ClosedSent, await TextAsync(browser, "#reviewNotice", ct));
        Assert.DoesNotContain("已退回", await TextAsync(browser, "#revisionList", ct));
        Assert.Equal("查看", await TextAsync(browser, $"{mine} [data-open]", ct));
        Assert.DoesNotContain("已退回", await TextAsync(browser, mine, ct));
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").EnumerateArray());
    }

    private static async Task OpenPeriodAsync(Browser browser, CancellationToken ct)
    {
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
    }

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();

    private static async Task<JsonElement> LatestAsync(HttpClient admin, string town, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").EnumerateArray().Last();

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "审核测试镇", kind = "town" }, ct)).StatusCode);
        var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await service.Client(townKey).PostAsJsonAsync("/v1/submissions", new
        {
            reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 1200 } },
        }, ct)).StatusCode);

        // The office's overview: the town's table awaits review, and is counted so.
        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await OpenPeriodAsync(browser, ct);
        var row = $"#overview tr[data-reporter=\"{town}\"]";
        await browser.WaitForAsync($"document.querySelector('{row} [data-reviewed]')?.dataset.reviewed === 'pending'", ct);
        Assert.Equal("1", await TextAsync(browser, "#reviewCounts [data-review=\"pending\"] .n", ct));
        Assert.Equal("0", await TextAsync(browser, "#reviewCounts [data-review=\"returned\"] .n", ct));

        // The office closes the period before it reviews the table (nothing is owed: it closes at the first press).
        await browser.ClickAsync("#toggle", ct);
        await browser.WaitForAsync($"document.querySelector('#toggle')?.textContent === '重新开放' && document.querySelector('{row} [data-drill]')", ct);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("closed").GetBoolean());

        // Its revisions, opened from its name: 退回 without a reason is not sent; the page says a reason is needed.
        await browser.ClickAsync($"{row} [data-drill]", ct);
        await browser.WaitForAsync("document.querySelector('#review #return')", ct);
        Assert.Contains("待审核", await TextAsync(browser, "#reviewState", ct));
        await browser.ClickAsync("#return", ct);
        await browser.WaitForAsync("document.querySelector('#reviewResult').textContent.includes('退回须填写原因')", ct);
        Assert.False((await LatestAsync(admin, town, ct)).TryGetProperty("review", out _));

        // With the reason typed in, the table is returned, closed period and all: the overview's row and counts follow.
        await browser.TypeAsync("#reviewComment", Reason, ct);
        await browser.ClickAsync("#return", ct);
        await browser.WaitForAsync($"document.querySelector('{row} [data-reviewed]')?.dataset.reviewed === 'returned' && document.querySelector('#reviewState')?.textContent.includes('已退回')", ct);
        Assert.Contains(Reason, await TextAsync(browser, $"{row} [data-reviewed]", ct));
        Assert.Contains(Reason, await TextAsync(browser, "#reviewState", ct));
        Assert.Equal("1", await TextAsync(browser, "#reviewCounts [data-review=\"returned\"] .n", ct));
        Assert.Equal("0", await TextAsync(browser, "#reviewCounts [data-review=\"pending\"] .n", ct));
        var stored = (await LatestAsync(admin, town, ct)).GetProperty("review");
        Assert.Equal(("returned", Reason), (stored.GetProperty("decision").GetString(), stored.GetProperty("comment").GetString()));
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("review-office-returned")}");
        // The period stays closed: the return unlocks the town's table alone.
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("closed").GetBoolean());
        Assert.Equal("重新开放", await TextAsync(browser, "#toggle", ct));
        // The office's own 更正 form says what it returned and why, not the town's "correct it and submit it again".
        await browser.ClickAsync($"{row} [data-fill]", ct);
        await browser.WaitForAsync("document.querySelector('#reviewNotice .notice.returned') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '1200'", ct);
        var officeNotice = await TextAsync(browser, "#reviewNotice", ct);
        Assert.Contains("退回填报单位，退回意见：", officeNotice);
        Assert.Contains(Reason, officeNotice);
        Assert.DoesNotContain("修改后重新提交", officeNotice);

        // The town signs in: 我的报表 says 已退回 with the reason, that 2014 is closed (已关闭), and invites the one correction (更正);
        // its form opens with the reason at the top, saying first that the period is closed and takes one correction.
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
        var mine = $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]";
        await browser.WaitForAsync($"document.querySelector('{mine} [data-review]')", ct);
        Assert.Contains("已退回", await TextAsync(browser, mine, ct));
        Assert.Contains(Reason, await TextAsync(browser, mine, ct));
        Assert.Contains("（已关闭）", await TextAsync(browser, mine, ct));
        Assert.Equal("false", (await browser.EvaluateAsync($"document.querySelector('{mine}').dataset.closed", ct)).GetValue<string>());
        Assert.Equal("2014", (await browser.EvaluateAsync($"document.querySelector('{mine}').dataset.correctOnce", ct)).GetValue<string>());
        Assert.Equal("更正", await TextAsync(browser, $"{mine} [data-open]", ct));
        // On a wide screen the short columns (status, 填报) keep to one line; on a phone the table is one card per table, with
        // the reason and 填报 on the screen (as eight columns they read a character a line and 填报 fell off the right).
        const string oneLine = "(c => (g => (g.selectNodeContents(c), g.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(c).fontSize)))(document.createRange()))";
        await browser.SetViewportAsync((1024, 768, false), ct);
        await browser.WaitForAsync("window.innerWidth === 1024", ct);
        Assert.True((await browser.EvaluateAsync($"[...document.querySelectorAll('{mine} td:not(.wrap)')].every({oneLine})", ct)).GetValue<bool>(), "A short column of 我的报表 wraps at 1024.");
        await browser.SetViewportAsync((390, 844, true), ct);
        await browser.WaitForAsync($"window.innerWidth === 390 && getComputedStyle(document.querySelector('{mine} td')).display === 'block'", ct);
        Assert.True((await browser.EvaluateAsync($"(a => a.getBoundingClientRect().right <= innerWidth && a.getBoundingClientRect().left >= 0)(document.querySelector('{mine} [data-open]'))", ct)).GetValue<bool>());
        Assert.True((await browser.EvaluateAsync($"(r => r.getBoundingClientRect().right <= innerWidth && r.getBoundingClientRect().width > 200)(document.querySelector('{mine} .reason'))", ct)).GetValue<bool>());
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("review-town-returned-phone-390")}");
        // 填报 on a phone brings the form into view: it opens below 我的报表, a screen or more down.
        await browser.ClickAsync($"{mine} [data-open]", ct);
        await browser.WaitForAsync("document.querySelector('#reviewNotice .notice.returned') && document.querySelector('#entry input[name=\"12.2\"]')?.value === '1200'", ct);
        await browser.WaitForAsync("(r => r.top >= 0 && r.top < innerHeight / 2)(document.querySelector('#formTitle').getBoundingClientRect())", ct);
        await browser.SetViewportAsync(null, ct);
        Assert.Contains(Reason, await TextAsync(browser, "#reviewNotice", ct));
        Assert.Contains("已退回", await TextAsync(browser, "#reviewNotice", ct));
        Assert.Equal(CorrectOnce, await TextAsync(browser, "#reviewNotice #correctionNotice", ct));
        Assert.True((await browser.EvaluateAsync("!document.querySelector('#closedNotice') && !document.querySelector('#submit').disabled", ct)).GetValue<bool>());
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("review-town-returned")}");

        // Its correction is a new revision that awaits review: the notice about the returned one goes, and, 2014 being closed,
        // the form says so and takes no second correction (提交 off) until the office returns the table again.
        // The form opened with the returned revision checked (校验通过): the check of the figure typed is waited for as a new verdict.
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        await browser.WatchAsync("#verdict", ct);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
        await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'ok'", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 2 版')", ct);
        await browser.WaitForAsync("document.querySelector('#reviewNotice #closedNotice') && document.querySelector('#submit').disabled && document.querySelector('#upload').disabled", ct);
        Assert.Equal(ClosedSent, await TextAsync(browser, "#reviewNotice", ct));
        await browser.WaitForAsync($"document.querySelector('{mine} [data-review]')?.dataset.review === 'pending' && document.querySelector('{mine}').dataset.closed === 'true'", ct);
        Assert.Equal("查看", await TextAsync(browser, $"{mine} [data-open]", ct));

        // The office accepts the correction: the town's list says 已通过.
        var latest = await LatestAsync(admin, town, ct);
        Assert.Equal(2, latest.GetProperty("revision").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{latest.GetProperty("id").GetGuid()}/review", new { decision = "accepted" }, ct)).StatusCode);
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
        await browser.WaitForAsync($"document.querySelector('{mine} [data-review]')?.dataset.review === 'accepted'", ct);
        Assert.Contains("已通过", await TextAsync(browser, mine, ct));
    }
}
