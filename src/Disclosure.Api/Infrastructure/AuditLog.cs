using System.Security.Claims;
using Disclosure.Storage;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// 操作日志: a log line under the category <c>Disclosure.Audit</c> for every change made through the API, for a key's check at
/// sign-in (<see cref="Audited"/>) and for every request refused for its key (401, 403, 429): who (the key's id, role, reporter
/// and holder), what (method, route, path), the answer and from where. Tables are left out (<see cref="NotAudited"/>): each
/// revision records who submitted it in the store itself, and they come by the thousand; <see cref="RecordTable"/> is the
/// exception. The entries made with a key are also kept in the store (<see cref="IAuditStore"/>), where the district office
/// reads them (<c>GET /v1/audit</c>) and a backup takes them; what keeps refusals from filling it is said at
/// <see cref="RefusedKey"/>, <see cref="BlockedAddress"/>, <see cref="MaxRefusalsStoredPerMinute"/> and <see cref="MaxPathLength"/>.
/// A middleware of its own: ASP.NET Core's HTTP logging decides what to log before the answer is known, and this needs
/// the answer (a 403) and the key the authentication found.
/// </summary>
public sealed partial class AuditLog(RequestDelegate next, ILoggerFactory loggers, IAuditStore store, TimeProvider clock)
{
    public const string Category = "Disclosure.Audit";

    /// <summary>Endpoint metadata: this endpoint's accepted requests are recorded elsewhere (a table's revisions, a dry run).</summary>
    public static readonly object NotAudited = new NotAuditedMarker();

    private sealed class NotAuditedMarker;

    /// <summary>Endpoint metadata: a read recorded as a change is (GET /v1/me, which a page calls as it signs in: 登录日志).</summary>
    public static readonly object Audited = new AuditedMarker();

    private sealed class AuditedMarker;

    /// <summary>
    /// What a change did where its route and status do not say it (which reporter was registered, a name before and after,
    /// which key was issued to whom, a review's decision and comment), set by its endpoint once the change is made. Written
    /// as the line's field <c>Detail</c>, so that the line alone answers "what was changed", not only "who asked". The entry is
    /// dated <paramref name="at"/> where given, the time the store gave the change, rather than by the clock as the answer
    /// starts: a review is stored a millisecond after the one it replaces at the earliest, and dated as stored, two quick
    /// reviews of a table are listed in the order the later is in force, each as its <c>reviewedAt</c> says.
    /// </summary>
    public static void Record(HttpContext context, string detail, DateTimeOffset? at = null)
    {
        context.Features.Set(new Detail(detail));
        if (at is { } dated) context.Features.Set(new Dated(dated));
    }

    private sealed record Detail(string Text);

    private sealed record Dated(DateTimeOffset At);

    /// <summary>
    /// Records this change although its endpoint is <see cref="NotAudited"/>, with <paramref name="detail"/>: a table that
    /// changed a closed period (a correction a return let in), for the office to find beside the return that let it in, or one
    /// refused because its period is closed (409), an attempt to change what the office published, stored as a refusal is
    /// (<see cref="MaxRefusalsStoredPerMinute"/>) so that a system sending it again and again cannot fill the store.
    /// </summary>
    public static void RecordTable(HttpContext context, string detail)
    {
        context.Features.Set(new TableRecorded());
        Record(context, detail);
    }

    private sealed record TableRecorded;

    /// <summary>
    /// Set by the key handler for a key it holds but refuses because it expired or was revoked: the 401 is then recorded, in the log
    /// and in the store, under that key, so that the office sees which holder still uses it. (A key the service does not
    /// hold has no one to name, and a 401 for it stays a log line without a key.)
    /// </summary>
    public static void RefusedKey(HttpContext context, ApiKeyRecord key, string detail)
    {
        context.Features.Set(new Refused(key));
        Record(context, detail);
    }

    private sealed record Refused(ApiKeyRecord Key);

    /// <summary>
    /// Set by the key handler on the refusal with which an address reaches the limit of wrong keys (<see cref="FailedKeys"/>): that
    /// 401 is stored too, without a key unless it named one the service holds, with the address and <paramref name="detail"/>.
    /// Once per address and window, so that wrong keys cannot fill the store.
    /// </summary>
    public static void BlockedAddress(HttpContext context, string detail)
    {
        context.Features.Set(new Blocked());
        Record(context, context.Features.Get<Detail>()?.Text is { } said ? $"{said}；{detail}" : detail);
    }

    private sealed record Blocked;

    /// <summary>Who asked: the key the authentication accepted, or the expired or revoked one it refused; null when the request had neither.</summary>
    private static (Guid Id, KeyRole Role, string? Reporter, string? Holder)? CallerOf(HttpContext context)
    {
        if (Guid.TryParse(context.User.FindFirstValue(DisclosureClaims.KeyId), out var id)
            && Enum.TryParse<KeyRole>(context.User.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var role))
            return (id, role, context.User.BoundReporter(), context.User.FindFirstValue(DisclosureClaims.Holder));
        return context.Features.Get<Refused>()?.Key is { } key ? (key.Id, key.Role, key.ReporterId, key.Label) : null;
    }

    private readonly ILogger log = loggers.CreateLogger(Category);
    private Func<object, Task>? storing; // StoreAsync as a delegate, made once rather than for every request

