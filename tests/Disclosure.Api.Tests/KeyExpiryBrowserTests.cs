using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 有效期至: the office issues a key that works to the end of a chosen day (Beijing time), sees that day in the key list, and the
/// holder, signed in with it, is told at the top of the page when the day is near. Headless Chromium against the real service.
/// </summary>
public sealed class KeyExpiryBrowserTests
{
    private const string AdminKey = "key-expiry-admin-key-0123456789";

    [Fact]
    public Task A_Key_Issued_To_A_Day_Lists_The_Day_Is_Renewed_From_The_List_And_Warns_Its_Holder_As_It_Nears() =>
        Browser.RunPageTestAsync("key-expiry", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            var day = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(10);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);
            await browser.ClickAsync("#tab-admin", ct);
            await browser.TypeAsync("#kreporter", "gushao-town", ct);
            await browser.TypeAsync("#klabel", "李四", ct);
            // As a person picks the day in the date field's calendar.
            await browser.EvaluateAsync($"document.querySelector('#kexpires').value = '{day:yyyy-MM-dd}'", ct);
            await browser.ClickAsync("#newKey button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#signinLink')", ct);

            var key = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray().Single(k => k.TryGetProperty("label", out var l) && l.GetString() == "李四");
            Assert.Equal(new DateTimeOffset(day.Year, day.Month, day.Day, 23, 59, 59, TimeSpan.FromHours(8)), key.GetProperty("expiresAt").GetDateTimeOffset());
            var id = key.GetProperty("id").GetString();
            await browser.WaitForAsync($"document.querySelector('#keys tr[data-key=\"{id}\"] td[data-expires]')?.textContent.includes('至 {day.Year}/{day.Month}/{day.Day}')", ct);

            var link = (await browser.EvaluateAsync("document.querySelector('#signinLink').textContent", ct)).GetValue<string>();
            // Within 30 days of its end the list says so; 换发 issues its holder a new key, to the day now in the form, and leaves the old one working.
            await browser.WaitForAsync($"document.querySelector('#keys tr[data-key=\"{id}\"] [data-expiring]')?.textContent === '即将到期'", ct);
            var nextYear = day.AddYears(1);
            await browser.EvaluateAsync($"document.querySelector('#kexpires').value = '{nextYear:yyyy-MM-dd}'", ct);
            await browser.ClickAsync($"#keys button[data-renew=\"{id}\"]", ct);
            await browser.WaitForAsync("document.querySelector('#issued').textContent.includes('已换发') && document.querySelector('#signinLink').textContent.includes('#key=')", ct);
            var held = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray()
                .Where(k => k.TryGetProperty("label", out var l) && l.GetString() == "李四").ToList();
            Assert.Equal(2, held.Count);
            Assert.All(held, k => Assert.Equal(("reporter", "gushao-town"), (k.GetProperty("role").GetString(), k.GetProperty("reporter").GetString())));
            Assert.All(held, k => Assert.False(k.TryGetProperty("revokedAt", out _)));
            Assert.Equal(new DateTimeOffset(nextYear.Year, nextYear.Month, nextYear.Day, 23, 59, 59, TimeSpan.FromHours(8)),
                held.Single(k => k.GetProperty("id").GetString() != id).GetProperty("expiresAt").GetDateTimeOffset());

            // The old key's holder, signed in with its link, is told it ends in ten days.
            await browser.NavigateAsync(link, ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('古邵镇')", ct);
            await browser.WaitForAsync($"document.querySelector('#expiryNotice')?.textContent.includes('您的密钥将于 {day.Year}/{day.Month}/{day.Day}')", ct);
        });
}
