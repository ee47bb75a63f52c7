using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The district office entering many reporters' tables at once: it downloads 分单位填报模板, fills two reporters' columns
/// (one with a broken sum, headed by its name), is told which id cells to mend first, uploads it with 来件时间, sees which columns changed and what the check finds in them (the broken
/// sum, a figure far from last year) before anything is stored, and submits them: the good one is stored
/// with its sent time, the broken one is refused in Chinese, the unchanged one is not submitted again. Headless Chromium
/// against the real service.
/// </summary>
public sealed class ManyReportersBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "many-reporters-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Office_Fills_The_Template_Of_Every_Reporter_And_Submits_The_Changed_Columns_One_By_One() =>
        Browser.RunPageTestAsync("many-reporters", AdminKey, Budget, RunAsync);

    /// <summary>
    /// A column whose 上年结转 is not what the town's own table of last year carried forward: the check shows the warning in
    /// the town's row, and the summary line above the table counts it, as it counts every other warning shown.
    /// </summary>
    [Fact]
    public Task The_Summary_Of_The_Check_Counts_A_Balance_Carried_In_Not_As_Last_Year_Carried_Forward() =>
        Browser.RunPageTestAsync("many-reporters-carried", AdminKey, Budget, async (service, browser, ct) =>
        {
            const string catalogue = "gov-info-disclosure-2021";
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, ct)).StatusCode);
            // 2021 carries 5 forward; the 2022 column pasted in carries 4 in.
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "gushao-town", period = "2021", catalogue,
                values = new[] { new { code = "3.1:natural", value = 10 }, new { code = "3.3.1:natural", value = 5 }, new { code = "3.4:natural", value = 5 } },
            }, ct)).StatusCode);
            var template = await admin.GetByteArrayAsync($"/v1/templates/{catalogue}/2022/reporters", ct);
            var filled = ReportersWorkbookTests.Fill(template, "gushao-town", new Dictionary<string, string?> { ["3.2:natural"] = "4", ["3.3.1:natural"] = "4" });
            var folder = Directory.CreateTempSubdirectory("disclosure-many-carried-").FullName;
            try
            {
                var upload = Path.Combine(folder, "filled.xlsx");
                await File.WriteAllBytesAsync(upload, filled, ct);

                await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
                await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
                await browser.SelectAsync("#catalogue", catalogue, ct);
                await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
                await browser.TypeAsync("#period", "2022", ct);
                await browser.ClickAsync("#open", ct);
                await browser.WaitForAsync("document.querySelector('#manyUpload')", ct);
                await browser.ChooseFileAsync("#manyUpload", upload, ct);
                await browser.WaitForAsync("document.querySelector('#manyChecked')", ct);

                Assert.NotEqual("", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"gushao-town\"] .verdict .far')?.textContent ?? ''", ct)).GetValue<string>());
                Assert.Equal("有改动的 1 个单位已先试校验：有错误的 0 个，有与上年相差很大的数的 0 个。可先在 Excel 中改好再上传；有错误的报送时会被拒绝。" +
                    "另有 1 个单位的上年结转数与其上年报表的结转下年度数不一致，请核对。",
                    (await browser.EvaluateAsync("document.querySelector('#manyChecked').textContent", ct)).GetValue<string>());
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });

    /// <summary>
    /// The year of the format change: the office keys departments' paper tables, on the old layout, into the 2014 edition's
    /// 分单位填报 for 2019, which the district's 2019 format takes. The workbook says so at its head, and the check says it once
    /// above the columns before anything is stored, where the district table would not read them.
    /// </summary>
    [Fact]
    public Task Columns_Keyed_Into_The_Old_Edition_For_A_Year_A_Later_Format_Takes_Are_Told_So_Before_They_Are_Sent() =>
        Browser.RunPageTestAsync("many-reporters-newer", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            await NewerCatalogueTests.LoadFormatAsync(admin);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "yicheng-police", name = "区公安分局", kind = "department" }, ct)).StatusCode);
            var template = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2019/reporters", ct);
            const string said = "2019年度已改用 2019 年起的新表《区用统计表（2019年格式）》（district-format-2019）填报";
            Assert.Contains(NoteTests.CellTexts(template), t => t.StartsWith("注意：" + said, StringComparison.Ordinal));
            var folder = Directory.CreateTempSubdirectory("disclosure-many-newer-").FullName;
            try
            {
                var upload = Path.Combine(folder, "filled.xlsx");
                await File.WriteAllBytesAsync(upload, ReportersWorkbookTests.Fill(template, "yicheng-police", new Dictionary<string, string?> { ["3.1"] = "7" }), ct);
                await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
                await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
                await browser.SelectAsync("#catalogue", Catalogue, ct);
                await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
                await browser.TypeAsync("#period", "2019", ct);
                await browser.ClickAsync("#open", ct);
                await browser.WaitForAsync("document.querySelector('#manyUpload')", ct);
                await browser.ChooseFileAsync("#manyUpload", upload, ct);
                await browser.WaitForAsync("document.querySelector('#manyChecked')", ct);
                Assert.StartsWith(said, (await browser.EvaluateAsync("document.querySelector('#manyNewer')?.textContent ?? ''", ct)).GetValue<string>(), StringComparison.Ordinal);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });

    /// <summary>
    /// 下载未报单位的模板: beside the whole workbook, while some reporters have not reported, the overview offers the workbook
    /// of those alone (their number on the button, in English after the switch); it has their columns and no other, and it
    /// is gone once every one has reported.
    /// </summary>
    [Fact]
    public Task The_Overview_Offers_The_Template_Of_The_Reporters_Not_Reported_While_There_Are_Some() =>
        Browser.RunPageTestAsync("many-reporters-missing", AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var (id, name, kind) in new[] { ("done-town", "已报镇", "town"), ("late-town", "迟报镇", "town"), ("late-bureau", "迟报局", "department") })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
            var seed = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }).ToArray();
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = "done-town", period = "2014", catalogue = Catalogue, values = seed }, ct)).StatusCode);

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#manyTemplate')", ct);
            Assert.Equal("下载未报单位的模板（2 个）", (await browser.EvaluateAsync("document.querySelector('#manyTemplateMissing')?.textContent ?? ''", ct)).GetValue<string>());

            var folder = Directory.CreateTempSubdirectory("disclosure-many-missing-").FullName;
            try
            {
                await browser.AllowDownloadsAsync(folder, ct);
                await browser.ClickAsync("#manyTemplateMissing", ct);
                var file = Path.Combine(folder, "2014年度政府信息公开工作情况统计表-分单位填报模板-未报单位.xlsx");
                while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);
                var ids = ReportersWorkbookTests.Rows(await File.ReadAllBytesAsync(file, ct)).Single(r => r.ContainsValue("填报单位代码 reporter")).Values
                    .Where(v => v != "填报单位代码 reporter").Order(StringComparer.Ordinal);
                Assert.Equal(["late-bureau", "late-town"], ids);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            await browser.ClickAsync("#lang", ct);
            await browser.WaitForAsync("document.querySelector('#manyTemplateMissing')?.textContent === 'Download the template of the 2 not reported'", ct);

            // Every one reported: the overview read again offers the whole workbook alone.
            foreach (var reporter in new[] { "late-town", "late-bureau" })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter, period = "2014", catalogue = Catalogue, values = seed }, ct)).StatusCode);
            await browser.ClickAsync("#refreshOverview", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"late-town\"]')?.dataset.status !== 'notSubmitted' && !!document.querySelector('#manyTemplate')", ct);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#manyTemplateMissing')", ct)).GetValue<bool>());
        });

    /// <summary>The workbook with <paramref name="from"/>'s column headed by another id (row 6, where the ids stand).</summary>
    private static byte[] Reassign(byte[] workbook, string from, string to)
    {
        var reference = $"{ReportersWorkbookTests.ColumnOf(workbook, from)}6";
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == Disclosure.Api.Features.Templates.ReportersWorkbook.SheetName);
            var cell = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>()
                .Single(c => c.CellReference!.Value == reference);
            cell.CellValue = null;
            cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString;
            cell.InlineString = new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(to));
            doc.Save();
        }
        return stream.ToArray();
    }

    private static async Task<JsonElement> RevisionsAsync(HttpClient admin, string reporter, CancellationToken ct) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items");

    private static async Task RunAsync(ServiceProcess service, Browser browser, CancellationToken ct)
    {
        var admin = service.Client(AdminKey);
        foreach (var (id, name, kind) in new[] { ("reported-town", "已报镇", "town"), ("new-bureau", "新录局", "department"), ("broken-town", "填错镇", "town"), ("spare-town", "备用镇", "town") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, ct)).StatusCode);
        var seed = SeedTable.Values.Select(v => new { code = v.Key, value = v.Value }).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = "reported-town", period = "2014", catalogue = Catalogue, values = seed }, ct)).StatusCode);
        // The bureau's first figures of 2014, with its 填报说明, which its next revision keeps.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = "new-bureau", period = "2014", catalogue = Catalogue, note = "网站改版。", values = new[] { new { code = "1.2.1", value = 9000 } } }, ct)).StatusCode);
        // The bureau's last year, against which its 9876 of 1.2.1 is far (ten times).
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = "new-bureau", period = "2013", catalogue = Catalogue, values = new[] { new { code = "1.2.1", value = 987 } } }, ct)).StatusCode);
        // And its four quarters of 2014, whose 1.2.1 add up to 9600, not the 9876 its year will give.
        for (var q = 1; q <= 4; q++)
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new { reporter = "new-bureau", period = $"2014Q{q}", catalogue = Catalogue, values = new[] { new { code = "1.2.1", value = 2400 } } }, ct)).StatusCode);

        await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
        await browser.WaitForAsync("document.querySelector('#catalogue')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#manyTemplate')?.textContent === '下载分单位填报模板'", ct);

        var folder = Directory.CreateTempSubdirectory("disclosure-many-").FullName;
        try
        {
            await browser.AllowDownloadsAsync(folder, ct);
            await browser.ClickAsync("#manyTemplate", ct);
            var file = Path.Combine(folder, "2014年度政府信息公开工作情况统计表-分单位填报模板.xlsx");
            while (!File.Exists(file) || Directory.EnumerateFiles(folder, "*.crdownload").Any()) await Task.Delay(100, ct);

            // The officer pastes the bureau's whole column, and for the town a part above its whole (3.1.1 61 of 3.1 60).
            var template = await File.ReadAllBytesAsync(file, ct);
            var filled = ReportersWorkbookTests.Fill(template, "new-bureau", SeedTable.Values.ToDictionary(v => v.Key, v => v.Value?.ToString(CultureInfo.InvariantCulture)));
            filled = ReportersWorkbookTests.Fill(filled, "broken-town", new Dictionary<string, string?> { ["3.1"] = "60", ["3.1.1"] = "61" });
            // A column pasted under an id that no reporter has (a typo in the heading), and another reporter's id pasted over
            // the bureau's as well: the workbook is refused before anything is read, each id cell named in Chinese.
            var spare = ReportersWorkbookTests.ColumnOf(filled, "spare-town");
            var bureauColumn = ReportersWorkbookTests.ColumnOf(filled, "new-bureau");
            var typo = Reassign(Reassign(ReportersWorkbookTests.Fill(filled, "spare-town", new Dictionary<string, string?> { ["2.1"] = "3" }), "spare-town", "nobody-town"), "new-bureau", "reported-town");
            var refusedUpload = Path.Combine(folder, "typo.xlsx");
            await File.WriteAllBytesAsync(refusedUpload, typo, ct);
            await browser.ChooseFileAsync("#manyUpload", refusedUpload, ct);
            await browser.WaitForAsync("document.querySelector('#manyResult ul.missing')", ct);
            Assert.Equal("上传的 Excel 有 3 处需要改正，改好后请重新上传（什么也没有保存）：", (await browser.EvaluateAsync("document.querySelector('#manyResult p').textContent", ct)).GetValue<string>());
            var mend = (await browser.EvaluateAsync("[...document.querySelectorAll('#manyResult li')].map(li => li.textContent)", ct)).AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Contains(mend, m => m.StartsWith($"工作表“分单位填报”{spare}6 格（填报单位代码）填的是“nobody-town”，既不是已登记填报单位的代码，也不是其名称", StringComparison.Ordinal));
            Assert.Contains(mend, m => m.StartsWith($"工作表“分单位填报”{bureauColumn}6 格（填报单位代码）与 ", StringComparison.Ordinal) && m.Contains("同一个填报单位 reported-town（已报镇）", StringComparison.Ordinal));
            Assert.Equal(3, mend.Count);
            Assert.False((await browser.EvaluateAsync("!!document.querySelector('#manyTable')", ct)).GetValue<bool>());

            // Mended, and the town's column headed by its name, as a clerk types it: read as the town.
            filled = Reassign(filled, "broken-town", " 填错镇 ");
            var upload = Path.Combine(folder, "filled.xlsx");
            await File.WriteAllBytesAsync(upload, filled, ct);

            // Sent three days ago, as the e-mails were.
            await browser.EvaluateAsync("(() => { const d = new Date(Date.now() - 3 * 864e5); d.setSeconds(0, 0); " +
                "document.querySelector('#manySentAt').value = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); window.sentTime = d.toISOString(); })()", ct);
            await browser.ChooseFileAsync("#manyUpload", upload, ct);
            await browser.WaitForAsync("document.querySelector('#manyTable')", ct);
            var summary = (await browser.EvaluateAsync("document.querySelector('#manyResult p').textContent", ct)).GetValue<string>();
            Assert.Equal("共 4 个单位：有改动 2 个，与现有修订相同 1 个，空白 1 个。", summary);
            Assert.Equal("空白，不报送", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"spare-town\"] .outcome').textContent", ct)).GetValue<string>());
            Assert.Equal("与现有修订相同，不报送", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"reported-town\"] .outcome').textContent", ct)).GetValue<string>());
            Assert.Equal("报送有改动的 2 个单位", (await browser.EvaluateAsync("document.querySelector('#manySubmit').textContent", ct)).GetValue<string>());
            // Each changed column was judged first: the town's error and the bureau's figure far from its last year are said
            // before anything is submitted, so that the sheet can be mended.
            var checkedText = (await browser.EvaluateAsync("document.querySelector('#manyChecked').textContent", ct)).GetValue<string>();
            Assert.StartsWith("有改动的 2 个单位已先试校验：有错误的 1 个，有与上年相差很大的数的 1 个。", checkedText);
            Assert.EndsWith("另有 1 个单位的年报数与其四个季度季报不一致，请核对。", checkedText);
            var bureau = (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"new-bureau\"] .verdict').textContent", ct)).GetValue<string>();
            Assert.StartsWith("校验通过 ", bureau);
            Assert.Contains("1.2.1 1、政府网站公开政府信息数为 9876，2013年为 987，相差五倍以上", bureau);
            Assert.Contains("1.2.1 1、政府网站公开政府信息数年报为 9876，2014年四个季度季报合计为 9600", bureau);
            // The error in red, the far figure in orange.
            Assert.Contains("3.1", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"broken-town\"] .verdict .missing')?.textContent ?? ''", ct)).GetValue<string>());
            Assert.Contains("2013年为 987", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"new-bureau\"] .verdict .far')?.textContent ?? ''", ct)).GetValue<string>());
            Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"reported-town\"] .verdict').textContent", ct)).GetValue<string>());
            // Read, not stored.
            Assert.Equal(1, (await RevisionsAsync(admin, "new-bureau", ct)).GetArrayLength());

            await browser.ClickAsync("#manySubmit", ct);
            await browser.WaitForAsync("document.querySelector('#manyRefresh')", ct);
            Assert.Equal("已保存（第 2 次修订）", (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"new-bureau\"] .outcome').textContent", ct)).GetValue<string>());
            var refused = (await browser.EvaluateAsync("document.querySelector('#manyTable tr[data-reporter=\"broken-town\"] .outcome').textContent", ct)).GetValue<string>();
            Assert.Contains("3.1", refused);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", refused);
            Assert.Equal("分单位报送：保存 1 个，未保存 1 个（见表中说明）。", (await browser.EvaluateAsync("document.querySelector('#status').textContent", ct)).GetValue<string>());

            var stored = await RevisionsAsync(admin, "new-bureau", ct);
            Assert.Equal(2, stored.GetArrayLength());
            var sentTime = DateTimeOffset.Parse((await browser.EvaluateAsync("window.sentTime", ct)).GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.Equal(sentTime, stored[1].GetProperty("sentAt").GetDateTimeOffset());
            var second = await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{stored[1].GetProperty("id").GetString()}", ct);
            Assert.Equal("网站改版。", second.GetProperty("note").GetString());
            Assert.Equal(0, (await RevisionsAsync(admin, "broken-town", ct)).GetArrayLength());
            Assert.Equal(1, (await RevisionsAsync(admin, "reported-town", ct)).GetArrayLength());

            // 刷新报送情况: the bureau now stands reported in the overview.
            await browser.ClickAsync("#manyRefresh", ct);
            await browser.WaitForAsync("document.querySelector('#overview tr[data-reporter=\"new-bureau\"]')?.dataset.status !== 'notSubmitted' && !document.querySelector('#manyTable')", ct);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
