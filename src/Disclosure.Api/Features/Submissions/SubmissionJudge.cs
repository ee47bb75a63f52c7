using System.Security.Cryptography;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>The verdict on a submission body: registry checks (reporter, catalogue) and the engine's.</summary>
public sealed record Verdict(TableResult? Table, IReadOnlyList<Violation> Violations)
{
    public bool Refused => Table is null || Table.HasErrors;
}

/// <summary>Judges a submission body the same way for a real submission and for a dry run.</summary>
public sealed class SubmissionJudge(CatalogueRegistry catalogues, IReporterStore reporters, TimeProvider clock)
{
    /// <summary>The registry's checks (reporter, its retirement, catalogue), a period that has begun, then the engine's on the shape-checked body.</summary>
    /// <param name="body">The shape-checked body.</param>
    /// <param name="reporterVouchedFor">
    /// True when the caller's key is bound to <c>body.Reporter</c>: such a key is issued only for a registered reporter, and
    /// reporters are never removed, so the registry need not be asked whether it exists.
    /// </param>
    /// <param name="storeChecksRetirement">
    /// True when the table goes on to <see cref="ISubmissionStore.AppendAsync"/>, which refuses a retired reporter's table in
    /// its own transaction (<see cref="AppendStatus.ReporterRetired"/>): a vouched-for reporter is then not looked up at all,
    /// so a submission costs no registry read. A dry run asks the registry.
    /// </param>
    /// <param name="ct">Cancels the registry lookup.</param>
    public async ValueTask<Verdict> JudgeAsync(SubmissionBody body, bool reporterVouchedFor, CancellationToken ct, bool storeChecksRetirement = false)
    {
        List<Violation>? registry = null;
        if (!reporterVouchedFor || !storeChecksRetirement)
        {
            var reporter = await reporters.GetReporterAsync(body.Reporter!, ct);
            if (reporter is null && !reporterVouchedFor)
                (registry ??= []).Add(Problems.UnknownReporter(body.Reporter!));
            else if (reporter?.RetiredFrom is { } from && Period.TryParse(body.Period, out var period) && reporter.IsRetiredFor(period))
                (registry ??= []).Add(Reporters.Retirements.Violation(reporter.Id, from, period.ToString()));
        }
        // A table counts what happened in its period: one for a period that has not begun yet (2099, or 2201 typed for 2021) is refused.
        if (Period.TryParse(body.Period, out var counted) && SubmissionBody.PeriodStart(counted) is var start && start > clock.GetUtcNow())
            (registry ??= []).Add(new Violation("period-not-begun", Severity.Error, [], $"a period begun by now", counted.ToString(),
                $"Period {counted} has not begun: it begins on {start:yyyy-MM-dd} (China time), and a table counts what happened in its period.",
                $"{counted} 统计期尚未开始（{start:yyyy年M月d日}开始），还不能填报该期报表；请核对统计期。"));
        if (!catalogues.TryGet(body.Catalogue!, out var catalogue))
        {
            (registry ??= []).Add(Problems.RegistryViolation("unknown-catalogue", body.Catalogue!,
                $"There is no catalogue '{body.Catalogue}'.", $"统计表目录“{body.Catalogue}”不存在。"));
            return new Verdict(null, registry);
        }
        var input = body.Values!.Select(item => new InputValue(item!.Code!, item.Value, item.Unit)).ToArray();
        var table = TableValidator.Validate(catalogue, body.Period!, input);
        // The engine finds nothing wrong with a table of blanks; as a submission it would stand as the reporter's table (已报)
        // in place of its last one, and say nothing.
        if (!table.HasErrors && !table.NonBlank().Any())
            (registry ??= []).Add(new Violation("empty-table", Severity.Error, [], "at least one figure", "none",
                "The table gives no figure: every cell is blank. Fill in the figures, 0 where there were none.",
                "表中没有填写任何数据（所有单元格均为空白）。请填写数据，没有发生的填 0。"));
        return registry is null ? new Verdict(table, table.Violations) : new Verdict(null, [.. registry, .. table.Violations]);
    }

    /// <summary>The judged table's non-blank values in table order, as the store keeps them.</summary>
    public static IReadOnlyList<StoredValue> ToStored(TableResult table) =>
        [.. table.NonBlank().Select(c => new StoredValue(c.Cell.Code, c.Value, c.Derived))];

    /// <summary>
    /// A digest of everything that decides a submission's outcome — the body (its note as stored), the revision it expects (sent in the body, as
    /// <c>If-Match</c>, or recorded in a workbook) and the time the district office says it was sent — so that a retry with
    /// the same Idempotency-Key can be told from a different request. A request without <paramref name="sentAt"/> digests as
    /// it did before there was one, so a retry across an upgrade still replays. <paramref name="anyRevision"/> is <c>If-Match: *</c>.
    /// </summary>
    public static string RequestHash(SubmissionBody body, int? expectedRevision, DateTimeOffset? sentAt = null, bool anyRevision = false)
    {
        var canonical = new SubmissionBody
        {
            Reporter = body.Reporter,
            Period = body.Period,
            Catalogue = body.Catalogue,
            Values = body.Values,
            ExpectedRevision = expectedRevision,
            Note = body.StoredNote(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, Json.Options);
        // The instant, as stored (UTC, to the millisecond): the same time written with another offset is the same request.
        if (sentAt is { } sent)
            bytes = [.. bytes, .. System.Text.Encoding.UTF8.GetBytes("\nsentAt=" + StoredTime.Of(sent).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (anyRevision) bytes = [.. bytes, .. "\nIf-Match=*"u8];
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static bool TryParseIfMatch(string? header, out int revision)
    {
        revision = 0;
        if (header is null) return false;
        var text = header.Trim().Trim('"');
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out revision);
    }

    /// <summary>
    /// A weak tag of a revision (<c>W/"3"</c>). If-Match compares tags strongly (RFC 9110 13.1.1) and a weak tag is strongly equal
    /// to none, so it matches no revision: the request is a revision conflict whatever the current revision is.
    /// </summary>
    public static bool IsWeakTag(string? header) =>
        header?.Trim() is { } tag && tag.StartsWith("W/", StringComparison.Ordinal) && TryParseIfMatch(tag[2..], out _);

    /// <summary>What a conflict over a weak If-Match says, on a submission (409) and its dry run alike.</summary>
    public static (string English, string Chinese) WeakTagRefused(string ifMatch, int current) =>
        ($"If-Match {ifMatch.Trim()} is a weak tag, and If-Match compares tags strongly (RFC 9110 13.1.1), so it matches no revision " +
         $"(the current one is {current}). Send If-Match: \"{current}\" to replace revision {current}.",
         $"If-Match {ifMatch.Trim()} 是弱标签，按 RFC 9110 只作强比较，与任何版本都不匹配（当前为第 {current} 版）；如要替换第 {current} 版，请发送 If-Match: \"{current}\"。");
}
