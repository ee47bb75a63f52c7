using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// An answer the service gives after the person has moved on (another period opened while a check or the overview's share
/// chart was on its way, a reporter registered while the lists were being read, as on a slow line) is not written into the view
/// that replaced the one that asked for it, nor over a later answer.
/// Headless Chromium against the real service; the page's requests are held until the new view is shown.
/// </summary>
public sealed class LateAnswerBrowserTests
{
    private const string AdminKey = "late-answer-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    /// <summary>
    /// Holds the answer to the next request whose address starts with <paramref name="prefix"/> (window.held, released by
    /// window.release()), and counts in window.read each held answer once the page has read it and gone on from there: the count
    /// goes up in a task of its own, after everything the page did on reading it.
    /// </summary>
    private static string HoldNext(string prefix) => $$"""
        (() => {
          window.held = []; window.read = 0; window.release = () => window.held.forEach(go => go());
          let holding = {{JsonSerializer.Serialize(prefix)}};
          const f = window.fetch;
          window.fetch = async (u, i) => {
            const r = await f(u, i);
            if (!holding || !String(u).startsWith(holding)) return r;
            holding = null;
            await new Promise(go => window.held.push(go));
            const json = r.json.bind(r);
            r.json = () => json().then(d => { setTimeout(() => { window.read++; }); return d; });
            return r;
          };
        })()
        """;

