using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Periods.Update;

// The body and the If-Match header: the catalogue and period are read from the route. Properties for them here would let a body carry a
// "catalogue" that the route then silently overrules; without them, such a body is refused as naming an unknown member.
sealed class Request : ISettingsPrecondition
{
    /// <summary>Submissions received after this instant are marked late; null clears it.</summary>
    public DateTimeOffset? Deadline { get; set; }
    /// <summary>
    /// The reporters expected to submit, each once (at most 10 000); null means every registered reporter that is not retired for the period (of a closed
    /// period, or a quarter closed with its year, every one registered by the time it was closed). A reporter
    /// retired for the period may be named (a list written before its retirement stays valid) but is not expected while the
    /// retirement holds; reinstated, it is expected again.
    /// </summary>
    public List<string>? ExpectedReporters { get; set; }

    /// <summary>
    /// Optional: the settings this write replaces, as the ETag of a read of them (<c>GET /v1/periods/{catalogue}/{period}</c>, or an
    /// earlier PUT's answer), e.g. <c>"3"</c>. Settings changed since by anyone (set, closed, reopened) are 409 <c>settings-conflict</c>
    /// and nothing is stored, so a clerk's page that read the settings before another clerk saved does not erase what that one set.
    /// Compared strongly, as a submission's If-Match is (RFC 9110): one quoted tag as given; a weak tag, an unquoted number, a list
    /// or an empty header is a 400. <c>*</c> replaces whatever is stored, as does a PUT without it. Settings changed since to exactly
    /// those sent (this PUT's own, sent again after an answer lost on the way, such as a 503 after the write) are a 200 with their ETag:
    /// nothing of anyone's is erased.
    /// </summary>
    /// <example>"3"</example>
    [FromHeader(Submissions.SubmissionBody.IfMatchHeader, IsRequired = false), DontBind(Source.All)]
    public string? IfMatch { get; set; }

    /// <summary>The most reporters a list may name: a district has tens of them.</summary>
    public const int MaxExpected = 10_000;

    internal sealed class Validator : SettingsPrecondition.Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.ExpectedReporters).Must(list => list!.Count <= MaxExpected).When(r => r.ExpectedReporters is not null)
                .WithMessage(r => $"应报单位名单（expectedReporters）有 {r.ExpectedReporters!.Count} 项，最多 {MaxExpected} 项：请删去多余的。" +
                    $"expectedReporters has {r.ExpectedReporters!.Count} items; at most {MaxExpected}.");
            // Each item said once, by its place in the list: an empty one is not also said to be of the wrong form. In Chinese
            // first, as every refusal a departmental system shows its users; the place as the JSON path, which both languages share.
            RuleForEach(r => r.ExpectedReporters).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage("应报单位名单中的 expectedReporters[{CollectionIndex}] 是 null：请填写填报单位代码。expectedReporters[{CollectionIndex}] is null: give a reporter id.")
                .NotEmpty().WithMessage("应报单位名单中的 expectedReporters[{CollectionIndex}] 是空的：请填写填报单位代码。expectedReporters[{CollectionIndex}] is empty: give a reporter id.")
                .Matches(Reporters.ReporterIds.Regex())
                .WithMessage($"应报单位名单中的 expectedReporters[{{CollectionIndex}}] 不是填报单位代码：代码{Reporters.ReporterIds.ShapeZh}。" +
                    $"expectedReporters[{{CollectionIndex}}] is not a reporter id: {Reporters.ReporterIds.ShapeEn}.")
                .When(r => r.ExpectedReporters is { Count: <= MaxExpected });
            // A repeat is a slip in the office's list (a town pasted twice, another left out), told rather than dropped.
            RuleFor(r => r.ExpectedReporters).Custom((list, context) =>
            {
                var first = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < list!.Count; i++)
                    if (list[i] is { } id && Reporters.ReporterIds.Regex().IsMatch(id) && !first.TryAdd(id, i))
                        context.AddFailure($"expectedReporters[{i}]", $"应报单位名单中“{id}”出现了两次（expectedReporters[{first[id]}] 和 expectedReporters[{i}]）：每个单位只写一次。" +
                            $"expectedReporters[{i}] is '{id}' again, as expectedReporters[{first[id]}]: name each reporter once.");
            }).When(r => r.ExpectedReporters is { Count: <= MaxExpected });
            RuleForIfMatch();
        }
    }
}

