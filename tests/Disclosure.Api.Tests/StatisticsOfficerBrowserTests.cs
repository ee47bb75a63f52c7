using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A town's statistics officer playing a year in the browser (QA32): a returned table corrected, periods written as people
/// write them, the 我的报表 list on a 1366×768 laptop, workbooks that are not what the page expects. Headless Chromium
/// against the real service.
/// </summary>
public sealed class StatisticsOfficerBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "statistics-officer-admin-key-0123";
    private const string Catalogue = "gov-info-disclosure-2014";

    /// <summary>A town registered as 黄庄镇 with a reporter key, its page signed in by the sign-in link; the steps get the town and its key.</summary>
    private static Task RunAsync(string name, Func<ServiceProcess, Browser, string, string, CancellationToken, Task> steps, Func<ServiceProcess, string, CancellationToken, Task>? before = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Browser.RunPageTestAsync(name, AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var town = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "黄庄镇", kind = "town" }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, label = "李娟" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            if (before is not null) await before(service, town, ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#open') && document.querySelector('#who').textContent.includes('黄庄镇')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await steps(service, browser, town, key, ct);
        }, environment: environment);

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();

    private static async Task OpenFormAsync(Browser browser, string period, CancellationToken ct)
    {
        await browser.TypeAsync("#period", period, ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync($"document.querySelector('#formTitle')?.dataset.period === '{period}' && document.querySelector('#entry input[name=\"3.1\"]')", ct);
    }

    [Fact]
    public Task A_Returned_Table_Opens_With_Its_Derived_Sum_Blank_And_A_Corrected_Part_Is_Not_Refused_For_It() =>
        RunAsync("derived-reopened", async (service, browser, town, key, ct) =>
        {
            await OpenFormAsync(browser, "2016Q4", ct);
            // The sum she left blank opens blank again, the service's figure shown as its hint, as on the form she first filled in.
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.1\"]').placeholder === '3'", ct);
            Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"3.1\"]').value", ct)).GetValue<string>());

            await browser.TypeAsync("#entry input[name=\"3.1.1\"]", "5", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.1\"]').placeholder === '7' && document.querySelector('#verdict').className === 'ok'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 2 版')", ct);
            var latest = (await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2016Q4", ct))
                .GetProperty("items").EnumerateArray().Last().GetProperty("id").GetString();
            var stored = await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions/{latest}", ct);
            Assert.Contains("3.1", stored.GetProperty("derived").EnumerateArray().Select(d => d.GetString()));
        }, before: async (service, town, ct) =>
        {
            var admin = service.Client(AdminKey);
            var sent = await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = town, period = "2016Q4", catalogue = Catalogue, values = new[] { new { code = "3.1.1", value = 1 }, new { code = "3.1.2", value = 2 } },
            }, ct);
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            var id = (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "请核实 3.1.1。" }, ct)).StatusCode);
        });

    [Fact]
    public Task A_Quarter_Written_As_People_Shorten_It_Opens_That_Quarter_And_Text_That_Is_No_Period_Is_Said_To_Be_None() =>
        RunAsync("typed-quarters", async (service, browser, town, key, ct) =>
        {
            foreach (var (typed, period) in new[] { ("2016年1季度", "2016Q1"), ("2016年一季度", "2016Q1"), ("2016-Q3", "2016Q3"), ("2016 Q2", "2016Q2"), ("2016年第4季度", "2016Q4") })
            {
                await browser.TypeAsync("#period", typed, ct);
                await browser.ClickAsync("#open", ct);
                await browser.WaitForAsync($"document.querySelector('#formTitle')?.dataset.period === '{period}' && document.querySelector('#entry input[name=\"3.1\"]')", ct);
            }

            // Text that is no period is said to be none, not a period the table lacks; the examples are years the table has.
            await browser.TypeAsync("#period", "2016.3", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("!document.querySelector('#formTitle') && document.querySelector('#view').textContent.includes('2016.3')", ct);
            Assert.Equal("“2016.3”不是能识别的统计期：请填年份（如 2020、2020年）或季度（如 2020Q3、2020年第三季度）。", await TextAsync(browser, "#view", ct));

            // The 2021 edition has no 2016: the example lies within its own years.
            await browser.SelectAsync("#catalogue", "gov-info-disclosure-2021", ct);
            await browser.TypeAsync("#period", "2016", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("!document.querySelector('#formTitle') && document.querySelector('#view').textContent.includes('没有统计期')", ct);
            var example = Math.Max(2021, DateTime.Now.Year - 1);
            var said = await TextAsync(browser, "#view", ct);
            Assert.Contains($"没有统计期“2016”：请填 2021 年及以后的年份（如 {example}）", said, StringComparison.Ordinal);
            Assert.DoesNotContain("2014", said, StringComparison.Ordinal);
        });

    /// <summary>Whether every 填报/更正/查看 link of 我的报表 lies within the window and within the visible part of the table's scroll region.</summary>
    private const string ActionsVisible = """
        [...document.querySelectorAll('#myPeriods a[data-open]')].every(a => {
          const r = a.getBoundingClientRect(), region = a.closest('.scroll').getBoundingClientRect();
          return r.width > 0 && r.right <= Math.min(window.innerWidth, region.right) + 0.5;
        })
        """;

    [Fact]
    public Task At_1366_By_768_The_Action_Links_Of_My_Tables_Are_On_The_Screen_In_Both_Languages() =>
        RunAsync("mine-1366", async (service, browser, town, key, ct) =>
        {
            await browser.WaitForAsync("document.querySelectorAll('#myPeriods a[data-open]').length === 5", ct);
            Assert.Equal((1366, 768), ((await browser.EvaluateAsync("window.outerWidth", ct)).GetValue<int>(), (await browser.EvaluateAsync("window.outerHeight", ct)).GetValue<int>()));
            Assert.True((await browser.EvaluateAsync(ActionsVisible, ct)).GetValue<bool>(), "a 填报 link of 我的报表 is off the screen (Chinese)");
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#lang').textContent === '中文' && document.querySelectorAll('#myPeriods a[data-open]').length === 5", ct);
            Assert.True((await browser.EvaluateAsync(ActionsVisible, ct)).GetValue<bool>(), "an action link of My tables is off the screen (English)");
        }, before: async (service, town, ct) =>
        {
            // 2016 and its quarters set up with deadlines long past; Q1 and Q2 keyed in by the office, Q2 returned with a reason.
            var admin = service.Client(AdminKey);
            foreach (var (period, deadline) in new[] { ("2016", "2017-01-31T17:00:00+08:00"), ("2016Q1", "2016-04-15T17:00:00+08:00"), ("2016Q2", "2016-07-15T17:00:00+08:00"),
                         ("2016Q3", "2016-10-15T17:00:00+08:00"), ("2016Q4", "2017-01-15T17:00:00+08:00") })
                Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/v1/periods/{Catalogue}/{period}", new { deadline = DateTimeOffset.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture) }, ct)).StatusCode);
            string? id = null;
            foreach (var period in new[] { "2016Q1", "2016Q2" })
            {
                var sent = await admin.PostAsJsonAsync("/v1/submissions", new { reporter = town, period, catalogue = Catalogue, values = new[] { new { code = "13.1", value = 1 } } }, ct);
                Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
                id = (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString();
            }
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "13.1 与上季度相差较大，请核实后重新报送。" }, ct)).StatusCode);
        });

    /// <summary>The file chosen under 上传填好的 Excel as <paramref name="name"/>, and what the page then says beside it (waited for until it is no longer 正在上传).</summary>
    private static async Task<string> UploadAsync(Browser browser, string name, byte[] bytes, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"officer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        try
        {
            await File.WriteAllBytesAsync(file, bytes, ct);
            await browser.EvaluateAsync("document.querySelector('#uploadResult').textContent = ''", ct);
            await browser.ChooseFileAsync("#upload", file, ct);
            await browser.WaitForAsync("document.querySelector('#uploadResult').textContent !== '' && !/正在上传|Uploading/.test(document.querySelector('#uploadResult').textContent)", ct);
            return await TextAsync(browser, "#uploadResult", ct);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The template with its sheet 填报表 renamed, as a person might rename it in Excel.</summary>
    private static byte[] Renamed(byte[] template, string name)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true))
        {
            doc.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == Features.Templates.SubmissionWorkbook.SheetName).Name = name;
            doc.Save();
        }
        return stream.ToArray();
    }

    [Fact]
    public Task A_Workbooks_Errors_Are_Shown_In_The_Pages_Language_Only_And_A_File_That_Is_No_Xlsx_Is_Refused_In_Chinese() =>
        RunAsync("upload-chinese", async (service, browser, town, key, ct) =>
        {
            await OpenFormAsync(browser, "2016Q2", ct);
            var template = await service.Client(AdminKey).GetByteArrayAsync($"/v1/templates/{Catalogue}/2016Q2?reporter={town}", ct);

            // A cell that is no number, two of them, a renamed sheet: the Chinese half alone.
            var one = await UploadAsync(browser, "q2.xlsx", WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = "—" }, asText: true), ct);
            Assert.Contains("不是数字", one, StringComparison.Ordinal);
            var two = await UploadAsync(browser, "q2.xlsx", WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = "—", ["12.2"] = "三十" }, asText: true), ct);
            Assert.Contains("三十", two, StringComparison.Ordinal);
            var renamed = await UploadAsync(browser, "q2.xlsx", Renamed(template, "Sheet1"), ct);
            Assert.Contains("工作簿中没有名为“填报表”的工作表", renamed, StringComparison.Ordinal);
            // A text file named .xlsx reaches the service, which says to save it as .xlsx; its reader's own words are not shown.
            var csv = await UploadAsync(browser, "t.xlsx", "代码,填报数\n1.1,5\n"u8.ToArray(), ct);
            Assert.Contains("另存为” .xlsx", csv, StringComparison.Ordinal);
            foreach (var said in new[] { one, two, renamed, csv })
                Assert.DoesNotMatch("Sheet |The workbook|The body|cell [A-Z]+[0-9]|Central Directory", said);

            // An old .xls is not sent at all: the page says to save it as .xlsx.
            var xls = new byte[4096];
            new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(xls, 0);
            Assert.Equal("“old.xls”不是 Excel 工作簿（.xlsx），没有上传：旧版 .xls、WPS 的 .et 或 .csv 文件，请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再上传。",
                await UploadAsync(browser, "old.xls", xls, ct));

            // In English, the English half.
            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#lang').textContent === '中文' && document.querySelector('#formTitle')", ct);
            var english = await UploadAsync(browser, "q2.xlsx", WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["13.1"] = "—" }, asText: true), ct);
            Assert.Contains("which is not a number", english, StringComparison.Ordinal);
            Assert.DoesNotContain("不是数字", english, StringComparison.Ordinal);
            Assert.Equal(0, (await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={town}&catalogue={Catalogue}&period=2016Q2", ct)).GetProperty("items").GetArrayLength());
        });

    [Fact]
    public Task A_Reporters_Own_Workbook_Over_1_MiB_Is_Told_To_Take_Out_A_Pasted_Picture_Not_About_The_Offices_Workbook() =>
        RunAsync("upload-too-large", async (service, browser, town, key, ct) =>
        {
            await OpenFormAsync(browser, "2016Q3", ct);
            var said = await UploadAsync(browser, "q3.xlsx", new byte[1_500_000], ct);
            Assert.Contains("文件太大（超过 1 MB），没有保存", said, StringComparison.Ordinal);
            Assert.Contains("图片", said, StringComparison.Ordinal);
            Assert.DoesNotContain("分单位", said, StringComparison.Ordinal);
        });

    [Fact]
    public Task A_Page_Signed_In_By_Link_Opens_Its_Lock_With_The_Link_Pasted_Or_Opened_Again_Keeping_What_Was_Typed() =>
        RunAsync("lock-link", async (service, browser, town, key, ct) =>
        {
            var link = $"{service.BaseAddress}#key={Uri.EscapeDataString(key)}";
            await OpenFormAsync(browser, "2016Q3", ct);
            await browser.TypeAsync("#entry input[name=\"13.1\"]", "77", ct);

            // Locked: the box asks for the key or the sign-in link, and the link pasted opens it.
            await browser.WaitForAsync("!!document.querySelector('#lock')", ct);
            Assert.Equal("API 密钥或登录链接", (await browser.EvaluateAsync("document.querySelector('label:has(#lockKey)').textContent.trim()", ct)).GetValue<string>());
            Assert.Contains("登录链接", await TextAsync(browser, "#lock p", ct), StringComparison.Ordinal);
            await browser.TypeAsync("#lockKey", link, ct);
            await browser.ClickAsync("#lock button[type=submit]", ct);
            await browser.WaitForAsync("!document.querySelector('#lock') && !document.querySelector('#app').inert", ct);
            Assert.Equal("77", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"13.1\"]').value", ct)).GetValue<string>());

            // Locked again, the link opened in the same tab opens it in place: the form is not drawn again from the start.
            await browser.EvaluateAsync("document.querySelector('#entry').dataset.kept = 'yes'", ct);
            await browser.WaitForAsync("!!document.querySelector('#lock')", ct);
            await browser.EvaluateAsync($"location.hash = {JsonSerializer.Serialize($"#key={Uri.EscapeDataString(key)}")}", ct);
            await browser.WaitForAsync("!document.querySelector('#lock') && !document.querySelector('#app').inert", ct);
            Assert.Equal(("77", "yes"), ((await browser.EvaluateAsync("document.querySelector('#entry input[name=\"13.1\"]').value", ct)).GetValue<string>(),
                (await browser.EvaluateAsync("document.querySelector('#entry').dataset.kept", ct)).GetValue<string>()));
            Assert.Equal("", (await browser.EvaluateAsync("location.hash", ct)).GetValue<string>());
        }, environment: new Dictionary<string, string> { ["Pages__LockAfterIdleSeconds"] = "6" });
}
