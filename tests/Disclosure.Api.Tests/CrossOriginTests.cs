using System.Net;
using Disclosure.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Disclosure.Api.Tests;

/// <summary>
/// A dashboard on another origin (大屏) reads the district table from the browser: its origin, once the district lists it in
/// Cors:AllowedOrigins, gets its preflight answered without a key and the ETag exposed; any other origin, and every origin
/// while none is listed, gets no CORS header, so the browser keeps the answer from its page.
/// </summary>
public sealed class CrossOriginTests
{
    private const string Dashboard = "https://dashboard.example.gov.cn";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/aggregates/gov-info-disclosure-2014/2014");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "x-api-key,if-none-match");
        return request;
    }

    private static HttpRequestMessage Read(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/aggregates/gov-info-disclosure-2014/2014");
        request.Headers.Add("Origin", origin);
        request.Headers.Add(ApiKeys.Header, ApiFactory.AdminKey);
        return request;
    }

    [Fact]
    public async Task A_Listed_Origin_Is_Answered_Its_Preflight_Without_A_Key_And_Reads_The_ETag_Other_Origins_Get_No_Header()
    {
        await using var root = new ApiFactory();
        await using var service = root.WithWebHostBuilder(b => b.UseSetting("Cors:AllowedOrigins:0", Dashboard));
        using var client = service.CreateClient();

        var preflight = await client.SendAsync(Preflight(Dashboard), Ct);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Dashboard, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-api-key", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        var read = await client.SendAsync(Read(Dashboard), Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(Dashboard, read.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", string.Join(",", read.Headers.GetValues("Access-Control-Expose-Headers")));

        var other = await client.SendAsync(Read("https://elsewhere.example.com"), Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode); // answered: it is the browser that withholds it
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task No_Origin_Is_Allowed_Until_One_Is_Listed()
    {
        await using var service = new ApiFactory();
        using var client = service.CreateClient();
        Assert.False((await client.SendAsync(Preflight(Dashboard), Ct)).Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False((await client.SendAsync(Read(Dashboard), Ct)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
