using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Refuses a request line over 8 KiB with a 414 problem and headers over 32 KiB with a 431 problem, naming the limit: Kestrel's
/// own refusals of those have no body and cannot be given one, so its limits are set above the service's (<see cref="Configure"/>),
/// and only a request past them meets Kestrel's empty answer. Measured as Kestrel measures them, in bytes on the wire.
/// <para>Refuses bodies over 1 MiB with a 413 problem. A body with a Content-Length over the limit is refused before anything reads
/// it. A body without one (chunked) is counted here as it is read, decoded, and refused once it passes the limit: Kestrel's own
/// limit counts a chunked body's framing too (each chunk's size line and CRLFs), so that a body under 1 MiB sent in small chunks
/// would be refused. Kestrel still bounds what it reads of such a body, framing included, at <see cref="MaxChunkedWireBytes"/>.</para>
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// What Kestrel may read of a body without a Content-Length, framing included: room for 1 MiB sent in chunks of a few bytes
    /// (a one-byte chunk takes six on the wire), while a client that sends framing without end is still cut off.
    /// </summary>
    public const long MaxChunkedWireBytes = 8 * MaxBodyBytes;

    /// <summary>The longest request line (method, target, protocol and its line end) the service reads: Kestrel's default.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>The most the request's header lines may take in all (each <c>name: value</c> and its line end): Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>
    /// Kestrel's limits, four times the service's, so that a request a little over them reaches <see cref="InvokeAsync"/> and is told
    /// which limit it passed; one past these is answered by Kestrel itself, with an empty body.
    /// </summary>
    public const int MaxRequestLineWireBytes = 4 * MaxRequestLineBytes, MaxHeaderWireBytes = 4 * MaxHeaderBytes;

    public static void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxBodyBytes;
        limits.MaxRequestLineSize = MaxRequestLineWireBytes;
        limits.MaxRequestHeadersTotalSize = MaxHeaderWireBytes;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if ((LineTooLong(context) ?? HeadersTooLarge(context)) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }
        Task TooLarge(string detail) => Problems.Result(ProblemTypes.PayloadTooLarge, detail, context).ExecuteAsync(context);
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            // A workbook this large is the office's 分单位填报 of many reporters: it goes in parts, some reporters' columns each.
            var workbook = context.Request.ContentType?.StartsWith(Features.Templates.SubmissionWorkbook.MediaType, StringComparison.OrdinalIgnoreCase) == true;
            await TooLarge($"请求体有 {context.Request.ContentLength} 字节，超过上限 {MaxBodyBytes} 字节（1 MiB）。" +
                (workbook ? "分单位填报的工作簿单位多、数字多时会超过上限：请删去一部分单位的列，分两次（或多次）上传，或按单位类别、所选单位或只下载未报单位的模板（?kind=、?reporters=、?status=notSubmitted）；没有保存任何内容。" : "") +
                $"The request body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes} bytes (1 MiB)." +
                (workbook ? " A workbook of many reporters' columns goes in parts: delete some reporters' columns and upload it in two or more goes, or download the template narrowed by kind, by reporters or to those not reported (?kind=, ?reporters=, ?status=notSubmitted); nothing was stored." : ""));
            return;
        }
        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } wire) wire.MaxRequestBodySize = MaxChunkedWireBytes;
            context.Request.Body = new CountedBody(context.Request.Body);
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLarge($"请求体超过上限 {MaxBodyBytes} 字节（1 MiB）。The request body exceeds the limit of {MaxBodyBytes} bytes (1 MiB).");
        }
    }

    private static IResult? LineTooLong(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : (request.PathBase + request.Path + request.QueryString).ToString();
        var bytes = request.Method.Length + 1 + Encoding.UTF8.GetByteCount(target) + 1 + request.Protocol.Length + 2;
        if (bytes <= MaxRequestLineBytes) return null;
        return Problems.Result(ProblemTypes.UriTooLong,
            $"请求行（方法、路径和查询参数）有 {bytes} 字节，超过上限 {MaxRequestLineBytes} 字节（8 KiB），没有处理：请缩短网址，例如 ?reporters= 列出的单位很多时，" +
            $"改用 ?kind= 或分几次查询。The request line (method, path and query) is {bytes} bytes; the limit is {MaxRequestLineBytes} bytes (8 KiB), " +
            "and it was not served. Shorten the URL: where ?reporters= lists many reporters, use ?kind= or ask in parts.", context);
    }

    private static IResult? HeadersTooLarge(HttpContext context)
    {
        var (total, largest, largestBytes) = (0L, "", 0L);
        foreach (var (name, values) in context.Request.Headers)
            foreach (var value in values)
            {
                long bytes = name.Length + 2 + Encoding.UTF8.GetByteCount(value ?? "") + 2;
                total += bytes;
                if (bytes > largestBytes) (largest, largestBytes) = (name, bytes);
            }
        if (total <= MaxHeaderBytes) return null;
        return Problems.Result(ProblemTypes.RequestHeaderFieldsTooLarge,
            $"请求头共 {total} 字节，超过上限 {MaxHeaderBytes} 字节（32 KiB），没有处理；最大的是 {largest}（{largestBytes} 字节）：请去掉不需要的请求头。" +
            $"The request's headers are {total} bytes; the limit is {MaxHeaderBytes} bytes (32 KiB), and it was not served. The largest is {largest} " +
            $"({largestBytes} bytes): drop the headers not needed.", context);
    }

    /// <summary>A request body (the server's, which it disposes itself) that throws Kestrel's own 413 once more than <see cref="MaxBodyBytes"/> of it have been read.</summary>
    private sealed class CountedBody(Stream inner) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            read += n;
            if (read > MaxBodyBytes)
                throw new BadHttpRequestException($"The request body exceeds {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
