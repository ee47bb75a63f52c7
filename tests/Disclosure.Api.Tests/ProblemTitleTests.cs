using System.Net;
using System.Net.Http.Json;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// A 409's <c>title</c> summarises its problem type (RFC 9457), as every other problem's does, instead of the status's reason
/// phrase: a client or a log line reading only the title tells a closed period from a stale revision.
/// </summary>
public sealed class ProblemTitleTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Submission_To_A_Closed_Period_Is_Titled_Period_Closed()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2019Q2/close", null, Ct)).StatusCode);

        var problem = await ProblemAsync(await SubmitAsync(Admin, reporter, "2019Q2", [new("12.2", 1)]), 409);

        Assert.EndsWith("/period-closed", problem.GetProperty("type").GetString());
        Assert.Equal("Period closed", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_Submission_Expecting_Another_Revision_Is_Titled_Revision_Conflict()
    {
        var reporter = await CreateReporterAsync();

        var problem = await ProblemAsync(await SubmitAsync(Admin, reporter, "2014", [new("12.2", 1)], expectedRevision: 3), 409);

        Assert.EndsWith("/revision-conflict", problem.GetProperty("type").GetString());
        Assert.Equal("Revision conflict", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_Reporter_Registered_Twice_Is_Titled_Duplicate_Reporter()
    {
        var reporter = await CreateReporterAsync();

        var problem = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "又一个 " + reporter, kind = "town" }, Ct), 409);

        Assert.EndsWith("/duplicate-reporter", problem.GetProperty("type").GetString());
        Assert.Equal("Duplicate reporter", problem.GetProperty("title").GetString());
        Assert.StartsWith($"代码“{reporter}”已有填报单位登记，没有保存", problem.GetProperty("detail").GetString());

        // A name already another reporter's: said in Chinese first too.
        var name = "同名单位 " + reporter;
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = reporter + "-a", name, kind = "town" }, Ct)).StatusCode);
        var taken = await ProblemAsync(await Admin.PostAsJsonAsync("/v1/reporters", new { id = reporter + "-b", name, kind = "town" }, Ct), 409);
        Assert.StartsWith($"名称“{name}”已是填报单位 {reporter}-a 的名称，没有保存", taken.GetProperty("detail").GetString());
    }

    /// <summary>Every 409 the service raises has a title of its own: none falls back to the reason phrase.</summary>
    [Fact]
    public void Every_Conflict_The_Service_Raises_Has_A_Title_Of_Its_Own()
    {
        // Problems.Conflict takes a ProblemType, so every 409 it raises is one of these.
        var conflicts = ProblemTypes.All.Where(t => t.Status == 409).ToList();

        Assert.Contains(ProblemTypes.PeriodClosed, conflicts);
        Assert.Equal(conflicts.Count, conflicts.Select(t => t.Title).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("Conflict", conflicts.Select(t => t.Title));
    }
}
