using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// A closed period is said to each person as what they can do about it: a town, which can neither reopen the period nor return
/// its own table, is told that the office can return its table for one correction; the office is told it can return the table
/// (退回) or reopen the period. The templates of a closed period say the same before anyone fills them in.
/// </summary>
public sealed class ClosedPeriodWordingTests(ApiFactory factory) : ApiTest(factory)
{
    private const string ToReporter = "如需更正本单位已报的报表，区政务公开办可以将其退回，退回后本单位可以更正重报一次";
    private const string ToOffice = "如需更正该单位的报表，可以将其退回（只放开这一张表，该单位可以更正重报一次，统计期仍然关闭），或重新开放统计期。";

    private async Task<(string Town, HttpClient TownClient)> TownWithTableAsync(string period)
    {
        var town = await CreateReporterAsync("town");
        var (_, key) = await CreateKeyAsync("reporter", town);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, period, [new("12.1", 1)])).StatusCode);
        return (town, Factory.Client(key));
    }

    private async Task CloseAsync(string period) =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{period}/close", null, Ct)).StatusCode);

    [Fact]
    public async Task A_Town_Refused_By_A_Closed_Period_Is_Told_The_Office_Can_Return_Its_Table_And_The_Office_That_It_Can_Return_Or_Reopen()
    {
        const string period = "2019Q1";
        var (town, townClient) = await TownWithTableAsync(period);
        await CloseAsync(period);

        var toTown = (await ProblemAsync(await SubmitAsync(townClient, town, period, [new("12.1", 2)]), 409)).GetProperty("detail").GetString()!;
        Assert.StartsWith("2019年第1季度统计期已关闭，本表没有保存（关闭于 ", toTown, StringComparison.Ordinal);
        Assert.Contains("）。" + ToReporter, toTown, StringComparison.Ordinal);
        Assert.DoesNotContain("或重新开放统计期", toTown, StringComparison.Ordinal);
        Assert.Contains("the district office can return it (退回), after which this reporter may submit one corrected revision", toTown, StringComparison.Ordinal);

        var toOffice = (await ProblemAsync(await SubmitAsync(Admin, town, period, [new("12.1", 2)]), 409)).GetProperty("detail").GetString()!;
        Assert.Contains("）。" + ToOffice, toOffice, StringComparison.Ordinal);
        Assert.DoesNotContain("联系区政务公开办", toOffice, StringComparison.Ordinal);
        Assert.Contains($"or it can reopen the period (POST /v1/periods/{Catalogue2014}/{period}/reopen).", toOffice, StringComparison.Ordinal);
        Assert.Equal(1, (await RevisionsAsync(town, period)).GetArrayLength());
    }

    [Fact]
    public async Task A_Dry_Run_In_A_Closed_Period_Says_To_The_Town_And_To_The_Office_What_Each_Can_Do()
    {
        const string period = "2019Q2";
        var (town, townClient) = await TownWithTableAsync(period);
        await CloseAsync(period);

        async Task<string> SaidTo(HttpClient client)
        {
            var response = await client.PostAsJsonAsync("/v1/submissions/validate", Body(town, period, [new("12.1", 2)]), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var closed = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("violations").EnumerateArray(),
                v => v.GetProperty("rule").GetString() == "period-closed");
            return closed.GetProperty("messageZh").GetString()!;
        }

        Assert.Equal("2019年第2季度统计期已关闭，提交将被拒绝。" + ToReporter + "（无需重新开放统计期）；如需补报，请联系区政务公开办。", await SaidTo(townClient));
        Assert.Equal("2019年第2季度统计期已关闭，提交将被拒绝。" + ToOffice, await SaidTo(Admin));
    }

    [Fact]
    public async Task A_Template_Of_A_Closed_Period_Says_What_The_Town_Can_Do_With_Its_Table_Sent_Returned_Or_Not_Sent()
    {
        const string period = "2019Q3";
        var (sent, _) = await TownWithTableAsync(period);
        var (returned, _) = await TownWithTableAsync(period);
        var blank = await CreateReporterAsync("town");
        await CloseAsync(period);
        var head = (await RevisionsAsync(returned, period))[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{head}/review", new { decision = "returned", comment = "12.1 有误" }, Ct)).StatusCode);

        async Task<string> Said(string reporter)
        {
            var response = await Admin.GetAsync($"/v1/templates/{Catalogue2014}/{period}?reporter={reporter}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Assert.Single(WorkbookRoundTripTests.Read(await response.Content.ReadAsByteArrayAsync(Ct)).Values, v => v.Contains("注意：", StringComparison.Ordinal));
        }

        var ofSent = await Said(sent);
        Assert.Contains("注意：2019年第3季度统计期已关闭，本表现在不能提交；如需更正，区政务公开办可以将本表退回，退回后可以更正一次再提交。", ofSent, StringComparison.Ordinal);
        Assert.DoesNotContain("重新开放", ofSent, StringComparison.Ordinal);
        Assert.Contains("注意：2019年第3季度统计期已关闭，但本表已被区政务公开办退回，可以按退回意见更正一次，上传提交。", await Said(returned), StringComparison.Ordinal);
        Assert.Contains("注意：2019年第3季度统计期已关闭，本表现在不能提交；如需补报，请联系区政务公开办重新开放统计期。", await Said(blank), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Office_Template_Of_Every_Reporter_Says_When_Its_Period_Is_Closed()
    {
        const string period = "2019Q4";
        await TownWithTableAsync(period);

        async Task<bool> SaysClosed()
        {
            var response = await Admin.GetAsync($"/v1/templates/{Catalogue2014}/{period}/reporters", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return ReportersWorkbookTests.Rows(await response.Content.ReadAsByteArrayAsync(Ct)).SelectMany(r => r.Values)
                .Any(v => v.StartsWith("注意：2019年第4季度统计期已关闭，上传后各列不能提交，已退回（尚未更正）的单位除外；要更正某单位的报表，可以先在报送情况中将其退回，或重新开放统计期。填写说明：", StringComparison.Ordinal));
        }

        Assert.False(await SaysClosed());
        await CloseAsync(period);
        Assert.True(await SaysClosed());
    }

    [Fact]
    public async Task The_Office_Template_Of_A_Quarter_Whose_Year_Is_Closed_Says_Which_Columns_Close_With_It()
    {
        var (withYear, _) = await TownWithTableAsync("2018");
        var (quartersOnly, _) = await TownWithTableAsync("2018Q1");
        await CloseAsync("2018");

        async Task<string?> Said(string query)
        {
            var response = await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2018Q2/reporters{query}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return ReportersWorkbookTests.Rows(await response.Content.ReadAsByteArrayAsync(Ct)).SelectMany(r => r.Values)
                .SingleOrDefault(v => v.StartsWith("注意：", StringComparison.Ordinal));
        }

        // The town with a year table owes its quarter still: only the other's column is said to be closed with the year (the
        // two towns alone: the class's other tests register towns too).
        var both = await Said($"?reporters={withYear},{quartersOnly}");
        Assert.StartsWith($"注意：2018年度已关闭，测试单位 {quartersOnly}没有年报、年度数据由季报汇总，2018年第2季度季报随之关闭，上传后这些单位的列不能提交，已退回（尚未更正）的除外；",
            both, StringComparison.Ordinal);
        Assert.DoesNotContain(withYear, both, StringComparison.Ordinal);
        Assert.Null(await Said($"?reporters={withYear}"));
    }
}
