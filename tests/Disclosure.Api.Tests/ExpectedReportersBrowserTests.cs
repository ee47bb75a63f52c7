using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 应报单位 in the browser: a district that collects quarters from its towns and only the year from its departments says so on
/// the quarter's overview, and those it does not expect are no longer named 未报 there, nor reminded; ticked again, every
/// registered reporter is expected. Headless Chromium against the real service.
/// </summary>
public sealed class ExpectedReportersBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(180);
    private const string AdminKey = "expected-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    private const string Quarter = "2014Q3";

    [Fact]
    public Task The_Office_Expects_The_Towns_Alone_Of_A_Quarter_And_The_Departments_Are_No_Longer_Missing() =>
        Browser.RunPageTestAsync("expected-reporters", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind) in new[] { ("wjj", "区卫健局", "department"), ("gushao", "古邵镇", "town"), ("yinping", "阴平镇", "town") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
            var deadline = new DateTimeOffset(2014, 10, 15, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/{Quarter}", new { deadline }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions",
                new { reporter = "gushao", period = Quarter, catalogue = Catalogue, values = new[] { new { code = "13.1", value = 1 } } }, ct)).StatusCode);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", Quarter, ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#expectedBox') && document.querySelector('#missingList')", ct);
            Assert.Equal("应报单位：全部已登记的单位", await TextAsync(browser, "#expectedBox summary", ct));
            Assert.Contains("区卫健局", await TextAsync(browser, "#missingList", ct));

            // The department sends only the year: not ticked, it is not expected of the quarter.
            await browser.EvaluateAsync("document.querySelector('#expectedBox').open = true", ct);
            await browser.ClickAsync("[data-expect=\"wjj\"]", ct);
            await browser.ClickAsync("#saveExpected", ct);
            await browser.WaitForAsync("document.querySelector('#expectedBox summary')?.textContent === '应报单位：2 个单位'", ct);
            Assert.DoesNotContain("区卫健局", await TextAsync(browser, "#missingList", ct));
            Assert.Contains("阴平镇", await TextAsync(browser, "#missingList", ct));
            Assert.False((await browser.EvaluateAsync("document.querySelector('[data-expect=\"wjj\"]').checked", ct)).GetValue<bool>());
            var settings = await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/{Quarter}", ct);
            Assert.Equal(["gushao", "yinping"], settings.GetProperty("expectedReporters").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(deadline, settings.GetProperty("deadline").GetDateTimeOffset());
            var completeness = (await admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue}/{Quarter}", ct)).GetProperty("completeness");
            Assert.Equal(["yinping"], completeness.GetProperty("missing").EnumerateArray().Select(e => e.GetString()!));

            // Every box ticked again: every registered reporter, those registered later too (no list).
            await browser.EvaluateAsync("document.querySelector('#expectedBox').open = true", ct);
            await browser.ClickAsync("[data-expect=\"wjj\"]", ct);
            await browser.ClickAsync("#saveExpected", ct);
            await browser.WaitForAsync("document.querySelector('#expectedBox summary')?.textContent === '应报单位：全部已登记的单位'", ct);
            settings = await admin.GetFromJsonAsync<JsonElement>($"/v1/periods/{Catalogue}/{Quarter}", ct);
            Assert.Equal(JsonValueKind.Null, settings.TryGetProperty("expectedReporters", out var list) ? list.ValueKind : JsonValueKind.Null);
            Assert.Contains("区卫健局", await TextAsync(browser, "#missingList", ct));

            // A closed period's list is as it was closed with: shown, not offered to change.
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/{Quarter}/close", null, ct)).StatusCode);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#toggle')?.textContent === '重新开放'", ct);
            Assert.True((await browser.EvaluateAsync("document.querySelector('#saveExpected').disabled && document.querySelector('[data-expect=\"wjj\"]').disabled", ct)).GetValue<bool>());
        });

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();
}
