using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A signed-in page left alone locks itself (GB/T 22239: 登录连接超时自动退出): the key is forgotten, the page is covered, and
/// only the same key opens it again, with what was typed still there. The service's lock time is 6 seconds here: long enough
/// for a form to load on a busy machine before the first figure is typed, which a lock already drawn would not let in.
/// </summary>
public sealed class IdleLockBrowserTests
{
    private const string AdminKey = "idle-lock-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task A_Page_Left_Alone_Locks_And_Opens_Again_Only_With_Its_Own_Key_Keeping_What_Was_Typed() =>
        Browser.RunPageTestAsync("idle-lock", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "锁定测试镇", kind = "town" }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, label = "孙七" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            var other = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "viewer", label = "大屏" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('孙七') && document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"13.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"13.1\"]", "27", ct);

            // Left alone: locked, the key forgotten, the page behind it inert.
            await browser.WaitForAsync("!!document.querySelector('#lock')", ct);
            Assert.True((await browser.EvaluateAsync("sessionStorage.getItem('key') === null && document.querySelector('#app').inert", ct)).GetValue<bool>());

            // Another key, even a valid one, does not open it.
            await browser.TypeAsync("#lockKey", other, ct);
            await browser.ClickAsync("#lock button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#lockError').textContent.includes('不是本页登录时的密钥')", ct);
            Assert.True((await browser.EvaluateAsync("sessionStorage.getItem('key') === null", ct)).GetValue<bool>());

            // Its own key does: the figure typed is still there, and the page works with the key again.
            await browser.EvaluateAsync("document.querySelector('#lockKey').value = ''", ct);
            await browser.TypeAsync("#lockKey", key, ct);
            await browser.ClickAsync("#lock button[type=submit]", ct);
            await browser.WaitForAsync("!document.querySelector('#lock') && !document.querySelector('#app').inert", ct);
            Assert.Equal("27", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"13.1\"]').value", ct)).GetValue<string>());
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('孙七') && document.querySelector('#open')", ct);
        }, environment: new Dictionary<string, string> { ["Pages__LockAfterIdleSeconds"] = "6" });

    [Fact]
    public Task The_Language_Switched_While_Locked_Keeps_The_Lock_And_What_Was_Typed() =>
        Browser.RunPageTestAsync("idle-lock-language", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "锁定测试镇", kind = "town" }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, label = "孙七" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;

            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('孙七') && document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.1\"]')", ct);
            await browser.TypeAsync("#entry input[name=\"1.1\"]", "777", ct);
            await browser.WaitForAsync("!!document.querySelector('#lock')", ct);

            // The header's switch, pressed while locked: still locked, now in English, the figure still under it; not signed out.
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#lockTitle')?.textContent === 'Page locked'", ct);
            Assert.True((await browser.EvaluateAsync("sessionStorage.getItem('key') === null && !document.querySelector('#signin') && document.querySelector('#app').inert " +
                "&& document.querySelector('#entry input[name=\"1.1\"]')?.value === '777' && document.querySelector('#lang').textContent === '中文'", ct)).GetValue<bool>());
            // The lock screen's own switch, the one a person can reach on it, back and forth, keeping the key as typed.
            await browser.TypeAsync("#lockKey", "dk_half", ct);
            await browser.ClickAsync("#lockLang", ct);
            await browser.WaitForAsync("document.querySelector('#lockTitle')?.textContent === '页面已锁定' && document.documentElement.lang === 'zh-CN'", ct);
            Assert.Equal("dk_half", (await browser.EvaluateAsync("document.querySelector('#lockKey').value", ct)).GetValue<string>());
            await browser.ClickAsync("#lockLang", ct);
            await browser.WaitForAsync("document.querySelector('#lockTitle')?.textContent === 'Page locked'", ct);

            // Its key opens it in English, with the form and the figure typed before the lock.
            await browser.EvaluateAsync("document.querySelector('#lockKey').value = ''", ct);
            await browser.TypeAsync("#lockKey", key, ct);
            await browser.ClickAsync("#lock button[type=submit]", ct);
            await browser.WaitForAsync("document.documentElement.lang === 'en' && document.querySelector('#submit')?.textContent === 'Submit' " +
                "&& document.querySelector('#formTitle')?.dataset.period === '2014' && document.querySelector('#entry input[name=\"1.1\"]')?.value === '777'", ct);
            Assert.Contains("孙七", (await browser.EvaluateAsync("document.querySelector('#who').textContent", ct)).GetValue<string>());
        }, environment: new Dictionary<string, string> { ["Pages__LockAfterIdleSeconds"] = "6" });
}
