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

/// <summary>
/// The revision a submission replaces, read from its request alike by the submit and its dry run: <c>expectedRevision</c> or
/// <c>If-Match</c> (<paramref name="AnyRevision"/> for <c>*</c>), or, with neither, the revision an uploaded workbook was filled
/// in from (<paramref name="MadeFrom"/>: 0 where its sheet now names another table than <paramref name="MadeFor"/>, the one it was made for).
/// </summary>
public sealed record Replacing(bool AnyRevision, int? Named, Templates.WorkbookOrigin? Origin, Templates.WorkbookTable? MadeFor, int? MadeFrom)
{
    /// <summary>The revision the store is asked to find current (null: any, or none named).</summary>
    public int? Expected => Named ?? MadeFrom;

    public static Replacing Of(SubmissionBody body, HttpContext context)
    {
        var any = body.ExpectedRevision is null && SubmissionBody.IsAnyRevision(body.IfMatch);
        var named = body.ExpectedRevision ?? (SubmissionJudge.TryParseIfMatch(body.IfMatch, out var ifMatch) ? ifMatch : null);
        // A workbook says which revision its template was filled in from: with no revision named, it may replace only that one
        // (a town's old workbook must not silently undo the office's correction made since it was downloaded).
        var origin = named is null && !any ? context.Features.Get<Templates.WorkbookOrigin>() : null;
        return new(any, named, origin, origin?.OtherThan(body), origin?.RevisionFor(body));
    }
}

/// <summary>
/// Judges a submission body the same way for a real submission and for a dry run: what is checked before the store
/// (<see cref="JudgeAsync"/>), and what the store refuses an append for (<see cref="ObstaclesAsync"/>).
/// </summary>
public sealed class SubmissionJudge(CatalogueRegistry catalogues, IReporterStore reporters, IPeriodStore periods, ISubmissionStore submissions, TimeProvider clock)
{
    /// <summary>
    /// The registry's checks (reporter, catalogue), a period that has begun, then the engine's on the shape-checked body. A
    /// reporter's retirement is left to the store, which checks it after an Idempotency-Key's replay (<see cref="ObstaclesAsync"/>).
    /// <paramref name="reporterVouchedFor"/>: the caller's key is bound to the reporter, and such a key is issued only for a
    /// registered reporter, which is never removed, so the registry is not asked whether it exists.
    /// </summary>
    public async ValueTask<Verdict> JudgeAsync(SubmissionBody body, bool reporterVouchedFor, CancellationToken ct)
    {
        List<Violation>? registry = null;
        if (!reporterVouchedFor && await reporters.GetReporterAsync(body.Reporter!, ct) is null)
            (registry ??= []).Add(Problems.UnknownReporter(body.Reporter!));
        // A table counts what happened in its period: one for a period that has not begun yet (2099, or 2201 typed for 2021) is refused.
        if (Period.TryParse(body.Period, out var counted) && SubmissionBody.PeriodStart(counted) is var start && start > clock.GetUtcNow())
            (registry ??= []).Add(new Violation(Infrastructure.RegistryRuleIds.PeriodNotBegun, Severity.Error, [], $"a period begun by now", counted.ToString(),
                $"Period {counted} has not begun: it begins on {start:yyyy-MM-dd} (China time), and a table counts what happened in its period.",
                $"{counted} 统计期尚未开始（{start:yyyy年M月d日}开始），还不能填报该期报表；请核对统计期。"));
        if (!catalogues.TryGet(body.Catalogue!, out var catalogue))
        {
            (registry ??= []).Add(Problems.RegistryViolation(Infrastructure.RegistryRuleIds.UnknownCatalogue, body.Catalogue!,
                $"There is no catalogue '{body.Catalogue}'.", $"统计表目录“{body.Catalogue}”不存在。"));
            return new Verdict(null, registry);
        }
        var input = body.Values!.Select(item => new InputValue(item!.Code!, item.Value, item.Unit)).ToArray();
        var table = TableValidator.Validate(catalogue, body.Period!, input);
        // The engine finds nothing wrong with a table of blanks; as a submission it would stand as the reporter's table (已报)
        // in place of its last one, and say nothing.
        if (!table.HasErrors && !table.NonBlank().Any())
            (registry ??= []).Add(new Violation(Infrastructure.RegistryRuleIds.EmptyTable, Severity.Error, [], "at least one figure", "none",
                "The table gives no figure: every cell is blank. Fill in the figures, 0 where there were none.",
                "表中没有填写任何数据（所有单元格均为空白）。请填写数据，没有发生的填 0。"));
        IReadOnlyList<Violation> found = table.Period is { } period && await NewerCatalogueAsync(catalogue, period, ct) is { } newer ? [.. table.Violations, newer] : table.Violations;
        return registry is null ? new Verdict(table, found) : new Verdict(null, [.. registry, .. found]);
    }

