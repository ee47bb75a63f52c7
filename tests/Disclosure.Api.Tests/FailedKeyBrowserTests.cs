using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 限制非法登录次数, as a person meets it: after the service's limit of wrong keys from this computer's network, even the right
/// key is turned away for a while, and the page says why and for how long instead of calling the right key wrong.
/// The office reads in its 操作日志 which address reached the limit. Headless Chromium against the real service.
/// </summary>
public sealed class FailedKeyBrowserTests
{
    private const string AdminKey = "failed-key-admin-key-0123456789";

    [Fact]
    public Task After_Too_Many_Wrong_Keys_A_Wrong_One_Is_Told_To_Wait_And_The_Right_One_Signs_In() =>
        Browser.RunPageTestAsync("failed-keys", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await browser.SignInAsync(service.BaseAddress, $"dk_wrong-key-{i}", ct);
                await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('无效')", ct);
            }

            await browser.SignInAsync(service.BaseAddress, "dk_wrong-key-3", ct);
            await browser.WaitForAsync("document.querySelector('main [role=alert]')?.textContent.includes('5 分钟内不接受')", ct);
            // The key is kept for 重试 once the wait is over: the person need not find it again.
            Assert.Equal("dk_wrong-key-3", (await browser.EvaluateAsync("sessionStorage.getItem('key')", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#retry')", ct)).GetValue<bool>());

            // The right key is served from that network all the same: whoever sent the wrong ones locks no one out.
            await browser.EvaluateAsync("sessionStorage.clear()", ct); // else the page signs in again with the wrong key it kept
            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-audit')", ct);
        }, environment: new Dictionary<string, string> { ["Auth__FailedKeyLimit"] = "3" });

    [Fact]
    public Task After_Too_Many_Wrong_Keys_A_Revoked_Key_Is_Told_It_No_Longer_Works_Not_To_Wait() =>
        Browser.RunPageTestAsync("failed-keys-revoked", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "revoked-town", name = "撤销镇", kind = "town" }, ct)).StatusCode);
            var issued = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "revoked-town" }, ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{issued.GetProperty("id").GetString()}", ct)).StatusCode);
            // Someone on this computer's network sent wrong keys up to the limit.
            var guesser = service.Client("dk_guess");
            for (var i = 0; i < 3; i++) Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await guesser.GetAsync("/v1/me", ct)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/v1/me", ct)).StatusCode);

            // The holder of the revoked key is told to ask for a new one, and the key is forgotten: waiting would not help.
            await browser.SignInAsync(service.BaseAddress, issued.GetProperty("key").GetString()!, ct);
            await browser.WaitForAsync("document.querySelector('main [role=alert]')", ct);
            var said = (await browser.EvaluateAsync("document.querySelector('main [role=alert]').textContent", ct)).GetValue<string>();
            Assert.Contains("已吊销", said);
            Assert.Contains("索取新的登录链接", said);
            Assert.DoesNotContain("分钟内不接受", said);
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#signinError') && sessionStorage.getItem('key') === null", ct)).GetValue<bool>());
        }, environment: new Dictionary<string, string> { ["Auth__FailedKeyLimit"] = "3" });

    [Fact]
    public Task The_Office_Reads_Which_Address_Reached_The_Limit_In_The_Audit_Log() =>
        Browser.RunPageTestAsync("failed-keys-log", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            // Another network guesses, behind the same proxy as the office (X-Forwarded-For names it).
            var guesser = service.Client("dk_guess");
            guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
            for (var i = 0; i < 2; i++) Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await guesser.GetAsync("/v1/me", ct)).StatusCode);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-audit')", ct);
            await browser.ClickAsync("#tab-audit", ct);
            await browser.WaitForAsync("document.querySelector('#auditLog tbody tr[data-status=\"401\"]')", ct);
            var row = (await browser.EvaluateAsync("document.querySelector('#auditLog tbody tr[data-status=\"401\"]').innerText.replace(/\\s+/g, ' ')", ct)).GetValue<string>();
            Assert.All(["（无有效密钥）", "多次使用无效密钥，暂停接受", "203.0.113.7", "2 次使用无效、已吊销或已过期的密钥"], s => Assert.Contains(s, row));
        }, environment: new Dictionary<string, string> { ["Auth__FailedKeyLimit"] = "2", ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });
}
