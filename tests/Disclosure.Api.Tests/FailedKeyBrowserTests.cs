namespace Disclosure.Api.Tests;

/// <summary>
/// 限制非法登录次数, as a person meets it: after the service's limit of wrong keys from this computer's network, even the right
/// key is turned away for a while, and the page says why and for how long instead of calling the right key wrong.
/// Headless Chromium against the real service, with the limit set to three.
/// </summary>
public sealed class FailedKeyBrowserTests
{
    private const string AdminKey = "failed-key-admin-key-0123456789";

    [Fact]
    public Task After_Too_Many_Wrong_Keys_The_Right_One_Is_Told_To_Wait_And_Is_Not_Called_Wrong() =>
        Browser.RunPageTestAsync("failed-keys", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await browser.SignInAsync(service.BaseAddress, $"dk_wrong-key-{i}", ct);
                await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('无效')", ct);
            }

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('main [role=alert]')?.textContent.includes('5 分钟内不接受')", ct);
            Assert.False((await browser.EvaluateAsync("document.querySelector('main').textContent.includes('无效、已吊销或已过期')", ct)).GetValue<bool>());
            // The key is kept for 重试 once the wait is over: the person need not find it again.
            Assert.Equal(AdminKey, (await browser.EvaluateAsync("sessionStorage.getItem('key')", ct)).GetValue<string>());
            Assert.True((await browser.EvaluateAsync("!!document.querySelector('#retry')", ct)).GetValue<bool>());
        }, environment: new Dictionary<string, string> { ["Auth__FailedKeyLimit"] = "3" });
}
