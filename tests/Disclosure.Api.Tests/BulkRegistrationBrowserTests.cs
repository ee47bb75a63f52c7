using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 批量登记: the district office pastes its list of reporters from Excel (id, name, kind, contact a line, tab-separated, a heading
/// row included) and each line is registered as the single form registers one; a reporter registered before is left as it is,
/// and a line that cannot be registered says why, in Chinese — a name another reporter has, one of the lines above included. Headless Chromium against the real service.
/// </summary>
public sealed class BulkRegistrationBrowserTests
{
    private const string AdminKey = "bulk-page-admin-key-0123456789";

    [Fact]
    public Task The_Office_Pastes_Its_List_From_Excel_And_Each_Line_Is_Registered_Or_Says_Why_Not() =>
        Browser.RunPageTestAsync("bulk-registration", AdminKey, TimeSpan.FromMinutes(4), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇人民政府", kind = "town" }, ct)).StatusCode);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#tab-admin')", ct);
            await browser.ClickAsync("#tab-admin", ct);
            // What a paste of five columns' worth of Excel rows puts in the field: tabs between cells, a line a row.
            const string pasted = "代码\t名称\t类别\t联系人及电话\n" +
                "yc-tanshan\t坛山街道\t乡镇街道\t赵六 0632-7711111\n" +
                "yc-jiaoyu\t区教育局\t区直部门\n" +
                "gushao-town\t古邵镇\t乡镇街道\n" +
                "Bad Id\t某镇\t乡镇街道\n" +
                "yc-cun\t某村\t村\n" +
                "yc-gushao\t古邵镇人民政府\t乡镇街道\n" +
                "yc-tanshan2\t坛山街道 \t乡镇街道\n" +
                "\n" +
                "yc-yinping，阴平镇，镇";
            await browser.EvaluateAsync($"document.querySelector('#bulkText').value = {JsonSerializer.Serialize(pasted)}", ct);
            await browser.ClickAsync("#bulkReporters button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelectorAll('#bulkTable tbody tr').length === 8", ct);

            var rows = (await browser.EvaluateAsync("[...document.querySelectorAll('#bulkTable tbody tr')].map(r => [r.dataset.line, r.dataset.ok, r.cells[3].textContent])", ct))
                .AsArray().Select(r => (r![0]!.GetValue<string>(), r[1]!.GetValue<string>(), r[2]!.GetValue<string>())).ToList();
            Assert.Equal(("2", "true", "已登记"), rows[0]);
            Assert.Equal(("3", "true", "已登记"), rows[1]);
            Assert.Equal(("4", "null", "此前已登记（未改动）"), rows[2]);
            Assert.Equal(("5", "false"), (rows[3].Item1, rows[3].Item2));
            Assert.Contains("代码须为 2 至 64 位小写字母", rows[3].Item3);
            Assert.Equal(("6", "false", "类别“村”不认识：请写 区政府、区直部门 或 乡镇街道。"), rows[4]);
            // A name another reporter has, or one a line above registered, is refused and names whose it is.
            Assert.Equal(("7", "false"), (rows[5].Item1, rows[5].Item2));
            Assert.StartsWith("名称“古邵镇人民政府”已是填报单位 gushao-town 的名称，没有保存", rows[5].Item3);
            Assert.Equal(("8", "false"), (rows[6].Item1, rows[6].Item2));
            Assert.StartsWith("名称“坛山街道”已是填报单位 yc-tanshan 的名称，没有保存", rows[6].Item3);
            Assert.Equal(("10", "true", "已登记"), rows[7]);
            await browser.WaitForAsync("document.querySelector('#status').textContent.includes('新登记 3 个，此前已登记 1 个，未登记 4 个')", ct);
            // The list of reporters below shows them at once.
            await browser.WaitForAsync("document.querySelector('#reporters tr[data-reporter=\"yc-yinping\"]')", ct);

            var stored = (await admin.GetFromJsonAsync<JsonElement>("/v1/reporters", ct)).GetProperty("items").EnumerateArray()
                .ToDictionary(r => r.GetProperty("id").GetString()!, r => (r.GetProperty("name").GetString(), r.GetProperty("kind").GetString(),
                    r.TryGetProperty("contact", out var c) ? c.GetString() : null));
            Assert.Equal(4, stored.Count);
            Assert.Equal(("坛山街道", "town", "赵六 0632-7711111"), stored["yc-tanshan"]);
            Assert.Equal(("区教育局", "department", (string?)null), stored["yc-jiaoyu"]);
            Assert.Equal(("古邵镇人民政府", "town", (string?)null), stored["gushao-town"]);
            Assert.Equal(("阴平镇", "town", (string?)null), stored["yc-yinping"]);
        });
}
