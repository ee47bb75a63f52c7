using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A town's 2014 form as a statistics officer meets it without a mouse, and as a clerk hears it with a screen reader: signed in,
/// opened and submitted with Tab and Enter, the focus kept where the person is (提交, the first field in error, the upload field
/// of the form drawn anew) and seen there, each figure's field named so that it is told from the others, with last year's figure.
/// axe (AccessibilityBrowserTests) checks none of these. Headless Chromium against the real service.
/// </summary>
public sealed class KeyboardBrowserTests
{
    private const string AdminKey = "keyboard-browser-admin-key-0123456789";
    private const string Catalogue = "gov-info-disclosure-2014";
    private const string Active = "document.activeElement?.id || document.activeElement?.name || document.activeElement?.tagName";

    [Fact]
    public Task The_Keyboard_Submits_The_Form_And_Uploads_Its_Workbook_Without_Losing_The_Focus()
    {
        var step = "signing in";
        return Browser.RunPageTestAsync("keyboard-submit", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var admin = service.Client(AdminKey);
            var key = await TownAsync(admin, ct);

            await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
            await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
            // A key mistyped: the field has the focus again, marked invalid and described by what was wrong.
            await browser.TypeAsync("#keyInput", key[..^1], ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#signinError')", ct);
            Assert.Equal("keyInput", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
            Assert.Equal("true|signinError", (await browser.EvaluateAsync("document.activeElement.getAttribute('aria-invalid') + '|' + document.activeElement.getAttribute('aria-describedby')", ct)).GetValue<string>());
            await browser.TypeAsync("#keyInput", key, ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#catalogue option[value=\"gov-info-disclosure-2014\"]') && document.querySelector('#minePeriods table, #minePeriods p')", ct);
            // Signed in, the focus is where the page begins, 我的报表, not on the page as a whole (Tab would start from the top).
            Assert.Equal("mineTitle", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());

            step = "opening the form with Enter in 统计期";
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#entry input[name=\"1.1\"]')", ct);

            step = "submitting a part above its whole";
            await browser.TypeAsync("#entry input[name=\"1.1\"]", "5", ct);
            await browser.TypeAsync("#entry input[name=\"1.1.a\"]", "9", ct);
            await browser.TypeAsync("#entry input[name=\"1.2.1\"]", "5", ct);
            await browser.TypeAsync("#note", "口径同上年", ct);
            await browser.PressKeyAsync("Tab", ct);
            Assert.Equal("submit", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
            await browser.PressKeyAsync("Enter", ct);
            // The first field in error takes the focus, and shows it: not the red of every field in error.
            await browser.WaitForAsync("document.activeElement?.name === '1.1.a' && document.activeElement.getAttribute('aria-invalid') === 'true'", ct);
            Assert.Equal("rgb(26, 95, 180)", (await browser.EvaluateAsync("getComputedStyle(document.activeElement).outlineColor", ct)).GetValue<string>());

            step = "submitting the table mended";
            await browser.EvaluateAsync("document.querySelector('#entry input[name=\"1.1.a\"]').value = ''", ct);
            await browser.TypeAsync("#entry input[name=\"1.1.a\"]", "3", ct);
            await browser.TypeAsync("#note", "。", ct);
            await browser.PressKeyAsync("Tab", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#verdict').textContent.includes('第 1 版')", ct);
            // 提交 was disabled while the table was sent: pressed from the keyboard, it has the focus again, not the page.
            Assert.Equal("submit", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());

            step = "uploading the workbook";
            var template = await admin.GetByteArrayAsync($"/v1/templates/{Catalogue}/2014?reporter=keyboard-town", ct);
            var file = Path.Combine(Path.GetTempPath(), $"keyboard-town-{Guid.NewGuid():N}.xlsx");
            try
            {
                await File.WriteAllBytesAsync(file, WorkbookRoundTripTests.Fill(template, new Dictionary<string, string?> { ["1.1"] = "6", ["1.2.1"] = "6" }), ct);
                // Where Tab brings the person to choose the file (the file dialog itself is the system's).
                await browser.EvaluateAsync("document.querySelector('#upload').focus()", ct);
                await browser.ChooseFileAsync("#upload", file, ct);
                await browser.WaitForAsync("document.querySelector('#status').textContent.includes('第 2 版') && document.querySelector('#entry input[name=\"1.1\"]').value === '6'", ct);
                // The form is drawn anew with the revision stored: the focus is in its upload field, not lost to the page.
                Assert.Equal("upload", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());

                // The status bar, read, is put away with Esc as with a tap.
                await browser.PressKeyAsync("Escape", ct);
                Assert.Equal("", (await browser.EvaluateAsync("document.querySelector('#status').textContent", ct)).GetValue<string>());

                step = "signing out from the keyboard";
                await browser.EvaluateAsync("document.querySelector('#signout').focus()", ct);
                await browser.PressKeyAsync("Enter", ct);
                await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
                // The key field has the focus, for the next person to type theirs.
                Assert.Equal("keyInput", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
            }
            finally
            {
                File.Delete(file);
            }
        }, () => step);
    }

    [Fact]
    public Task Each_Field_Is_Named_By_Its_Row_Code_Its_Whole_Where_Names_Repeat_And_Its_Unit_With_Last_Years_Figure()
    {
        return Browser.RunPageTestAsync("keyboard-names", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var key = await TownAsync(service.Client(AdminKey), ct);
            await browser.SignInAsync(service.BaseAddress, key, ct);
            await browser.WaitForAsync("document.querySelector('#catalogue option[value=\"gov-info-disclosure-2014\"]')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2014", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#entry td[data-cell=\"4.2\"] .prev')", ct);

            const string Labels = "[...document.querySelectorAll('#entry input[name]')].map(i => i.getAttribute('aria-label'))";
            var labels = (await browser.EvaluateAsync(Labels, ct)).AsArray().Select(l => l!.GetValue<string>()).ToList();
            Assert.True(labels.Count > 70, $"{labels.Count} fields");
            // （二）被依法纠错数 is a row of 行政复议 and of 行政诉讼: a screen reader landing on either says which.
            Assert.Empty(labels.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key));
            string Label(string code) => labels.Single(l => l.StartsWith(code + " ", StringComparison.Ordinal));
            Assert.Equal("4.2 四、行政复议数量 · （二）被依法纠错数（件）", Label("4.2"));
            Assert.Equal("5.2 五、行政诉讼数量 · （二）被依法纠错数（件）", Label("5.2"));
            Assert.Equal("1.1.a 其中：主动公开规范性文件数（条）", Label("1.1.a"));

            // Last year's figure, seen beside the field, is said with it.
            var described = (await browser.EvaluateAsync("""
                document.querySelector('#entry input[name="4.2"]').getAttribute('aria-describedby').split(' ')
                  .map(id => document.getElementById(id)?.textContent ?? '').join('|')
                """, ct)).GetValue<string>();
            Assert.Contains("上年 3", described);
        });
    }

    [Fact]
    public Task A_Form_Opened_From_My_Tables_Takes_The_Focus_So_That_Tab_Goes_On_Into_It()
    {
        return Browser.RunPageTestAsync("keyboard-open", AdminKey, TimeSpan.FromMinutes(3), async (service, browser, ct) =>
        {
            var key = await TownAsync(service.Client(AdminKey), ct);
            await browser.SignInAsync(service.BaseAddress, key, ct);
            await browser.WaitForAsync("document.querySelector('#myPeriods tr[data-period=\"gov-info-disclosure-2014/2013\"] [data-open]')", ct);
            // Where Tab brings the person: 2013's 填报 in 我的报表, pressed with Enter.
            await browser.EvaluateAsync("document.querySelector('#myPeriods tr[data-period=\"gov-info-disclosure-2014/2013\"] [data-open]').focus()", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#formTitle')?.dataset.period === '2013'", ct);
            Assert.Equal("formTitle", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
            await browser.PressKeyAsync("Tab", ct);
            Assert.Equal("template", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
        });
    }

    [Fact]
    public Task The_Office_Opens_A_Review_And_A_Table_To_Enter_With_The_Keyboard_And_The_Focus_Follows()
    {
        return Browser.RunPageTestAsync("keyboard-office", AdminKey, TimeSpan.FromMinutes(2), async (service, browser, ct) =>
        {
            await TownAsync(service.Client(AdminKey), ct);
            await browser.NavigateAsync(service.BaseAddress.ToString(), ct);
            await browser.WaitForAsync("document.querySelector('#keyInput')", ct);
            await browser.TypeAsync("#keyInput", AdminKey, ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#catalogue option[value=\"gov-info-disclosure-2014\"]')", ct);
            await browser.SelectAsync("#catalogue", Catalogue, ct);
            await browser.EvaluateAsync("document.querySelector('#period').value = ''", ct);
            await browser.TypeAsync("#period", "2013", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#overview [data-drill=\"keyboard-town\"]')", ct);

            // The town's name pressed (where Tab brings the clerk): its revisions and review, at the foot of the page, take the focus.
            await browser.EvaluateAsync("document.querySelector('#overview [data-drill=\"keyboard-town\"]').focus()", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#drill #accept')", ct);
            Assert.True((await browser.EvaluateAsync("document.activeElement === document.querySelector('#drill h2')", ct)).GetValue<bool>(), "the focus is not on the review");

            // 代填 pressed: the form it opens has the focus, and 返回 gives it back to 代填 in the overview drawn anew.
            await browser.EvaluateAsync("document.querySelector('#overview [data-fill=\"keyboard-town\"]').focus()", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#behalf') && document.querySelector('#entry input')", ct);
            Assert.Equal("formTitle", (await browser.EvaluateAsync(Active, ct)).GetValue<string>());
            await browser.EvaluateAsync("document.querySelector('#back').focus()", ct);
            await browser.PressKeyAsync("Enter", ct);
            await browser.WaitForAsync("document.querySelector('#overview [data-fill=\"keyboard-town\"]')", ct);
            Assert.True((await browser.EvaluateAsync("document.activeElement === document.querySelector('#overview [data-fill=\"keyboard-town\"]')", ct)).GetValue<bool>(), "the focus is not on 代填");
        });
    }

    /// <summary>A town with a 2013 table (4.2 and 5.2, the rows of one name) and a key; returns the key.</summary>
    private static async Task<string> TownAsync(HttpClient admin, CancellationToken ct)
    {
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "keyboard-town", name = "键盘镇", kind = "town" }, ct)).StatusCode);
        var stored = await admin.PostAsJsonAsync("/v1/submissions", new
        {
            reporter = "keyboard-town", period = "2013", catalogue = Catalogue, values = new[] { new { code = "4.2", value = 3m }, new { code = "5.2", value = 4m } },
        }, ct);
        Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync(ct));
        var key = await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = "keyboard-town" }, ct);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        return (await key.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
    }
}
