using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// One 400 names every error of a request its validator can tell at once: the breakdown's publication layout beside the rest
/// of its query's slips, a period's deadline beside its list's, a path that is no id beside the body's, rather than each group
/// only once the one before it is mended.
/// </summary>
public sealed class EveryErrorAtOnceTests(ApiFactory factory) : ApiTest(factory)
{
    private static string[] Names(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_Breakdowns_Own_Refusal_Of_A_Publication_Is_Said_With_The_Querys_Other_Slips()
    {
        var problem = await ProblemAsync(await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014/breakdown?layout=publication&reporters=a,,b&reportDate=2014-06-01", Ct), 400);
        Assert.Equal(["layout", "reportDate", "reporters"], Names(problem));
        // Still a 400 before the 404 of a catalogue there is not, as when the validator stopped it alone.
        Assert.Equal(["layout"], Names(await ProblemAsync(await Admin.GetAsync("/v1/aggregates/no-such/2014/breakdown?layout=publication", Ct), 400)));
    }

    [Fact]
    public async Task A_Periods_Deadline_Before_It_Began_Is_Said_With_The_Slips_Of_Its_List()
    {
        var problem = await ProblemAsync(await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2016Q2",
            new { deadline = "2016-03-31T23:59:59+08:00", expectedReporters = new[] { "town-a", "", "town-a" } }, Ct), 400);
        Assert.Equal(["deadline", "expectedReporters[1]", "expectedReporters[2]"], Names(problem));
        Assert.StartsWith("截止时间 2016-03-31 23:59（北京时间）早于 2016Q2 统计期开始",
            Assert.Single(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "deadline").GetProperty("reason").GetString(), StringComparison.Ordinal);
        // A period the catalogue has not: the list's slips, as before, not a 404 that hides them.
        Assert.Equal(["expectedReporters[1]"], Names(await ProblemAsync(await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/1999",
            new { expectedReporters = new[] { "town-a", "" } }, Ct), 400)));
        // Mended, the period is set.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/v1/periods/{Catalogue2014}/2016Q2", new { deadline = "2016-07-15T17:00:00+08:00" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Review_Of_A_Path_That_Is_No_Id_Is_Said_With_The_Bodys_Slips()
    {
        var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/submissions/not-a-guid/review", new { decision = "returned" }, Ct), 400);
        Assert.Equal(["comment", "id"], Names(problem));
    }
}
