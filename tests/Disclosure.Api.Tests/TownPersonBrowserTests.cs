using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A town's statistics officer in the browser, doing what people do: numbers typed as they write them (11,841, full-width
/// digits), a word where a number belongs, an Excel workbook with an error sent, mended and sent again from the same file,
/// the period closed under them, the network gone. Headless Chromium against the real service.
/// </summary>
public sealed class TownPersonBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(240);
    private const string AdminKey = "town-person-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";

    private static Dictionary<string, decimal> Seed() => SeedTable.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.Value);

    private static Task RunAsync(string name, Func<ServiceProcess, Browser, string, CancellationToken, Task> steps, bool signIn = true) =>
        Browser.RunPageTestAsync(name, AdminKey, Budget, async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var reporter = $"town-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "填报测试镇", kind = "town" }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, label = "填报测试员" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            if (signIn)
            {
                await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
                // The header names the key's holder as the office labelled it, so a shared computer shows whose key the tab holds.
                await browser.WaitForAsync("document.querySelector('#who').textContent === '填报测试镇（填报单位） · 填报测试员' && document.querySelector('#open')", ct);
                await browser.SelectAsync("#catalogue", Catalogue, ct);
                await browser.TypeAsync("#period", "2014", ct);
                await browser.ClickAsync("#open", ct);
                await browser.WaitForAsync("document.querySelector('#entry input[name=\"3.1\"]')", ct);
            }
            await steps(service, browser, reporter, ct);
        });

    private static async Task<JsonElement> RevisionsAsync(ServiceProcess service, string reporter, CancellationToken ct) =>
        (await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={reporter}&catalogue={Catalogue}&period=2014", ct)).GetProperty("items");

    private static async Task<string> TextAsync(Browser browser, string selector, CancellationToken ct) =>
        (await browser.EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? ''", ct)).GetValue<string>();

    [Fact]
    public async Task A_Town_That_Sent_Some_Quarters_Of_A_Year_Sees_The_Year_Is_Not_Yet_Reported_And_Which_Quarters_Are_To_Come()
    {
        await RunAsync("quarters-to-come", async (service, browser, reporter, ct) =>
        {
            var admin = service.Client(AdminKey);
            foreach (var period in new[] { "2013Q1", "2013Q3" })
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", new
                {
                    reporter, period, catalogue = Catalogue, values = new[] { new { code = "13.1", value = 1 } },
                }, ct)).StatusCode);
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            var year = $"#myPeriods tr[data-period=\"{Catalogue}/2013\"]";
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync($"document.querySelector('{year}')", ct);
            var text = await TextAsync(browser, year, ct);
            Assert.Contains("季报未报齐（缺第2、4季度）", text);
            Assert.Contains("据季报（2 个季度）", text);
            // Newest first, a year before its quarters, each period as people read it.
            Assert.Equal("2013年度|2013年第3季度|2013年第1季度", (await browser.EvaluateAsync(
                "[...document.querySelectorAll('#myPeriods tbody tr')].map(r => r.cells[1].textContent).join('|')", ct)).GetValue<string>());
        }, signIn: false);
    }

    [Fact]
    public async Task Numbers_Typed_As_People_Write_Them_Are_Stored_And_A_Word_Is_Marked_At_Its_Cell_And_Stores_Nothing()
    {
        await RunAsync("typed", async (service, browser, reporter, ct) =>
        {
            var seed = Seed();
            foreach (var (code, value) in seed)
            {
                var typed = code switch
                {
                    "1.1" => value.ToString("#,##0", CultureInfo.InvariantCulture), // 11,841
                    "3.1" => string.Concat(value.ToString(CultureInfo.InvariantCulture).Select(c => (char)(c - '0' + '０'))), // full-width, as a Chinese IME types
                    _ => value.ToString(CultureInfo.InvariantCulture),
                };
                await browser.TypeAsync($"#entry input[name=\"{code}\"]", typed, ct);
            }
            Assert.Contains(",", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.1\"]').value", ct)).GetValue<string>());
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);

            // 无 where a number belongs: marked at its cell in Chinese; submitting stores nothing and puts the cursor there.
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "无", ct);
            await browser.WaitForAsync("document.querySelector('td[data-cell=\"1.2.1\"]').classList.contains('bad') && document.querySelector('td[data-cell=\"1.2.1\"] .msg').textContent.includes('不是数字')", ct);
            // A screen reader hears it too: the field is invalid and described by its message.
            Assert.True((await browser.EvaluateAsync("(i => i.getAttribute('aria-invalid') === 'true' && document.getElementById(i.getAttribute('aria-describedby')).textContent.includes('不是数字'))(document.querySelector('#entry input[name=\"1.2.1\"]'))", ct)).GetValue<bool>());
            await browser.EvaluateAsync("document.querySelector('#lang').focus()", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.activeElement?.name === '1.2.1'", ct);
            Assert.Equal(0, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());

            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", seed["1.2.1"].ToString(CultureInfo.InvariantCulture), ct);
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
            // Nothing stored yet: nothing to print.
            Assert.True((await browser.EvaluateAsync("document.querySelector('#printForm').hidden", ct)).GetValue<bool>());
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交')", ct);
            var items = await RevisionsAsync(service, reporter, ct);
            var stored = await service.Client(AdminKey).GetFromJsonAsync<JsonElement>($"/v1/submissions/{items[0].GetProperty("id").GetString()}", ct);
            var values = stored.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!, v => v.GetProperty("value").GetDecimal());
            Assert.Equal(seed["1.1"], values["1.1"]);
            Assert.Equal(seed["3.1"], values["3.1"]);

            // A slip noticed after submitting: corrected in the same form and submitted again, it is revision 2, not a conflict.
            Assert.Contains("#1", await TextAsync(browser, "#revisionList", ct));
            await browser.TypeAsync("#entry input[name=\"13.1\"]", (seed["13.1"] + 1).ToString(CultureInfo.InvariantCulture), ct);
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok' && !document.querySelector('#verdict').textContent.includes('已提交')", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 2 版') && document.querySelector('#revisionList').textContent.includes('#2')", ct);
            Assert.Equal(2, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());

            // The table as stored, on the printed form to stamp (盖章): printed from a frame of the page, the town named as 填报单位.
            await browser.ClickAsync("#printForm", ct);
            await browser.WaitForAsync("document.querySelector('#printFrame')?.contentDocument?.querySelector('.sign')?.textContent.includes('填报单位（盖章）：填报测试镇')", ct);
            Assert.Equal((seed["13.1"] + 1).ToString(CultureInfo.InvariantCulture),
                (await browser.EvaluateAsync("document.querySelector('#printFrame').contentDocument.querySelector('tr[data-code=\"13.1\"] td.n').textContent", ct)).GetValue<string>());
        });
    }

    [Fact]
    public async Task A_2021_Workbook_Sent_From_The_2014_Form_Is_Answered_With_Every_Unreadable_Cell_Then_In_The_2021_Form_Naming_Sheet_And_Cell()
    {
        await RunAsync("upload-2021", async (service, browser, reporter, ct) =>
        {
            var admin = service.Client(AdminKey);
            var template = await admin.GetByteArrayAsync($"/v1/templates/gov-info-disclosure-2021/2021?reporter={reporter}", ct);
            var cells = WorkbookRoundTripTests.NamedCells(template);
            var file = Path.Combine(Path.GetTempPath(), $"{reporter}-2021.xlsx");
            try
            {
                // Two words: both cells named in one answer.
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.FillNamed(template,
                    new Dictionary<string, string?> { ["3.1:natural"] = "五", ["3.1:commercial"] = "十二" }, asText: true), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelectorAll('#uploadResult li').length === 2", ct);
                var said = await TextAsync(browser, "#uploadResult", ct);
                Assert.Contains("2 个格无法读取", said);
                Assert.Contains($"工作表“表3”{cells["3.1:natural"].Cell} 格", said);
                Assert.Contains($"工作表“表3”{cells["3.1:commercial"].Cell} 格", said);

                // Mended, with a total that does not add up: the 2021 form is opened, and its errors name sheet, cell and the printed row and column.
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.FillNamed(template,
                    new Dictionary<string, string?> { ["3.1:natural"] = "5", ["3.1:commercial"] = "1", ["3.1:total"] = "4" }), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync($"document.querySelector('#formTitle')?.textContent.endsWith('· 2021年度') && document.querySelector('#uploadResult li')?.textContent.includes('工作表“表3”{cells["3.1:total"].Cell}〔一、本年新收政府信息公开申请数量 · 总计〕')", ct);
                Assert.Contains("· 2021年度）有", await TextAsync(browser, "#uploadResult p", ct));
                TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("town-upload-2021-errors")}");
            }
            finally
            {
                File.Delete(file);
            }
        });
    }

    [Fact]
    public async Task An_Uploaded_Workbook_Is_Answered_Beside_The_Upload_In_Chinese_And_The_Same_File_Mended_Goes_Again()
    {
        await RunAsync("upload", async (service, browser, reporter, ct) =>
        {
            var admin = service.Client(AdminKey);
            var template = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={reporter}", ct);
            var values = Seed().ToDictionary(v => v.Key, v => (string?)v.Value.ToString(CultureInfo.InvariantCulture));
            var file = Path.Combine(Path.GetTempPath(), $"{reporter}.xlsx");
            try
            {
                // A word in 3.1: the answer is beside the upload field, in Chinese, naming the cell and the indicator.
                var word = new Dictionary<string, string?> { ["3.1"] = "六十" };
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(WorkbookRoundTripTests.Fill(template, values), word, asText: true), ct);
                await browser.SetLatencyAsync(1000, ct); // a slow line: the page says it is working on the file meanwhile
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#uploadResult').textContent.includes('正在上传')", ct);
                await browser.SetLatencyAsync(0, ct);
                await browser.WaitForAsync("document.querySelector('#uploadResult').textContent.includes('不是数字')", ct);
                Assert.Contains("（指标 3.1）", await TextAsync(browser, "#uploadResult", ct));
                TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("town-upload-not-a-number")}");
                Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#upload').value", ct)).GetValue<string>());

                // The same file, mended in Excel but with a sum that does not add up: each error listed there, in Chinese.
                values["3.1"] = (Seed()["3.1"] + 1).ToString(CultureInfo.InvariantCulture);
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, values), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#uploadResult li')?.textContent.includes('3.1 为')", ct);
                Assert.Contains("没有保存", await TextAsync(browser, "#uploadResult", ct));
                TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("town-upload-errors")}");
                Assert.Equal(0, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());

                // Mended again: stored, and the form shows revision 1.
                values["3.1"] = Seed()["3.1"].ToString(CultureInfo.InvariantCulture);
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, values), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#status').textContent.includes('已提交，第 1 版') && document.querySelector('main').textContent.includes('#1')", ct);
                Assert.Equal(1, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());

                // More requests closed than received (a warning): stored as revision 2, and the warning names its cells in the file.
                (values["3.2"], values["3.2.1"]) = (null, (Seed()["3.1"] + 1).ToString(CultureInfo.InvariantCulture));
                var template2 = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={reporter}", ct);
                string RowOf(string code) => WorkbookRoundTripTests.Read(template2).Single(c => c.Key.StartsWith('C') && c.Value == code).Key[1..];
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template2, values), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#status').textContent.includes('已提交，第 2 版') && document.querySelector('#uploadResult li') !== null", ct);
                var warned = await TextAsync(browser, "#uploadResult", ct);
                Assert.Contains("已保存。上传的 Excel 有 1 处需要核对", warned);
                Assert.Contains($"工作表“填报表”E{RowOf("3.2")}", warned);
                Assert.Equal(2, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());

                // Last year's template chosen while this year's form is open: stored for 2013, and the page opens 2013, saying so.
                var lastYear = Path.Combine(Path.GetTempPath(), $"{reporter}-2013.xlsx");
                try
                {
                    var template2013 = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2013?reporter={reporter}", ct);
                    await File.WriteAllBytesAsync(lastYear, WorkbookRoundTripTests.Fill(template2013, values), ct);
                    await browser.ChooseFileAsync("#upload", lastYear, ct);
                    await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2013年度') && document.querySelector('#status').textContent.includes('2013')", ct);
                }
                finally
                {
                    File.Delete(lastYear);
                }

                // A neighbour's filled template (its reporter at the top) is refused, and the town is told why in Chinese.
                var neighbour = $"town-{Guid.NewGuid():N}"[..20];
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = neighbour, name = "邻镇", kind = "town" }, ct)).StatusCode);
                var theirs = Path.Combine(Path.GetTempPath(), $"{neighbour}.xlsx");
                try
                {
                    await File.WriteAllBytesAsync(theirs, WorkbookRoundTripTests.Fill(await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter={neighbour}", ct), values), ct);
                    await browser.ChooseFileAsync("#upload", theirs, ct);
                    await browser.WaitForAsync("document.querySelector('#uploadResult').textContent.includes('别的单位')", ct);
                    Assert.Equal(0, (await RevisionsAsync(service, neighbour, ct)).GetArrayLength());
                }
                finally
                {
                    File.Delete(theirs);
                }

                // The office closes the period: the next upload, a figure changed, is told so in Chinese. (The table as stored,
                // sent again, would be answered that it is revision 2: nothing to refuse.)
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
                values["3.2.1"] = Seed()["3.1"].ToString(CultureInfo.InvariantCulture);
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template2, values), ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#uploadResult').textContent.includes('统计期已关闭')", ct);
                Assert.Equal(2, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());
            }
            finally
            {
                File.Delete(file);
            }
        });
    }

    [Fact]
    public async Task Last_Years_Figures_Stand_Beside_Each_Cell_To_Catch_A_Slipped_Digit()
    {
        await RunAsync("last-year", async (service, browser, reporter, ct) =>
        {
            // The office has no contact for the town yet: its page asks for one.
            Assert.Contains("尚未登记本单位联系人", await TextAsync(browser, "#ownContact", ct));
            // No table for 2013 yet: nothing beside the cells.
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#entry .prev').length", ct)).GetValue<int>());

            var seed = Seed();
            var stored = await service.Client(AdminKey).PostAsJsonAsync("/v1/submissions", new
            {
                reporter, period = "2013", catalogue = Catalogue, values = seed.Select(v => new { code = v.Key, value = v.Value }),
            }, ct);
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);

            await browser.ClickAsync("#open", ct);
            var expected = $"上年 {seed["1.1"]:#,0}";
            await browser.WaitForAsync($"document.querySelector('#entry td[data-cell=\"1.1\"] .prev')?.textContent === {JsonSerializer.Serialize(expected)}", ct);
            // Every figure of last year's table, and no other, stands beside its cell.
            Assert.Equal(seed.Count, (await browser.EvaluateAsync("document.querySelectorAll('#entry .prev').length", ct)).GetValue<int>());
            Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.1\"]').value", ct)).GetValue<string>());
        });
    }

    [Fact]
    public async Task A_Period_Written_As_People_Write_It_Opens_And_One_The_Table_Does_Not_Have_Is_Said_In_Chinese()
    {
        await RunAsync("period", async (service, browser, reporter, ct) =>
        {
            // The tables are offered by their printed titles, not their ids.
            Assert.Equal("政府信息公开工作情况统计表（2014年版）", (await browser.EvaluateAsync("document.querySelector('#catalogue').selectedOptions[0].textContent", ct)).GetValue<string>());

            await browser.TypeAsync("#period", "2030", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#view').textContent.includes('没有统计期“2030”') && !document.querySelector('#entry')", ct);
            Assert.Contains("2008–2020", await TextAsync(browser, "#view", ct));

            await browser.TypeAsync("#period", "２０１３年度", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2013年度') && document.querySelector('#entry input[name=\"1.1\"]')", ct);
            Assert.Equal("2013", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());

            // A quarter as the printed form writes it, by the rule the service reads a workbook's period cell with.
            await browser.TypeAsync("#period", "2013年第三季度", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.textContent.endsWith('· 2013年第3季度') && document.querySelector('#entry input[name=\"1.1\"]')", ct);
            Assert.Equal("2013Q3", (await browser.EvaluateAsync("document.querySelector('#period').value", ct)).GetValue<string>());
        });
    }

    [Fact]
    public async Task A_Sign_In_Link_Whose_Escapes_Were_Mangled_Shows_The_Sign_In_Form_Saying_It_Is_Not_Valid_Not_A_Blank_Page()
    {
        await RunAsync("mangled-link", async (service, browser, reporter, ct) =>
        {
            // Opened in a new tab, the page loads with it; opened again in that tab, only the hash changes.
            foreach (var hash in new[] { "#key=dk_abc%E0%A4%A", "#key=%ZZ" })
            {
                await browser.EvaluateAsync("document.querySelector('#signinError')?.remove()", ct);
                await browser.NavigateAsync($"{service.BaseAddress}{hash}", ct);
                await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('无效') && location.hash === '' && sessionStorage.getItem('key') === null", ct);
            }
        }, signIn: false);
    }

    [Fact]
    public async Task A_Revoked_Sign_In_Link_Says_Why_The_Sign_In_Form_Is_Back()
    {
        await RunAsync("revoked", async (service, browser, reporter, ct) =>
        {
            var admin = service.Client(AdminKey);
            var issued = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{issued.GetProperty("id").GetString()}", ct)).StatusCode);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(issued.GetProperty("key").GetString()!)}", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('已吊销') && document.activeElement?.id === 'keyInput'", ct);

            // A key typed wrong by hand: the same answer.
            await browser.TypeAsync("#keyInput", "dk_typed-wrong-0123456789", ct);
            await browser.ClickAsync("#signin button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('无效')", ct);

            // A key with a character no header can carry: the same answer, not "the server cannot be reached".
            await browser.TypeAsync("#keyInput", "密钥dk_0123456789", ct);
            await browser.ClickAsync("#signin button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')?.textContent.includes('无效') && !document.querySelector('main').textContent.includes('连接不上')", ct);

            // The right key typed with the input method's full-width letters (ｄｋ＿…): read as meant, and signed in.
            var key = (await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
            await browser.TypeAsync("#keyInput", string.Concat(key.Select(c => c is > ' ' and < '\u007f' ? (char)(c - 0x21 + 0xFF01) : c)), ct);
            await browser.ClickAsync("#signin button[type=submit]", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('填报测试镇')", ct);

            // Signed out, the sign-in link opened in the same tab: only the address's #key=… changes, the page is not
            // loaded again; it still signs in, and the key leaves the address bar.
            await browser.ClickAsync("#signout", ct);
            await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('填报测试镇') && !document.querySelector('#keyInput') && location.hash === ''", ct);
        }, signIn: false);
    }

    [Fact]
    public async Task Submitting_Into_A_Closed_Period_Says_It_Is_Closed_Not_That_Someone_Else_Submitted()
    {
        await RunAsync("closed", async (service, browser, reporter, ct) =>
        {
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "3", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
            Assert.Equal(HttpStatusCode.OK, (await service.Client(AdminKey).PostAsync($"/v1/periods/{Catalogue}/2014/close", null, ct)).StatusCode);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('统计期已关闭')", ct);
            Assert.DoesNotContain("别人", await TextAsync(browser, "#verdict", ct));
            Assert.Equal(0, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());
        });
    }

    [Fact]
    public async Task A_Revision_The_District_Office_Corrected_Is_Marked_As_The_Offices_Where_The_Town_And_The_Office_List_Revisions()
    {
        await RunAsync("by-office", async (service, browser, reporter, ct) =>
        {
            // The town submits its table itself: revision 1, not marked.
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "120", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').className === 'ok'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 1 版') && document.querySelector('#revisionList [data-revision=\"1\"]')", ct);
            Assert.DoesNotContain("代填", await TextAsync(browser, "#revisionList", ct));
            var townKey = (await browser.EvaluateAsync("sessionStorage.getItem('key')", ct)).GetValue<string>();

            // The district office corrects it from the overview (更正): its form marks the new revision 2 as the office's at once.
            await SignInAndOpenAsync(service, browser, AdminKey, ct);
            var row = $"#overview tr[data-reporter=\"{reporter}\"]";
            await browser.WaitForAsync($"document.querySelector('{row} [data-fill]')?.textContent === '更正'", ct);
            await browser.ClickAsync($"{row} [data-fill]", ct);
            // The form opens with the town's revision checked (校验通过): the check of the figure typed is waited for as a new verdict.
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '120' && document.querySelector('#behalf') && document.querySelector('#verdict').className === 'ok'", ct);
            await browser.WatchAsync("#verdict", ct);
            await browser.TypeAsync("#entry input[name=\"12.2\"]", "121", ct);
            await browser.WaitForAsync($"{Browser.Rewritten("#verdict")} && document.querySelector('#verdict').className === 'ok'", ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('已提交，第 2 版') && document.querySelector('#revisionList [data-revision=\"2\"]')", ct);
            Assert.EndsWith("（区政务公开办代填）", await TextAsync(browser, "#revisionList [data-revision=\"2\"]", ct));
            Assert.DoesNotContain("代填", await TextAsync(browser, "#revisionList [data-revision=\"1\"]", ct));
            var stored = await RevisionsAsync(service, reporter, ct);
            Assert.Equal(["reporter", "admin"], stored.EnumerateArray().Select(i => i.GetProperty("submittedBy").GetProperty("role").GetString()));

            // The office's own list of the town's revisions (the overview's drill-down) says the same.
            await browser.ClickAsync("#back", ct);
            await browser.WaitForAsync($"document.querySelector('{row} td.n')?.textContent === '2'", ct);
            await browser.ClickAsync($"{row} [data-drill]", ct);
            await browser.WaitForAsync("document.querySelector('#drillRevisions [data-revision=\"2\"]')", ct);
            Assert.EndsWith("（区政务公开办代填）", await TextAsync(browser, "#drillRevisions [data-revision=\"2\"]", ct));
            Assert.DoesNotContain("代填", await TextAsync(browser, "#drillRevisions [data-revision=\"1\"]", ct));

            // The town signs in again and opens its table: the figure it never typed comes with who entered it.
            await browser.NavigateAsync("about:blank", ct);
            await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(townKey)}", ct);
            await browser.WaitForAsync("document.querySelector('#who').textContent.includes('填报测试镇') && document.querySelector('#open')", ct);
            // Its list of tables already says the latest revision is the office's.
            await browser.WaitForAsync($"document.querySelector('#myPeriods tr[data-period=\"{Catalogue}/2014\"]')", ct);
            Assert.Contains("2（区政务公开办代填）", await TextAsync(browser, $"#myPeriods tr[data-period=\"{Catalogue}/2014\"]", ct));
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.ClickAsync("#open", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"12.2\"]')?.value === '121' && document.querySelector('#revisionList [data-revision=\"2\"]')", ct);
            Assert.EndsWith("（区政务公开办代填）", await TextAsync(browser, "#revisionList [data-revision=\"2\"]", ct));
            Assert.DoesNotContain("代填", await TextAsync(browser, "#revisionList [data-revision=\"1\"]", ct));
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync("town-sees-office-correction")}");
        });
    }

    private static async Task SignInAndOpenAsync(ServiceProcess service, Browser browser, string key, CancellationToken ct)
    {
        await browser.NavigateAsync("about:blank", ct); // a sign-in link is followed as a fresh page, not as a jump within this one
        await browser.NavigateAsync($"{service.BaseAddress}#key={Uri.EscapeDataString(key)}", ct);
        await browser.WaitForAsync("document.querySelector('#open')", ct);
        await browser.SelectAsync("#catalogue", Catalogue, ct);
        await browser.TypeAsync("#period", "2014", ct);
        await browser.ClickAsync("#open", ct);
        await browser.WaitForAsync("document.querySelector('#overview')", ct);
    }

    [Fact]
    public async Task Submitting_With_The_Network_Gone_Says_So_Instead_Of_Doing_Nothing()
    {
        await RunAsync("offline", async (service, browser, reporter, ct) =>
        {
            await browser.TypeAsync("#entry input[name=\"1.1\"]", "0", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.length > 0", ct);
            await browser.SetOfflineAsync(true, ct);
            await browser.ClickAsync("#submit", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('连接不上服务器')", ct);
            await browser.SetOfflineAsync(false, ct);
            Assert.Equal(0, (await RevisionsAsync(service, reporter, ct)).GetArrayLength());
        });
    }
}