    public async Task InvokeAsync(HttpContext context)
    {
        // Stored as the answer starts, so that no change is answered before its entry is durable.
        if (context.GetEndpoint() is RouteEndpoint) context.Response.OnStarting(storing ??= StoreAsync, context);
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (Recorded(context, status))
            {
                var (method, path, route, from) = (context.Request.Method, Bounded(context.Request.Path.Value), (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText,
                    context.Connection.RemoteIpAddress?.ToString());
                var detail = context.Features.Get<Detail>()?.Text;
                if (CallerOf(context) is { } caller)
                    Keyed(log, method, path, status, Roles.Of(caller.Role), caller.Id.ToString(), from, caller.Reporter, caller.Holder, route, detail);
                else
                    Unkeyed(log, method, path, status, from, route, detail);
            }
        }
    }

    /// <summary>The most of one key's refusals (401, 403, 429, a table refused for its closed period) stored in a minute; the one after says the rest are not.</summary>
    public const int MaxRefusalsStoredPerMinute = 60;

    /// <summary>The longest path an entry keeps: the routes' own are far shorter; a longer one is cut and ends in …</summary>
    public const int MaxPathLength = 256;

    /// <summary>
    /// <paramref name="path"/> cut to <see cref="MaxPathLength"/> characters and …, never inside a surrogate pair. The path comes
    /// decoded from whoever sent it, keyed or not: a control or format character in it (a line feed, the right-to-left override
    /// U+202E) is written as U+FFFD, as names refuse them, so that no request makes the line or the office's 操作日志 read other
    /// than it says (the JSON log escapes controls but not U+202E, which reorders the status, key and address after it).
    /// </summary>
    internal static string? Bounded(string? path)
    {
        path = path is null ? null : Disclosure.Catalogue.PrintableText.Printable(path);
        if (path is null || path.Length <= MaxPathLength) return path;
        var cut = char.IsHighSurrogate(path[MaxPathLength - 1]) ? MaxPathLength - 1 : MaxPathLength;
        return string.Concat(path.AsSpan(0, cut), "…");
    }

    /// <summary>Each key's refusals in the minute since its first (a fixed window per key).</summary>
    private readonly FixedWindows<Guid> refusals = new(TimeSpan.FromMinutes(1), clock);

    /// <summary>
    /// A refusal for the key (401, 403, or 429 from an address that sent too many refused keys), a change through an endpoint
    /// that tables and dry runs do not mark or a table recorded all the same (<see cref="RecordTable"/>), or a request to an
    /// endpoint marked <see cref="Audited"/>.
    /// </summary>
    private static bool Recorded(HttpContext context, int status)
    {
        if (IsRefusal(status)) return true;
        if (context.GetEndpoint() is not RouteEndpoint endpoint) return false; // not the routing's own 405 endpoint
        if (endpoint.Metadata.GetMetadata<AuditedMarker>() is not null) return true;
        var method = context.Request.Method;
        var change = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);
        return change && (endpoint.Metadata.GetMetadata<NotAuditedMarker>() is null || context.Features.Get<TableRecorded>() is not null);
    }

    private static bool IsRefusal(int status) => status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests;

    private async Task StoreAsync(object state)
    {
        var context = (HttpContext)state;
        var status = context.Response.StatusCode;
        if (!Recorded(context, status)) return; // a table's 201 leaves here
        var caller = CallerOf(context);
        if (caller is null && context.Features.Get<Blocked>() is null) return;
        var detail = context.Features.Get<Detail>()?.Text;
        if (caller is { } refusedKey && (IsRefusal(status) || (status >= 400 && context.Features.Get<TableRecorded>() is not null)))
        {
            // One key's refusals fill no disk: past the cap in a minute, one entry says the rest go unstored (their log lines stay).
            var counted = refusals.Add(refusedKey.Id);
            if (counted > MaxRefusalsStoredPerMinute + 1) return;
            if (counted == MaxRefusalsStoredPerMinute + 1)
                detail = $"该密钥本分钟内已被拒绝 {MaxRefusalsStoredPerMinute} 次，本分钟内此后被拒绝的请求不再逐条存入操作日志（日志行照常写出）。" +
                    $"This key was refused {MaxRefusalsStoredPerMinute} times this minute; its further refusals this minute are not stored (their log lines are written).";
        }
        var at = context.Features.Get<Dated>()?.At ?? clock.GetUtcNow(); // the store keeps it to the millisecond, as the id's time
        var entry = new AuditEntry(Guid.CreateVersion7(at), at, context.Request.Method, Bounded(context.Request.Path.Value) ?? "/",
            (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText, status, caller?.Id, caller?.Role, caller?.Reporter, caller?.Holder,
            context.Connection.RemoteIpAddress?.ToString(), detail);
        try
        {
            // Not the request's token: the change is made, and its entry is written whether or not the client still listens.
            await store.AppendAuditAsync(entry, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The answer still goes out (the change it reports is made), and the log line below still says who made it.
            NotStored(log, e, entry.Method, entry.Path, status);
        }
    }

    // The reporter, the key's holder, the route and the detail are fields of the line, not words of its message.
#pragma warning disable SYSLIB1015
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} to the {Role} key {KeyId} from {RemoteIp}")]
    private static partial void Keyed(ILogger log, string method, string? path, int status, string? role, string keyId, string? remoteIp, string? Reporter, string? Holder, string? Route, string? Detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} to a request without a valid key from {RemoteIp}")]
    private static partial void Unkeyed(ILogger log, string method, string? path, int status, string? remoteIp, string? Route, string? Detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The audit entry of {Method} {Path} (answered {Status}) could not be stored; its log line is written")]
    private static partial void NotStored(ILogger log, Exception e, string method, string path, int status);
#pragma warning restore SYSLIB1015
}
