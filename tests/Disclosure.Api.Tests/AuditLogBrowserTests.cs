using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 操作日志 in the office's page: a clerk signed in with an admin key of their own reads who did what, newest first — their own
/// registration under their name, a town's key refused under the town's name — a page at a time and by day, on a wide screen
/// and on a phone. Headless Chromium against the real service.
/// </summary>
public sealed class AuditLogBrowserTests
{
    private const string AdminKey = "audit-page-admin-key-0123456789";

    [Fact]
    public Task A_Correction_A_Return_Let_Into_A_Closed_Period_Is_Named_So_In_The_Log() =>
        Browser.RunPageTestAsync("audit-page-correction", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            const string catalogue = "gov-info-disclosure-2014";
            var admin = service.Client(AdminKey);
            var clerk = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "张三" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct))
                .GetProperty("key").GetString()!;
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "更正日志镇", kind = "town" }, ct)).StatusCode);
            var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, label = "李四" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct))
                .GetProperty("key").GetString()!;
            var sent = await service.Client(townKey).PostAsJsonAsync("/v1/submissions", new { reporter = town, period = "2014", catalogue, values = new[] { new { code = "12.2", value = 1200 } } }, ct);
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            var first = (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{catalogue}/2014/close", null, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{first}/review", new { decision = "returned", comment = "12.2 多了一个零" }, ct)).StatusCode);

            // The town sends its one correction from its page.
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
            var mine = $"#myPeriods tr[data-period=\"{catalogue}/2014\"]";
            await browser.WaitForAsync($"document.querySelector('{mine} [data-open]')?.textContent === '更正'", ct);
            await browser.ClickAsync($"{mine} [data-open]", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '1200' && document.querySelector('#verdict').className === 'ok'", ct);
            await browser.WatchAsync("#verdict", ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
            await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'ok'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 2 版')", ct);

            // The clerk's log names it in words, under the town's holder and name, with what it changed; so does the town key's own record.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(clerk)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('张三') && document.querySelector('#tab-audit')", ct);
            await browser.ClickAsync("#tab-audit", ct);
            const string corrections = "[...document.querySelectorAll('#auditLog tbody tr')].filter(r => r.innerText.includes('更正已关闭统计期的报表')).map(r => [r.dataset.status, r.innerText.replace(/\\s+/g, ' ')])";
            await browser.WaitForAsync($"{corrections}.length > 0", ct);
            var row = Assert.Single((await browser.EvaluateAsync(corrections, ct)).AsArray());
            Assert.Equal("201", row![0]!.GetValue<string>());
            Assert.All(["李四（更正日志镇）", "报送已关闭统计期的报表", "成功", "据退回更正已关闭统计期的报表：更正日志镇 2014年度政府信息公开工作情况统计表 第 2 版（数字有改动，该统计期的汇总随之改变）", "/v1/submissions"],
                s => Assert.Contains(s, row[1]!.GetValue<string>()));
            // 对象 says in words what each change acted on — the closed period's table, the returned table — with its path under it.
            const string targets = "[...document.querySelectorAll('#auditLog tbody tr')].map(r => [r.querySelector('.path')?.textContent, r.querySelector('.target')?.textContent ?? null])";
            var shown = (await browser.EvaluateAsync(targets, ct)).AsArray().Select(r => (r![0]!.GetValue<string>(), r[1]?.GetValue<string>())).ToList();
            Assert.Contains(($"/v1/periods/{catalogue}/2014/close", "2014年度政府信息公开工作情况统计表"), shown);
            Assert.Contains(($"/v1/submissions/{first}/review", "更正日志镇 2014年度政府信息公开工作情况统计表 第 1 版"), shown);
            var townKeyId = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray()
                .Single(k => k.TryGetProperty("label", out var l) && l.GetString() == "李四").GetProperty("id").GetString();
            await browser.ClickAsync("#tab-admin", ct);
            await browser.WaitForAsync($"document.querySelector('#keys button[data-audit=\"{townKeyId}\"]')", ct);
            await browser.ClickAsync($"#keys button[data-audit=\"{townKeyId}\"]", ct);
            await browser.WaitForAsync("!document.querySelector('#page-audit').hidden && document.querySelector('#auditKeyName').textContent.startsWith('李四')" +
                " && [...document.querySelectorAll('#auditLog tbody tr')].some(r => r.innerText.includes('更正已关闭统计期的报表'))", ct);
        });

    [Fact]
    public Task The_Clerk_Reads_Who_Did_What_Newest_First_A_Page_At_A_Time_And_By_Day() =>
        Browser.RunPageTestAsync("audit-page", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var clerk = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "张三" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct))
                .GetProperty("key").GetString()!;
            // More entries than a page holds (50).
            var towns = Enumerable.Range(0, 51).Select(i => $"audit-town-{i:D2}").ToList();
            foreach (var (town, i) in towns.Select((t, i) => (t, i)))
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = $"审计测试镇{i}", kind = "town" }, ct)).StatusCode);
            var townKey = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = towns[0], label = "李四" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct))
                .GetProperty("key").GetString()!;
            Assert.Equal(HttpStatusCode.Forbidden, (await service.Client(townKey).GetAsync("/v1/keys", ct)).StatusCode);

            // The clerk registers a town through the page, under their own key.
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(clerk)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('张三') && document.querySelector('#tab-audit')", ct);
            await browser.ClickAsync("#tab-admin", ct);
            await browser.TypeAsync("#rid", "gushao-town", ct);
            await browser.TypeAsync("#rname", "古邵镇", ct);
            await browser.SelectAsync("#rkind", "town", ct);
            await browser.ClickAsync("#newReporter button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#reporters tr[data-reporter=\"gushao-town\"]')", ct);

            // Newest first: the clerk's registration by name, then the town's refused key by the town's name and holder.
            await browser.ClickAsync("#tab-audit", ct);
            await browser.WaitForAsync("document.querySelectorAll('#auditLog tbody tr').length === 50", ct);
            var rows = (await browser.EvaluateAsync("[...document.querySelectorAll('#auditLog tbody tr')].slice(0, 4).map(r => [r.dataset.status, r.innerText.replace(/\\s+/g, ' ')])", ct)).AsArray();
            Assert.Equal("201", rows[0]![0]!.GetValue<string>());
            Assert.All(["张三", "登记填报单位", "成功", "登记 'gushao-town' 古邵镇（乡镇街道）"], s => Assert.Contains(s, rows[0]![1]!.GetValue<string>()));
            // The clerk's sign-in (the page's check of the key): 登录日志.
            Assert.All(["张三", "登录（核对密钥）", "成功", "/v1/me"], s => Assert.Contains(s, rows[1]![1]!.GetValue<string>()));
            Assert.Equal("403", rows[2]![0]!.GetValue<string>());
            Assert.All(["李四（审计测试镇0）", "查看", "无权限，被拒绝", "/v1/keys"], s => Assert.Contains(s, rows[2]![1]!.GetValue<string>()));
            Assert.All(["发放密钥", "填报单位密钥", "属 审计测试镇0", "持有人 李四"], s => Assert.Contains(s, rows[3]![1]!.GetValue<string>()));

            // Older entries a page at a time: the 56 in all (the clerk's key, 51 towns, the town's key, the refusal, the sign-in, the clerk's town).
            // The reporters' names are read as the log is shown, not again for each older page.
            const string reads = "performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/v1/reporters').length";
            var readsBefore = (await browser.EvaluateAsync(reads, ct)).GetValue<int>();
            await browser.ClickAsync("#auditOlder", ct);
            await browser.WaitForAsync("document.querySelectorAll('#auditLog tbody tr').length === 56 && document.querySelector('#auditOlder').hidden", ct);
            Assert.Equal(readsBefore, (await browser.EvaluateAsync(reads, ct)).GetValue<int>());
            Assert.Contains("发放密钥", (await browser.EvaluateAsync("document.querySelector('#auditLog tbody tr:last-child').innerText", ct)).GetValue<string>());

            // By day, in the browser's own days: nothing from tomorrow on; today's entries from today to today.
            const string day = "(n => { const d = new Date(); d.setDate(d.getDate() + n); return d.toLocaleDateString('sv'); })";
            await browser.EvaluateAsync($"document.querySelector('#auditFrom').value = {day}(1)", ct);
            await browser.ClickAsync("#auditForm button[type=submit]", ct);
            await browser.WaitForAsync("!document.querySelector('#auditEmpty').hidden && document.querySelectorAll('#auditLog tbody tr').length === 0", ct);
            await browser.EvaluateAsync($"document.querySelector('#auditFrom').value = {day}(0); document.querySelector('#auditTo').value = {day}(0)", ct);
            await browser.ClickAsync("#auditForm button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelectorAll('#auditLog tbody tr').length === 50 && document.querySelector('#auditEmpty').hidden", ct);

            // The same days as CSV for Excel and WPS: every entry of them, not only the page shown.
            var folder = Directory.CreateTempSubdirectory("disclosure-audit-").FullName;
            try
            {
                await browser.AllowDownloadsAsync(folder, ct);
                await browser.ClickAsync("#auditCsv", ct);
                // Saved under the service's name for it, of the first day asked for (China time).
                string? Saved() => Directory.EnumerateFiles(folder, "操作日志-*起.csv").SingleOrDefault();
                // Chromium writes a .crdownload and gives it the page's name once it is whole.
                while (Saved() is null || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);
                var file = Saved()!;
                Assert.Matches(@"^操作日志-\d{8}起\.csv$", Path.GetFileName(file));
                var lines = (await File.ReadAllLinesAsync(file, ct)).Where(l => l.Length > 0).ToList();
                Assert.Equal(1 + 56, lines.Count);
                Assert.Contains("张三,管理员,,登记填报单位,成功,201,登记 'gushao-town' 古邵镇（乡镇街道）,,/v1/reporters", lines[1]);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            // One key's entries, from the key list (操作记录): the town's key did nothing but be refused once.
            var townKeyId = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray()
                .Single(k => k.TryGetProperty("label", out var l) && l.GetString() == "李四").GetProperty("id").GetString();
            await browser.ClickAsync("#tab-admin", ct);
            await browser.WaitForAsync($"document.querySelector('#keys button[data-audit=\"{townKeyId}\"]')", ct);
            await browser.ClickAsync($"#keys button[data-audit=\"{townKeyId}\"]", ct);
            await browser.WaitForAsync("!document.querySelector('#page-audit').hidden && document.querySelector('#auditKeyName').textContent.startsWith('李四')" +
                " && document.querySelectorAll('#auditLog tbody tr').length === 1 && document.querySelector('#auditLog tbody tr').dataset.status === '403'", ct);
            await browser.ClickAsync("#auditAll", ct);
            await browser.WaitForAsync("document.querySelector('#auditKey').hidden && document.querySelectorAll('#auditLog tbody tr').length === 50", ct);

            // One reporter's entries, chosen by its name: the town's key was refused once.
            await browser.SelectAsync("#auditReporter", towns[0], ct);
            await browser.WaitForAsync("document.querySelectorAll('#auditLog tbody tr').length === 1 && document.querySelector('#auditLog tbody tr').dataset.status === '403'", ct);
            Assert.Contains("审计测试镇0", (await browser.EvaluateAsync("document.querySelector('#auditReporter').selectedOptions[0].textContent", ct)).GetValue<string>());
            await browser.SelectAsync("#auditReporter", "", ct);
            await browser.WaitForAsync("document.querySelectorAll('#auditLog tbody tr').length === 50", ct);

            // On a phone each entry is a card, its action and result on one line each rather than a character a line.
            await browser.SetViewportAsync((390, 844, true), ct);
            await browser.WaitForAsync("getComputedStyle(document.querySelector('#auditLog tbody tr')).display === 'block'", ct);
            var height = await browser.EvaluateAsync("(c => c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight))(document.querySelector('#auditLog tbody tr td:nth-of-type(2)'))", ct);
            Assert.True(height.GetValue<double>() < 1.6, $"The action cell is {height} lines high on a phone.");
        });
}
