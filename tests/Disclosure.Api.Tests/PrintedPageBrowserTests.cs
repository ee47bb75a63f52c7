using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The printable pages (?format=html) laid out as Chromium prints them: the page's print rules applied in a window as wide
/// as the printable width of the A4 sheet the page asks for, so that what runs past the paper's edge runs past the window's.
/// Headless Chromium against the real service.
/// </summary>
public sealed class PrintedPageBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "printed-page-browser-admin-key-0123456789";
    private const string Catalogue2014 = "gov-info-disclosure-2014";

    /// <summary>The printable width of A4 portrait with the pages' 1.5 cm side margins, in CSS pixels.</summary>
    private const int Portrait = (int)((210 - 30) / 25.4 * 96);

    /// <summary>The printable width of A4 landscape with the pages' 1.5 cm side margins, in CSS pixels (96 to the inch).</summary>
    private const int Landscape = (int)((297 - 30) / 25.4 * 96);

    /// <summary>Shows <paramref name="html"/> as the page, with the print rules applied in a window <paramref name="width"/> wide.</summary>
    private static async Task ShowPrintedAsync(Browser browser, string html, int width, CancellationToken ct)
    {
        await browser.NavigateAsync("about:blank", ct);
        await browser.SetViewportAsync((width, 1000, false), ct);
        await browser.EmulateMediaAsync("print", ct);
        await browser.EvaluateAsync($"document.open(); document.write({JsonSerializer.Serialize(html)}); document.close(); true", ct);
        await browser.WaitForAsync("document.querySelector('p.sign')", ct);
    }

    /// <summary>
    /// The steps with a failed assertion passed on as it is: the page test's own report reads the web front end's status line,
    /// which a printable page has not.
    /// </summary>
    private static Func<ServiceProcess, Browser, CancellationToken, Task> Told(Func<ServiceProcess, Browser, CancellationToken, Task> steps) => async (service, browser, ct) =>
    {
        try
        {
            await steps(service, browser, ct);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    };

    [Fact]
    public Task The_Breakdown_Of_Forty_Long_Named_Reporters_Prints_Every_Reporter_And_The_Total_Within_The_Page() =>
        Browser.RunPageTestAsync("printed-breakdown", AdminKey, Budget, Told(async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var names = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                var (id, name) = ($"wide-{i:D2}", $"峄城区第{i:D2}号经济开发区管理委员会便民服务中心");
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = i < 20 ? "department" : "town" }, ct)).StatusCode);
                names.Add(name);
                // The breakdown has a column for each reporter that sent its table.
                var body = new { reporter = id, period = "2014", catalogue = Catalogue2014, values = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }).ToArray() };
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", body, ct)).StatusCode);
            }
            var html = await admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014/breakdown?format=html", ct);
            await ShowPrintedAsync(browser, html, Landscape, ct);

            // Nothing runs past the paper's right edge: every table ends within the printable width.
            var overflow = await browser.EvaluateAsync("[...document.querySelectorAll('table')].map(t => Math.ceil(t.getBoundingClientRect().right)).filter(r => r > innerWidth).join(',')", ct);
            Assert.Equal("", overflow.GetValue<string>());
            // Every reporter and the total is printed, each once, in a column header.
            var headers = (await browser.EvaluateAsync("[...document.querySelectorAll('thead th')].map(th => th.textContent).join('|')", ct)).GetValue<string>().Split('|');
            Assert.All(names, n => Assert.Single(headers, h => h == n));
            Assert.Single(headers, h => h == "合计");
            // Each group repeats the label columns and starts on a page of its own; the title and the signatures are printed once.
            Assert.True((await browser.EvaluateAsync("document.querySelectorAll('table').length > 1", ct)).GetValue<bool>());
            Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('table')].every(t => t.querySelector('thead th').textContent === '序号')", ct)).GetValue<bool>());
            Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('table')].slice(1).every(t => getComputedStyle(t).breakBefore === 'page')", ct)).GetValue<bool>());
            // Each group's caption — which part, of how many, which reporters — is its header's first row, and so printed again on
            // every page the group runs onto (a <caption> is printed on its first page alone); it names the table too.
            var captions = (await browser.EvaluateAsync("[...document.querySelectorAll('table')].map(t => t.tHead.rows[0].className === 'cap' && " +
                "getComputedStyle(t.tHead).display === 'table-header-group' && document.getElementById(t.getAttribute('aria-labelledby')) === t.tHead.rows[0].cells[0] " +
                "? t.tHead.rows[0].textContent : 'not in the header').join('|')", ct)).GetValue<string>().Split('|');
            Assert.Equal(Enumerable.Range(1, captions.Length).Select(n => $"（第 {n} 部分，共 {captions.Length} 部分："), captions.Select(c => c[..(c.IndexOf('：') + 1)]));
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('caption').length", ct)).GetValue<int>());
            Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('h1').length", ct)).GetValue<int>());
            // 统计指标 is read a phrase a line, not squeezed to a few characters: at least eight characters wide.
            var narrowest = await browser.EvaluateAsync("Math.min(...[...document.querySelectorAll('tbody td:nth-child(2)')].map(td => td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize)))", ct);
            Assert.True(narrowest.GetValue<double>() >= 8, $"统计指标 is {narrowest} characters wide.");
        }));

    [Fact]
    public Task A_Long_Reporting_Unit_Wraps_In_Its_Half_Apart_From_The_Report_Date() =>
        Browser.RunPageTestAsync("printed-sign", AdminKey, Budget, Told(async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            const string name = "峄城区大数据中心（区政务服务中心管理办公室）峄城区大数据中心";
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "long-name", name, kind = "department" }, ct)).StatusCode);
            var body = new { reporter = "long-name", period = "2014", catalogue = Catalogue2014, values = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }).ToArray() };
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", body, ct)).StatusCode);
            await ShowPrintedAsync(browser, await admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/long-name?format=html", ct), Portrait, ct);

            // The name's text ends at least a character before 报出日期 starts, on every line it takes.
            var gap = await browser.EvaluateAsync(
                "(([unit, date]) => (g => (g.selectNodeContents(unit), (date.getBoundingClientRect().left - Math.max(...[...g.getClientRects()].map(r => r.right))) / parseFloat(getComputedStyle(unit).fontSize)))(document.createRange()))" +
                "([...document.querySelector('p.sign').children])", ct);
            Assert.True(gap.GetValue<double>() >= 1, $"填报单位 ends {gap} characters before 报出日期.");
            Assert.Contains(name, (await browser.EvaluateAsync("document.querySelector('p.sign').textContent", ct)).GetValue<string>());
        }));

    [Fact]
    public Task The_2021_Tables_Short_Column_Names_Print_On_One_Line_Beside_Long_Ones() =>
        Browser.RunPageTestAsync("printed-2021", AdminKey, Budget, Told(async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "dept-2021", name = "峄城区人民政府办公室", kind = "department" }, ct)).StatusCode);
            var body = new { reporter = "dept-2021", period = "2021", catalogue = "gov-info-disclosure-2021", values = Catalogue2021RoundTripTests.Sample().Select(v => new { code = v.Key, value = v.Value }).ToArray() };
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", body, ct)).StatusCode);
            await ShowPrintedAsync(browser, await admin.GetStringAsync("/v1/aggregates/gov-info-disclosure-2021/2021/reporters/dept-2021?format=html", ct), Landscape, ct);

            // 其他, 总计, 单位, 自然人 …: a name of up to four characters is printed on one line, not a character a line.
            var broken = await browser.EvaluateAsync(
                "[...document.querySelectorAll('thead th')].filter(th => th.textContent.length <= 4)" +
                ".filter(th => (g => (g.selectNodeContents(th), new Set([...g.getClientRects()].map(r => Math.round(r.top))).size > 1))(document.createRange()))" +
                ".map(th => th.textContent).join('|')", ct);
            Assert.Equal("", broken.GetValue<string>());
            Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('thead th')].some(th => th.textContent === '其他')", ct)).GetValue<bool>());
            Assert.Equal("", (await browser.EvaluateAsync("[...document.querySelectorAll('table')].map(t => Math.ceil(t.getBoundingClientRect().right)).filter(r => r > innerWidth).join(',')", ct)).GetValue<string>());
        }));
}
