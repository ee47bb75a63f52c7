using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 为尚无密钥的单位各发一个: when a district starts, the office issues a key to every reporting reporter that has none in two
/// presses, and gets each one's sign-in link on the page and as a CSV. A reporter with a valid key gets none, nor one retired from the
/// first period any catalogue has; one retired mid-year gets one, for the periods it still owes.
/// Headless Chromium against the real service.
/// </summary>
public sealed class KeysForAllBrowserTests
{
    private const string AdminKey = "keys-for-all-admin-key-0123456789";

    [Fact]
    public Task The_Office_Issues_A_Key_To_Each_Reporter_Without_One_And_Gets_Their_Links() =>
        Browser.RunPageTestAsync("keys-for-all", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name) in new[] { ("keyed-town", "已有镇"), ("retired-town", "撤并镇"), ("gushao-town", "古邵镇"), ("yc-edu", "=区教育局"), ("yinping-town", "阴平镇") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind = "town", contact = "王芳 0632-7712345" }, ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "keyed-town" }, ct)).StatusCode);
            // Retired from 2008, the first year of every catalogue, it reports nothing; retired from 2014Q3, 阴平镇 still owes 2014Q1,
            // 2014Q2 and the year 2014.
            foreach (var (id, from) in new[] { ("retired-town", "2008"), ("yinping-town", "2014Q3") })
            {
                var retire = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { retiredFrom = from }) };
                Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(retire, ct)).StatusCode);
            }

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);
            await browser.ClickAsync("#tab-admin", ct);
            await browser.WaitForAsync("document.querySelector('#keys')", ct);
            // The first press says how many; only the second issues them.
            await browser.ClickAsync("#keysAll", ct);
            await browser.WaitForAsync("document.querySelector('#keysAll').textContent === '确认为 3 个单位发放'", ct);
            Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").GetArrayLength());
            await browser.ClickAsync("#keysAll", ct);
            await browser.WaitForAsync("document.querySelectorAll('#keysAllTable tbody tr').length === 3", ct);

            var keys = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys", ct)).GetProperty("items").EnumerateArray()
                .Where(k => k.GetProperty("role").GetString() == "reporter").Select(k => k.GetProperty("reporter").GetString()).Order().ToList();
            Assert.Equal(["gushao-town", "keyed-town", "yc-edu", "yinping-town"], keys);
            // Each link signs its reporter in.
            var link = (await browser.EvaluateAsync("document.querySelector('#keysAllTable tr[data-reporter=\"gushao-town\"] td.key').textContent", ct)).GetValue<string>();
            var key = Uri.UnescapeDataString(link[(link.IndexOf("#key=", StringComparison.Ordinal) + 5)..]);
            var me = await service.Client(key).GetFromJsonAsync<JsonElement>("/v1/me", ct);
            Assert.Equal("gushao-town", me.GetProperty("reporter").GetProperty("id").GetString());

            var folder = Directory.CreateTempSubdirectory("disclosure-links-").FullName;
            try
            {
                await browser.AllowDownloadsAsync(folder, ct);
                await browser.ClickAsync("#keysAllCsv", ct);
                var file = Path.Combine(folder, "填报单位登录链接.csv");
                // Chromium writes a .crdownload and gives it the page's name once it is whole.
                while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);
                var bytes = await File.ReadAllBytesAsync(file, ct);
                Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
                var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
                Assert.Equal(4, lines.Length);
                Assert.Contains($"古邵镇,gushao-town,王芳 0632-7712345,{link}", lines);
                // A name Excel would run as a formula is made inert.
                Assert.Contains(lines, l => l.StartsWith("'=区教育局,yc-edu,", StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            // Pressed again: nobody is left without a key.
            await browser.ClickAsync("#keysAll", ct);
            await browser.WaitForAsync("document.querySelector('#keysAllResult').textContent === '每个在报单位都已有有效密钥。'", ct);
        });
}
