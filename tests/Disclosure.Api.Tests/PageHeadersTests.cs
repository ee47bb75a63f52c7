using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Disclosure.Api.Infrastructure;
using System.Net.Http.Headers;

namespace Disclosure.Api.Tests;

/// <summary>The browser front end's files carry the headers that keep a person's key to the page's own script.</summary>
public sealed class PageHeadersTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    [InlineData("/swagger/index.html", "text/html")]
    [InlineData("/swagger/index.js", "application/javascript")]
    public async Task The_Pages_And_Swagger_Ui_Run_Only_Their_Own_Script_Are_Not_Framed_And_Are_Not_Sniffed(string path, string type)
    {
        var response = await Factory.CreateClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/", "If-Match", "\"nope\"", 412)]
    [InlineData("/", "Range", "bytes=99999999-", 416)]
    [InlineData("/app.js", "If-Match", "\"nope\"", 412)]
    [InlineData("/app.js", "Range", "bytes=99999999-", 416)]
    [InlineData("/app.css", "Range", "bytes=99999999-", 416)]
    public async Task The_Pages_Refusals_Of_A_Precondition_Or_A_Range_Are_Problems_As_Every_Refusal_Is(string path, string header, string value, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await Factory.CreateClient().SendAsync(request, Ct);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(Problems.ContentType, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal(ProblemTypes.ForStatus(status).Uri, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(header is "Range" ? "Range" : "If-Match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The path the client asked for, / included, which the service answers with its default file (index.html).
        Assert.Equal(path, problem.GetProperty("instance").GetString());
        if (status == 416) Assert.NotNull(response.Content.Headers.ContentRange?.Length);
    }

    [Theory]
    [InlineData("/v1/me")]
    [InlineData("/v1/reporters")]
    [InlineData("/v1/keys")]
    [InlineData("/v1/audit")]
    [InlineData("/v1/audit?format=csv")]
    [InlineData("/v1/reporters/no-such-reporter")]
    public async Task What_Carries_Peoples_Names_Contacts_Keys_Or_The_Audit_Log_Is_Not_Stored_By_Any_Cache_Nor_Sniffed(string path)
    {
        var reporter = await CreateReporterAsync();
        var response = await Admin.GetAsync(path.Replace("no-such-reporter", reporter, StringComparison.Ordinal), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {response.Headers.CacheControl}");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task An_Aggregate_Keeps_Its_ETag_And_Is_Revalidated_And_Every_Answer_Is_Not_Sniffed()
    {
        var response = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.False(response.Headers.CacheControl?.NoStore);
        var again = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);

        foreach (var path in new[] { "/v1/catalogues", "/health/live", "/v1/no-such-path", OpenApi.DocumentPath })
        {
            var answer = await Factory.CreateClient().GetAsync(path, Ct);
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Theory]
    [InlineData("/", "gzip")]
    [InlineData("/app.js", "br")]
    [InlineData("/app.js", "gzip")]
    [InlineData("/app.css", "br")]
    public async Task The_Pages_Files_Are_Compressed_When_Asked_And_Unchanged_Ones_Answered_304(string path, string encoding)
    {
        var client = Factory.CreateClient();
        var plain = await client.GetByteArrayAsync(path, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        var compressed = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        var body = await compressed.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(body.Length < plain.Length, $"{body.Length} bytes compressed, {plain.Length} plain.");
        await using Stream inflated = encoding == "gzip"
            ? new GZipStream(new MemoryStream(body), CompressionMode.Decompress)
            : new BrotliStream(new MemoryStream(body), CompressionMode.Decompress);
        using var read = new MemoryStream();
        await inflated.CopyToAsync(read, Ct);
        Assert.Equal(plain, read.ToArray());

        // The file's tag, sent back, is answered 304 without a body, compressed or not.
        var tag = compressed.Headers.ETag;
        Assert.NotNull(tag);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        again.Headers.IfNoneMatch.Add(tag);
        var unchanged = await client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(Ct));
    }
}
