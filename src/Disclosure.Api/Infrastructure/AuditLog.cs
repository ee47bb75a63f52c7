using System.Security.Claims;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// 操作日志: a log line under the category <c>Disclosure.Audit</c> for every change made through the API other than a
/// table — reporters, keys, periods, catalogues, reviews, backups — and for every request refused for its key (401, 403),
/// each with who (the key's id, role, reporter and holder), what (method, route, path), the answer and from where. Tables are left
/// out (<see cref="NotAudited"/>): each revision records who submitted it and when in the store itself, and they come by
/// the thousand. Operations keep these lines as long as the rules ask (six months and more).
/// A middleware of its own: ASP.NET Core's HTTP logging decides what to log before the answer is known, and this needs
/// the answer (a 403) and the key the authentication found.
/// </summary>
public sealed partial class AuditLog(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "Disclosure.Audit";

    /// <summary>Endpoint metadata: this endpoint's accepted requests are recorded elsewhere (a table's revisions, a dry run).</summary>
    public static readonly object NotAudited = new NotAuditedMarker();

    private sealed class NotAuditedMarker;

    /// <summary>
    /// What a change did where its route and status do not say it (which reporter was registered, a name before and after,
    /// which key was issued to whom, a review's decision and comment), set by its endpoint once the change is made. Written
    /// as the line's field <c>Detail</c>, so that the line alone answers "what was changed", not only "who asked".
    /// </summary>
    public static void Record(HttpContext context, string detail) => context.Features.Set(new Detail(detail));

    private sealed record Detail(string Text);

    private readonly ILogger log = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
            var change = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method);
            var endpoint = context.GetEndpoint() as RouteEndpoint; // not the routing's own 405 endpoint
            if (refused || (change && endpoint is not null && endpoint.Metadata.GetMetadata<NotAuditedMarker>() is null))
            {
                var (method, path, route, from) = (context.Request.Method, context.Request.Path.Value, endpoint?.RoutePattern.RawText, context.Connection.RemoteIpAddress?.ToString());
                var detail = context.Features.Get<Detail>()?.Text;
                if (context.User.FindFirstValue(DisclosureClaims.KeyId) is { } key)
                    Keyed(log, method, path, status, context.User.FindFirstValue(ClaimTypes.Role), key, from, context.User.BoundReporter(),
                        context.User.FindFirstValue(DisclosureClaims.Holder), route, detail);
                else
                    Unkeyed(log, method, path, status, from, route, detail);
            }
        }
    }

    // The reporter, the key's holder, the route and the detail are fields of the line, not words of its message.
#pragma warning disable SYSLIB1015
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} to the {Role} key {KeyId} from {RemoteIp}")]
    private static partial void Keyed(ILogger log, string method, string? path, int status, string? role, string keyId, string? remoteIp, string? Reporter, string? Holder, string? Route, string? Detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} to a request without a valid key from {RemoteIp}")]
    private static partial void Unkeyed(ILogger log, string method, string? path, int status, string? remoteIp, string? Route, string? Detail);
#pragma warning restore SYSLIB1015
}
