namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Refuses bodies over 1 MiB with a 413 problem before anything reads them. Kestrel enforces the same limit for
/// bodies without a Content-Length; this covers the declared case early and with a problem body.
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Problems.Result(413, "payload-too-large", "Payload too large",
                $"The request body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes} bytes (1 MiB).", context).ExecuteAsync(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await Problems.Result(413, "payload-too-large", "Payload too large",
                $"The request body exceeds the limit of {MaxBodyBytes} bytes (1 MiB).", context).ExecuteAsync(context);
        }
    }
}