    /// <summary>
    /// A warning, never a refusal, when a catalogue that begins later than <paramref name="catalogue"/> takes the same period (a
    /// format the office loaded from 2019, over the 2014 edition's years to 2020), or the year of a quarter it does not take: the
    /// district reports that period on the newer one, which the office's page opens at, and a table sent on the older one is in
    /// neither its district table nor its completeness. A departmental system still on the old catalogue is told so in its 201,
    /// and keeps working; the old catalogue's template says it too. Of several, the one that begins latest, as the page takes it.
    /// Once the office closed the period on the newer one, the table is told that, not to send it there (a 409).
    /// </summary>
    public async Task<Violation?> NewerCatalogueAsync(Catalogue.Catalogue catalogue, Period period, CancellationToken ct)
    {
        var from = catalogue.Document.Periods.FromYear;
        var year = period with { Quarter = null };
        if (catalogues.All.Where(c => c.Document.Periods.FromYear > from && (c.AllowsPeriod(period) || c.AllowsPeriod(year))).MaxBy(c => c.Document.Periods.FromYear) is not { } newer)
            return null;
        var (id, title, begins) = (newer.Id, newer.Document.Title, newer.Document.Periods.FromYear);
        var taken = newer.AllowsPeriod(period) ? period : year;
        var (said, own) = (AuditText.Period(taken.ToString()), $"'{catalogue.Id}'");
        var (english, chinese) = taken == period
            ? ($"{period} is also taken by '{id}' ({newer.Document.TitleEn}), used from {begins}, later than {own} (from {from}): the district reports {period} on " +
                $"'{id}', and a table sent on {own} is neither in that district table nor counted as reported there.",
                $"{said}已改用 {begins} 年起的新表《{title}》（{id}）填报：全区该期汇总按新表进行，按本表《{catalogue.Document.Title}》报送的数字不计入新表的汇总，在新表中也不算已报。")
            : ($"{taken} is taken by '{id}' ({newer.Document.TitleEn}), used from {begins}, which takes no quarters: the district reports {taken} on '{id}', " +
                $"and a quarter sent on {own} does not add up into it, nor counts as reported there.",
                $"{said}已改用 {begins} 年起的新表《{title}》（{id}）填报，新表不分季度：按本表《{catalogue.Document.Title}》报送的季报不汇总进新表的{said}，在新表中也不算已报。");
        var (then, thenZh) = await Periods.ClosedPeriods.ClosedAtAsync(periods, id, taken, ct) is { } at
            ? ($" '{id}' closed {taken} at {AuditText.TimeInEnglish(at)} and takes no more tables: to send one late, ask the district office. This does not stop the submission.",
                $"新表的{said}统计期已于 {AuditText.Time(at)}关闭，不再接收报表；如需补报，请联系区政务公开办。不影响本表提交。")
            : ($" Send {taken} on '{id}' unless the district office asked for {own}. This does not stop the submission.",
                $"{(taken == period ? "请改按" : $"{said}请按")}《{title}》填报（区里另有要求的除外）；不影响提交。");
        return new Violation(Infrastructure.RegistryRuleIds.NewerCatalogue, Severity.Warning, [], id, catalogue.Id, english + then, chinese + thenZh);
    }

