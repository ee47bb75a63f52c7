using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace Disclosure.Api.Tests;

/// <summary>The browser front end's files carry the headers that keep a person's key to the page's own script.</summary>
public sealed class PageHeadersTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task The_Pages_Run_Only_Their_Own_Script_Are_Not_Framed_And_Are_Not_Sniffed(string path, string type)
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
