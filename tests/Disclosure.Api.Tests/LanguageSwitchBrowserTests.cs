using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 中文 / English switched in the middle of filling in a table: the town officer stays at the same table and period, with
/// the figures and the 填报说明 as typed, and the check speaks the new language. Headless Chromium against the real service.
/// </summary>
public sealed class LanguageSwitchBrowserTests
{
    private const string AdminKey = "language-switch-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task Switching_The_Language_Keeps_The_Open_Form_And_What_Was_Typed() =>
        Browser.RunPageTestAsync("language-switch", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "gushao-town" }, ct);
            var secret = (await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.SignInAsync(service.BaseAddress, secret, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014Q3", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"2.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"2.1\"]", "26", ct);
            await browser.TypeAsync("#entry input[name=\"3.1.1\"]", "五", ct);
            await browser.TypeAsync("#note", "第三季度新增热线。", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.startsWith('有错误')", ct);

            await browser.ClickAsync("#lang", ct);
            // The same form, in English, with what was typed: the check runs again and says so in English.
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014 Q3') && document.querySelector('#verdict').textContent.startsWith('Errors')", ct);
            Assert.Equal("26|五|第三季度新增热线。", (await browser.EvaluateAsync(
                "[document.querySelector('#entry input[name=\"2.1\"]').value, document.querySelector('#entry input[name=\"3.1.1\"]').value, document.querySelector('#note').value].join('|')", ct)).GetValue<string>());
            Assert.Equal("2014Q3", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());

            // And back: still there, and it can be mended and submitted.
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2014年第3季度') && document.querySelector('#verdict').textContent.startsWith('有错误')", ct);
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"3.1.1\"]').value = ''", ct);
            await browser.TypeAsync("#entry input[name=\"3.1.1\"]", "5", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent === '校验通过'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交')", ct);
            var stored = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions?reporter=gushao-town&catalogue={Catalogue}&period=2014Q3", ct);
            var revision = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions/{stored.GetProperty("items")[0].GetProperty("id").GetString()}", ct);
            Assert.Equal("第三季度新增热线。", revision.GetProperty("note").GetString());
            Assert.Contains(revision.GetProperty("values").EnumerateArray(), v => v.GetProperty("code").GetString() == "2.1" && v.GetProperty("value").GetDecimal() == 26);

            // The office keying in the town's 2015 table on its behalf switches too: the same reporter's form, as typed.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={AdminKey}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('管理')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2015", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#overview [data-fill=\"gushao-town\"]')", ct);
            await browser.ClickAsync("#overview [data-fill=\"gushao-town\"]", ct);
            await browser.WaitForAsync("document.querySelector('#behalf') && document.querySelector('#entry input[name=\"2.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"2.1\"]", "31", ct);
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#behalf')?.dataset.reporter === 'gushao-town' && document.querySelector('#verdict').textContent === 'Valid'", ct);
            Assert.Equal("31", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"2.1\"]').value", ct)).GetValue<string>());
        });
}