    /// <summary>
    /// What <see cref="ISubmissionStore.AppendAsync"/> would refuse this request for after its replay check, in the order it
    /// checks, asked as things stand now: the reporter retired for the period, the period closed (or the year that closes this
    /// quarter to the reporter) unless the office returned the reporter's table for correction (退回), and a revision other than the current one expected (<see cref="Replacing"/>; a workbook made
    /// from a newer revision than the current is let through, as a submission lets it). The dry run lists them; a refused
    /// submission (422) lists them beside its own violations, so that one answer names everything in the way.
    /// </summary>
    /// <paramref name="byOffice"/>: asked with the office's key, which can return the table or reopen the period itself; a
    /// reporter is told what the office can do for it. <paramref name="table"/>: the table as it would be stored, when it passed
    /// the judge; the current table over again meets no revision conflict and no closed period, as the store stores nothing for it.
    public async Task<IReadOnlyList<Violation>> ObstaclesAsync(SubmissionBody body, Replacing replacing, bool byOffice, CancellationToken ct,
        IReadOnlyList<StoredValue>? table = null)
    {
        if (!Period.TryParse(body.Period, out var parsed)) return [];
        var period = parsed.ToString();
        List<Violation> found = [];
        if (await reporters.GetReporterAsync(body.Reporter!, ct) is { RetiredFrom: { } from } reporter && reporter.IsRetiredFor(parsed))
            found.Add(Reporters.Retirements.Violation(reporter.Id, from, period));
        if (!catalogues.TryGet(body.Catalogue!, out _)) return found;
        Violation? closed = null;
        if (await Periods.ClosedPeriods.ClosingAsync(periods, submissions, body.Catalogue!, parsed, body.Reporter!, ct) is { } closing)
        {
            var (english, chinese) = Periods.ClosedPeriods.Said(closing, parsed, body.Catalogue!,
                await Periods.ClosedPeriods.SentQuartersAsync(submissions, body.Catalogue!, closing, parsed, body.Reporter!, ct));
            var (wayZh, way) = Periods.ClosedPeriods.WayIn(byOffice);
            closed = new Violation(Infrastructure.RegistryRuleIds.PeriodClosed, Severity.Error, [], "an open period", "closed",
                $"{english}: a submission would be refused (409). {way}", $"{chinese}，提交将被拒绝。{wayZh}")
            {
                ClosedAt = await Periods.ClosedPeriods.ClosedAtAsync(periods, body.Catalogue!, closing, ct),
            };
        }
        var (anyRevision, expected, origin, madeFor, madeFrom) = replacing;
        if (expected is null && !anyRevision && madeFrom is null && (closed is null || table is null))
            return closed is null ? found : [.. found, closed];
        var revisions = await submissions.ListRevisionsAsync(body.Reporter!, body.Catalogue!, period, ct);
        var current = revisions.Count > 0 ? revisions[^1].Revision : 0;
        Violation? conflict = null;
        if (anyRevision && current == 0)
            conflict = new Violation(Infrastructure.RegistryRuleIds.RevisionConflict, Severity.Error, [], "an existing revision", "none",
                "If-Match: * replaces only an existing table, and there is none yet: a submission would be refused (409). Send the first without If-Match.",
                "该表尚未提交过，If-Match: * 只能替换已有的版本，提交将被拒绝；第一次提交请不带 If-Match。");
        else if (expected is { } e && e != current)
            conflict = new Violation(Infrastructure.RegistryRuleIds.RevisionConflict, Severity.Error, [], $"revision {current}", $"revision {e}",
                $"The revision expected (expectedRevision or If-Match) is {e}, but the current revision is {current}: a submission would be refused (409).",
                $"该表当前为第 {current} 版，而不是第 {e} 版，提交将被拒绝。");
        else if (madeFor is not null && current > 0)
            conflict = new Violation(Infrastructure.RegistryRuleIds.StaleWorkbook, Severity.Error, [], $"revision {current}", $"revision {origin!.MadeFromRevision ?? 0} of {madeFor.Period}",
                $"The workbook was made for {madeFor} and its sheet now names '{body.Reporter}', {body.Catalogue}, {period}, which has revision {current}: " +
                $"a submission would be refused (409). Download the template of {period} and fill that in, or send it with If-Match: \"{current}\" to replace revision {current}.",
                $"该 Excel 表是按{Named(madeFor)}的模板填写的，表头现在写的是{Named(new(body.Reporter!, body.Catalogue!, period))}，而后者已有第 {current} 版；" +
                $"直接提交将被拒绝：请下载 {period} 的模板填写，确认要用它覆盖第 {current} 版时再提交。");
        else if (madeFor is null && madeFrom is { } made && made < current)
            conflict = new Violation(Infrastructure.RegistryRuleIds.StaleWorkbook, Severity.Error, [], $"revision {current}", $"revision {made}",
                $"The workbook was filled in from {(made == 0 ? "a blank template" : $"revision {made}")}, but the current revision is {current}: " +
                $"a submission would be refused (409) unless sent with If-Match: \"{current}\" to replace it.",
                $"该 Excel 表是按{(made == 0 ? "空白模板" : $"第 {made} 版")}填写的，而当前已是第 {current} 版；直接提交将被拒绝，确认要覆盖第 {current} 版时再提交。");
        // The current table over again is stored by no submission, whatever revision it expected and closed period or not (the
        // store answers it unchanged, 200): nothing stands in its way. Read only when something would: the form's checks as it is
        // typed expect the current revision.
        if ((conflict ?? closed) is not null && table is not null && revisions.Count > 0 && revisions[^1].Review?.Decision != ReviewDecision.Returned
            && await submissions.GetSubmissionAsync(revisions[^1].Id, ct) is { } head
            && head.IsSameTable(new Submission(Guid.Empty, body.Reporter!, body.Catalogue!, period, 0, DateTimeOffset.UnixEpoch, table, [], null, body.SentAt, Note: body.StoredNote())))
            (conflict, closed) = (null, null);
        if (closed is not null) found.Add(closed);
        if (conflict is not null) found.Add(conflict);
        return found;
    }

