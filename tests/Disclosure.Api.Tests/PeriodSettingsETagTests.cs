using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// 设置统计期 conditional on what was read (RFC 9110): a period's settings carry an ETag that moves when they are set, closed or
/// reopened, never when a table is submitted; a PUT with a stale one in If-Match is refused and stores nothing, so one clerk's
/// save does not erase the deadline another set meanwhile. Without If-Match a PUT replaces the settings as it always did.
/// </summary>
public sealed class PeriodSettingsETagTests(ApiFactory factory) : ApiTest(factory)
{
    private static string Path(string period) => $"/v1/periods/{Catalogue2014}/{period}";

    private async Task<(JsonElement Settings, string ETag)> ReadAsync(string period)
    {
        var response = await Admin.GetAsync(Path(period), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct), response.Headers.ETag!.ToString());
    }

    private async Task<HttpResponseMessage> PutAsync(string period, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path(period)) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Admin.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_Save_From_Settings_Read_Before_Another_Clerks_Is_A_409_And_Leaves_Hers_As_She_Set_Them()
    {
        const string period = "2010";
        var town = await CreateReporterAsync("town");
        // Both clerks' pages read the settings, never set: version 0.
        var (_, read) = await ReadAsync(period);
        Assert.Equal("\"0\"", read);

        // Clerk A sets the deadline from what she read: stored, and the answer carries the new tag.
        var first = await PutAsync(period, new { deadline = "2011-01-31T17:00:00+08:00" }, read);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"1\"", first.Headers.ETag!.ToString());

        // Clerk B saves the list from the settings he read before: refused, in Chinese first, naming the conflict.
        var second = await PutAsync(period, new { deadline = (string?)null, expectedReporters = new[] { town } }, read);
        var problem = await ProblemAsync(second, 409);
        Assert.EndsWith("/settings-conflict", problem.GetProperty("type").GetString());
        Assert.Equal("Settings changed meanwhile", problem.GetProperty("title").GetString());
        Assert.StartsWith("其他人已修改了本统计期（2010年度）的设置", problem.GetProperty("detail").GetString());
        Assert.Contains("请重新读取后再保存", problem.GetProperty("detail").GetString());
        Assert.False(second.Headers.Contains("ETag"));

        // Nothing of B's was stored: A's deadline stands, no list, and the tag is A's.
        var (settings, now) = await ReadAsync(period);
        Assert.Equal("\"1\"", now);
        Assert.Equal(new DateTimeOffset(2011, 1, 31, 9, 0, 0, TimeSpan.Zero), settings.GetProperty("deadline").GetDateTimeOffset());
        Assert.False(settings.TryGetProperty("expectedReporters", out _));

        // Read again, B's save goes through with both settings, as he now sees them.
        var again = await PutAsync(period, new { deadline = settings.GetProperty("deadline").GetDateTimeOffset(), expectedReporters = new[] { town } }, now);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("\"2\"", again.Headers.ETag!.ToString());
        (settings, _) = await ReadAsync(period);
        Assert.Equal([town], settings.GetProperty("expectedReporters").EnumerateArray().Select(e => e.GetString()));
        Assert.True(settings.TryGetProperty("deadline", out _));
    }

    [Fact]
    public async Task A_Put_Sent_Again_On_The_Tag_Its_Stored_First_Attempt_Replaced_Is_A_200_With_The_Tag_Now_Not_A_409()
    {
        // The clerk's save was stored, but its answer was lost (a 503 from the ingress, a dropped connection): her page sends it again.
        const string period = "2009";
        var town = await CreateReporterAsync("town");
        var (_, read) = await ReadAsync(period);
        var body = new { deadline = "2010-01-31T17:00:00+08:00", expectedReporters = new[] { town } };
        var first = await PutAsync(period, body, read);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var again = await PutAsync(period, body, read);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Headers.ETag!.ToString(), again.Headers.ETag!.ToString());
        var answered = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal([town], answered.GetProperty("expectedReporters").EnumerateArray().Select(e => e.GetString()));
        // Nothing was written the second time: the tag is the first save's.
        var (settings, now) = await ReadAsync(period);
        Assert.Equal(first.Headers.ETag!.ToString(), now);
        Assert.Equal(new DateTimeOffset(2010, 1, 31, 9, 0, 0, TimeSpan.Zero), settings.GetProperty("deadline").GetDateTimeOffset());
        // Other settings on the tag read before the save are still another clerk's blind write over it.
        var other = await PutAsync(period, new { deadline = "2010-02-28T17:00:00+08:00", expectedReporters = new[] { town } }, read);
        Assert.EndsWith("/settings-conflict", (await ProblemAsync(other, 409)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_Tag_Moves_When_The_Period_Is_Closed_Or_Reopened_And_Not_When_A_Table_Is_Submitted()
    {
        const string period = "2011";
        var reporter = await CreateReporterAsync();
        var (_, before) = await ReadAsync(period);

        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, period, [new("13.1", 1)])).StatusCode);
        Assert.Equal(before, (await ReadAsync(period)).ETag);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{Path(period)}/close", null, Ct)).StatusCode);
        var (_, closed) = await ReadAsync(period);
        Assert.NotEqual(before, closed);
        // A save from the settings read before the close is refused: it would not erase the close, but it was made blind to it.
        await ProblemAsync(await PutAsync(period, new { deadline = "2012-01-31T17:00:00+08:00" }, before), 409);
        Assert.True((await ReadAsync(period)).Settings.GetProperty("closed").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{Path(period)}/reopen", null, Ct)).StatusCode);
        var (reopened, tag) = await ReadAsync(period);
        Assert.NotEqual(closed, tag);
        Assert.False(reopened.GetProperty("closed").GetBoolean());
        Assert.False(reopened.TryGetProperty("deadline", out _));
    }

    [Fact]
    public async Task Without_If_Match_Or_With_A_Star_A_Put_Replaces_The_Settings_As_Before_And_Moves_The_Tag()
    {
        const string period = "2012";
        var (_, before) = await ReadAsync(period);

        var plain = await PutAsync(period, new { deadline = "2013-01-31T17:00:00+08:00" }, null);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.NotEqual(before, plain.Headers.ETag!.ToString());
        var star = await PutAsync(period, new { deadline = "2013-02-28T17:00:00+08:00" }, "*");
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        var (settings, now) = await ReadAsync(period);
        Assert.Equal(star.Headers.ETag!.ToString(), now);
        Assert.Equal(new DateTimeOffset(2013, 2, 28, 9, 0, 0, TimeSpan.Zero), settings.GetProperty("deadline").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("W/\"0\"")]
    [InlineData("0")]
    [InlineData("\"0")]
    [InlineData("\"0\", \"1\"")]
    public async Task An_If_Match_That_Is_No_Strong_Tag_Is_A_400_Naming_The_Header_And_Nothing_Is_Stored(string ifMatch)
    {
        var period = "2013Q" + (1 + Array.IndexOf(["W/\"0\"", "0", "\"0", "\"0\", \"1\""], ifMatch));
        var problem = await ProblemAsync(await PutAsync(period, new { deadline = "2014-01-31T17:00:00+08:00" }, ifMatch), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("If-Match", error.GetProperty("name").GetString());
        Assert.StartsWith("请求头 If-Match 须为读取统计期设置时得到的 ETag", error.GetProperty("reason").GetString());
        var (settings, tag) = await ReadAsync(period);
        Assert.Equal("\"0\"", tag);
        Assert.False(settings.TryGetProperty("deadline", out _));
    }

    private async Task<HttpResponseMessage> PostAsync(string period, string action, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Path(period)}/{action}");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Admin.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> ReadIfNoneMatchAsync(string period, string tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Path(period));
        request.Headers.TryAddWithoutValidation("If-None-Match", tag);
        return await Admin.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_Read_Sending_The_Settings_Tag_As_If_None_Match_Is_A_304_With_The_Tag_Until_They_Change()
    {
        const string period = "2015Q1";
        var (_, tag) = await ReadAsync(period);

        // As the tables answer it (RFC 9110 13.1.2): the tag as given, weakly compared, in a list, or *; no body, the tag sent again.
        foreach (var sent in new[] { tag, "W/" + tag, $"\"99\", {tag}", "*" })
        {
            var unchanged = await ReadIfNoneMatchAsync(period, sent);
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Equal(tag, unchanged.Headers.ETag!.ToString());
            Assert.Equal("no-cache", unchanged.Headers.CacheControl!.ToString());
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(Ct));
        }
        var other = await ReadIfNoneMatchAsync(period, "\"99\"");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(tag, other.Headers.ETag!.ToString());

        // Set since, the settings come whole under their new tag.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(period, new { deadline = "2015-04-30T17:00:00+08:00" }, null)).StatusCode);
        var changed = await ReadIfNoneMatchAsync(period, tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag!.ToString());
        Assert.True((await changed.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("deadline", out _));
    }

    [Fact]
    public async Task A_Close_Or_Reopening_From_Settings_Read_Before_Another_Clerks_Change_Is_A_409_And_Stores_Nothing()
    {
        const string period = "2015Q2";
        var (_, read) = await ReadAsync(period);
        // Another clerk sets the deadline after this page read the settings.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(period, new { deadline = "2015-07-31T17:00:00+08:00" }, read)).StatusCode);

        var close = await PostAsync(period, "close", read);
        var problem = await ProblemAsync(close, 409);
        Assert.EndsWith("/settings-conflict", problem.GetProperty("type").GetString());
        Assert.StartsWith("其他人已修改了本统计期（2015年第2季度）的设置", problem.GetProperty("detail").GetString());
        Assert.False(close.Headers.Contains("ETag"));
        var (settings, now) = await ReadAsync(period);
        Assert.False(settings.GetProperty("closed").GetBoolean());
        Assert.Equal("\"1\"", now);

        // With the tag read again: closed, its deadline kept, and the answer carries the new tag, which a reopening then names.
        var closed = await PostAsync(period, "close", now);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("\"2\"", closed.Headers.ETag!.ToString());
        Assert.True((await closed.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("deadline", out _));
        // A reopening from the page that read the settings before the close: 409, the close stands. (A close from it finds the
        // period closed, as it asked: A_Close_Or_Reopening_Retried_On_The_Tag_Its_Stored_First_Attempt_Replaced_….)
        await ProblemAsync(await PostAsync(period, "reopen", now), 409);
        (settings, var tag) = await ReadAsync(period);
        Assert.True(settings.GetProperty("closed").GetBoolean());
        Assert.Equal("\"2\"", tag);

        // The current tag: a close of the closed period answers as it stands, storing nothing; a reopening goes through.
        var again = await PostAsync(period, "close", tag);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(tag, again.Headers.ETag!.ToString());
        var reopened = await PostAsync(period, "reopen", tag);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("\"3\"", reopened.Headers.ETag!.ToString());
        (settings, tag) = await ReadAsync(period);
        Assert.False(settings.GetProperty("closed").GetBoolean());
        Assert.Equal("\"3\"", tag);
        Assert.True(settings.TryGetProperty("deadline", out _));
    }

    [Theory]
    [InlineData("close", "2011Q1")]
    [InlineData("reopen", "2011Q2")]
    public async Task A_Close_Or_Reopening_Retried_On_The_Tag_Its_Stored_First_Attempt_Replaced_Is_A_200_With_The_Tag_Now_Storing_Nothing(
        string action, string period)
    {
        // The clerk's close was stored, but its answer was lost (a 503 from the ingress, a dropped connection): her page sends it again.
        if (action == "reopen") Assert.Equal(HttpStatusCode.OK, (await PostAsync(period, "close", null)).StatusCode);
        var (_, read) = await ReadAsync(period);
        var first = await PostAsync(period, action, read);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var again = await PostAsync(period, action, read);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Headers.ETag!.ToString(), again.Headers.ETag!.ToString());
        var answered = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(action == "close", answered.GetProperty("closed").GetBoolean());
        // The close answered is the first one, at its time, not one made now.
        Assert.Equal(firstBody.TryGetProperty("closedAt", out var at) ? at.GetDateTimeOffset() : (DateTimeOffset?)null,
            answered.TryGetProperty("closedAt", out var atAgain) ? atAgain.GetDateTimeOffset() : null);
        var (settings, now) = await ReadAsync(period);
        Assert.Equal(first.Headers.ETag!.ToString(), now);
        Assert.Equal(action == "close", settings.GetProperty("closed").GetBoolean());
        // The other action on the tag read before the first is still blind to it.
        var other = await PostAsync(period, action == "close" ? "reopen" : "close", read);
        Assert.EndsWith("/settings-conflict", (await ProblemAsync(other, 409)).GetProperty("type").GetString());
        Assert.Equal(now, (await ReadAsync(period)).ETag);
    }

    [Fact]
    public async Task A_Close_On_A_Tag_Read_Before_Another_Clerk_Closed_And_Set_The_Deadline_Finds_It_Closed_As_Asked()
    {
        // Two clerks close the same period: the second page read it before the first closed it, and the deadline set before that.
        const string period = "2011Q3";
        var (_, read) = await ReadAsync(period);
        var put = await PutAsync(period, new { deadline = "2011-10-31T17:00:00+08:00" }, read);
        var closed = await PostAsync(period, "close", put.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var second = await PostAsync(period, "close", read);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(closed.Headers.ETag!.ToString(), second.Headers.ETag!.ToString());
        Assert.Equal(closed.Headers.ETag!.ToString(), (await ReadAsync(period)).ETag);
    }

    [Fact]
    public async Task Without_If_Match_Or_With_A_Star_A_Close_And_A_Reopening_Answer_As_Before_And_Repeat_As_They_Stand()
    {
        const string period = "2015Q3";
        foreach (var ifMatch in new[] { null, "*" })
        {
            var closed = await PostAsync(period, "close", ifMatch);
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            var repeated = await PostAsync(period, "close", ifMatch);
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
            Assert.Equal(closed.Headers.ETag!.ToString(), repeated.Headers.ETag!.ToString());
            Assert.Equal(closed.Headers.ETag!.ToString(), (await ReadAsync(period)).ETag);
            var reopened = await PostAsync(period, "reopen", ifMatch);
            Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(period, "reopen", ifMatch)).StatusCode);
            var (settings, tag) = await ReadAsync(period);
            Assert.False(settings.GetProperty("closed").GetBoolean());
            Assert.Equal(reopened.Headers.ETag!.ToString(), tag);
        }
        Assert.Equal("\"4\"", (await ReadAsync(period)).ETag);
    }

    [Theory]
    [InlineData("close", "W/\"0\"")]
    [InlineData("reopen", "0")]
    [InlineData("close", "\"0\", \"1\"")]
    public async Task A_Close_Or_Reopening_With_An_If_Match_That_Is_No_Strong_Tag_Is_A_400_Naming_The_Header(string action, string ifMatch)
    {
        var period = action == "close" ? (ifMatch.StartsWith('W') ? "2015Q4" : "2016Q1") : "2016Q2";
        if (action == "reopen") Assert.Equal(HttpStatusCode.OK, (await PostAsync(period, "close", null)).StatusCode);
        var (before, tag) = await ReadAsync(period);

        var problem = await ProblemAsync(await PostAsync(period, action, ifMatch), 400);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("If-Match", error.GetProperty("name").GetString());
        Assert.StartsWith("请求头 If-Match 须为读取统计期设置时得到的 ETag", error.GetProperty("reason").GetString());
        var (after, now) = await ReadAsync(period);
        Assert.Equal(tag, now);
        Assert.Equal(before.GetProperty("closed").GetBoolean(), after.GetProperty("closed").GetBoolean());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("close")]
    [InlineData("reopen")]
    public async Task An_Empty_If_Match_Is_No_Precondition_So_It_Is_A_400_Naming_The_Header_And_Nothing_Is_Stored(string write)
    {
        // RFC 9110 13.1.1: If-Match is * or a list of entity tags; an empty one names none, and is not taken for an absent one.
        var period = write switch { "PUT" => "2016Q3", "close" => "2016Q4", _ => "2017" };
        if (write == "reopen") Assert.Equal(HttpStatusCode.OK, (await PostAsync(period, "close", null)).StatusCode);
        var (before, tag) = await ReadAsync(period);

        var response = write == "PUT"
            ? await SendWithEmptyIfMatchAsync(HttpMethod.Put, Path(period), JsonBytes(new { deadline = "2017-01-31T17:00:00+08:00" }))
            : await SendWithEmptyIfMatchAsync(HttpMethod.Post, $"{Path(period)}/{write}");
        var error = Assert.Single((await ProblemAsync(response, 400)).GetProperty("errors").EnumerateArray());
        Assert.Equal("If-Match", error.GetProperty("name").GetString());
        Assert.StartsWith("请求头 If-Match 是空的", error.GetProperty("reason").GetString());
        Assert.Contains("The If-Match header is empty", error.GetProperty("reason").GetString());
        var (after, now) = await ReadAsync(period);
        Assert.Equal(tag, now);
        Assert.Equal(before.GetProperty("closed").GetBoolean(), after.GetProperty("closed").GetBoolean());
        Assert.False(after.TryGetProperty("deadline", out _));
    }
}
