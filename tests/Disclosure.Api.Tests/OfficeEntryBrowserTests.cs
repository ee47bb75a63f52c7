using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office keying in a town's e-mailed table after the deadline (来件时间), and the town then uploading the
/// workbook it had downloaded before the office's correction: told in Chinese which revision it would overwrite, and
/// storing it only once confirmed. Headless Chromium against the real service.
/// </summary>
public sealed class OfficeEntryBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "office-entry-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task A_Table_Keyed_In_With_Its_Sent_Time_Is_On_Time_And_A_Towns_Old_Workbook_Overwrites_Only_When_Confirmed() =>
        Browser.RunPageTestAsync("office-entry", AdminKey, Budget, RunAsync);

    [Fact]
    public Task An_Old_Workbook_Of_Another_Period_Is_Offered_To_Overwrite_In_That_Periods_Form() =>
        Browser.RunPageTestAsync("office-entry-other-period", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "覆盖镇", kind = "town" }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            // 2014's blank template, downloaded before the office stored 2014 (revision 1), and 2017's table open when it is uploaded.
            var blank = await service.Client(key).GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={town}", ct);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 130 } },
            }, ct)).StatusCode);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2017", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.dataset.period === '2017' && document.querySelector('#upload')", ct);

            var file = Path.Combine(Path.GetTempPath(), $"{town}-2014.xlsx");
            try
            {
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(blank, new Dictionary<string, string?> { ["12.2"] = "125" }), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#overwrite')", ct);
            }
            finally
            {
                File.Delete(file);
            }
            // The offer is made in 2014's form, the table it would overwrite, which it names; not over 2017's.
            Assert.Equal("2014", (await browser.EvaluateAsync("document.querySelector('#formTitle').dataset.period", ct)).GetValue<string>());
            Assert.Equal("2014", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());
            var named = (await browser.EvaluateAsync("document.querySelector('#staleTable').textContent", ct)).GetValue<string>();
            Assert.StartsWith("上传的工作簿是“覆盖镇 · ", named);
            Assert.EndsWith(" · 2014年度”的报表，已为您打开该表：", named);
            Assert.Equal("仍然提交（覆盖第1次修订）", (await browser.EvaluateAsync("document.querySelector('#overwrite').textContent", ct)).GetValue<string>());
            Assert.Equal("130", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value", ct)).GetValue<string>());

            // Confirmed there: stored over 2014's revision 1, and 2017 has nothing.
            await browser.ClickAsync("#overwrite", ct);
            await browser.WaitForAsync("document.querySelector('#status').textContent.includes('第 2 版')", ct);
            Assert.Equal(2, (await RevisionsAsync(admin, town, ct)).GetArrayLength());
            Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2017", ct)).GetProperty("items").GetArrayLength());
        });

    private static async Task<JsonElement> RevisionsAsync(HttpClient admin, string reporter, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items");

    private static async Task OpenAsync(ServiceProcess service, Browser browser, string key, string ready, CancellationToken ct)
    {
        await browser.NavigateAsync("about:blank", ct);
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync(ready, ct);
        // Every request the page sends is noted.
        await browser.EvaluateAsync("(() => { window.sent = []; const f = window.fetch; window.fetch = (u, i = {}) => { window.sent.push({ url: String(u), method: i.method ?? 'GET', headers: i.headers ?? {} }); return f(u, i); }; })()", ct);
    }

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        var town = $"town-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "来件镇", kind = "town" }, ct)).StatusCode);
        var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        var own = service.Client(key);
        // The deadline passed two days ago; the town e-mailed its table three days ago.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/2014", new { deadline = DateTimeOffset.UtcNow.AddDays(-2) }, ct)).StatusCode);

        // The office opens 代填 and gives 来件时间 with the figures.
        await OpenAsync(service, browser, AdminKey, "document.querySelector('#overview')", ct);
        var row = $"#overview tr[data-reporter=\"{town}\"]";
        await browser.WaitForAsync($"document.querySelector('{row} [data-fill]')?.textContent === '代填'", ct);
        await browser.ClickAsync($"{row} [data-fill]", ct);
        await browser.WaitForAsync("document.querySelector('#sentAt') && document.querySelector('#entry input[name=\"12.2\"]')", ct);
        Assert.Contains("来件时间", (await browser.EvaluateAsync("document.querySelector('#sentAt').closest('p').textContent", ct)).GetValue<string>());
        // A 来件时间 before 2014 began is said while the form is filled in, before 提交, in red where the figure's check said 校验通过 in green.
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        await browser.EvaluateAsync("(() => { const i = document.querySelector('#sentAt'); i.value = '2013-12-30T09:00'; i.dispatchEvent(new Event('input')); })()", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('来件时间不能晚于现在，也不能早于该统计期开始')", ct);
        Assert.Equal("missing", (await browser.EvaluateAsync("document.querySelector('#verdict').className", ct)).GetValue<string>());
        await browser.EvaluateAsync("document.querySelector('#entry input[name=\"12.2\"]').value = ''", ct);
        await browser.EvaluateAsync("(() => { const d = new Date(Date.now() - 3 * 864e5); d.setSeconds(0, 0); const local = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); " +
            "const i = document.querySelector('#sentAt'); i.value = local; i.dispatchEvent(new Event('input')); window.sentTime = d.toISOString(); })()", ct);
        await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
        await browser.ClickAsync("#submit", ct);
        await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 1 版') && document.querySelector('#revisionList').textContent.includes('来件')", ct);
        var sentTime = DateTimeOffset.Parse((await browser.EvaluateAsync("window.sentTime", ct)).GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await browser.EvaluateAsync($"window.sent.some(s => s.method === 'POST' && s.url === '/v1/submissions?sentAt=' + encodeURIComponent(window.sentTime))", ct)).GetValue<bool>());
        var mine = (await own.GetFromJsonAsync<JsonElement>($"/v1/reporters/{town}/periods", ct)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue && i.GetProperty("period").GetString() == "2014");
        Assert.Equal(("onTime", sentTime), (mine.GetProperty("status").GetString(), mine.GetProperty("sentAt").GetDateTimeOffset()));
        await browser.ClickAsync("#back", ct);
        await browser.WaitForAsync($"document.querySelector('{row}')?.dataset.status === 'onTime' && document.querySelector('{row}').textContent.includes('来件')", ct);

        // The town downloads its template (revision 1); the office then corrects the table (revision 2).
        var old = await own.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={town}", ct);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = town, period = "2014", catalogue = Catalogue, values = new[] { new { code = "12.2", value = 130 } },
        }, ct)).StatusCode);

        // The town uploads its old workbook: nothing stored, the message in Chinese, and a button to overwrite revision 2.
        await OpenAsync(service, browser, key, "document.querySelector('#upload')", ct);
        var file = Path.Combine(Path.GetTempPath(), $"{town}-old.xlsx");
        try
        {
            await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(old, new Dictionary<string, string?> { ["12.2"] = "125" }), ct);
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("document.querySelector('#overwrite')", ct);
        }
        finally
        {
            File.Delete(file);
        }
        var said = (await browser.EvaluateAsync("document.querySelector('#uploadResult').textContent", ct)).GetValue<string>();
        Assert.Contains("没有保存", said);
        Assert.Contains("第 1 次修订", said);
        Assert.Contains("第 2 次修订", said);
        Assert.Contains("区政务公开办", said);
        Assert.Equal("仍然提交（覆盖第2次修订）", (await browser.EvaluateAsync("document.querySelector('#overwrite').textContent", ct)).GetValue<string>());
        Assert.Equal(2, (await RevisionsAsync(admin, town, ct)).GetArrayLength());
        Assert.False((await browser.EvaluateAsync("window.sent.some(s => s.method === 'POST' && s.headers['If-Match'])", ct)).GetValue<bool>());

        // Confirmed: sent again with If-Match of revision 2, and stored as revision 3 with the workbook's figure.
        await browser.ClickAsync("#overwrite", ct);
        await browser.WaitForAsync("document.querySelector('#status').textContent.includes('第 3 版')", ct);
        Assert.True((await browser.EvaluateAsync("window.sent.some(s => s.method === 'POST' && s.url === '/v1/submissions' && s.headers['If-Match'] === '\"2\"')", ct)).GetValue<bool>());
        var items = await RevisionsAsync(admin, town, ct);
        Assert.Equal(3, items.GetArrayLength());
        var latest = await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{items[2].GetProperty("id").GetString()}", ct);
        Assert.Equal(125m, latest.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "12.2").GetProperty("value").GetDecimal());
    }
}
