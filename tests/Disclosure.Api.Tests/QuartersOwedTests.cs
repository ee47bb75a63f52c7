using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// Which quarters a year added up from quarterly tables owes: a town registered after a quarter was closed is not expected of
/// that quarter, and cannot send it, so its year is the quarters after it, as a town merged during the year owes those before.
/// </summary>
public sealed class QuartersOwedTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Town_Registered_After_The_First_Quarter_Closed_Has_Reported_The_Year_With_The_Three_Quarters_After_It()
    {
        const string year = "2014";
        var early = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, early, "2014Q1", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2014Q1/close", null, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(1));
        var later = await CreateReporterAsync("town");
        // The closed quarter neither asks it nor takes its table.
        await ProblemAsync(await SubmitAsync(Admin, later, "2014Q1", [new("13.1", 1)]), 409);
        Assert.Equal(1, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2014Q1?reporters={early},{later}", Ct))
            .GetProperty("completeness").GetProperty("expected").GetInt32());
        foreach (var quarter in new[] { "2014Q2", "2014Q3", "2014Q4" })
            foreach (var town in new[] { early, later })
                Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, quarter, [new("13.1", 1)])).StatusCode);

        // Both have reported the year: the later town owes no quarter it could not send (not 季报未报齐, 缺第1季度).
        var c = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?reporters={early},{later}", Ct)).GetProperty("completeness");
        Assert.Equal((2, 2), (c.GetProperty("expected").GetInt32(), c.GetProperty("submitted").GetInt32()));
        Assert.Empty(c.GetProperty("incomplete").EnumerateArray());
        var own = c.GetProperty("reporters").EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == later);
        Assert.False(own.TryGetProperty("quartersToCome", out _));
        Assert.Equal("onTime", own.GetProperty("status").GetString());
        Assert.Contains("应报 2 个单位，已报 2 个", await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/{year}?reporters={early},{later}&format=csv", Ct));

        // Its own list says the same.
        var item = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{later}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == year);
        Assert.False(item.TryGetProperty("quartersToCome", out _));
        Assert.Equal("onTime", item.GetProperty("status").GetString());

        // A year's table of it is set against those three quarters (年报与季报衔接), not told that the first is to come.
        var dryRun = await (await Admin.PostAsJsonAsync("/v1/submissions/validate", Body(later, year, [new("13.1", 5)]), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var warning = Assert.Single(dryRun.GetProperty("violations").EnumerateArray());
        Assert.Equal(("differs-from-quarters", "3"), (warning.GetProperty("rule").GetString(), warning.GetProperty("expected").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, later, year, [new("13.1", 5)])).StatusCode);
        var differing = Assert.Single((await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}/differs-from-quarters?reporters={later}", Ct))
            .GetProperty("items").EnumerateArray());
        Assert.Equal((5m, 3m), (differing.GetProperty("value").GetDecimal(), differing.GetProperty("fromQuarters").GetDecimal()));
    }

    [Fact]
    public async Task A_Quarter_Reopened_After_Closing_Before_A_Town_Was_Registered_Is_Still_Not_Owed_By_Its_Year()
    {
        const string year = "2013";
        var early = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2013Q1/close", null, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromDays(1));
        var later = await CreateReporterAsync("town");
        // Reopened for a late table of another town: the quarter, first closed before the later town existed, still does not expect it.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/2013Q1/reopen", null, Ct)).StatusCode);
        Assert.Equal(1, (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2013Q1?reporters={early},{later}", Ct))
            .GetProperty("completeness").GetProperty("expected").GetInt32());
        foreach (var quarter in new[] { "2013Q2", "2013Q3", "2013Q4" })
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, later, quarter, [new("13.1", 1)])).StatusCode);

        // So its year does not chase it for that quarter either (not 季报未报齐, 缺第1季度), in the district table or its own list.
        var c = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/{year}?reporters={later}", Ct)).GetProperty("completeness");
        Assert.Empty(c.GetProperty("incomplete").EnumerateArray());
        Assert.Equal(1, c.GetProperty("submitted").GetInt32());
        var item = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{later}/periods", Ct)).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("catalogue").GetString() == Catalogue2014 && i.GetProperty("period").GetString() == year);
        Assert.False(item.TryGetProperty("quartersToCome", out _));
    }
}
