using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The pages at <c>/</c> as the district office and a town use them, in headless Chromium against the real service:
/// sign in, register a town and issue its key, enter the 2014 seed table (a broken 3.1 shown at its cell), submit, send
/// the Excel template back, and see the district table as the office does; then a 2021 table. A screenshot of each page
/// is written to the test output.
/// </summary>
public sealed class WebFrontEndBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(150);
    private const string AdminKey = "web-front-end-admin-key-0123456789";

    [Fact]
    public async Task The_Office_And_A_Town_Do_Their_Work_In_The_Browser()
    {
        if (!File.Exists(Browser.Path))
            Assert.Skip($"{Browser.Path} is absent: install Debian's chromium (openapi/ci-setup.sh does) to run the browser tests.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Budget);
        var ct = timeout.Token;
        var database = TestDatabase.NewPath("web");
        try
        {
            await using var service = await ServiceProcess.StartAsync(database, AdminKey, ct);
            await using var browser = await Browser.StartAsync(ct, "1366,768");
            try
            {
                await RunAsync(service, browser, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or Xunit.Sdk.XunitException)
            {
                // Where it stopped, for whoever reads the failure.
                Shot(await browser.ScreenshotAsync("failed"));
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var page = await browser.EvaluateAsync("document.querySelector('main').innerText.slice(0, 2000) + ' | ' + document.querySelector('#status').textContent", quick.Token);
                throw new InvalidOperationException($"The browser test stopped at: {step}. The page said: {page}", e);
            }
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    private static void Shot(string path) => TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");

    private static string step = "start";

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var reporter = $"web-town-{Guid.NewGuid():N}"[..20];

        // The office signs in with its key and registers a town, then issues the town's key.
        step = "The office signs in with its key and registers a town, then ";
        await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
        await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
        Shot(await browser.ScreenshotAsync("01-sign-in"));
        await browser.TypeAsync("#keyInput", AdminKey, ct);
        await browser.ClickAsync("#signin button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#admin') && document.querySelector('#who').textContent.includes('管理员')", ct);
        await browser.TypeAsync("#rid", reporter, ct);
        await browser.TypeAsync("#rname", "网页测试镇", ct);
        await browser.EvaluateAsync("document.querySelector('#rkind').value = 'town'", ct);
        await browser.ClickAsync("#newReporter button[type=submit]", ct);
        await browser.WaitForAsync($"document.querySelector('#kreporter').value === '{reporter}'", ct);
        await browser.ClickAsync("#newKey button[type=submit]", ct);
        await browser.WaitForAsync("document.querySelector('#signinLink')", ct);
        var link = (await browser.EvaluateAsync("document.querySelector('#signinLink').textContent", ct)).GetValue<string>();
        Assert.StartsWith(service.BaseAddress.ToString().TrimEnd('/') + "/#key=", link);
        Shot(await browser.ScreenshotAsync("02-office-key-issued"));

        // The town signs in through the link; the key leaves the address bar.
        step = "The town signs in through the link; the key leaves the addre";
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync(link, ct);
        await browser.WaitForAsync("document.querySelector('#who').textContent.includes('网页测试镇')", ct);
        Assert.DoesNotContain("key=", (await browser.EvaluateAsync("location.href", ct)).GetValue<string>());
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.1\"]')", ct);

        // The seed table typed in cell by cell; a wrong 3.1 is shown at its cell, then mended.
        step = "The seed table typed in cell by cell; a wrong 3.1 is shown a";
        var seed = SeedTable.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value);
        foreach (var (code, value) in seed)
            await browser.TypeAsync($"#entry input[name=\"{code}\"]", value.ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        await browser.TypeAsync("#entry input[name=\"3.1\"]", (seed["3.1"] + 1).ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("document.querySelector('td[data-cell=\"3.1\"]').classList.contains('bad') && document.querySelector('td[data-cell=\"3.1\"] .msg').textContent.includes('3.1')", ct);
        Shot(await browser.ScreenshotAsync("03-town-violation-at-3.1"));
        await browser.TypeAsync("#entry input[name=\"3.1\"]", seed["3.1"].ToString(CultureInfo.InvariantCulture), ct);
        await browser.WaitForAsync("!document.querySelector('td[data-cell=\"3.1\"]').classList.contains('bad') && document.querySelector('#verdict').className === 'ok'", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('1')  && document.querySelector('#verdict').textContent.includes('已提交')", ct);
        Shot(await browser.ScreenshotAsync("04-town-submitted"));

        // The Excel template as the page offers it, filled in and chosen in the page's upload field: revision 2.
        step = "The Excel template as the page offers it, filled in and chos";
        var template = await service.Client(AdminKey).GetByteArrayAsync($"/v1/templates/gov-info-disclosure-2014/2014?reporter={reporter}", ct);
        var values = seed.ToDictionary(v => v.Key, v => (string?)v.Value.ToString(CultureInfo.InvariantCulture));
        values["13.1"] = (seed["13.1"] + 2).ToString(CultureInfo.InvariantCulture);
        var file = Path.Combine(Path.GetTempPath(), $"{reporter}.xlsx");
        await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, values), ct);
        try
        {
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("document.querySelector('main').textContent.includes('#2')", ct);
        }
        finally
        {
            File.Delete(file);
        }

        // The office sees the town as submitted and the district table equal to what the town sent.
        step = "The office sees the town as submitted and the district table";
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#overview tr[data-reporter=\"{reporter}\"] .ok')", ct);
        await browser.WaitForAsync("document.querySelector('#district tr[data-code=\"3.1\"]')", ct);
        var total31 = (await browser.EvaluateAsync("document.querySelector('#district tr[data-code=\"3.1\"] td:nth-child(4)').textContent", ct)).GetValue<string>();
        Assert.Equal(seed["3.1"].ToString(CultureInfo.InvariantCulture), total31);
        var total131 = (await browser.EvaluateAsync("document.querySelector('#district tr[data-code=\"13.1\"] td:nth-child(4)').textContent", ct)).GetValue<string>();
        Assert.Equal(values["13.1"], total131);
        Shot(await browser.ScreenshotAsync("05-office-district-table"));

        // A 2021 table through the same page.
        step = "A 2021 table through the same page.";
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync(link.Replace("#key=", "#key=", StringComparison.Ordinal), ct);
        await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
        await browser.EvaluateAsync("(() => { const s = document.querySelector('#catalogue'); s.value = 'gov-info-disclosure-2021'; s.dispatchEvent(new Event('change')); })()", ct);
        await browser.TypeAsync("#period", "2022", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelectorAll('#entry input[name*=\":\"]').length > 10", ct);
        var first = (await browser.EvaluateAsync("document.querySelector('#entry input[name*=\":\"]').name", ct)).GetValue<string>();
        Shot(await browser.ScreenshotAsync("06-town-2021-form"));
        await browser.TypeAsync($"#entry input[name=\"{first}\"]", "0", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.length > 0", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交') || document.querySelector('.bad')", ct);

        var stored = await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue=gov-info-disclosure-2014&period=2014", ct);
        Assert.Equal(2, stored.GetProperty("items").GetArrayLength());
    }
}
