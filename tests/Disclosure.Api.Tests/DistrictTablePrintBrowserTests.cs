using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The office's 汇总表 on the overview: a figure is marked 自动计算 only where no reporter counted in it typed it (a kind's
/// column by that kind's reporters alone), and 打印 prints the district
/// table's printable page (title, figures, footer, dated as the office asks) from a frame, not the overview; 发布版 prints the
/// report's appendix table. Headless Chromium against the real service.
/// </summary>
public sealed class DistrictTablePrintBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "district-print-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Office_Sees_Only_Sums_Nobody_Typed_As_Derived_And_Prints_The_District_Table_Not_The_Overview() =>
        Browser.RunPageTestAsync("district-print", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        foreach (var (id, name, kind) in new[] { ("print-gov", "峄城区人民政府", "government"), ("print-town", "古邵镇", "town") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
        // 3.1 left blank with its parts given (the service sums it), and 7 (1); 10 = 580 typed with its parts blank; 4 = 0 typed.
        var values = new Dictionary<string, decimal> { ["3.1.1"] = 15, ["3.1.3"] = 5, ["7.1"] = 1, ["10"] = 580, ["4"] = 0, ["5"] = 0 };
        var body = new { reporter = "print-gov", period = "2014", catalogue = Catalogue, values = values.Select(v => new { code = v.Key, value = v.Value }).ToArray() };
        var submitted = await admin.PostAsJsonAsync("/v1/submissions", body, ct);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(ct));
        // 7: the town types it (3), which the government left blank beside its part (the service sums it, 1).
        var town = await admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = "print-town", period = "2014", catalogue = Catalogue, values = new[] { new { code = "7", value = 3m }, new { code = "7.1", value = 3m } },
        }, ct);
        Assert.True(town.StatusCode == HttpStatusCode.Created, await town.Content.ReadAsStringAsync(ct));

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync($"document.querySelector('#catalogue option[value=\"{Catalogue}\"]')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#district tr[data-code=\"10\"]')", ct);

        string Cell(string code) => $"document.querySelector('#district tr[data-code=\"{code}\"] td:nth-child(4)')";
        Assert.Equal("20", (await browser.EvaluateAsync($"{Cell("3.1")}.textContent", ct)).GetValue<string>());
        Assert.True((await browser.EvaluateAsync($"{Cell("3.1")}.classList.contains('derived')", ct)).GetValue<bool>());
        Assert.Equal("580", (await browser.EvaluateAsync($"{Cell("10")}.textContent", ct)).GetValue<string>());
        foreach (var code in new[] { "10", "4", "5", "3.1.1", "7" })
            Assert.False((await browser.EvaluateAsync($"{Cell(code)}.classList.contains('derived')", ct)).GetValue<bool>(), $"{code} is marked derived");
        // 7 by kind (合计 4, 区政府本级 5, 区直部门 6, 乡镇街道 7): the government's 1 is the service's sum, the town's 3 typed, the total 4 typed in part.
        string KindsOf(string code) => $"[...document.querySelectorAll('#district tr[data-code=\"{code}\"] td:nth-child(n+4)')].map(td => td.textContent + (td.classList.contains('derived') ? '*' : '')).join('|')";
        Assert.Equal("4|1*||3", (await browser.EvaluateAsync(KindsOf("7"), ct)).GetValue<string>());
        Assert.Equal("20*|20*||", (await browser.EvaluateAsync(KindsOf("3.1"), ct)).GetValue<string>());
        // Printed, the mark is not forced onto the paper.
        await browser.EmulateMediaAsync("print", ct);
        Assert.Equal("normal", (await browser.EvaluateAsync($"getComputedStyle({Cell("3.1")}).fontStyle", ct)).GetValue<string>());
        await browser.EmulateMediaAsync("", ct);

        // 打印: the printable district table in a frame, its title, the government under it and its footer; not this page.
        const string Frame = "document.querySelector('#printFrame')?.contentDocument";
        await browser.ClickAsync("#print", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('.sign')", ct);
        await browser.WaitForAsync("window.__printed === 1", ct);
        Assert.Equal("2014年度政府信息公开工作情况统计表", (await browser.EvaluateAsync($"{Frame}.querySelector('h1').textContent", ct)).GetValue<string>());
        Assert.Equal("（峄城区人民政府）", (await browser.EvaluateAsync($"{Frame}.querySelector('p.period').textContent", ct)).GetValue<string>());
        Assert.Equal("580", (await browser.EvaluateAsync($"{Frame}.querySelector('tr[data-code=\"10\"] td.n').textContent", ct)).GetValue<string>());
        Assert.Contains("填报单位（盖章）：峄城区人民政府", (await browser.EvaluateAsync($"{Frame}.querySelector('.sign').textContent", ct)).GetValue<string>());
        Assert.False((await browser.EvaluateAsync($"!!{Frame}.querySelector('#overview')", ct)).GetValue<bool>());

        // Dated as the office gives it.
        await browser.EvaluateAsync("document.querySelector('#reportDate').value = '2015-01-14'", ct);
        await browser.ClickAsync("#print", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('.sign')?.textContent.includes('报出日期：2015年1月14日')", ct);
        await browser.WaitForAsync("window.__printed === 2", ct);

        // 发布版: the appendix table, three columns, no footer.
        await browser.ClickAsync("#publicationPrint", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('h1') && !{Frame}.querySelector('.sign')", ct);
        await browser.WaitForAsync("window.__printed === 3", ct);
        Assert.Equal("统计指标|单位|统计数", (await browser.EvaluateAsync($"[...{Frame}.querySelectorAll('thead th')].map(th => th.textContent).join('|')", ct)).GetValue<string>());
        Assert.Equal("（峄城区人民政府）", (await browser.EvaluateAsync($"{Frame}.querySelector('p.period').textContent", ct)).GetValue<string>());
        // Dated by the same 报出日期 the form took, under the government, as the report dates its appendix.
        Assert.Equal("2015年1月14日", (await browser.EvaluateAsync($"{Frame}.querySelector('p.date')?.textContent ?? ''", ct)).GetValue<string>());
    }
}
