using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The office's page for a district of hundreds of reporters, tried with a few dozen: the share of 3.1 drawn from one request
/// (the breakdown), largest first with the rest summed as 其他; a review that marks its row and the counts without reading the
/// overview again, and takes the clerk to the next table awaiting review; 批量审核通过 of the tables ticked; the lists found by
/// name, shown by state and ordered by a column; the lists to check grouped by reporter; the trend reading every year its
/// editions cover. Request counts are asserted (the page's fetches), not times. Headless Chromium against the real service.
/// </summary>
public sealed class OfficeScaleBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);
    private const string AdminKey = "office-scale-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    // The page's requests from here on, each as "METHOD url".
    private const string CountRequests = "(() => { window.asked = []; const f = window.fetch; window.fetch = (u, i = {}) => { window.asked.push(`${i.method ?? 'GET'} ${u}`); return f(u, i); }; })()";

    [Fact]
    public Task The_Share_Of_3_1_Is_Read_In_One_Request_Largest_First_With_The_Rest_Summed_As_Others() =>
        Browser.RunPageTestAsync("office-scale-share", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            // 40 towns with 1 to 40 requests, one that left 3.1 blank, one that sent nothing.
            for (var n = 1; n <= 40; n++)
                await RegisterAsync(admin, $"share-{n:00}", $"占比{n:00}镇", ct, new { code = "3.1.1", value = n });
            await RegisterAsync(admin, "share-blank", "空白镇", ct, new { code = "12.2", value = 1 });
            await RegisterAsync(admin, "share-none", "未报镇", ct);

            await SignInAsync(service, browser, ct);
            await browser.EvaluateAsync(CountRequests, ct);
            await OpenAsync(browser, "2014", ct);
            await browser.WaitForAsync("document.querySelector('#chart .share.other')", ct);

            // One request for the whole chart: the breakdown, none a reporter.
            var asked = (await browser.EvaluateAsync("window.asked", ct)).AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.Single(asked, a => a.Contains("/breakdown", StringComparison.Ordinal));
            Assert.DoesNotContain(asked, a => a.Contains("/reporters/", StringComparison.Ordinal));
            // Largest first, the first 30 each, then 其他: the other 10 (1 to 10, 55 requests); the blank one counted under it.
            Assert.Equal(31, (await browser.EvaluateAsync("document.querySelectorAll('#chart .share').length", ct)).GetValue<int>());
            Assert.Equal(string.Join("|", Enumerable.Range(11, 30).Reverse()), (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#chart .share[data-reporter] .n')].map(n => n.textContent).join('|')", ct)).GetValue<string>());
            Assert.Equal("share-40", (await browser.EvaluateAsync("document.querySelector('#chart .share').dataset.reporter", ct)).GetValue<string>());
            Assert.Equal("10|其他 10 个单位|55", (await browser.EvaluateAsync(
                "(o => [o.dataset.other, o.querySelector('.label').textContent, o.querySelector('.n').textContent].join('|'))(document.querySelector('#chart .share.other'))", ct)).GetValue<string>());
            Assert.Equal("有数字的 40 个单位合计 820，按从大到小排列：列出前 30 个，其余 10 个单位合为“其他”。", await TextAsync(browser, "#shareNote", ct));
            Assert.Equal("另有 1 个单位没有这个数字（未填）。", await TextAsync(browser, "#shareBlank", ct));
            Assert.Equal("4.9%", await TextAsync(browser, "#chart .share .pct", ct));
        });

    [Fact]
    public Task A_Review_Marks_Its_Row_Without_Reading_The_Overview_And_Many_Are_Accepted_At_Once() =>
        Browser.RunPageTestAsync("office-scale-review", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var towns = Enumerable.Range(1, 8).Select(n => $"review-{n}").ToList();
            foreach (var town in towns)
                await RegisterAsync(admin, town, $"审核{town[^1]}镇", ct, new { code = "12.2", value = 5 });

            await SignInAsync(service, browser, ct);
            await OpenAsync(browser, "2014", ct);
            await browser.WaitForAsync("document.querySelectorAll('#overview td[data-reviewed=\"pending\"]').length === 8 && document.querySelector('#chart .share')", ct);
            var order = (await browser.EvaluateAsync("[...document.querySelectorAll('#overview tr[data-reporter]')].map(r => r.dataset.reporter)", ct)).AsArray().Select(a => a!.GetValue<string>()).ToList();
            var (first, second) = (order[0], order[1]);
            // 报出日期 offers the days the service accepts: from the period's last day to today in Beijing.
            Assert.Equal($"2014-12-31|{DateTime.UtcNow.AddHours(8):yyyy-MM-dd}", (await browser.EvaluateAsync("(i => i.min + '|' + i.max)(document.querySelector('#reportDate'))", ct)).GetValue<string>());

            // The first table accepted from its revisions: one request (the review), no overview read; its row and the counts say
            // so, and the focus is on the next table awaiting review, in view.
            await browser.ClickAsync($"#overview tr[data-reporter=\"{first}\"] [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#review #accept')", ct);
            await browser.EvaluateAsync(CountRequests, ct);
            await browser.ClickAsync("#accept", ct);
            await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{first}\"] td[data-reviewed]').dataset.reviewed === 'accepted' && document.activeElement.closest('tr')?.dataset.reporter === '{second}'", ct);
            Assert.Equal(new[] { "POST" }, (await browser.EvaluateAsync("window.asked.map(a => a.split(' ')[0])", ct)).AsArray().Select(a => a!.GetValue<string>()));
            Assert.EndsWith("/review", (await browser.EvaluateAsync("window.asked[0]", ct)).GetValue<string>());
            Assert.Equal("A", (await browser.EvaluateAsync("document.activeElement.tagName", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("(r => r.top >= 0 && r.bottom <= innerHeight)(document.activeElement.getBoundingClientRect())", ct)).GetValue<bool>(), "The next table awaiting review is not in view.");
            Assert.Equal("7|1", await CountsAsync(browser, ct));
            Assert.Contains("已通过", await TextAsync(browser, "#reviewState", ct));
            Assert.Contains($"下一个待审核：审核{second[^1]}镇", await TextAsync(browser, "#status", ct));
            Assert.Equal("accepted", (await LatestAsync(admin, first, ct)).GetProperty("review").GetProperty("decision").GetString());

            // Three ticked and accepted at once, one of them sent again since the overview was drawn: that one is refused (its
            // newer revision is not accepted unread), the others accepted, each with one request; the overview is not read.
            var ticked = order.Skip(1).Take(3).ToList();
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = ticked[2], period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 6 } },
            }, ct)).StatusCode);
            foreach (var town in ticked) await browser.ClickAsync($"#overview [data-pick=\"{town}\"]", ct);
            await browser.EvaluateAsync("window.asked = []", ct);
            await browser.ClickAsync("#acceptPicked", ct);
            await browser.WaitForAsync("document.querySelector('#bulkProgress').textContent.startsWith('批量审核通过：通过')", ct);
            Assert.StartsWith($"批量审核通过：通过 2 个，未通过 1 个。未通过：审核{ticked[2][^1]}镇（", await TextAsync(browser, "#bulkProgress", ct));
            var bulk = (await browser.EvaluateAsync("window.asked", ct)).AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.Equal(3, bulk.Count);
            Assert.All(bulk, a => Assert.Matches("^POST /v1/submissions/[0-9a-f-]{36}/review$", a));
            Assert.Equal("5|3", await CountsAsync(browser, ct));
            Assert.Equal("pending", (await browser.EvaluateAsync($"document.querySelector('#overview tr[data-reporter=\"{ticked[2]}\"] td[data-reviewed]').dataset.reviewed", ct)).GetValue<string>());
            // The button, disabled while it ran, has the focus back (not the page's body).
            Assert.Equal("acceptPicked", (await browser.EvaluateAsync("document.activeElement?.id ?? ''", ct)).GetValue<string>());

            // Ticked, then hidden by the filter: unticked and said so, not accepted unseen; 勾选显示中的全部待审核 says what is shown.
            const string find = "(v => { const i = document.querySelector('#findOverview'); i.value = v; i.dispatchEvent(new Event('input')); })";
            await browser.ClickAsync($"#overview [data-pick=\"{order[4]}\"]", ct);
            await browser.EvaluateAsync($"{find}('{order[5]}')", ct);
            Assert.Equal("筛选后未显示的 2 个已取消勾选。", await TextAsync(browser, "#bulkProgress", ct)); // order[4], and the one refused above
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#overview [data-pick]:checked').length", ct)).GetValue<int>());
            Assert.False((await browser.EvaluateAsync("document.querySelector('#pickAll').checked", ct)).GetValue<bool>());
            await browser.ClickAsync("#pickAll", ct);
            await browser.EvaluateAsync("window.asked = []", ct);
            await browser.ClickAsync("#acceptPicked", ct);
            await browser.WaitForAsync("document.querySelector('#bulkProgress').textContent.startsWith('批量审核通过：通过')", ct);
            Assert.Equal("批量审核通过：通过 1 个，未通过 0 个。", await TextAsync(browser, "#bulkProgress", ct));
            Assert.Single((await browser.EvaluateAsync("window.asked", ct)).AsArray());
            Assert.Equal("accepted", (await browser.EvaluateAsync($"document.querySelector('#overview tr[data-reporter=\"{order[5]}\"] td[data-reviewed]').dataset.reviewed", ct)).GetValue<string>());
            await browser.EvaluateAsync($"{find}('')", ct);
            Assert.False((await browser.EvaluateAsync("document.querySelector('#pickAll').checked", ct)).GetValue<bool>());
            Assert.Equal("4|4", await CountsAsync(browser, ct));

            // Shown by review (待审核), all those shown ticked at once and accepted: the one sent again is refused again.
            await browser.SelectAsync("#statusFilter", "rv:pending", ct);
            Assert.Equal(4, (await browser.EvaluateAsync("document.querySelectorAll('#overview tr[data-reporter]:not([hidden])').length", ct)).GetValue<int>());
            Assert.Equal("显示 4 / 8", await TextAsync(browser, "#overviewShown", ct));
            await browser.ClickAsync("#pickAll", ct);
            await browser.ClickAsync("#acceptPicked", ct);
            await browser.WaitForAsync("document.querySelector('#bulkProgress').textContent.startsWith('批量审核通过：通过 3 个')", ct);
            Assert.Equal("1|7", await CountsAsync(browser, ct));
        });

    [Fact]
    public Task The_Lists_Are_Found_By_Name_Shown_By_State_And_Ordered_By_A_Column() =>
        Browser.RunPageTestAsync("office-scale-lists", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await RegisterAsync(admin, "east-town", "东关镇", ct, new { code = "12.2", value = 1 });
            await RegisterAsync(admin, "west-town", "西关镇", ct);
            await RegisterAsync(admin, "north-town", "北关镇", ct, new { code = "12.2", value = 1 });
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "south-town", name = "南关镇", kind = "town", contact = "王芳 0632-7712345" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "east-town" }, ct)).StatusCode);
            var revoked = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "west-town", label = "张三" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{revoked}", ct)).StatusCode);

            await SignInAsync(service, browser, ct);
            await OpenAsync(browser, "2014", ct);
            await browser.WaitForAsync("document.querySelectorAll('#overview tr[data-reporter]').length === 4", ct);
            const string shown = "[...document.querySelectorAll('#overview tr[data-reporter]:not([hidden])')].map(r => r.dataset.reporter).join(',')";
            // By name or by id.
            await browser.TypeAsync("#findOverview", "东关", ct);
            Assert.Equal("east-town", (await browser.EvaluateAsync(shown, ct)).GetValue<string>());
            Assert.Equal("显示 1 / 4", await TextAsync(browser, "#overviewShown", ct));
            await browser.EvaluateAsync("(i => { i.value = 'WEST'; i.dispatchEvent(new Event('input')); })(document.querySelector('#findOverview'))", ct);
            Assert.Equal("west-town", (await browser.EvaluateAsync(shown, ct)).GetValue<string>());
            // By status: the two not yet reported.
            await browser.EvaluateAsync("(i => { i.value = ''; i.dispatchEvent(new Event('input')); })(document.querySelector('#findOverview'))", ct);
            await browser.SelectAsync("#statusFilter", "st:notSubmitted", ct);
            Assert.Equal("south-town,west-town", string.Join(',', (await browser.EvaluateAsync(shown, ct)).GetValue<string>().Split(',').Order()));
            await browser.SelectAsync("#statusFilter", "", ct);
            // Ordered by name, ascending then descending, said by aria-sort on its header.
            await browser.ClickAsync("#overview thead th:first-child button", ct);
            Assert.Equal("ascending", (await browser.EvaluateAsync("document.querySelector('#overview thead th:first-child').getAttribute('aria-sort')", ct)).GetValue<string>());
            var ascending = (await browser.EvaluateAsync(shown, ct)).GetValue<string>();
            await browser.ClickAsync("#overview thead th:first-child button", ct);
            Assert.Equal("descending", (await browser.EvaluateAsync("document.querySelector('#overview thead th:first-child').getAttribute('aria-sort')", ct)).GetValue<string>());
            Assert.Equal(string.Join(',', ascending.Split(',').Reverse()), (await browser.EvaluateAsync(shown, ct)).GetValue<string>());
            Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('#overview thead th[aria-sort]').length", ct)).GetValue<int>());
            // Printed, the overview keeps its column headers (sort buttons, printed as their text without the arrows); other buttons go.
            await browser.EmulateMediaAsync("print", ct);
            Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('#overview thead th button.sort')].every(b => b.offsetWidth > 0 && getComputedStyle(b, '::after').content === 'none')", ct)).GetValue<bool>(),
                "The overview's column headers are not printed.");
            Assert.Equal("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('button:not(.sort)')).display", ct)).GetValue<string>());
            await browser.EmulateMediaAsync("", ct);

            // 填报单位与密钥: those without a valid key (west-town's was revoked), without a contact; found by name.
            await browser.ClickAsync("#tab-admin", ct);
            await browser.WaitForAsync("document.querySelectorAll('#reporters tbody tr').length === 4 && document.querySelector('#keys')", ct);
            const string reporters = "[...document.querySelectorAll('#reporters tbody tr:not([hidden])')].map(r => r.dataset.reporter).sort().join(',')";
            await browser.SelectAsync("#only-reporters", "nokey", ct);
            Assert.Equal("north-town,south-town,west-town", (await browser.EvaluateAsync(reporters, ct)).GetValue<string>());
            await browser.SelectAsync("#only-reporters", "nocontact", ct);
            Assert.Equal("east-town,north-town,west-town", (await browser.EvaluateAsync(reporters, ct)).GetValue<string>());
            await browser.TypeAsync("#find-reporters", "北", ct);
            Assert.Equal("north-town", (await browser.EvaluateAsync(reporters, ct)).GetValue<string>());
            // The keys: the revoked one, and one found by its holder; ordered by the time created.
            const string keys = "[...document.querySelectorAll('#keys tbody tr:not([hidden])')].map(r => r.dataset.reporter || r.dataset.key).join(',')";
            await browser.SelectAsync("#only-keys", "revoked", ct);
            Assert.Equal("west-town", (await browser.EvaluateAsync(keys, ct)).GetValue<string>());
            await browser.SelectAsync("#only-keys", "", ct);
            await browser.TypeAsync("#find-keys", "张三", ct);
            Assert.Equal("west-town", (await browser.EvaluateAsync(keys, ct)).GetValue<string>());
            await browser.EvaluateAsync("(i => { i.value = ''; i.dispatchEvent(new Event('input')); })(document.querySelector('#find-keys'))", ct);
            await browser.ClickAsync("#keys thead th:nth-child(4) button", ct);
            Assert.Equal("ascending", (await browser.EvaluateAsync("document.querySelector('#keys thead th:nth-child(4)').getAttribute('aria-sort')", ct)).GetValue<string>());
            Assert.Equal("east-town", (await browser.EvaluateAsync("[...document.querySelectorAll('#keys tbody tr')].filter(r => r.dataset.reporter)[0].dataset.reporter", ct)).GetValue<string>());
            // The filters and the order stay when the lists are drawn again after a change (a reporter registered).
            await browser.SelectAsync("#only-reporters", "nokey", ct);
            await browser.TypeAsync("#rid", "new-town", ct);
            await browser.TypeAsync("#rname", "新关镇", ct);
            await browser.ClickAsync("#newReporter button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelectorAll('#reporters tbody tr').length === 5", ct);
            Assert.Equal("nokey", (await browser.EvaluateAsync("document.querySelector('#only-reporters').value", ct)).GetValue<string>());
            Assert.Equal("ascending", (await browser.EvaluateAsync("document.querySelector('#keys thead th:nth-child(4)').getAttribute('aria-sort')", ct)).GetValue<string>());
        });

    [Fact]
    public Task A_Long_List_To_Check_Is_Grouped_By_Reporter_And_The_Trend_Reads_Every_Year_Its_Editions_Cover() =>
        Browser.RunPageTestAsync("office-scale-groups", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            // Eleven towns each with two figures ten times last year's, one with four: 26 to check.
            for (var n = 1; n <= 12; n++)
            {
                var town = $"far-{n:00}";
                var four = n == 12;
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = $"核对{n:00}镇", kind = "town" }, ct)).StatusCode);
                foreach (var (period, times) in new[] { ("2013", 1), ("2014", 10) })
                    Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                    {
                        reporter = town, period, catalogue = Catalogue,
                        values = new[] { ("1.2.1", 9876), ("1.2.2", 1369), ("2.2.3", 100), ("2.2.5", 120) }.Take(four ? 4 : 2).Select(v => new { code = v.Item1, value = v.Item2 * times }),
                    }, ct)).StatusCode);
            }

            // A year before a gap of two (2011, 2012 without tables): the trend still shows it.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "far-01", period = "2010", catalogue = Catalogue, values = new[] { new { code = "1.2.1", value = 5 } },
            }, ct)).StatusCode);

            await SignInAsync(service, browser, ct);
            await OpenAsync(browser, "2014", ct);
            await browser.WaitForAsync("document.querySelector('#farAll details.check-group')", ct);
            Assert.Equal(12, (await browser.EvaluateAsync("document.querySelectorAll('#farAll details.check-group').length", ct)).GetValue<int>());
            Assert.Equal(26, (await browser.EvaluateAsync("document.querySelectorAll('#farAll tbody tr[data-reporter]').length", ct)).GetValue<int>());
            Assert.Equal("共 26 处，涉及 12 个单位，按单位分组；超过 3 处的单位已收起，点开查看。", await TextAsync(browser, "#farAll .group-note", ct));
            // Each with its count; a reporter with a few open, the one with four collapsed; its name opens its revisions.
            Assert.Equal("（2 处）|true", (await browser.EvaluateAsync("(d => d.querySelector('.count').textContent + '|' + d.open)(document.querySelector('#farAll details[data-reporter=\"far-01\"]'))", ct)).GetValue<string>());
            Assert.Equal("（4 处）|false", (await browser.EvaluateAsync("(d => d.querySelector('.count').textContent + '|' + d.open)(document.querySelector('#farAll details[data-reporter=\"far-12\"]'))", ct)).GetValue<string>());
            await browser.ClickAsync("#farAll details[data-reporter=\"far-12\"] summary [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#drill h2')?.textContent.startsWith('核对12镇')", ct);

            // The trend reads every year its editions cover, each once (the 2014 edition's first year to this one, the 2021
            // edition's from 2021): 2010, two empty years before 2013, is shown.
            var first = (await admin.GetFromJsonAsync<JsonElement>("/v1/catalogues", ct)).GetProperty("items").EnumerateArray()
                .Single(c => c.GetProperty("id").GetString() == Catalogue).GetProperty("periods").GetProperty("fromYear").GetInt32();
            await browser.EvaluateAsync(CountRequests, ct);
            await browser.ClickAsync("#tab-trend", ct);
            await browser.WaitForAsync("document.querySelector('#trend rect.this[data-year=\"2014\"]') && document.querySelector('#trend rect.last[data-year=\"2013\"]')", ct);
            var years = (await browser.EvaluateAsync("window.asked.filter(a => a.includes('/v1/aggregates/')).map(a => a.split('/').pop()).sort().join(',')", ct)).GetValue<string>();
            Assert.Equal(string.Join(',', Enumerable.Range(first, DateTime.Now.Year - first + 1)), years);
            Assert.NotNull((await browser.EvaluateAsync("document.querySelector('#trend rect[data-year=\"2010\"]')?.getAttribute('class')", ct)).GetValue<string?>());
            Assert.Equal(3, (await browser.EvaluateAsync("document.querySelectorAll('#trend figure[data-indicator=\"disclose\"] rect').length", ct)).GetValue<int>());
        });

    private static async Task RegisterAsync(HttpClient admin, string id, string name, CancellationToken ct, object? value = null)
    {
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "town" }, ct)).StatusCode);
        if (value is not null)
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = id, period = "2014", catalogue = Catalogue, values = new[] { value } }, ct)).StatusCode);
    }

    private static async Task SignInAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
    }

    private static async Task OpenAsync(Browser browser, string period, CancellationToken ct)
    {
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
    }

    // 待审核 and 已通过 as the overview counts them.
    private static async Task<string> CountsAsync(Browser browser, CancellationToken ct) =>
        (await browser.EvaluateAsync("['pending', 'accepted'].map(s => document.querySelector(`#reviewCounts [data-review=\"${s}\"] .n`).textContent).join('|')", ct)).GetValue<string>();

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();

    private static async Task<JsonElement> LatestAsync(HttpClient admin, string town, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items").EnumerateArray().Last();
}