    /// <summary>A table as a person names it: the period, and the reporter and catalogue after it.</summary>
    private static string Named(Templates.WorkbookTable table) => $" {table.Period}（{table.Reporter}，{table.Catalogue}）";

    /// <summary>
    /// The request's Idempotency-Key as the store keeps it: scoped to the sending key, with a digest of everything that decides
    /// the submission's outcome — the body (its note as stored), the revision it replaces (<see cref="Replacing"/>: in the body,
    /// as <c>If-Match</c>, or recorded in a workbook) and the time the district office says it was sent — so that a retry can be
    /// told from a different request. A request without <c>sentAt</c> digests as it did before there was one, so a retry across
    /// an upgrade still replays.
    /// </summary>
    public static IdempotencyToken? Idempotency(SubmissionBody body, Replacing replacing, string scope)
    {
        if (body.IdempotencyKey is null) return null;
        var canonical = new SubmissionBody
        {
            Reporter = body.Reporter,
            Period = body.Period,
            Catalogue = body.Catalogue,
            Values = body.Values,
            ExpectedRevision = replacing.Expected,
            Note = body.StoredNote(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, Json.Canonical);
        // The instant, as stored (UTC, to the millisecond): the same time written with another offset is the same request.
        if (body.SentAt is { } sent)
            bytes = [.. bytes, .. System.Text.Encoding.UTF8.GetBytes("\nsentAt=" + StoredTime.Of(sent).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (replacing.AnyRevision) bytes = [.. bytes, .. "\nIf-Match=*"u8];
        return new IdempotencyToken(scope, body.IdempotencyKey, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The refusal of a request under an Idempotency-Key used before for another request.</summary>
    public static Violation KeyReused(string key) => Problems.RegistryViolation(Infrastructure.RegistryRuleIds.IdempotencyKeyReused, key,
        "The Idempotency-Key was used before with a different body: use a new key for a new request.",
        "该 Idempotency-Key 已用于另一个不同的请求，新请求请使用新的键。");

    /// <summary>The judged table's non-blank values in table order, as the store keeps them.</summary>
    public static IReadOnlyList<StoredValue> ToStored(TableResult table) =>
        [.. table.NonBlank().Select(c => new StoredValue(c.Cell.Code, c.Value, c.Derived))];

    /// <summary>
    /// The revision an If-Match names, in RFC 9110's one form of it: a strong entity tag, quoted, holding the revision as the ETag
    /// writes it (<c>"3"</c>). An unquoted <c>3</c>, a tag missing a quote (<c>"3</c>), a weak tag, a list or <c>"03"</c> names none.
    /// </summary>
    public static bool TryParseIfMatch(string? header, out int revision)
    {
        revision = 0;
        var tag = header?.Trim();
        if (tag is not { Length: >= 3 } || tag[0] != '"' || tag[^1] != '"') return false;
        var number = tag[1..^1];
        return (number == "0" || number[0] != '0')
            && int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out revision);
    }
}
