using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 年报正文数据: the district office drafts the annual report's sentences that quote the district table from the table itself,
/// so that the report's text and its appended table give the same figures; a blank (not reported) figure is left out, never
/// written as 0. With the seed's district table, the draft says what the seed's own report says (80 staff, 32 full-time, 48
/// part-time; no fee). Headless Chromium against the real service.
/// </summary>
public sealed class ReportTextBrowserTests
{
    private const string AdminKey = "report-text-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    [Fact]
    public Task The_Draft_Quotes_The_District_Table_And_Leaves_Blank_Figures_Out() =>
        Browser.RunPageTestAsync("report-text", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "yicheng", name = "峄城区人民政府", kind = "government" }, ct)).StatusCode);
            var seed = await admin.PostAsJsonAsync("/v1/submissions", new
            {
                reporter = "yicheng", period = "2014", catalogue = Catalogue,
                values = SeedTable.Values.Where(v => v.Value is not null).Select(v => new { code = v.Key, value = v.Value }).ToArray(),
            }, ct);
            Assert.True(seed.StatusCode == HttpStatusCode.Created, await seed.Content.ReadAsStringAsync(ct));

            await browser.SignInAsync(service.BaseAddress, AdminKey, ct);
            await browser.WaitForAsync("document.querySelector('#open')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#reportText')", ct);
            await browser.ClickAsync("#reportText", ct);
            await browser.WaitForAsync("!document.querySelector('#reportTextBox').hidden && document.querySelector('#reportTextArea').value.length > 0", ct);
            var draft = (await browser.EvaluateAsync("document.querySelector('#reportTextArea').value", ct)).GetValue<string>();

            Assert.StartsWith("（草稿）以下数字取自“政府信息公开工作情况统计表（2014年版）”2014年全区汇总表（已报 1/1 个单位；统计期尚未关闭", draft);
            Assert.Contains("2014年，全区主动公开政府信息11841条，其中主动公开规范性文件3条。制发规范性文件3件。", draft);
            Assert.Contains("按公开渠道分，政府网站公开9876条，政务微博公开1369条，政务微信公开17条，其他方式公开579条。", draft);
            // 传真申请 is blank in the seed: left out, not written as 0.
            Assert.Contains("全年共收到政府信息公开申请60件，其中当面申请52件，网络申请5件，信函申请1件，其他形式申请2件。", draft);
            Assert.DoesNotContain("传真", draft);
            // 参加或举办新闻发布会 is blank: the sentence starts with the next part.
            Assert.Contains("回应解读方面，政府网站在线访谈17次，发布政策解读稿件27篇，", draft);
            // Zeros are figures, and are written.
            Assert.Contains("涉及政府信息公开，行政复议0件，行政诉讼0件，被举报投诉0件。", draft);
            Assert.Contains("全区从事政府信息公开工作人员80人，其中专职人员32人，兼职人员48人。依申请公开信息收取费用0万元。", draft);

            // The annual report quotes a year: a quarter's table offers no draft (it would say “2014Q3年” and 全年).
            await browser.TypeAsync("#period", "2014Q3", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#districtTable') && !document.querySelector('#reportTextArea').value", ct);
            Assert.False((await browser.EvaluateAsync("document.querySelector('#reportText') !== null", ct)).GetValue<bool>());
        });
}

/// <summary>Every cell the page's report sentences quote (REPORT_TEXT in app.js) is a cell of its edition: a misspelt code would drop its clause unseen.</summary>
public sealed class ReportTextCodesTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Every_Quoted_Cell_Exists_In_Its_Catalogue()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "app.js"), Ct);
        var block = page[page.IndexOf("const REPORT_TEXT = {", StringComparison.Ordinal)..page.IndexOf("function reportText(", StringComparison.Ordinal)];
        var editions = System.Text.RegularExpressions.Regex.Split(block, @"'(gov-info-disclosure-[\w-]+)': \[");
        Assert.True(editions.Length >= 5, "two editions' sentences are expected");
        for (var i = 1; i < editions.Length; i += 2)
        {
            var cells = (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/catalogues/{editions[i]}", Ct)).GetProperty("cells")
                .EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToHashSet();
            var quoted = System.Text.RegularExpressions.Regex.Matches(editions[i + 1], @"\{([\w.:+]+)\}").SelectMany(m => m.Groups[1].Value.Split('+')).Where(c => c != "y").ToList();
            Assert.NotEmpty(quoted);
            Assert.All(quoted, code => Assert.True(cells.Contains(code), $"{editions[i]} has no cell {code}"));
        }
    }
}
