using System.Net;

namespace Disclosure.Api.Tests;

/// <summary>
/// A body sent without a Content-Length, in chunks of <paramref name="chunk"/> bytes: each write is one chunk on the wire, with
/// its size line and CRLFs around it.
/// </summary>
public sealed class ChunkedContent(byte[] body, int chunk, string mediaType) : HttpContent
{
    public ChunkedContent(string json, int chunk) : this(System.Text.Encoding.UTF8.GetBytes(json), chunk, "application/json") { }

    /// <summary>A JSON object padded with spaces before its closing brace to exactly <paramref name="bytes"/> bytes.</summary>
    public static string Padded(string json, int bytes) =>
        json[..^1] + new string(' ', bytes - System.Text.Encoding.UTF8.GetByteCount(json)) + "}";

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var at = 0; at < body.Length; at += chunk)
        {
            await stream.WriteAsync(body.AsMemory(at, Math.Min(chunk, body.Length - at)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>The request, marked chunked, with the Content-Type set.</summary>
    public HttpRequestMessage Post(string path)
    {
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = this };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }
}
