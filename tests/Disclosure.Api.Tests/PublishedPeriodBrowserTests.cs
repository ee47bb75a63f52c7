using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A period published (closed), reopened and corrected: the office's overview says while it is reopened that it was published,
/// and offers 打印首次关闭时的汇总表, which prints the district table as it was first closed, with the figures then and saying so;
/// 发布记录 lists each close and what changed since. Headless Chromium against the real service.
/// </summary>
public sealed class PublishedPeriodBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "published-period-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task A_Period_Corrected_Since_It_Was_First_Closed_Prints_Its_Table_As_First_Closed() =>
        Browser.RunPageTestAsync("published-period", AdminKey, Budget, RunAsync);

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "tanshan", name = "坛山街道", kind = "town" }, ct)).StatusCode);
        async Task SubmitAsync(decimal value) => Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
            new { reporter = "tanshan", period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value } } }, ct)).StatusCode);
        async Task PostAsync(string action) => Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/{action}", null, ct)).StatusCode);
        await SubmitAsync(3);
        await PostAsync("close");
        await Task.Delay(20, ct);
        await PostAsync("reopen");
        await SubmitAsync(5);

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync($"document.querySelector('#catalogue option[value=\"{Catalogue}\"]')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        // Reopened, the overview says it was published, and when.
        await browser.WaitForAsync("document.querySelector('#reopenedNote')?.textContent.includes('首次关闭（发布），现已重新开放')", ct);
        await PostAsync("close");
        // Sent again (its answer lost): answered as it stands, which publishes nothing.
        await PostAsync("close");
        await browser.ClickAsync("#refreshOverview", ct);
        await browser.WaitForAsync("document.querySelector('#firstPrint') && !document.querySelector('#reopenedNote')", ct);

        const string Frame = "document.querySelector('#printFrame')?.contentDocument";
        await browser.ClickAsync("#firstPrint", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('.sign')", ct);
        Assert.Equal("3", (await browser.EvaluateAsync($"{Frame}.querySelector('tr[data-code=\"12.2\"] td.n').textContent", ct)).GetValue<string>());
        Assert.Contains("时的汇总：各单位当时最新的报表，不含其后的更正。", (await browser.EvaluateAsync($"{Frame}.body.textContent", ct)).GetValue<string>());
        // The table now, printed, is 5 and says it was closed again with the correction.
        await browser.ClickAsync("#print", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('tr[data-code=\"12.2\"] td.n')?.textContent === '5'", ct);
        Assert.Contains("首次关闭后更正或补报、已计入合计：坛山街道（第 2 版，", (await browser.EvaluateAsync($"{Frame}.body.textContent", ct)).GetValue<string>());

        // 发布记录: each close, from the audit log, with what changed since the first, per figure and per reporter.
        await browser.EvaluateAsync("document.querySelector('#publications summary').click()", ct);
        await browser.WaitForAsync("document.querySelectorAll('#publicationList tr[data-at]').length === 2", ct);
        Assert.StartsWith("坛山街道 第 1 版", (await browser.EvaluateAsync("document.querySelector('#publicationList tr[data-at] td.wrap').textContent", ct)).GetValue<string>());
        await browser.EvaluateAsync("document.querySelector('#publicationList tr[data-at] [data-compare]').click()", ct);
        await browser.WaitForAsync("document.querySelector('#changeRows')", ct);
        Assert.Equal("报表有变动的单位：坛山街道：第 1 版 → 第 2 版", (await browser.EvaluateAsync("document.querySelector('#changedTables').textContent", ct)).GetValue<string>());
        Assert.Equal(["12.2"], (await browser.EvaluateAsync("[...document.querySelectorAll('#changeRows tbody tr')].map(r => r.dataset.code)", ct)).AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("3|5|2|坛山街道 3 → 5", (await browser.EvaluateAsync("[...document.querySelectorAll('#changeRows tr[data-code=\"12.2\"] td')].slice(2).map(d => d.textContent).join('|')", ct)).GetValue<string>());
        // Printed, the changes alone, under the period's heading.
        await browser.ClickAsync("#printChanges", ct);
        await browser.WaitForAsync($"{Frame}?.querySelector('#changeRows')", ct);
        Assert.StartsWith("2014年度政府信息公开工作情况统计表", (await browser.EvaluateAsync($"{Frame}.querySelector('h1').textContent", ct)).GetValue<string>());

        // A district on a provincial edition published its appendix in the national layout: printed as it stood then, so.
        const string Edition = "gov-info-disclosure-fujian-2008";
        async Task SubmitOnEditionAsync(decimal online) => Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
            new { reporter = "tanshan", period = "2015", catalogue = Edition, values = new[] { new { code = "2.3:year", value = 1m }, new { code = "2.4:year", value = online } } }, ct)).StatusCode);
        await SubmitOnEditionAsync(4);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Edition}/2015/close", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Edition}/2015/reopen", null, ct)).StatusCode);
        await SubmitOnEditionAsync(6);
        await browser.SelectAsync("#catalogue", Edition, ct);
        await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
        await browser.TypeAsync("#period", "2015", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#publications summary') && document.querySelector('#nationalPrint')", ct);
        await browser.EvaluateAsync("document.querySelector('#publications summary').click()", ct);
        await browser.WaitForAsync("document.querySelector('#publicationList [data-then-national]')", ct);
        await browser.EvaluateAsync("document.querySelector('#publicationList [data-then-national]').click()", ct);
        // 网络申请数 (3.1.3) is 电子邮件 (2.3) + 网上 (2.4): 1 + 4 as published, 1 + 6 now.
        await browser.WaitForAsync($"{Frame}?.querySelector('tr[data-code=\"3.1.3\"] td.n')?.textContent === '5'", ct);
        Assert.Contains("时的汇总：各单位当时最新的报表，不含其后的更正。", (await browser.EvaluateAsync($"{Frame}.body.textContent", ct)).GetValue<string>());
    }
}