sealed class Endpoint(IPeriodStore periods, IReporterStore reporters, CatalogueRegistry catalogues) : Endpoint<Request, PeriodView>
{
    public override void Configure()
    {
        Put("v1/periods/{catalogue}/{period}");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: the settings sent twice are as sent once. With If-Match, a 409 `settings-conflict` may mean that the first was stored: read the settings to see.", SettingsPrecondition.RetryZh)));
        Roles(Infrastructure.Roles.Admin);
        // The deadline is checked against the period here, beside the body's own rules: one 400 names the list's slips and a
        // deadline before the period began together, rather than the deadline only once the list is mended.
        DontThrowIfValidationFails();
        Summary(s =>
        {
            s.Summary = "设置统计期 · Set a period's deadline and expected reporters";
            s.Description = "Replaces both settings, as a PUT does: a field left out is cleared, so a deadline sent alone leaves the period " +
                "expecting every reporter and no list. To move the deadline only, send the list read from GET with it, and the ETag " +
                "read with them as If-Match: settings changed meanwhile (another clerk's deadline, a close) are then a 409 rather than erased.";
            s.Params["catalogue"] = "Catalogue id.";
            s.Params["period"] = "Period, e.g. 2014 or 2014Q3.";
            s.Responses[400] = "The body is not as documented, or the deadline is before the period began (every table of it would be late).";
            s.Responses[409] = "`settings-conflict`: If-Match names settings changed since (set, closed or reopened); nothing was stored. Read them " +
                "again (GET), check what changed, and send the write with the new ETag. Settings changed since to exactly those sent (the same " +
                "PUT sent again after its answer was lost) are not a conflict: 200 with their ETag. `period-closed`: the period is closed and the body " +
                "would change its deadline or expected reporters, which decide who was late and who is missing in the table it was closed " +
                "with; nothing was stored. Reopen it first. The same settings sent again are a 200.";
            s.Responses[422] = "An expected reporter is not registered.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (catalogueId, periodText) = (Route<string>("catalogue")!, Route<string>("period")!);
        // A period the catalogue does not have leaves no period to set the deadline against: the body's errors are said first,
        // as they were when the validator stopped the request before this.
        if (PeriodChecks.Resolve(catalogues, catalogueId, periodText, HttpContext, out _, out var period) is { } problem)
        {
            Refused();
            ThrowIfAnyErrors();
            AuditLog.Record(HttpContext, $"未改动：没有统计表目录 {catalogueId} 的统计期 {periodText}");
            await Send.ResultAsync(problem);
            return;
        }
        // A deadline before the period began makes every table of it late: 2015-01-31 typed for 2016's, which is 2017-01-31.
        if (req.Deadline is { } due && Submissions.SubmissionBody.PeriodStart(period) is var start && due < start)
        {
            var began = ChinaTime.Of(start).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            AddError(new FluentValidation.Results.ValidationFailure("deadline", $"截止时间 {AuditText.Time(due)}早于 {period} 统计期开始（{began}）：" +
                "那样每张报表都会算作逾期。截止时间一般在统计期结束之后（如 2016 年度的报表截止于 2017-01-31）。" +
                $"deadline is {AuditText.Moment(due)} (Beijing time), before period {period} began on {began}: every table of it would be late. " +
                "A deadline usually falls after the period it is for (2017-01-31 for 2016's tables)."));
        }
        Refused();
        ThrowIfAnyErrors();
        // Whether a listed reporter is registered is asked only of a well-formed list, and answered apart (422): nothing was wrong
        // with how the request was written.
        if (req.ExpectedReporters is { } expected)
        {
            var known = (await reporters.ListReportersAsync(ct)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var unknown = expected.Where(id => !known.Contains(id)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                AuditLog.Record(HttpContext, $"未改动：应报单位名单中有 {unknown.Count} 个单位未登记（{string.Join("、", unknown.Take(5))}{(unknown.Count > 5 ? " 等" : "")}）");
                await Send.ResultAsync(Problems.Unprocessable($"应报单位名单中有 {unknown.Count} 个单位未登记（{string.Join("、", unknown.Take(5))}{(unknown.Count > 5 ? " 等" : "")}），没有保存：请先登记，或从名单中删去。" +
                    "Some expected reporters are not registered; nothing was changed.",
                    [.. unknown.Select(Problems.UnknownReporter)],
                    HttpContext, "The request was refused"));
                return;
            }
        }
        // Without If-Match the write is still made on the version read (SettingsPrecondition.WriteAsync): the close it carries over is
        // then never one undone meanwhile, and the log's "before" is what it replaced.
        PeriodSettings Wanted(PeriodSettings current) => current with
        {
            Deadline = req.Deadline is { } deadline ? StoredTime.Of(deadline) : null,
            ExpectedReporters = req.ExpectedReporters?.Order(StringComparer.Ordinal).ToList(),
        };
        // A closed period is what went into a published report: its deadline and list decide who was late and who is missing
        // there, so they change only once it is reopened (which the log records). The same settings sent again change nothing.
        bool ClosedAgainst(PeriodSettings current) => current.Closed && !SameSettings(current, Wanted(current));
        var write = await SettingsPrecondition.WriteAsync(periods, catalogueId, periodText, req,
            current => ClosedAgainst(current) ? null : Wanted(current), Holding.SameSettings, ct);
        if (ClosedAgainst(write.Before))
        {
            AuditLog.Record(HttpContext, $"未改动：{AuditText.Period(period.ToString())}统计期已关闭，须重新开放后才能修改截止时间或应报单位名单");
            await Send.ResultAsync(ClosedSettings(period, write.Before, HttpContext));
            return;
        }
        if (write.Version is not { } version)
        {
            await Send.ResultAsync(SettingsPrecondition.Conflict(period, HttpContext));
            return;
        }
        var (current, updated) = (write.Before, write.Now);
        HttpContext.Response.Headers.ETag = PeriodView.ETag(version);
        // What changed, each field once; a PUT that changed nothing says so.
        // The deadline compared as stored (to the millisecond), not as printed: a move within one minute is a change, shown to the second.
        string?[] changes = [current.Deadline == updated.Deadline ? null
                : AuditText.Time(current.Deadline) == AuditText.Time(updated.Deadline)
                    ? $"截止时间 {AuditText.Moment(current.Deadline!.Value)} → {AuditText.Moment(updated.Deadline!.Value)}（北京时间，精确到秒）"
                    : $"截止时间 {AuditText.Time(current.Deadline)} → {AuditText.Time(updated.Deadline)}",
            await ExpectedChangeAsync(current.ExpectedReporters, updated.ExpectedReporters, ct)];
        AuditLog.Record(HttpContext, changes.OfType<string>().ToList() is { Count: > 0 } changed ? string.Join("；", changed) : "未作改动");
        await Send.OkAsync(PeriodView.From(updated), ct);
    }

    // A body refused as written is logged as not done, naming the fields at fault (the answer's errors say how), rather than with
    // an empty detail beside the refusal.
    private void Refused()
    {
        if (ValidationFailed)
            AuditLog.Record(HttpContext, $"未改动：请求有误（{string.Join("、", ValidationFailures.Select(f => f.PropertyName).Distinct())}）");
    }

    private static bool SameSettings(PeriodSettings a, PeriodSettings b) =>
        a.Deadline == b.Deadline && (a.ExpectedReporters ?? []).SequenceEqual(b.ExpectedReporters ?? []) && (a.ExpectedReporters is null) == (b.ExpectedReporters is null);

    private static IResult ClosedSettings(Period period, PeriodSettings settings, HttpContext context)
    {
        var reopen = $"POST /v1/periods/{settings.CatalogueId}/{period}/reopen";
        var closedAt = settings.ClosedAt is { } t ? ChinaTime.Of(t).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
        return Problems.Conflict(ProblemTypes.PeriodClosed,
            $"{AuditText.Period(period.ToString())}统计期已关闭{(closedAt is null ? "" : $"（关闭于 {closedAt}）")}，截止时间和应报单位名单没有修改：" +
            "已关闭统计期的汇总表已用于年度报告，谁逾期、谁未报都按这两项判定。如确需修改，请先重新开放统计期，修改后再关闭。" +
            $"Period {period} is closed; its deadline and expected reporters were not changed. They decide who was late and who is missing in the " +
            $"table the period was closed with: reopen it first ({reopen}), change them, and close it again.", context, p =>
            {
                p.Extensions["period"] = period.ToString();
                if (settings.ClosedAt is { } at) p.Extensions["closedAt"] = at;
                p.Extensions["reopen"] = reopen;
            });
    }

    /// <summary>A change of the expected reporters, named as the office knows them (an id where one is not registered); null when none.</summary>
    private async Task<string?> ExpectedChangeAsync(IReadOnlyList<string>? before, IReadOnlyList<string>? after, CancellationToken ct)
    {
        if (before is null && after is null) return null;
        var names = (await reporters.ListReportersAsync(ct)).ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        string Expected(IReadOnlyList<string>? ids) => ids is null ? "全部登记单位" : string.Join("、", ids.Select(id => names.GetValueOrDefault(id, id)));
        return AuditText.Changed("应报单位", Expected(before), Expected(after));
    }
}
