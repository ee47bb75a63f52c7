using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>The rendered aggregate is reused between writes, never across one, and served gzipped on request.</summary>
public sealed class AggregateReuseTests(ApiFactory factory) : ApiTest(factory)
{
    private static string Path(string reporter) => $"/v1/aggregates/{Catalogue2014}/2014?reporters={reporter}";

    private async Task<decimal?> TotalAsync(string reporter, string code)
    {
        var response = await Admin.GetAsync(Path(reporter), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var total = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code).GetProperty("total");
        return total.ValueKind == JsonValueKind.Null ? null : total.GetDecimal();
    }

    [Fact]
    public async Task Every_Submission_Answered_201_Is_In_The_Very_Next_Read()
    {
        var reporter = await CreateReporterAsync();
        Assert.Null(await TotalAsync(reporter, "13.1"));
        for (var value = 1; value <= 5; value++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", value)])).StatusCode);
            Assert.Equal(value, await TotalAsync(reporter, "13.1"));
            Assert.Equal(value, await TotalAsync(reporter, "13.1"));
        }
    }

    [Fact]
    public async Task A_Gzip_Read_Is_The_Same_Table_Under_Its_Own_ETag()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", SeedTable.Values)).StatusCode);

        var plain = await Admin.GetAsync(Path(reporter), Ct);
        using var zipped = new HttpRequestMessage(HttpMethod.Get, Path(reporter));
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var gzip = await Admin.SendAsync(zipped, Ct);

        Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        await using var inflated = new GZipStream(await gzip.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress);
        using var body = new MemoryStream();
        await inflated.CopyToAsync(body, Ct);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(Ct), body.ToArray());
        Assert.NotEqual(plain.Headers.ETag, gzip.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, Path(reporter));
        again.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        again.Headers.IfNoneMatch.Add(gzip.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(again, Ct)).StatusCode);
    }

    [Fact]
    public async Task An_Aggregate_Asked_For_In_Brotli_Alone_Is_Sent_As_It_Is_Under_Its_Own_Tag()
    {
        var reporter = await CreateReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", SeedTable.Values)).StatusCode);
        var plain = await Admin.GetAsync(Path(reporter), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, Path(reporter));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var br = await Admin.SendAsync(request, Ct);

        // The responder gzips an aggregate once per version under a tag of its own; the middleware does not compress it again.
        Assert.Empty(br.Content.Headers.ContentEncoding);
        Assert.Equal(plain.Headers.ETag, br.Headers.ETag);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(Ct), await br.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Other_Json_Answers_Are_Compressed_When_Asked_And_Vary_By_Accept_Encoding(string encoding)
    {
        await CreateReporterAsync();
        var plain = await Admin.GetAsync("/v1/reporters", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/reporters");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        var compressed = await Admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        await using Stream inflated = encoding == "gzip"
            ? new GZipStream(await compressed.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress)
            : new BrotliStream(await compressed.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress);
        var read = await JsonDocument.ParseAsync(inflated, cancellationToken: Ct);
        Assert.Equal(JsonDocument.Parse(await plain.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("items").GetArrayLength(),
            read.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_Issued_Key_Is_Never_Compressed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/keys") { Content = JsonContent.Create(new { role = "viewer", label = "压缩" }) };
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var issued = await Admin.SendAsync(request, Ct);

        // BREACH: a secret compressed beside text an attacker chooses leaks through the length.
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Empty(issued.Content.Headers.ContentEncoding);
        Assert.StartsWith("dk_", (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString());
    }
}
