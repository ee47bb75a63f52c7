using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 上年结转 与 上年结转下年度 衔接 in the form: a town that carries into 2022 what it did not carry forward in its 2021 table has the
/// cell pointed out to be checked, with last year's figure, without being stopped. Headless Chromium against the real service.
/// </summary>
public sealed class CarriedOverBrowserTests
{
    private const string AdminKey = "carried-over-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2021";

    [Fact]
    public Task A_Balance_Carried_In_Not_As_Last_Year_Carried_Forward_Is_Marked_To_Check_And_Still_Valid() =>
        Browser.RunPageTestAsync("carried-over", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "gushao-town", period = "2021", catalogue = Catalogue,
                values = new[] { new { code = "3.1:natural", value = 10m }, new { code = "3.3.1:natural", value = 5m }, new { code = "3.4:natural", value = 5m } },
            }, ct)).StatusCode);
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "gushao-town" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2022", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.2:natural\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"3.3.1:natural\"]", "4", ct);
            await browser.TypeAsync("#entry input[name=\"3.2:natural\"]", "4", ct);

            // 4 carried in against 5 carried forward: marked in orange with last year's figure; the table is still valid.
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过；有 1 处上年结转数与上年报表不一致，请核对'", ct);
            Assert.Equal("与上年报表的结转下年度数（5）不一致：请核对（不影响提交）。", (await browser.EvaluateAsync(
                "document.querySelector('#entry td[data-cell=\"3.2:natural\"].check:not(.bad) .msg').textContent", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("document.querySelector('#entry input[name=\"3.2:natural\"]').getAttribute('aria-invalid') === null", ct)).GetValue<bool>());

            // As carried forward: the mark goes.
            await browser.EvaluateAsync("for (const c of ['3.2:natural', '3.3.1:natural']) document.querySelector(`#entry input[name=\"${c}\"]`).value = ''", ct);
            await browser.TypeAsync("#entry input[name=\"3.3.1:natural\"]", "5", ct);
            await browser.TypeAsync("#entry input[name=\"3.2:natural\"]", "5", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过' && !document.querySelector('#entry td.check')", ct);
        });
}
