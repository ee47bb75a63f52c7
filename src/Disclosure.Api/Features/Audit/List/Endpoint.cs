using System.Text;
using Disclosure.Api.Features.Aggregates;
using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Audit.List;

sealed class Endpoint(IAuditStore audit, IReporterStore reporters, IKeyStore keys, ISubmissionStore submissions, Disclosure.Catalogue.CatalogueRegistry catalogues,
    TimeProvider clock) : Endpoint<Request, Response>
{
    public static readonly ExportFormat[] Formats = [ExportFormat.Json, ExportFormat.Csv];

    public override void Configure()
    {
        Get("v1/audit");
        Roles(Infrastructure.Roles.Admin);
        Description(b => b.Produces<Response>(200, "application/json", Exports.Csv));
        Summary(s =>
        {
            s.Summary = "操作日志 · The audit log: who changed what, and which keys were refused";
            s.Description = "Every change made with a key other than a table (a table's revisions record who submitted them; a table refused because its period " +
                "is closed, 409, is kept, an attempt to change what the office published): reporters registered and corrected, " +
                "keys issued and revoked, periods set, closed and reopened, catalogues loaded, reviews, backups — each with its answer, whether it was " +
                "made or refused —, every request refused for its key (403) or with a key that expired or was revoked (401), and every `GET /v1/me`, which a page calls as it signs in (登录日志). Newest first, a page at a time (`limit`, then `before` = `next`). " +
                "As CSV (`Accept: text/csv` or `?format=csv`, UTF-8 with a byte order mark for Excel and WPS), every entry of the time asked for, " +
                "newest first, with its action and result in Chinese as the office's page shows them. " +
                "Kept in the store with the data, taken by every backup, never changed or removed by the service. A request with a key the service " +
                "does not hold (401) is in the service's log only.";
            s.Responses[406] = "不可接受 · Neither JSON nor CSV satisfies the Accept header.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var format = Exports.Negotiate(req.Format, HttpContext.Request.Headers.Accept.ToString(), Formats);
        if (format is null)
        {
            await Send.ResultAsync(Exports.NotAcceptable(HttpContext, "the audit log", Formats));
            return;
        }
        if (format == ExportFormat.Csv)
        {
            await WriteCsvAsync(req, ct);
            return;
        }
        var limit = req.Limit ?? Request.DefaultLimit;
        var entries = await audit.ListAuditAsync(new AuditQuery(req.From, req.To, req.Before, limit, req.KeyId, req.ReporterId, req.Operation), ct);
        var targets = await NewTargets().OfAsync(entries, ct);
        await Send.OkAsync(new Response
        {
            Items = [.. entries.Select(e => Response.Entry.From(e, targets.GetValueOrDefault(e.Id)))],
            Next = entries.Count == limit ? entries[^1].Id : null,
        }, ct);
    }

    /// <summary>Every entry of the window, read from the store a page at a time and written as it is read.</summary>
    private async Task WriteCsvAsync(Request req, CancellationToken ct)
    {
        HttpContext.Response.ContentType = $"{Exports.Csv}; charset=utf-8";
        (await NameAsync(req, ct)).Attach(HttpContext, "csv");
        await using var writer = new StreamWriter(HttpContext.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await WriteLineAsync(writer, ["时间（北京时间）", "操作人", "角色", "填报单位", "操作", "结果", "HTTP 状态", "详情", "对象", "路径", "来源地址", "密钥", "记录编号"]);
        var before = req.Before;
        var words = NewTargets();
        while (true)
        {
            var page = await audit.ListAuditAsync(new AuditQuery(req.From, req.To, before, Request.MaxLimit, req.KeyId, req.ReporterId, req.Operation), ct);
            var targets = await words.OfAsync(page, ct);
            foreach (var e in page)
                await WriteLineAsync(writer,
                [
                    AuditText.Moment(e.At), e.Holder ?? (e.Role == KeyRole.Admin ? "区政务公开办" : ""), AuditText.Role(e.Role), e.ReporterId ?? "",
                    AuditText.Action(e.Method, e.Route), AuditText.Result(e.Status, e.KeyId is not null), e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    e.Detail ?? "", targets.GetValueOrDefault(e.Id) ?? "", e.Path, e.RemoteIp ?? "", e.KeyId?.ToString() ?? "", e.Id.ToString(),
                ]);
            if (page.Count < Request.MaxLimit) break;
            before = page[^1].Id;
        }
    }

    private Targets NewTargets() => new(reporters, keys, submissions, catalogues);

    /// <summary>
    /// The CSV's name: the days it covers (Beijing time), from the first, or everything up to the last (or today); and, when it holds
    /// one reporter's, one key's or one action's entries alone, whose or which, so that a file saved for an inquiry into one town
    /// or one key is not taken for the whole log of those days.
    /// </summary>
    private async Task<DownloadName> NameAsync(Request req, CancellationToken ct)
    {
        static string Day(DateTimeOffset at) => Infrastructure.ChinaTime.Of(at).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var (days, daysAscii) = req.From is { } from ? ($"{Day(from)}起", Day(from))
            : ($"截至{Day(req.To ?? clock.GetUtcNow())}", $"until-{Day(req.To ?? clock.GetUtcNow())}");
        var (only, onlyAscii) = (new List<string>(), new List<string>());
        if (req.ReporterId is { } reporter)
        {
            only.Add(await AuditText.ReporterAsync(reporters, reporter, ct));
            onlyAscii.Add(reporter);
        }
        if (req.KeyId is { } keyId)
        {
            var key = await keys.GetKeyAsync(keyId, ct);
            var whose = key?.Label ?? (key?.ReporterId is { } bound ? await AuditText.ReporterAsync(reporters, bound, ct) : null);
            var shortId = keyId.ToString("N")[^8..];
            only.Add(whose is null ? $"密钥{shortId}" : $"{whose}的密钥{shortId}");
            onlyAscii.Add($"key-{shortId}");
        }
        if (req.Operation is { } operation)
        {
            only.Add(AuditText.Action(operation.Method, operation.Route));
            onlyAscii.Add(AsciiAction(operation));
        }
        return new DownloadName(string.Join("-", ["操作日志", .. only, days]), string.Join("-", ["audit", .. onlyAscii, daysAscii]));
    }

    /// <summary>
    /// An action in the CSV's ASCII name: its method and the words of its route, lower case, without the version and the route's
    /// values (<c>PUT v1/periods/{catalogue}/{period}</c> is <c>put-periods</c>), so that a client that reads <c>filename</c>
    /// alone does not save one action's entries under the name of the whole log of those days. A route of the caller's own
    /// (one the service does not serve) keeps its letters and digits alone, at most <see cref="MaxAsciiAction"/> of them.
    /// </summary>
    internal static string AsciiAction(AuditAction action)
    {
        var words = action.Route.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(w => w != "v1" && !w.StartsWith('{'));
        var slug = new System.Text.StringBuilder();
        foreach (var c in string.Join("-", [action.Method, .. words]).ToLowerInvariant())
        {
            var kept = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-';
            if (kept != '-' || (slug.Length > 0 && slug[^1] != '-')) slug.Append(kept);
            if (slug.Length == MaxAsciiAction) break;
        }
        return slug.ToString().TrimEnd('-');
    }

    internal const int MaxAsciiAction = 48;

    private static Task WriteLineAsync(StreamWriter writer, IEnumerable<string> fields) =>
        writer.WriteAsync(string.Join(",", fields.Select(Exports.Field)) + "\r\n");
}