    /// <summary>The office's page signed in with the admin key, the 2014 catalogue chosen.</summary>
    private static async Task SignInAsOfficeAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
    }

    /// <summary>The held answer given, and read by the page (see <see cref="HoldNext"/>).</summary>
    private static async Task ReleaseAsync(Browser browser, CancellationToken ct)
    {
        await browser.EvaluateAsync("window.release()", ct);
        await browser.WaitForAsync("window.read === 1", ct);
    }

    /// <summary>The text the page shows in <paramref name="selector"/>.</summary>
    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector('{selector}').textContent", ct)).GetValue<string>();

    /// <summary>A town registered with a key of its own, and its page signed in with that key; the town's id.</summary>
    private static async Task<string> SignInAsTownAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "迟答镇", kind = "town" }, ct)).StatusCode);
        var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        return town;
    }

    /// <summary>A town registered as 迟答镇, with a table of each of <paramref name="periods"/> submitted by the office.</summary>
    private static async Task<string> TownWithTablesAsync(HttpClient admin, CancellationToken ct, params string[] periods)
    {
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "迟答镇", kind = "town" }, ct)).StatusCode);
        foreach (var period in periods)
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period, catalogue = Catalogue, values = new[] { new { code = "12.2", value = 3 } },
            }, ct)).StatusCode);
        return town;
    }

    /// <summary>The office's overview of <paramref name="period"/> opened, and shown.</summary>
    private static async Task OpenOverviewAsync(Browser browser, string period, CancellationToken ct)
    {
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#view h2')?.textContent.endsWith('· {Disclosure.Api.Infrastructure.AuditText.Period(period)}') && document.querySelector('#drill')", ct);
    }

    /// <summary>
    /// The town's 2014 form open, a workbook made from its 2014 template (figures <paramref name="values"/>) uploaded from it, the
    /// answer held while 2013's form is opened, then read.
    /// </summary>
    private static async Task UploadAnsweredAfter2013WasOpenedAsync(ServiceProcess service, Browser browser, string town, Dictionary<string, string?> values, CancellationToken ct,
        byte[]? template = null)
    {
        template ??= await service.Client(AdminKey).GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={town}", ct);
        var file = Path.Combine(Path.GetTempPath(), $"{town}-late.xlsx");
        try
        {
            await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, values), ct);
            await OpenFormAsync(browser, "2014", ct);
            await browser.EvaluateAsync(HoldNext("/v1/submissions"), ct);
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenFormAsync(browser, "2013", ct);
            await ReleaseAsync(browser, ct);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The latest revision of the town's table of <paramref name="period"/>, as the service lists it.</summary>
    private static async Task<JsonElement> LatestAsync(HttpClient admin, string town, string period, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period={period}", ct)).GetProperty("items").EnumerateArray().Last();

    /// <summary>The town's form of <paramref name="period"/> opened, and shown.</summary>
    private static async Task OpenFormAsync(Browser browser, string period, CancellationToken ct)
    {
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#formTitle')?.dataset.period === '{period}' && document.querySelector('#entry input[name=\"12.2\"]')", ct);
    }

    [Fact]
    public Task A_Check_Answered_After_Another_Period_Was_Opened_Says_Nothing_In_That_Periods_Form() =>
        Browser.RunPageTestAsync("late-check", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            await SignInAsTownAsync(service, browser, ct);
            await OpenFormAsync(browser, "2014", ct);

            // A figure typed into 2014, its check on its way, and 2013 opened before it is answered.
            await browser.EvaluateAsync(HoldNext("/v1/submissions/validate"), ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "3", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenFormAsync(browser, "2013", ct);

            // 2014's answer (校验通过) is read, and 2013's form, nothing typed in it, still says nothing.
            await ReleaseAsync(browser, ct);
            Assert.Equal("", await TextAsync(browser, "#verdict", ct));
        });

    [Fact]
    public Task A_Submission_Answered_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line_Not_In_That_Periods_Form() =>
        Browser.RunPageTestAsync("late-submit", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            await SignInAsTownAsync(service, browser, ct);
            await OpenFormAsync(browser, "2014", ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "3", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);

            // 提交 of 2014, its answer on its way, and 2013 opened before it comes.
            await browser.EvaluateAsync(HoldNext("/v1/submissions"), ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenFormAsync(browser, "2013", ct);

            // 2014 was stored: the status line says so, naming 2014; 2013's form, nothing sent from it, says nothing and lists no revision.
            await ReleaseAsync(browser, ct);
            Assert.Equal("迟答镇 · 2014年度 · 已提交，第 1 版", await TextAsync(browser, "#status", ct));
            Assert.Equal("", await TextAsync(browser, "#verdict", ct));
            Assert.Equal("—", await TextAsync(browser, "#revisionList", ct));
        });

    [Fact]
    public Task A_Share_Chart_Answered_After_Another_Period_Was_Opened_Is_Not_Drawn_Under_That_Periods_Overview() =>
        Browser.RunPageTestAsync("late-chart", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "迟答镇", kind = "town" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "3.1.1", value = 60 } },
            }, ct)).StatusCode);

            // 2014's overview is drawn and its share of 3.1 asked for; 2013, where nobody reported, is opened before it is answered.
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.EvaluateAsync(HoldNext($"/v1/aggregates/{Catalogue}/2014/breakdown"), ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{town}\"]') && window.held.length === 1", ct);
            await browser.TypeAsync("#period", "2013", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#view h2')?.textContent.endsWith('· 2013年度') && document.querySelector('#chart')", ct);

            // 2014's figure (60) is read, and 2013's chart, with nobody to show, stays empty.
            await ReleaseAsync(browser, ct);
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#chart .share').length", ct)).GetValue<int>());
        });

    [Fact]
    public Task An_Overview_Answered_After_Another_Period_Was_Opened_Does_Not_Replace_That_Periods_Overview() =>
        Browser.RunPageTestAsync("late-overview", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);

            // 2014 is opened and its table held on its way; 2013 is opened and drawn meanwhile.
            await browser.EvaluateAsync(HoldNext($"/v1/aggregates/{Catalogue}/2014"), ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await browser.TypeAsync("#period", "2013", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#view h2')?.textContent.endsWith('· 2013年度') && document.querySelector('#overview')", ct);

            // 2014's table is answered now: the person asked for 2013 last, and 2013 stays.
            await ReleaseAsync(browser, ct);
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#view h2", ct));
        });

    [Fact]
    public Task Lists_Read_Before_A_Reporter_Was_Registered_And_Answered_After_Do_Not_Hide_It() =>
        Browser.RunPageTestAsync("late-lists", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var town = $"town-{Guid.NewGuid():N}"[..20];
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-admin') && document.querySelector('#who').textContent.includes('管理')", ct);

            // The tab reads the lists; a town is registered before they are answered, and the lists read after it show it.
            await browser.EvaluateAsync(HoldNext("/v1/keys"), ct);
            await browser.ClickAsync("#tab-admin", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await browser.TypeAsync("#rid", town, ct);
            await browser.TypeAsync("#rname", "迟答镇", ct);
            await browser.ClickAsync("#newReporter button[type=submit]", ct);
            await browser.WaitForAsync($"document.querySelector('#reporters tr[data-reporter=\"{town}\"]')", ct);

            // The tab's lists, read before the town was registered, are answered now: the town is still listed.
            await ReleaseAsync(browser, ct);
            Assert.True((await browser.EvaluateAsync($"!!document.querySelector('#reporters tr[data-reporter=\"{town}\"]')", ct)).GetValue<bool>());
        });

    [Fact]
    public Task A_Drill_Answered_After_Another_Periods_Drill_Binds_Nothing_To_That_Periods_Review() =>
        Browser.RunPageTestAsync("late-drill", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = await TownWithTablesAsync(admin, ct, "2014", "2015");
            await SignInAsOfficeAsync(service, browser, ct);
            var row = $"#overview tr[data-reporter=\"{town}\"]";

            // The town's 2014 revisions asked for from 2014's overview, held; 2015 opened and the town drilled into there meanwhile.
            await OpenOverviewAsync(browser, "2014", ct);
            await browser.EvaluateAsync(HoldNext($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014"), ct);
            await browser.ClickAsync($"{row} [data-drill]", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenOverviewAsync(browser, "2015", ct);
            await browser.ClickAsync($"{row} [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#drill #return')", ct);

            // 2014's revisions are read now; 退回 pressed under 2015 with a reason returns 2015's table, and leaves 2014's alone.
            await ReleaseAsync(browser, ct);
            await browser.TypeAsync("#reviewComment", "2015 年 12.2 有误", ct);
            await browser.ClickAsync("#return", ct);
            await browser.WaitForAsync("document.querySelector('#reviewState')?.textContent.includes('已退回')", ct);
            Assert.False((await LatestAsync(admin, town, "2014", ct)).TryGetProperty("review", out _), "2014's table was reviewed from 2015's drill.");
            Assert.Equal("returned", (await LatestAsync(admin, town, "2015", ct)).GetProperty("review").GetProperty("decision").GetString());
            Assert.EndsWith("· 2015年度", await TextAsync(browser, "#view h2", ct));
        });

    [Fact]
    public Task A_Review_Answered_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line_Not_Over_That_Periods_Overview() =>
        Browser.RunPageTestAsync("late-review", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = await TownWithTablesAsync(admin, ct, "2014");
            var id = (await LatestAsync(admin, town, "2014", ct)).GetProperty("id").GetString();
            await SignInAsOfficeAsync(service, browser, ct);
            await OpenOverviewAsync(browser, "2014", ct);
            await browser.ClickAsync($"#overview tr[data-reporter=\"{town}\"] [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#drill #return')", ct);

            // 2014's table returned, the answer on its way, and 2015 opened before it comes.
            await browser.EvaluateAsync(HoldNext($"/v1/submissions/{id}/review"), ct);
            await browser.TypeAsync("#reviewComment", "12.2 有误", ct);
            await browser.ClickAsync("#return", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenOverviewAsync(browser, "2015", ct);

            // Returned: the status line says so, naming the town and 2014; 2015's overview is not replaced by 2014's.
            await ReleaseAsync(browser, ct);
            Assert.Equal("迟答镇 · 2014年度 · 审核第 1 版 · 已退回", await TextAsync(browser, "#status", ct));
            Assert.Equal("returned", (await LatestAsync(admin, town, "2014", ct)).GetProperty("review").GetProperty("decision").GetString());
            await browser.WaitForAsync("document.querySelector('#view h2')?.textContent.endsWith('· 2015年度')", ct);
            Assert.Equal("", await TextAsync(browser, "#drill", ct));
        });

    [Fact]
    public Task A_Reporters_Workbook_Read_After_Another_Period_Was_Opened_Binds_Nothing_To_That_Periods_Submit() =>
        Browser.RunPageTestAsync("late-many", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = await TownWithTablesAsync(admin, ct);
            var folder = Directory.CreateTempSubdirectory("disclosure-late-many-").FullName;
            try
            {
                // A workbook of every reporter's column for each year, the town's column filled in.
                var files = new Dictionary<string, string>();
                foreach (var period in new[] { "2014", "2015" })
                {
                    var template = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/{period}/reporters", ct);
                    files[period] = Path.Combine(folder, $"{period}.xlsx");
                    await File.WriteAllBytesAsync(files[period], ReportersWorkbookTests.Fill(template, town, new Dictionary<string, string?> { ["12.2"] = "3" }), ct);
                }
                await SignInAsOfficeAsync(service, browser, ct);

                // 2014's workbook read, its column's check held; 2015 opened and its workbook read and listed meanwhile.
                await OpenOverviewAsync(browser, "2014", ct);
                await browser.EvaluateAsync(HoldNext("/v1/submissions/validate"), ct);
                await browser.ChooseFileAsync("#manyUpload", files["2014"], ct);
                await browser.WaitForAsync("window.held.length === 1", ct);
                await OpenOverviewAsync(browser, "2015", ct);
                await browser.ChooseFileAsync("#manyUpload", files["2015"], ct);
                await browser.WaitForAsync("document.querySelector('#manySubmit')", ct);

                // 2014's check is answered now; 2015's 报送 sends 2015's column, and nothing of 2014.
                await ReleaseAsync(browser, ct);
                await browser.ClickAsync("#manySubmit", ct);
                await browser.WaitForAsync("document.querySelector('#status').textContent.startsWith('分单位报送：保存 1 个')", ct);
                Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2015", ct)).GetProperty("items").GetArrayLength());
                Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").GetArrayLength());
                Assert.EndsWith("· 2015年度", await TextAsync(browser, "#view h2", ct));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });

    [Fact]
    public Task A_Close_Answered_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line_Not_Over_That_Periods_Overview() =>
        Browser.RunPageTestAsync("late-close", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SignInAsOfficeAsync(service, browser, ct);

            // 关闭统计期 pressed on 2014 (nobody owes it a table), the answer held; 2013 opened before it comes.
            await OpenOverviewAsync(browser, "2014", ct);
            await browser.EvaluateAsync(HoldNext($"/v1/periods/{Catalogue}/2014/close"), ct);
            await browser.ClickAsync("#toggle", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenOverviewAsync(browser, "2013", ct);

            // Closed: the status line says so, naming 2014, and 2013's overview, still open, stays.
            await ReleaseAsync(browser, ct);
            Assert.Equal("2014年度 · 统计期已关闭", await TextAsync(browser, "#status", ct));
            Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("closed").GetBoolean());
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#view h2", ct));
            Assert.Equal("关闭统计期", await TextAsync(browser, "#toggle", ct));
        });

    [Fact]
    public Task A_Deadline_Saved_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line_Not_Over_That_Periods_Overview() =>
        Browser.RunPageTestAsync("late-deadline", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SignInAsOfficeAsync(service, browser, ct);

            // 2014's deadline saved, the answer held; 2013 opened before it comes.
            await OpenOverviewAsync(browser, "2014", ct);
            await browser.EvaluateAsync("document.querySelector('#deadline').value = '2015-03-31T17:00'", ct);
            await browser.EvaluateAsync(HoldNext($"/v1/periods/{Catalogue}/2014"), ct);
            await browser.ClickAsync("#saveDeadline", ct);
            await browser.WaitForAsync("window.held.length === 1", ct);
            await OpenOverviewAsync(browser, "2013", ct);

            // Saved: the status line says so, naming 2014 and the deadline, and 2013's overview, with no deadline, stays.
            await ReleaseAsync(browser, ct);
            Assert.StartsWith("2014年度 · 截止时间已设为 2015/3/31", await TextAsync(browser, "#status", ct));
            Assert.NotEqual(JsonValueKind.Null, (await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2014", ct)).GetProperty("deadline").ValueKind);
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#view h2", ct));
            Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#deadline').value", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Deadline_Saved_Over_Settings_Another_Clerk_Changed_Since_The_Page_Read_Them_Is_Refused_And_The_Settings_Read_Again() =>
        Browser.RunPageTestAsync("late-settings", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SignInAsOfficeAsync(service, browser, ct);
            await OpenOverviewAsync(browser, "2012", ct);

            // Another clerk sets 2012's deadline after this page read the settings.
            using (var other = await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2012", new { deadline = "2013-01-31T12:00:00Z" }, ct))
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);

            // This page's save, from the settings it read, is refused: the clerk is told, and the page shows what is stored now.
            await browser.EvaluateAsync("document.querySelector('#deadline').value = '2013-03-31T17:00'", ct);
            await browser.ClickAsync("#saveDeadline", ct);
            await browser.WaitForAsync("document.querySelector('#status').textContent.startsWith('其他人已修改')", ct);
            Assert.StartsWith("其他人已修改了本统计期的设置，您的修改（截止时间 2013/3/31", await TextAsync(browser, "#status", ct));
            Assert.EndsWith("页面已重新读取最新设置：请核对后再保存。", await TextAsync(browser, "#status", ct));
            Assert.StartsWith("2013-01-31T", (await browser.EvaluateAsync("document.querySelector('#deadline').value", ct)).GetValue<string>());
            var stored = await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2012", ct);
            Assert.Equal(new DateTimeOffset(2013, 1, 31, 12, 0, 0, TimeSpan.Zero), stored.GetProperty("deadline").GetDateTimeOffset());

            // Saved again from the settings as now read, it is stored.
            await browser.EvaluateAsync("document.querySelector('#deadline').value = '2013-03-31T17:00'", ct);
            await browser.ClickAsync("#saveDeadline", ct);
            await browser.WaitForAsync("document.querySelector('#view').textContent.includes('截止时间 2013/3/31')", ct);
            Assert.Equal("", await TextAsync(browser, "#status", ct));
            Assert.Equal(3, (await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2012", ct)).GetProperty("deadline").GetDateTimeOffset().Month);
        });

    [Fact]
    public Task A_Deadline_Saved_After_Another_Clerk_Closed_The_Period_Is_Refused_And_The_Overview_Drawn_Closed() =>
        Browser.RunPageTestAsync("late-closed", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await SignInAsOfficeAsync(service, browser, ct);
            await OpenOverviewAsync(browser, "2011", ct);
            Assert.False((await browser.EvaluateAsync("document.querySelector('#saveDeadline').disabled", ct)).GetValue<bool>());

            // Another clerk closes 2011 after this page read it; this page's deadline would change who was late in it.
            using (var other = await admin.PostAsync($"/v1/periods/{Catalogue}/2011/close", null, ct))
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            await browser.EvaluateAsync("document.querySelector('#deadline').value = '2012-03-31T17:00'", ct);
            await browser.ClickAsync("#saveDeadline", ct);

            await browser.WaitForAsync("document.querySelector('#status').textContent.includes('须重新开放后才能修改')", ct);
            Assert.Equal("2011年度 · 统计期已关闭：截止时间须重新开放后才能修改（谁逾期按它判定）", await TextAsync(browser, "#status", ct));
            Assert.Equal("重新开放", await TextAsync(browser, "#toggle", ct));
            Assert.True((await browser.EvaluateAsync("document.querySelector('#saveDeadline').disabled && document.querySelector('#deadline').disabled", ct)).GetValue<bool>());
            var stored = await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/2011", ct);
            Assert.False(stored.TryGetProperty("deadline", out var deadline) && deadline.ValueKind != JsonValueKind.Null);
        });

    [Fact]
    public Task A_Workbook_Stored_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line_Not_By_Opening_Its_Form() =>
        Browser.RunPageTestAsync("late-upload", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var town = await SignInAsTownAsync(service, browser, ct);
            await UploadAnsweredAfter2013WasOpenedAsync(service, browser, town, new() { ["12.2"] = "3" }, ct);

            // 2014 was stored: the status line says so, naming 2014; 2013's form stays, nothing sent from it.
            Assert.Equal("迟答镇 · 2014年度 · 已提交，第 1 版", await TextAsync(browser, "#status", ct));
            Assert.Equal(1, (await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").GetArrayLength());
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#formTitle", ct));
            Assert.Equal("—", await TextAsync(browser, "#revisionList", ct));
            Assert.Equal("", await TextAsync(browser, "#uploadResult", ct));
        });

    [Fact]
    public Task A_Workbook_Refused_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line() =>
        Browser.RunPageTestAsync("late-upload-refused", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var town = await SignInAsTownAsync(service, browser, ct);
            // A part above its whole: refused.
            await UploadAnsweredAfter2013WasOpenedAsync(service, browser, town, new() { ["3.1"] = "60", ["3.1.1"] = "61" }, ct);

            // Nothing stored, and said so on the status line naming 2014; 2013's form says nothing of it.
            var said = await TextAsync(browser, "#status", ct);
            Assert.StartsWith("迟答镇 · 2014年度 · 上传的 Excel（", said);
            Assert.Contains("处错误，没有保存，请在 Excel 中改正后重新上传", said);
            Assert.Equal(0, (await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").GetArrayLength());
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#formTitle", ct));
            Assert.Equal("", await TextAsync(browser, "#uploadResult", ct));
        });

    [Fact]
    public Task A_Stale_Workbook_Answered_After_Another_Period_Was_Opened_Is_Said_On_The_Status_Line() =>
        Browser.RunPageTestAsync("late-upload-stale", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var town = await SignInAsTownAsync(service, browser, ct);
            // The workbook is made from the blank template; 2014's table is then stored by the office (revision 1).
            var admin = service.Client(AdminKey);
            var blank = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={town}", ct);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 5 } },
            }, ct)).StatusCode);
            await UploadAnsweredAfter2013WasOpenedAsync(service, browser, town, new() { ["12.2"] = "3" }, ct, blank);

            // Not stored: the status line says the workbook was filled in from an older revision, to open the table again; no
            // button to overwrite is offered in 2013's form.
            Assert.Equal("迟答镇 · 2014年度 · 没有保存：这个工作簿是据较早的修订填写的，该表现在已是第 1 次修订；请重新打开该表，核对后再上传。",
                await TextAsync(browser, "#status", ct));
            Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").GetArrayLength());
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#overwrite')", ct)).GetValue<bool>());
            Assert.EndsWith("· 2013年度", await TextAsync(browser, "#formTitle", ct));
        });
}
