using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Periods.Close;

sealed class Request : PeriodWriteRoute
{
    internal sealed class Validator : SettingsPrecondition.Validator<Request>
    {
        public Validator() => RuleForIfMatch();
    }
}

sealed class Endpoint(IPeriodStore periods, CatalogueRegistry catalogues, Aggregates.AggregateService aggregates, TimeProvider clock)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/periods/{catalogue}/{period}/close");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: a period closed already answers as it stands. With If-Match, a 409 `settings-conflict` may mean that the first was stored: read the settings to see.", SettingsPrecondition.RetryZh)));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "关闭统计期 · Close a period: further submissions get 409";
            s.Description = "A closed period takes no table (409 `period-closed`). Closing a year also " +
                "closes its quarters to every reporter without a table of the year, whose year is added up from its quarterly tables: the " +
                "closed year's district table does not change. Reopening the year opens them again. To have one reporter correct its table " +
                "of a closed period, return that table (退回, `POST /v1/submissions/{id}/review`): it unlocks that reporter's table alone for " +
                "one corrected revision, and the closed period's district table changes with it; a reopening lets every reporter in. " +
                "A close records every reporter's name as it is: the closed period's tables, exports and lists (its 填报单位, breakdown, 未报) " +
                "print those names whatever a reporter is renamed to since; a reopening drops them, and the next close records them anew. " +
                "The answer names the tables the closed " +
                "period is still owed, as the district table's completeness has them: `missing` (未报), `incomplete` (a year's quarterly " +
                "tables still to come, 季报未报齐) and `returned` (已退回 and not sent again, for a year also a returned quarterly table of a " +
                "year added up from its quarters: each may still send its correction once), each in the breakdown's order (the government, " +
                "departments, towns, each in registration order). A period already closed answers as it stands, without closing it again. " +
                "The answer's ETag is the settings' version; with If-Match, settings changed since it was read (set, closed or reopened by " +
                "anyone) are a 409 and nothing is stored, unless the period is closed now: a close sent again on the ETag its first attempt " +
                "replaced (that answer lost, or a 503 after the close was made), or one another clerk made meanwhile, finds it closed as " +
                "asked and is answered as it stands (200, the current ETag, the time it was first closed), storing nothing.";
            s.Responses[409] = "`settings-conflict`: If-Match names settings changed since (set, closed or reopened), and the period is open; nothing " +
                "was stored. Read them again (GET), check what changed, and close with the new ETag if it is still to be done.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        var now = StoredTime.Of(clock.GetUtcNow());
        var write = await SettingsPrecondition.WriteAsync(periods, req.Catalogue, req.Period, req,
            s => s.Closed ? null : s with { Closed = true, ClosedAt = now, FirstClosedAt = s.FirstClosedAt ?? now }, Holding.SameClosed, ct);
        if (write.Version is not { } version) { await Send.ResultAsync(SettingsPrecondition.Conflict(period, HttpContext)); return; }
        var table = await aggregates.BuildAsync(catalogue, period, null, null, ct);
        // A stale tab's second press answers as the first did (closed when it was first closed); the log says it did nothing.
        AuditLog.Record(HttpContext, write.Stored ? $"{Closing(write.Before)} {AuditText.Table(catalogue, req.Period)}{Used(table)}{Since(write.Before, table)}"
            : $"未作改动（本已关闭，关闭于 {AuditText.Time(write.Before.ClosedAt)}）");
        HttpContext.Response.Headers.ETag = PeriodView.ETag(version);
        await Send.OkAsync(Owed(write.Now, table, period), ct);
    }

    /// <summary>
    /// Which revision of each reporter's table the closed district table adds up, for the log: a published table changes later
    /// only by a correction the office lets in (退回) or a reopening, and stored revisions never change, so this list is what
    /// rebuilds the table as it was closed, and the lists of two closes tell what changed between them.
    /// </summary>
    private static string Used(Aggregates.AggregateTable table)
    {
        string Name(string id) => table.NameOf(id);
        var used = table.Completeness.Reporters.SelectMany(r => r.Submissions.Select(s =>
            s.Period == table.Period ? $"{Name(r.Reporter)} 第 {s.Revision} 版" : $"{Name(r.Reporter)} {AuditText.Period(s.Period)} 第 {s.Revision} 版")).ToList();
        return used.Count > 0 ? $"；计入合计的报表：{string.Join("、", used)}" : "";
    }

    /// <summary>关闭, or 再次关闭 a published period reopened, saying when it was first closed.</summary>
    private static string Closing(PeriodSettings before) =>
        before.FirstClosedAt is { } first ? $"再次关闭（首次关闭于 {AuditText.Time(first)}）" : "关闭";

    /// <summary>
    /// Of a period closed again, which tables the district table holds that its first close did not (corrections let in by a return
    /// or the reopening, and tables sent late): what the new publication changes; the first close's list rebuilds the other.
    /// </summary>
    private static string Since(PeriodSettings before, Aggregates.AggregateTable table)
    {
        if (before.FirstClosedAt is not { } first) return "";
        var since = table.Completeness.Reporters.SelectMany(r => r.Submissions.Where(s => s.ReceivedAt > first).Select(s =>
            s.Period == table.Period ? $"{table.NameOf(r.Reporter)} 第 {s.Revision} 版" : $"{table.NameOf(r.Reporter)} {AuditText.Period(s.Period)} 第 {s.Revision} 版")).ToList();
        return since.Count > 0 ? $"；首次关闭后更正或补报的报表：{string.Join("、", since)}" : "；首次关闭后没有更正或补报的报表";
    }

    /// <summary>
    /// The answer with what the closed period is still owed, read from its district table as the overview and the printed
    /// footer read it (so all three name the same reporters, in the breakdown's order).
    /// </summary>
    private static Response Owed(PeriodSettings settings, Aggregates.AggregateTable table, Period period)
    {
        var completeness = table.Completeness;
        string Name(string id) => table.NameOf(id);
        return new Response(settings,
            [.. completeness.Missing.Select(id => new MissingReporter { Id = id, Name = Name(id) })],
            [.. completeness.Incomplete.Select(id => new IncompleteReporter
            {
                Id = id, Name = Name(id),
                QuartersToCome = completeness.Reporters.FirstOrDefault(r => r.Reporter == id)?.QuartersToCome ?? [],
            })],
            [.. completeness.ReturnedTables().Select(r => new ReturnedTable
            {
                Id = r.Reporter, Name = Name(r.Reporter), Period = r.Quarter is { } q ? $"{period.Year}Q{q}" : settings.Period,
            })]);
    }
}
