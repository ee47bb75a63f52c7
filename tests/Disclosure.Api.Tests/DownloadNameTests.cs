using System.Net;
using System.Net.Http.Json;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The names downloads are saved under: in Chinese, as the office and the towns tell their files apart in a folder, as RFC 6266's
/// filename* with the ids' ASCII name as filename beside it.
/// </summary>
public sealed class DownloadNameTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Heading = "2014年度政府信息公开工作情况统计表";

    private async Task<(string Id, string Name)> ReporterAsync(string name, string kind = "town", string? id = null)
    {
        id ??= NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name, kind }, Ct)).StatusCode);
        return (id, name);
    }

    /// <summary>The two names of a download, and the header as sent.</summary>
    private async Task<(string Name, string Ascii, string Header)> NamesAsync(string path)
    {
        using var response = await Admin.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        return (disposition.FileNameStar!, disposition.FileName!.Trim('"'), string.Join(",", response.Content.Headers.GetValues("Content-Disposition")));
    }

    [Fact]
    public async Task Every_Download_Is_Named_In_Chinese_With_The_Ids_Name_Beside_It()
    {
        var suffix = Random.Shared.Next(100000, 999999);
        var (town, townName) = await ReporterAsync($"阴平镇{suffix}");
        var (other, otherName) = await ReporterAsync($"峨山镇{suffix}");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var district = $"/v1/aggregates/{Catalogue2014}/2014";
        var clerk = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "张三" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var clerkKey = clerk.GetProperty("id").GetGuid();
        var shortKey = clerkKey.ToString("N")[^8..];
        const string auditFrom = "/v1/audit?format=csv&from=2015-01-14T00:00:00%2B08:00";
        (string Path, string Name, string Ascii)[] downloads =
        [
            ($"{district}?format=xlsx", $"{Heading}.xlsx", $"{Catalogue2014}-2014.xlsx"),
            ($"{district}?format=csv", $"{Heading}.csv", $"{Catalogue2014}-2014.csv"),
            ($"{district}?format=xlsx&layout=publication", $"{Heading}-发布版.xlsx", $"{Catalogue2014}-2014-publication.xlsx"),
            ($"{district}?format=xlsx&kind=town", $"{Heading}-乡镇街道.xlsx", $"{Catalogue2014}-2014-town.xlsx"),
            ($"{district}?format=csv&reporters={town}", $"{Heading}-{townName}.csv", $"{Catalogue2014}-2014-{town}.csv"),
            ($"{district}?format=csv&reporters={town},{other}", $"{Heading}-{townName}等2个单位.csv", $"{Catalogue2014}-2014-{town}-{other}.csv"),
            ($"{district}?format=xlsx&kind=town&reporters={town}&layout=publication", $"{Heading}-乡镇街道-{townName}-发布版.xlsx", $"{Catalogue2014}-2014-town-{town}-publication.xlsx"),
            ($"{district}/reporters/{town}?format=xlsx", $"{Heading}-{townName}.xlsx", $"{Catalogue2014}-2014-{town}.xlsx"),
            ($"{district}/reporters/{town}?format=csv&layout=publication", $"{Heading}-{townName}-发布版.csv", $"{Catalogue2014}-2014-{town}-publication.csv"),
            ($"{district}/breakdown?format=xlsx", $"{Heading}-分单位明细.xlsx", $"{Catalogue2014}-2014-breakdown.xlsx"),
            ($"{district}/breakdown?format=csv&kind=town", $"{Heading}-分单位明细-乡镇街道.csv", $"{Catalogue2014}-2014-breakdown-town.csv"),
            ($"{district}/breakdown?format=xlsx&reporters={town}", $"{Heading}-分单位明细-{townName}.xlsx", $"{Catalogue2014}-2014-breakdown-{town}.xlsx"),
            ($"/v1/templates/{Catalogue2014}/2014?reporter={other}", $"{Heading}-{otherName}-填报模板.xlsx", $"{Catalogue2014}-2014-{other}.xlsx"),
            ($"/v1/templates/{Catalogue2014}/2014/reporters", $"{Heading}-分单位填报模板.xlsx", $"{Catalogue2014}-2014-reporters.xlsx"),
            ($"/v1/templates/{Catalogue2014}/2014/reporters?kind=town&status=notSubmitted", $"{Heading}-分单位填报模板-乡镇街道-未报单位.xlsx",
                $"{Catalogue2014}-2014-reporters-town-notSubmitted.xlsx"),
            ($"/v1/templates/{Catalogue2014}/2014/reporters?reporters={town},{other}", $"{Heading}-分单位填报模板-2个单位.xlsx", $"{Catalogue2014}-2014-reporters-{town}-{other}.xlsx"),
            (auditFrom, "操作日志-20150114起.csv", "audit-20150114.csv"),
            // A log of one town's, one key's or one action's entries alone says whose or which, not to be taken for the whole log of the days.
            ($"{auditFrom}&reporter={town}", $"操作日志-{townName}-20150114起.csv", $"audit-{town}-20150114.csv"),
            ($"{auditFrom}&keyId={clerkKey}", $"操作日志-张三的密钥{shortKey}-20150114起.csv", $"audit-key-{shortKey}-20150114.csv"),
            ($"{auditFrom}&action={Uri.EscapeDataString("PUT v1/periods/{catalogue}/{period}")}", "操作日志-设置统计期-20150114起.csv", "audit-put-periods-20150114.csv"),
            ($"{auditFrom}&action={Uri.EscapeDataString("POST v1/periods/{catalogue}/{period}/close")}", "操作日志-关闭统计期-20150114起.csv", "audit-post-periods-close-20150114.csv"),
            ($"{auditFrom}&action={Uri.EscapeDataString("post /v1/submissions/{id}/review")}&reporter={town}", $"操作日志-{townName}-审核报表-20150114起.csv",
                $"audit-{town}-post-submissions-review-20150114.csv"),
        ];
        foreach (var (path, name, ascii) in downloads)
        {
            var (star, plain, header) = await NamesAsync(path);
            Assert.Equal((name, ascii), (star, plain));
            // Both, as RFC 6266 has them: browsers save under filename*, a client that reads no other (curl -OJ) under filename.
            Assert.Contains("filename*=UTF-8''", header, StringComparison.Ordinal);
            Assert.All(header, c => Assert.True(c < 128, $"{path}: {header} is not ASCII"));
        }
    }

    [Fact]
    public async Task A_Table_Narrowed_To_Many_Reporters_Is_Named_By_Their_Number_Never_As_The_Whole_District()
    {
        var ids = new List<string>();
        for (var i = 0; i < DownloadName.MaxIds + 1; i++) ids.Add((await ReporterAsync($"镇{Random.Shared.Next(100000, 999999)}-{i}")).Id);
        var list = string.Join(",", ids);
        var district = $"/v1/aggregates/{Catalogue2014}/2014";
        // A client that reads filename alone (curl -OJ) must not save a subset under, or over, the district table's file.
        Assert.Equal($"{Catalogue2014}-2014-{ids.Count}-reporters.csv", (await NamesAsync($"{district}?format=csv&reporters={list}")).Ascii);
        Assert.Equal($"{Catalogue2014}-2014-breakdown-town-{ids.Count}-reporters.csv", (await NamesAsync($"{district}/breakdown?format=csv&kind=town&reporters={list}")).Ascii);
        Assert.Equal($"{Catalogue2014}-2014-reporters-{ids.Count}-reporters.xlsx", (await NamesAsync($"/v1/templates/{Catalogue2014}/2014/reporters?reporters={list}")).Ascii);
        // Few, but with ids too long to name a file by together: counted too.
        var (tall, _) = await ReporterAsync($"长镇{Random.Shared.Next(100000, 999999)}", id: (NewId("long") + new string('x', 60))[..60]);
        Assert.Equal($"{Catalogue2014}-2014-2-reporters.csv", (await NamesAsync($"{district}?format=csv&reporters={tall},{ids[0]}")).Ascii);
    }

    [Fact]
    public async Task A_Name_Windows_Would_Refuse_Is_Saved_With_Full_Width_Forms_Of_Its_Characters()
    {
        // A reporter named as offices are (发改局/物价局) would otherwise give a name Windows cannot save, or a folder path.
        var (town, _) = await ReporterAsync($"发改局/物价局:{Random.Shared.Next(100000, 999999)}?", "department");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var (star, _, _) = await NamesAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}?format=xlsx");
        Assert.Matches($"^{Heading}-发改局／物价局：\\d+？\\.xlsx$", star);
        Assert.Equal(-1, star.IndexOfAny(['\\', '/', ':', '*', '?', '"', '<', '>', '|']));
    }

    [Theory]
    [InlineData("PATCH", "v1/reporters/{id}", "patch-reporters")]
    [InlineData("DELETE", "v1/keys/{id}", "delete-keys")]
    [InlineData("GET", "v1/报表/{id}", "get")]
    [InlineData("POST", "v1/a b..c//{x}/d_e", "post-a-b-c-d-e")]
    [InlineData("POST", "v1/abcdefghijklmnopqrstuvwxyz/abcdefghijklmnopqrstuvwxyz", "post-abcdefghijklmnopqrstuvwxyz-abcdefghijklmnop")]
    public void An_Audit_Action_Is_Named_In_Ascii_By_Its_Method_And_The_Words_Of_Its_Route(string method, string route, string ascii)
    {
        var named = Disclosure.Api.Features.Audit.List.Endpoint.AsciiAction(new Disclosure.Storage.AuditAction(method, route));
        Assert.Equal(ascii, named);
        Assert.True(named.Length <= Disclosure.Api.Features.Audit.List.Endpoint.MaxAsciiAction);
    }

    [Theory]
    [InlineData("a\\b/c:d*e?f\"g<h>i|j", "a＼b／c：d＊e？f＂g＜h＞i｜j")]
    [InlineData("阴平镇\t\r\n街道", "阴平镇   街道")]
    [InlineData("末尾. ", "末尾")]
    [InlineData("...", "下载")]
    public void Safe_Names_Keep_Their_Words_In_Characters_Windows_Takes(string name, string safe) =>
        Assert.Equal(safe, DownloadName.Safe(name));

    [Fact]
    public async Task A_Long_Reporter_Name_Is_Shortened_Keeping_What_Tells_Its_Template_Table_And_Publication_Apart()
    {
        // Names may be of 200 characters; cut at the end, the three files of one reporter would have one name in a folder.
        var (town, name) = await ReporterAsync($"{Random.Shared.Next(100000, 999999)}" + new string('镇', 194));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2014", SeedTable.Values)).StatusCode);
        var template = (await NamesAsync($"/v1/templates/{Catalogue2014}/2014?reporter={town}")).Name;
        var table = (await NamesAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}?format=xlsx")).Name;
        var publication = (await NamesAsync($"/v1/aggregates/{Catalogue2014}/2014/reporters/{town}?format=xlsx&layout=publication")).Name;
        Assert.EndsWith("…-填报模板.xlsx", template, StringComparison.Ordinal);
        Assert.EndsWith("…-发布版.xlsx", publication, StringComparison.Ordinal);
        Assert.EndsWith("….xlsx", table, StringComparison.Ordinal);
        Assert.Equal(3, new[] { template, table, publication }.Distinct().Count());
        Assert.All([template, table, publication], n =>
        {
            Assert.StartsWith($"{Heading}-{name[..20]}", n, StringComparison.Ordinal);
            Assert.Equal(DownloadName.MaxLength, n.Length - ".xlsx".Length);
        });
    }

    [Fact]
    public void A_Long_Part_Is_Shortened_Whole_Characters_Only_And_The_Others_Kept()
    {
        // Cut to fit, the part would end inside the first 😀: it ends before it.
        var towns = new string('镇', DownloadName.MaxLength - 9);
        Assert.Equal($"表-{towns}…-填报模板", DownloadName.Of("x", "表", towns + "😀😀😀😀😀", "填报模板").Name);
        Assert.Equal($"表-{towns[1..]}😀…-填报模板", DownloadName.Of("x", "表", towns[1..] + "😀😀😀😀😀", "填报模板").Name);
        Assert.Equal("表-阴平镇-填报模板", DownloadName.Of("x", "表", "阴平镇", null, "填报模板").Name);
    }

    [Fact]
    public void A_Long_Name_Is_Cut_Whole_Characters_Only()
    {
        var name = new string('镇', DownloadName.MaxLength - 1) + "😀😀";
        var safe = DownloadName.Safe(name);
        Assert.True(safe.Length <= DownloadName.MaxLength);
        Assert.False(char.IsHighSurrogate(safe[^1]));
    }
}
