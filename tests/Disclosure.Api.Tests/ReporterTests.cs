using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

public sealed class ReporterTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_Reporter_Is_Registered_And_Read_Back()
    {
        var id = NewId("edu");
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "峄城区教育局", kind = "department" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/reporters/{id}", response.Headers.Location?.ToString());

        var body = await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{id}", Ct);
        Assert.Equal("峄城区教育局", body.GetProperty("name").GetString());
        Assert.Equal("department", body.GetProperty("kind").GetString());
        Assert.Contains((await Admin.GetFromJsonAsync<JsonElement>("/v1/reporters", Ct)).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_Duplicate_Id_Is_409()
    {
        var id = await CreateReporterAsync();
        var response = await Admin.PostAsJsonAsync("/v1/reporters", new { id, name = "again", kind = "town" }, Ct);
        var problem = await ProblemAsync(response, 409);
        Assert.Contains(id, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"id\":\"Upper-Case\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"a\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"town-newline\\n\",\"name\":\"x\",\"kind\":\"town\"}", "id")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"\",\"kind\":\"town\"}", "name")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"x\",\"kind\":\"village\"}", "kind")]
    [InlineData("{\"id\":\"ok-id\",\"name\":\"x\"}", "kind")]
    public async Task A_Malformed_Reporter_Is_400_Naming_The_Field(string json, string field)
    {
        var response = await Admin.PostAsync("/v1/reporters", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await ProblemAsync(response, 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString()!.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_Unknown_Reporter_Is_404_Problem() =>
        await ProblemAsync(await Admin.GetAsync("/v1/reporters/no-such-one", Ct), 404);

    [Fact]
    public async Task Unknown_Routes_And_Methods_Are_Problems()
    {
        await ProblemAsync(await Admin.GetAsync("/v1/nothing-here", Ct), 404);
        await ProblemAsync(await Admin.PutAsJsonAsync("/v1/reporters", new { }, Ct), 405);
    }
}
