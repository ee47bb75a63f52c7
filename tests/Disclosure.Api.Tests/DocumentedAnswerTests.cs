using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// Answers an integrator checked against the OpenAPI document and found saying something else: each is now what the document
/// says, in one form.
/// </summary>
public sealed class DocumentedAnswerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Every_Problem_Has_The_One_Content_Type_Without_A_Charset()
    {
        var malformed = await Admin.PostAsJsonAsync("/v1/reporters", new { id = "X", name = "无效", kind = "town" }, Ct);
        var unknown = await Admin.GetAsync("/v1/reporters/nobody-here", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(Problems.ContentType, malformed.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(Problems.ContentType, unknown.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_List_Of_Entity_Tags_In_If_Match_Is_A_400_Saying_One_Is_Taken()
    {
        var reporter = await CreateReporterAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/submissions") { Content = JsonContent.Create(Body(reporter, "2014", [new("13.1", 1)])) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"5\", \"6\"");

        var problem = await ProblemAsync(await Admin.SendAsync(request, Ct), 400);

        var reason = Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString();
        Assert.Contains("a list of entity tags is not taken", reason);
        Assert.DoesNotContain("weak", reason);
        Assert.Equal(0, (await RevisionsAsync(reporter, "2014")).GetArrayLength());
    }

    [Fact]
    public async Task The_Swagger_Initializer_Script_Opens_This_Services_Document_Not_The_Petstore()
    {
        var response = await Factory.CreateClient().GetAsync("/swagger/swagger-initializer.js", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var script = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("petstore", script, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(OpenApi.DocumentPath, script);
    }

    [Fact]
    public async Task The_Catalogues_First_Year_Has_No_Year_Before_To_Compare_With()
    {
        var town = await CreateReporterAsync("town");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, town, "2008", [new("1.2.1", 9876)])).StatusCode);

        var first = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2008Q2/far-from-last-year", Ct);
        var later = await Admin.GetFromJsonAsync<JsonElement>($"/v1/aggregates/{Catalogue2014}/2009/far-from-last-year", Ct);

        Assert.False(first.TryGetProperty("yearBefore", out _));
        Assert.Equal(0, first.GetProperty("items").GetArrayLength());
        Assert.Equal("2008", later.GetProperty("yearBefore").GetString());
    }

    [Fact]
    public async Task Audit_Before_Is_A_Position_In_Time_So_An_Id_Not_In_The_Log_Pages_From_Its_Time()
    {
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/v1/me", Ct)).StatusCode);

        var later = await Admin.GetFromJsonAsync<JsonElement>($"/v1/audit?before={Guid.CreateVersion7(DateTimeOffset.UtcNow.AddYears(1))}", Ct);
        var earlier = await Admin.GetFromJsonAsync<JsonElement>($"/v1/audit?before={Guid.CreateVersion7(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))}", Ct);

        Assert.NotEqual(0, later.GetProperty("items").GetArrayLength());
        Assert.Equal(0, earlier.GetProperty("items").GetArrayLength());
    }
}
