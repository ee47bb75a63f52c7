using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Disclosure.Api.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Disclosure.Api.Tests;

/// <summary>操作日志: the district office's changes and every request refused for its key are logged with who did it; tables are not.</summary>
public sealed class AuditLogTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>The audit lines for requests to paths that contain <paramref name="part"/> (each test's own ids), as their fields.</summary>
    private List<Dictionary<string, string?>> Lines(string part) =>
    [
        .. Factory.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == AuditLog.Category && r.Level == LogLevel.Information)
            .Select(r => r.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value))
            .Where(f => f["Path"]?.Contains(part, StringComparison.Ordinal) == true),
    ];

    [Fact]
    public async Task The_Offices_Changes_Are_Logged_With_The_Key_That_Made_Them_And_Their_Answer()
    {
        var id = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "重复", kind = "town" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "城关镇" }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);

        var created = Lines("/v1/reporters").Where(f => f["Method"] == "POST").ToList();
        Assert.Contains(created, f => f["Status"] == "201");
        Assert.Contains(created, f => f["Status"] == "409");
        var patched = Assert.Single(Lines($"/v1/reporters/{id}"));
        Assert.Equal(("PATCH", "200", ApiKeys.ConfiguredAdminKeyId.ToString(), "admin"), (patched["Method"], patched["Status"], patched["KeyId"], patched["Role"]));
        Assert.Equal("v1/reporters/{id}", patched["Route"]);
    }

    [Fact]
    public async Task Tables_Are_Not_Logged_But_A_Key_Refused_Is()
    {
        var (mine, other) = (await CreateReporterAsync(), await CreateReporterAsync());
        var (keyId, key) = await CreateKeyAsync("reporter", mine);
        var client = Factory.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, mine, "2014", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/submissions/validate", Body(mine, "2014", [new("13.1", 1)]), Ct)).StatusCode);
        Assert.DoesNotContain(Factory.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Category == AuditLog.Category && r.StructuredState!.Any(kv => kv.Key == "KeyId" && kv.Value == keyId.ToString()));

        // Another reporter's data: 403, with the key that asked.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/v1/reporters/{other}", Ct)).StatusCode);
        var forbidden = Assert.Single(Lines($"/v1/reporters/{other}"));
        Assert.Equal(("GET", "403", keyId.ToString(), "reporter", mine), (forbidden["Method"], forbidden["Status"], forbidden["KeyId"], forbidden["Role"], forbidden["Reporter"]));

        // A key the service does not know: 401, without a key id.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client("dk_not-a-key-of-this-service").GetAsync($"/v1/reporters/{mine}", Ct)).StatusCode);
        var unknown = Assert.Single(Lines($"/v1/reporters/{mine}"));
        Assert.Equal("401", unknown["Status"]);
        Assert.False(unknown.ContainsKey("KeyId"));
    }

    [Fact]
    public async Task A_Reviews_Decision_And_Comment_Are_In_Its_Line_And_A_Replaced_Review_Keeps_Its_Own()
    {
        var reporter = await CreateReporterAsync("town");
        var submitted = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)]);
        var id = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned", comment = "  13.1 与台账不符 " }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "accepted" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision = "returned" }, Ct)).StatusCode);

        var lines = Lines($"/v1/submissions/{id}/review");
        Assert.Equal(
            [
                // In the office's words: the reporter's name and the table's heading, not their ids.
                ("200", $"退回 测试单位 {reporter} 2014年度政府信息公开工作情况统计表 第 1 版：13.1 与台账不符"),
                ("200", $"通过 测试单位 {reporter} 2014年度政府信息公开工作情况统计表 第 1 版"),
                ("400", null),
            ],
            lines.Select(f => (f["Status"], f["Detail"])));
    }

    [Fact]
    public async Task Quick_Reviews_Are_Dated_As_Stored_So_The_Log_Lists_Them_In_The_Order_The_Last_Is_In_Force()
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // after the entries of the tests before
        var since = Factory.Clock.GetUtcNow();
        var reporter = await CreateReporterAsync("town");
        var id = (await (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        // The clock does not move between them: each review is stored a millisecond after the one it replaces.
        var reviewedAt = new List<DateTimeOffset>();
        foreach (var (decision, comment) in new[] { ("returned", "13.1 请核实"), ("accepted", (string?)null), ("returned", "13.1 仍不符"), ("accepted", null) })
        {
            var reviewed = await Admin.PostAsJsonAsync($"/v1/submissions/{id}/review", new { decision, comment }, Ct);
            Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
            reviewedAt.Add((await reviewed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reviewedAt").GetDateTimeOffset());
        }
        Assert.Equal(4, reviewedAt.Distinct().Count());

        // Newest first, each at its review's time: the first listed is the review in force.
        var entries = await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&action={Uri.EscapeDataString("POST v1/submissions/{id}/review")}");
        Assert.Equal(Enumerable.Reverse(reviewedAt), entries.Select(e => e.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal([$"通过 测试单位 {reporter} 2014年度政府信息公开工作情况统计表 第 1 版", $"退回 测试单位 {reporter} 2014年度政府信息公开工作情况统计表 第 1 版：13.1 仍不符"],
            entries.Take(2).Select(e => e.GetProperty("detail").GetString()));
        var current = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions/{id}", Ct)).GetProperty("review");
        Assert.Equal(("accepted", entries[0].GetProperty("at").GetDateTimeOffset()), (current.GetProperty("decision").GetString(), current.GetProperty("reviewedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Each_Change_Says_What_It_Changed_Where_Its_Path_Does_Not()
    {
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇", kind = "town", contact = "王芳 0632-7712345" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "古邵镇人民政府", contact = (string?)null }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = id, label = "张三" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var key = issued.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{key}", Ct)).StatusCode);
        var period = $"/v1/periods/{Catalogue2014}/2011";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = "2012-01-31T17:00:00+08:00", expectedReporters = new[] { id } }, Ct)).StatusCode);

        Assert.Equal($"登记 '{id}' 古邵镇（乡镇街道），联系人 王芳 0632-7712345",
            Assert.Single(Lines("/v1/reporters"), f => f["Method"] == "POST" && f["Detail"]?.Contains(id, StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal($"'{id}'：名称 古邵镇 → 古邵镇人民政府；联系人 王芳 0632-7712345 → （无）", Assert.Single(Lines($"/v1/reporters/{id}"))["Detail"]);
        // The key's reporter and the expected reporters by name, as the office knows them (the id stays in the entry's path and target).
        Assert.Equal($"发放填报单位密钥 {key}，属 古邵镇人民政府，持有人 张三",
            Assert.Single(Lines("/v1/keys"), f => f["Method"] == "POST" && f["Detail"]?.Contains(key.ToString(), StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal($"吊销填报单位密钥 {key}，属 古邵镇人民政府，持有人 张三", Assert.Single(Lines($"/v1/keys/{key}"))["Detail"]);
        Assert.Contains(Lines(period), f => f["Detail"] == "截止时间 （未设） → 2012-01-31 17:00（北京时间）；应报单位 全部登记单位 → 古邵镇人民政府");
    }

    [Fact]
    public async Task A_Retirement_Is_Logged_With_Its_Period_As_People_Read_It_And_None_As_Not_Retired()
    {
        var id = await CreateReporterAsync("town");
        foreach (var retiredFrom in new[] { "2020Q3", null, "2021" })
        {
            var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { retiredFrom }) };
            Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);
        }

        Assert.Equal(
            [$"'{id}'：撤并自 未撤并 → 2020年第3季度", $"'{id}'：撤并自 2020年第3季度 → 未撤并", $"'{id}'：撤并自 未撤并 → 2021年度"],
            Lines($"/v1/reporters/{id}").Select(f => f["Detail"]));
    }

    [Fact]
    public async Task A_Time_At_The_End_Of_9999_Is_Stored_Answered_And_Audited_And_A_Put_That_Changes_Nothing_Says_So()
    {
        // An integrator's "never": the last hours of 9999 (UTC) have no China time to print.
        var never = DateTimeOffset.Parse("9999-12-31T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture);
        var issued = await Admin.PostAsJsonAsync("/v1/keys", new { role = "viewer", label = "大屏", expiresAt = never }, Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var key = (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetGuid();
        Assert.Contains("有效期至 9999-12-31 23:59（UTC）", Assert.Single(Lines("/v1/keys"), f => f["Method"] == "POST" && f["Detail"]?.Contains(key.ToString(), StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{key}", Ct)).StatusCode);
        Assert.Single(Lines($"/v1/keys/{key}"));

        var period = $"/v1/periods/{Catalogue2014}/2008Q4";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = never }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = never }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = (DateTimeOffset?)null }, Ct)).StatusCode);
        Assert.Equal(["截止时间 （未设） → 9999-12-31 23:59（UTC）", "未作改动", "截止时间 9999-12-31 23:59（UTC） → （未设）"],
            Lines(period).Select(f => f["Detail"]).TakeLast(3));
        // A move within one minute moves the deadline all the same, and is said to the second.
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = "2009-01-31T00:00:00+08:00" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { deadline = "2009-01-31T00:00:59+08:00" }, Ct)).StatusCode);
        Assert.Equal("截止时间 2009-01-31 00:00:00 → 2009-01-31 00:00:59（北京时间，精确到秒）", Lines(period).Select(f => f["Detail"]).Last());
    }

    [Fact]
    public async Task A_Refused_Period_Setting_Says_Why_In_Its_Detail()
    {
        // Each refusal the office's page can meet, which the log listed with an empty 详情 beside 未执行（409）.
        var period = $"/v1/periods/{Catalogue2014}/2011Q1";
        var before = Factory.Clock.GetUtcNow();
        var read = (await Admin.GetAsync(period, Ct)).Headers.ETag!.ToString();
        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, object? body, string? ifMatch = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return (await Admin.SendAsync(request, Ct)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, period, new { deadline = "2011-04-30T17:00:00+08:00" }, read));
        Assert.Equal(HttpStatusCode.Conflict, await SendAsync(HttpMethod.Put, period, new { deadline = "2011-05-31T17:00:00+08:00" }, read));
        Assert.Equal(HttpStatusCode.Conflict, await SendAsync(HttpMethod.Post, $"{period}/close", null, read));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await SendAsync(HttpMethod.Put, period, new { expectedReporters = new[] { "no-such-town-x" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(HttpMethod.Put, period, new { deadline = "2010-01-31T17:00:00+08:00" }));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, $"{period}/close", null));
        Assert.Equal(HttpStatusCode.Conflict, await SendAsync(HttpMethod.Put, period, new { deadline = "2011-05-31T17:00:00+08:00" }));

        const string stale = "未改动：页面读取设置之后，其他人已修改了本统计期的设置（截止时间、应报单位名单，或关闭、重新开放），本次操作没有执行";
        Assert.Equal(
            [
                ("PUT", 200, "截止时间 （未设） → 2011-04-30 17:00（北京时间）"),
                ("PUT", 409, stale),
                ("POST", 409, stale),
                ("PUT", 422, "未改动：应报单位名单中有 1 个单位未登记（no-such-town-x）"),
                ("PUT", 400, "未改动：请求有误（deadline）"),
                ("POST", 200, "关闭 2011年第1季度政府信息公开工作情况统计表"),
                ("PUT", 409, "未改动：2011年第1季度统计期已关闭，须重新开放后才能修改截止时间或应报单位名单"),
            ],
            Lines(period).Select(f => (f["Method"], int.Parse(f["Status"]!, System.Globalization.CultureInfo.InvariantCulture), f["Detail"])));
        // The same in the store, which the page reads: no refusal of the period is left without a detail.
        var since = Uri.EscapeDataString(before.ToString("O"));
        var stored = (await StoredAsync($"?from={since}&action={Uri.EscapeDataString("PUT v1/periods/{catalogue}/{period}")}&limit=500"))
            .Concat(await StoredAsync($"?from={since}&action={Uri.EscapeDataString("POST v1/periods/{catalogue}/{period}/close")}&limit=500"))
            .Where(e => e.GetProperty("path").GetString()!.StartsWith(period, StringComparison.Ordinal)).ToList();
        Assert.Equal([200, 200, 400, 409, 409, 409, 422], stored.Select(e => e.GetProperty("status").GetInt32()).Order());
        Assert.All(stored, e => Assert.False(string.IsNullOrEmpty(e.TryGetProperty("detail", out var d) ? d.GetString() : null)));
    }

    [Fact]
    public async Task Each_Entry_Names_What_It_Acted_On_In_Words_Beside_Its_Path()
    {
        // The shared clock stands still between tests: without a step, `from` would take in every earlier test's entries too, and
        // past 500 of them (in random order within one millisecond) cut this test's own.
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var since = Factory.Clock.GetUtcNow();
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇 " + id, kind = "town" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "古邵镇人民政府 " + id }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(patch, Ct)).StatusCode);
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = id, label = "张三" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = issued.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/v1/keys/{key}", Ct)).StatusCode);
        var period = $"/v1/periods/{Catalogue2014}/2011Q2";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync(period, new { expectedReporters = new[] { id } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, id, "2011Q2", [new("13.1", 1)])).StatusCode);
        var submission = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={id}&catalogue={Catalogue2014}&period=2011Q2", Ct))
            .GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/v1/submissions/{submission}/review", new { decision = "accepted" }, Ct)).StatusCode);

        var mine = (await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&limit=500")).Where(e => e.GetProperty("path").GetString() is { } path
            && (path.Contains(id, StringComparison.Ordinal) || path.Contains(key.ToString(), StringComparison.Ordinal) || path.StartsWith(period, StringComparison.Ordinal)
                || path.Contains(submission!, StringComparison.Ordinal))).Reverse().ToList();
        string? Target(JsonElement e) => e.TryGetProperty("target", out var t) ? t.GetString() : null;
        // The reporter by its name as it is now; the key by whose it is; the period and the reviewed table by their headings. The path stays.
        Assert.Equal(
            [
                ($"/v1/reporters/{id}", $"古邵镇人民政府 {id}"),
                ($"/v1/keys/{key}", $"填报单位密钥（古邵镇人民政府 {id}，持有人 张三）"),
                (period, "2011年第2季度政府信息公开工作情况统计表"),
                ($"/v1/submissions/{submission}/review", $"古邵镇人民政府 {id} 2011年第2季度政府信息公开工作情况统计表 第 1 版"),
            ],
            mine.Select(e => (e.GetProperty("path").GetString(), Target(e))).OrderBy(e => e.Item1 == period ? 2 : e.Item1!.StartsWith("/v1/keys", StringComparison.Ordinal) ? 1 : e.Item1.StartsWith("/v1/reporters", StringComparison.Ordinal) ? 0 : 3));
        // A registration names the reporter in its detail, its path nothing: no target.
        var from = Uri.EscapeDataString(DateTimeOffset.UnixEpoch.ToString("O"));
        Assert.Null(Target((await StoredAsync($"?action={Uri.EscapeDataString("POST v1/reporters")}&limit=1"))[0]));

        // The CSV has the same words in its 对象 column, beside the path.
        var csv = await (await Admin.GetAsync($"/v1/audit?format=csv&reporter={id}&from={from}", Ct)).Content.ReadAsStringAsync(Ct);
        var header = csv.TrimStart('\uFEFF').Split("\r\n")[0].Split(',');
        Assert.Equal(Array.IndexOf(header, "路径") - 1, Array.IndexOf(header, "对象"));
        var all = await (await Admin.GetAsync($"/v1/audit?format=csv&keyId={ApiKeys.ConfiguredAdminKeyId}&action={Uri.EscapeDataString("DELETE v1/keys/{id}")}", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($",填报单位密钥（古邵镇人民政府 {id}，持有人 张三）,/v1/keys/{key},", all);
        // Renamed since, the reporter is named as it is now, and marked so beside a detail that names it as it was then: the entry
        // does not read as though the review had been of another name, nor as though its detail had changed.
        var rename = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "古邵街道 " + id }) };
        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(rename, Ct)).StatusCode);
        var review = (await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&limit=500")).First(e => e.GetProperty("path").GetString() == $"/v1/submissions/{submission}/review");
        Assert.Equal($"古邵街道 {id}（现名） 2011年第2季度政府信息公开工作情况统计表 第 1 版", Target(review));
        Assert.Contains($"古邵镇人民政府 {id}", review.GetProperty("detail").GetString());
        var renames = (await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&limit=500")).Where(e => e.GetProperty("path").GetString() == $"/v1/reporters/{id}").ToList();
        Assert.Equal([$"古邵街道 {id}", $"古邵街道 {id}（现名）"], renames.Select(Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reopening_An_Open_Period_Or_Closing_A_Closed_One_Again_Is_Logged_As_Changing_Nothing()
    {
        // A second browser tab still showing the period as it was: its press finds nothing to do.
        var period = $"/v1/periods/{Catalogue2014}/2009Q2";
        foreach (var action in new[] { "reopen", "close", "close", "reopen" })
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{period}/{action}", null, Ct)).StatusCode);

        var closedAt = AuditText.Time(Factory.Clock.GetUtcNow());
        Assert.Equal(
            [
                ($"{period}/reopen", "未作改动（本已开放）"),
                ($"{period}/close", "关闭 2009年第2季度政府信息公开工作情况统计表"),
                ($"{period}/close", $"未作改动（本已关闭，关闭于 {closedAt}）"),
                ($"{period}/reopen", "重新开放 2009年第2季度政府信息公开工作情况统计表（未说明原因）"),
            ],
            Lines(period).Select(f => (f["Path"], f["Detail"])));
    }

    [Fact]
    public async Task A_Reopening_Keeps_The_Reason_The_Office_Gave_For_It()
    {
        // A reopened period lets every reporter rewrite a table that may have been published: the inspector reads why.
        var period = $"/v1/periods/{Catalogue2014}/2008Q3";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{period}/close", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsync($"{period}/reopen?reason={Uri.EscapeDataString("补报\u0007")}", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"{period}/reopen?reason={Uri.EscapeDataString(" 坛山街道补报：原报表漏报依申请公开数 ")}", null, Ct)).StatusCode);

        Assert.Equal("重新开放 2008年第3季度政府信息公开工作情况统计表：坛山街道补报：原报表漏报依申请公开数",
            Lines($"{period}/reopen").Single(f => f["Status"] == "200")["Detail"]);
        var stored = (await StoredAsync($"?action={Uri.EscapeDataString("POST v1/periods/{catalogue}/{period}/reopen")}&limit=500"))
            .Where(e => e.GetProperty("path").GetString()!.StartsWith(period, StringComparison.Ordinal) && e.GetProperty("status").GetInt32() == 200);
        Assert.Equal("重新开放 2008年第3季度政府信息公开工作情况统计表：坛山街道补报：原报表漏报依申请公开数", Assert.Single(stored).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_Close_Retried_On_The_Tag_Its_First_Attempt_Replaced_Is_Logged_As_Changing_Nothing()
    {
        // Its answer lost, the page sends the close again with the tag it read before the first: the log says closed once.
        var period = $"/v1/periods/{Catalogue2014}/2011Q4";
        var read = (await Admin.GetAsync(period, Ct)).Headers.ETag!.ToString();
        var closedAt = AuditText.Time(Factory.Clock.GetUtcNow());
        foreach (var _ in new[] { 1, 2 })
        {
            var close = new HttpRequestMessage(HttpMethod.Post, $"{period}/close");
            close.Headers.TryAddWithoutValidation("If-Match", read);
            Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(close, Ct)).StatusCode);
        }

        Assert.Equal(["关闭 2011年第4季度政府信息公开工作情况统计表", $"未作改动（本已关闭，关闭于 {closedAt}）"],
            Lines(period).Select(f => f["Detail"]));
    }

    [Fact]
    public async Task A_Name_Refused_As_Another_Reporters_Is_Logged_With_Whose_It_Is()
    {
        var holder = await CreateReporterAsync("town");
        var (id, other) = (NewId(), await CreateReporterAsync("town"));
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "测试单位 " + holder, kind = "town" }, Ct)).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{other}") { Content = JsonContent.Create(new { name = "测试单位 " + holder }) };
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.SendAsync(patch, Ct)).StatusCode);

        Assert.Equal($"未登记 '{id}'：名称 测试单位 {holder} 已属 '{holder}'",
            Assert.Single(Lines("/v1/reporters"), f => f["Status"] == "409" && f["Detail"]?.Contains(id, StringComparison.Ordinal) == true)["Detail"]);
        Assert.Equal($"'{other}' 未改动：名称 测试单位 {holder} 已属 '{holder}'", Assert.Single(Lines($"/v1/reporters/{other}"))["Detail"]);
    }

    [Fact]
    public async Task The_Service_Writes_Its_Lines_With_Chinese_As_Written_Not_Escaped()
    {
        var db = TestDatabase.NewPath("audit-log");
        try
        {
            const string adminKey = "audit-log-admin-key-0123456789";
            await using var service = await ServiceProcess.StartAsync(db, adminKey, Ct);
            using var admin = service.Client(adminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "gushao-town", name = "古邵镇", kind = "town" }, Ct)).StatusCode);

            // The console logger writes from a queue of its own: the line is waited for, not assumed written with the answer.
            var line = (await service.WaitForOutputAsync("\"Category\":\"Disclosure.Audit\"", Ct)).Split('\n')
                .First(l => l.Contains("\"Category\":\"Disclosure.Audit\"", StringComparison.Ordinal));
            Assert.Contains("\"Detail\":\"登记 'gushao-town' 古邵镇（乡镇街道）\"", line);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task A_Clerk_With_An_Admin_Key_Of_Their_Own_Acts_As_The_Office_And_Is_Named_In_The_Log_And_The_Revisions()
    {
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "王芳（区政务公开办）" }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var (keyId, clerk) = (issued.GetProperty("id").GetGuid(), Factory.Client(issued.GetProperty("key").GetString()!));
        var id = NewId();

        Assert.Equal(HttpStatusCode.Created, (await clerk.PostAsJsonAsync("/v1/reporters", new { id, name = "阴平镇", kind = "town" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(clerk, id, "2014", [new("13.1", 1)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync("/v1/keys", Ct)).StatusCode);

        var line = Assert.Single(Lines("/v1/reporters"), f => f["Method"] == "POST" && f["Detail"]?.Contains(id, StringComparison.Ordinal) == true);
        Assert.Equal((keyId.ToString(), "admin", "王芳（区政务公开办）"), (line["KeyId"], line["Role"], line["Holder"]));
        var by = (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/submissions?reporter={id}&catalogue={Catalogue2014}&period=2014", Ct))
            .GetProperty("items")[0].GetProperty("submittedBy");
        Assert.Equal((keyId, "admin", "王芳（区政务公开办）"), (by.GetProperty("keyId").GetGuid(), by.GetProperty("role").GetString(), by.GetProperty("label").GetString()));
    }

    // ---- the log kept in the store (GET /v1/audit) ------------------------------------------------

    private async Task<List<JsonElement>> StoredAsync(string query = "")
    {
        var response = await Admin.GetAsync("/v1/audit" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task A_Line_Feed_Or_Right_To_Left_Override_In_A_Path_Is_Logged_And_Stored_As_U_FFFD_So_No_Request_Reorders_Its_Line()
    {
        var mine = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = mine, name = $"单位 {mine}", kind = "town" }, Ct)).StatusCode);
        var (keyId, key) = await CreateKeyAsync("reporter", mine);
        // A reporter key may not read a period's settings (a stored 403); a wrong key's 401 is a log line alone. U+202E would show
        // the status, key and address after it reversed, 4.3.2.1 as 1.2.3.4, wherever the line is read.
        Assert.Equal(HttpStatusCode.Forbidden, (await Factory.Client(key).GetAsync($"/v1/periods/{mine}%E2%80%AE%0A4.3.2.1/2014", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client("dk_not-a-key-of-this-service").GetAsync($"/v1/periods/{mine}%E2%81%A6x/2014", Ct)).StatusCode);

        var stored = Assert.Single(await StoredAsync($"?keyId={keyId}"));
        Assert.Equal($"/v1/periods/{mine}\uFFFD\uFFFD4.3.2.1/2014", stored.GetProperty("path").GetString());
        Assert.Equal(new string?[] { $"/v1/periods/{mine}\uFFFD\uFFFD4.3.2.1/2014", $"/v1/periods/{mine}\uFFFDx/2014" }, Lines(mine).Select(f => f["Path"]).ToArray());
    }

    [Fact]
    public async Task One_Keys_Refusals_Are_Stored_At_Most_60_A_Minute_Then_One_Entry_Says_The_Rest_Are_Not_And_A_Long_Path_Is_Cut()
    {
        var mine = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = mine, name = $"单位 {mine}", kind = "town" }, Ct)).StatusCode);
        var (keyId, key) = await CreateKeyAsync("reporter", mine);
        var town = Factory.Client(key);
        var path = "/v1/reporters/" + new string('x', 7000);
        for (var i = 0; i < 70; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync(path, Ct)).StatusCode);

        var stored = await StoredAsync($"?keyId={keyId}&limit=500");
        Assert.Equal(AuditLog.MaxRefusalsStoredPerMinute + 1, stored.Count); // not 70
        Assert.All(stored, e => Assert.Equal(path[..256] + "…", e.GetProperty("path").GetString()));
        Assert.Single(stored, e => e.TryGetProperty("detail", out var d)
            && d.GetString()!.StartsWith("该密钥本分钟内已被拒绝 60 次，本分钟内此后被拒绝的请求不再逐条存入操作日志", StringComparison.Ordinal));
        // Every refusal still has its log line, with the path cut as well.
        var lines = Factory.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == AuditLog.Category
            && r.StructuredState!.Any(kv => kv.Key == "KeyId" && kv.Value == keyId.ToString())).ToList();
        Assert.Equal(70, lines.Count);
        Assert.All(lines, r => Assert.Contains(r.StructuredState!, kv => kv.Key == "Path" && kv.Value == path[..256] + "…"));

        // The next minute, its refusals are stored again.
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync($"/v1/reporters/{NewId()}", Ct)).StatusCode);
        Assert.Equal(AuditLog.MaxRefusalsStoredPerMinute + 2, (await StoredAsync($"?keyId={keyId}&limit=500")).Count);
    }

    [Fact]
    public async Task A_Table_Refused_For_Its_Closed_Period_Is_Kept_As_An_Attempt_Under_Its_Key_At_Most_60_A_Minute()
    {
        // A host of its own: closing a period closes it to every test.
        await using var own = new ApiFactory();
        using var admin = own.Admin();
        var mine = NewId();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = mine, name = "古邵镇", kind = "town" }, Ct)).StatusCode);
        var issued = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = mine }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var (keyId, town) = (issued.GetProperty("id").GetGuid(), own.Client(issued.GetProperty("key").GetString()!));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/periods/{Catalogue2014}/2014/close", null, Ct)).StatusCode);

        for (var i = 0; i < AuditLog.MaxRefusalsStoredPerMinute + 5; i++)
            Assert.Equal(HttpStatusCode.Conflict, (await SubmitAsync(town, mine, "2014", SeedTable.Values)).StatusCode);

        // An attempt to change a table the office closed is the office's to know of, with who tried; one system sending it again
        // and again fills no disk, as a key's other refusals do not.
        var stored = (await (await admin.GetAsync($"/v1/audit?keyId={keyId}&limit=500", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(AuditLog.MaxRefusalsStoredPerMinute + 1, stored.Count);
        Assert.All(stored, e => Assert.Equal(("POST", "v1/submissions", 409, mine), (e.GetProperty("method").GetString(), e.GetProperty("route").GetString(),
            e.GetProperty("status").GetInt32(), e.GetProperty("reporter").GetString())));
        // The fake clock stands still: the entries share a millisecond, so they are counted, not read in order.
        Assert.Equal(AuditLog.MaxRefusalsStoredPerMinute, stored.Count(e => e.GetProperty("detail").GetString() == "拒收 古邵镇 2014年度政府信息公开工作情况统计表：2014年度统计期已关闭"));
        Assert.Single(stored, e => e.GetProperty("detail").GetString()!.StartsWith("该密钥本分钟内已被拒绝 60 次", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_Offices_Changes_And_A_Key_Refused_Are_Kept_In_The_Store_Newest_First_With_Who_Made_Them()
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // after the entries of the tests before
        var since = Factory.Clock.GetUtcNow();
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "峨山镇", kind = "town" }, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "王芳" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var (clerkId, clerk) = (issued.GetProperty("id").GetGuid(), Factory.Client(issued.GetProperty("key").GetString()!));
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/reporters/{id}") { Content = JsonContent.Create(new { name = "峨山镇人民政府" }) };
        Assert.Equal(HttpStatusCode.OK, (await clerk.SendAsync(patch, Ct)).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var (townKeyId, townKey) = await CreateKeyAsync("reporter", id);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var town = Factory.Client(townKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync("/v1/keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(town, id, "2014", [new("13.1", 1)])).StatusCode);

        var entries = (await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}")).ToList();
        Assert.Equal(
            [
                ("GET", "/v1/keys", 403, townKeyId, "reporter", (string?)id, (string?)null),
                ("POST", "/v1/keys", 201, ApiKeys.ConfiguredAdminKeyId, "admin", null, null),
                ("PATCH", $"/v1/reporters/{id}", 200, clerkId, "admin", null, "王芳"),
                ("POST", "/v1/keys", 201, ApiKeys.ConfiguredAdminKeyId, "admin", null, null),
                ("POST", "/v1/reporters", 201, ApiKeys.ConfiguredAdminKeyId, "admin", null, null),
            ],
            entries.Select(e => (e.GetProperty("method").GetString(), e.GetProperty("path").GetString(), e.GetProperty("status").GetInt32(),
                e.GetProperty("keyId").GetGuid(), e.GetProperty("role").GetString(), e.TryGetProperty("reporter", out var r) ? r.GetString() : null,
                e.TryGetProperty("holder", out var h) ? h.GetString() : null)));
        Assert.Equal($"'{id}'：名称 峨山镇 → 峨山镇人民政府", entries[2].GetProperty("detail").GetString());
        Assert.Equal("v1/reporters/{id}", entries[2].GetProperty("route").GetString());
        Assert.Equal($"登记 '{id}' 峨山镇（乡镇街道）", entries[4].GetProperty("detail").GetString());
        Assert.Equal(since, entries[4].GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));

        // One key's entries alone: the clerk's.
        var clerks = await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&keyId={clerkId}");
        Assert.Equal([$"/v1/reporters/{id}"], clerks.Select(e => e.GetProperty("path").GetString()));
        // One reporter's entries alone (its keys'), and one action's, however the path names its ids; both as CSV too.
        var towns = await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&reporter={id}");
        Assert.Equal([("GET", "/v1/keys", 403)], towns.Select(e => (e.GetProperty("method").GetString(), e.GetProperty("path").GetString(), e.GetProperty("status").GetInt32())));
        var issues = await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&action={Uri.EscapeDataString("post v1/keys")}");
        Assert.Equal([201, 201], issues.Select(e => e.GetProperty("status").GetInt32()));
        Assert.All(issues, e => Assert.Equal("v1/keys", e.GetProperty("route").GetString()));
        var csv = await Admin.GetStringAsync($"/v1/audit?format=csv&from={Uri.EscapeDataString(since.ToString("O"))}&reporter={id}", Ct);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // the heading and the one entry
        // Given empty, either is a 400 naming it, as every parameter: read as absent, it would list every reporter's entries.
        var empty = await Admin.GetAsync($"/v1/audit?from={Uri.EscapeDataString(since.ToString("O"))}&reporter=&action=", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(["reporter", "action"], (await empty.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(5, (await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}")).Count);
        var wrong = await Admin.GetAsync($"/v1/audit?action=v1%2Fkeys", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("action", await wrong.Content.ReadAsStringAsync(Ct));
        // The route with a leading slash is the route; a path where the template is asked for is refused, naming the template.
        var slashed = await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&action={Uri.EscapeDataString("PATCH /v1/reporters/{id}")}");
        Assert.Equal([$"/v1/reporters/{id}"], slashed.Select(e => e.GetProperty("path").GetString()));
        var path = await Admin.GetAsync($"/v1/audit?action={Uri.EscapeDataString($"PATCH v1/reporters/{id}")}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, path.StatusCode);
        Assert.Contains("应写作 PATCH v1/reporters/{id}", await path.Content.ReadAsStringAsync(Ct));
        // A reporter id of no reporter's shape (600 characters) is refused; a well-formed one not registered is an empty page.
        var tooLong = await Admin.GetAsync($"/v1/audit?reporter={new string('a', 600)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("填报单位代码（reporter）须由 2 至 64 个", await tooLong.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await StoredAsync($"?from={Uri.EscapeDataString(since.ToString("O"))}&reporter=nosuch"));

        // The office reads it; nobody else.
        Assert.Equal(HttpStatusCode.Forbidden, (await town.GetAsync("/v1/audit", Ct)).StatusCode);
        var (_, viewer) = await CreateKeyAsync("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await Factory.Client(viewer).GetAsync("/v1/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync("/v1/audit?limit=1", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_Keys_Check_At_Sign_In_Is_Recorded_But_Not_Other_Reads_Nor_A_Key_The_Service_Does_Not_Hold()
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // after the entries of the tests before
        var since = Factory.Clock.GetUtcNow();
        var town = NewId();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/reporters", new { id = town, name = "坛山街道", kind = "town" }, Ct)).StatusCode);
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter = town, label = "李四" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var client = Factory.Client(issued.GetProperty("key").GetString()!);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/reporters/{town}/periods", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.Client("dk_not-a-key-of-this-service").GetAsync("/v1/me", Ct)).StatusCode);

        var signIn = Assert.Single(await StoredAsync($"?from={Uri.EscapeDataString(since.AddSeconds(1).ToString("O"))}"));
        Assert.Equal(("GET", "v1/me", 200, issued.GetProperty("id").GetGuid(), town, "李四"),
            (signIn.GetProperty("method").GetString(), signIn.GetProperty("route").GetString(), signIn.GetProperty("status").GetInt32(),
                signIn.GetProperty("keyId").GetGuid(), signIn.GetProperty("reporter").GetString(), signIn.GetProperty("holder").GetString()));
    }

    [Fact]
    public async Task The_Stored_Log_Is_Read_A_Page_At_A_Time_And_A_Window_Of_Time_Bounds_It()
    {
        Factory.Clock.Advance(TimeSpan.FromDays(400)); // after every other test's entries
        var since = Factory.Clock.GetUtcNow();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateReporterAsync("town"));
            Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var from = Uri.EscapeDataString(since.ToString("O"));

        var read = new List<string>();
        string? before = null;
        for (var page = 0; page < 4; page++)
        {
            var body = await Admin.GetFromJsonAsync<JsonElement>($"/v1/audit?from={from}&limit=2" + (before is null ? "" : $"&before={before}"), Ct);
            read.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("detail").GetString()!.Split('\'')[1]));
            if (!body.TryGetProperty("next", out var next)) break;
            before = next.GetString();
        }
        Assert.Equal(Enumerable.Reverse(ids), read);

        var to = Uri.EscapeDataString(since.AddMinutes(2).ToString("O"));
        Assert.Equal([ids[1], ids[0]], (await StoredAsync($"?from={from}&to={to}")).Select(e => e.GetProperty("detail").GetString()!.Split('\'')[1]));
    }

    [Fact]
    public async Task The_Log_As_Csv_Holds_Every_Entry_Of_The_Time_Asked_For_In_Chinese_For_Excel()
    {
        Factory.Clock.Advance(TimeSpan.FromDays(800)); // after every other test's entries
        var since = Factory.Clock.GetUtcNow();
        var issued = await (await Admin.PostAsJsonAsync("/v1/keys", new { role = "admin", label = "=1+1" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var clerk = Factory.Client(issued.GetProperty("key").GetString()!);
        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        // More than the store's page of 500, which the CSV reads on past.
        var ids = Enumerable.Range(0, 501).Select(_ => NewId()).ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (id, ct) =>
            Assert.Equal(HttpStatusCode.Created, (await clerk.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇 " + id, kind = "town" }, ct)).StatusCode));
        var from = Uri.EscapeDataString(since.ToString("O"));

        var response = await Admin.GetAsync($"/v1/audit?format=csv&from={from}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"audit-{since.ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        // Without a first day, named by the last (today): not by 1970.
        var everything = await Admin.GetAsync("/v1/audit?format=csv&limit=1", Ct);
        Assert.Equal($"audit-until-{Factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}.csv", everything.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("时间（北京时间）,操作人,角色,填报单位,操作,结果,HTTP 状态,详情,对象,路径,来源地址,密钥,记录编号", lines[0]);
        Assert.Equal(1 + 501 + 1, lines.Length);
        var registered = lines[1..502].Select(l => l.Split(',')).ToList();
        Assert.All(registered, f => Assert.Equal(("'=1+1", "管理员", "登记填报单位", "成功", "201", "", "/v1/reporters"), (f[1], f[2], f[4], f[5], f[6], f[8], f[9])));
        Assert.Equal(ids.Order(), registered.Select(f => f[7].Split('\'')[1]).Order());
        Assert.Contains("区政务公开办,管理员,,发放密钥,成功,201,发放管理员密钥", lines[^1]); // the configured key, which has no holder
        Assert.Contains("given more than once", (await ProblemAsync(await Admin.GetAsync("/v1/audit?format=json&format=csv", Ct), 400)).GetProperty("detail").GetString());
        Assert.Equal(since.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), lines[^1].Split(',')[0]);

        // The same by Accept; a format the log does not come in is refused.
        using var byAccept = new HttpRequestMessage(HttpMethod.Get, $"/v1/audit?from={from}");
        byAccept.Headers.Accept.ParseAdd("text/csv");
        Assert.Equal(bytes, await (await Admin.SendAsync(byAccept, Ct)).Content.ReadAsByteArrayAsync(Ct));
        using var xml = new HttpRequestMessage(HttpMethod.Get, "/v1/audit");
        xml.Headers.Accept.ParseAdd("application/xml");
        await ProblemAsync(await Admin.SendAsync(xml, Ct), 406);
        Assert.Equal("format", Assert.Single((await ProblemAsync(await Admin.GetAsync("/v1/audit?format=xlsx", Ct), 400)).GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=many", "limit")]
    [InlineData("?before=yesterday", "before")]
    [InlineData("?from=2026-12-01", "from")]
    [InlineData("?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    public async Task A_Query_The_Log_Cannot_Answer_Is_A_400_Naming_The_Parameter(string query, string name)
    {
        var problem = await ProblemAsync(await Admin.GetAsync("/v1/audit" + query, Ct), 400);
        Assert.Equal(name, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_Change_Is_Answered_When_Its_Entry_Cannot_Be_Stored_And_The_Failure_Is_Logged()
    {
        await using var root = new ApiFactory();
        await using var failing = root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IAuditStore>(new FailingAuditStore())));
        using var admin = failing.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var id = NewId();

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id, name = "古邵镇", kind = "town" }, Ct)).StatusCode);

        Assert.Equal("古邵镇", (await admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct)).GetProperty("name").GetString());
        Assert.Contains(failing.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Category == AuditLog.Category && r.Level == LogLevel.Error && r.Message.Contains("/v1/reporters", StringComparison.Ordinal));
        Assert.Contains(failing.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Category == AuditLog.Category && r.Level == LogLevel.Information && r.StructuredState!.Any(kv => kv.Key == "Detail" && kv.Value?.Contains(id, StringComparison.Ordinal) == true));
    }

    private sealed class FailingAuditStore : IAuditStore
    {
        public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct) => throw new IOException("disk I/O error");
        public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct) => throw new IOException("disk I/O error");
    }
}
