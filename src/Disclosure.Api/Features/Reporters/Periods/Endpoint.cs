using Disclosure.Api.Features.Periods;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.Periods;

sealed class Endpoint(ISubmissionStore submissions, IPeriodStore periods, IReporterStore reporters, IKeyStore keys, CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/reporters/{id}/periods");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "填报单位的报表 · A reporter's tables by period, with status against the deadline (a reporter key reads only its own)";
            s.Description = "Every period of every catalogue whose settings expect the reporter (an expected list naming it, or a deadline or closing with no list; a period closed before the reporter was registered, with no list, does not) or with a " +
                "submission by the reporter, with the deadline, the latest revision, who submitted it, the district office's review of it (`review`: " +
                "returned with the reason, or accepted; absent while not reviewed) and its status: notSubmitted, onTime, late or revisedLate. " +
                "`closed` says whether the period takes the reporter's table (false while the office has returned it for its one correction); " +
                "`periodClosed` and `periodClosedAt` whether and since when the period itself is closed, returned table or not. " +
                "A year without a table of its own lists the quarterly tables it is added up from (`quarters`): with all four it is reported. " +
                "A reporter retired from a period (`retiredFrom`) is expected for no period that begins on or after it: such a period is listed only where it has a table.";
            s.Responses[404] = "不存在 · No such reporter.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Id)) { await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{req.Id}”的数据。This key may not read reporter '{req.Id}'.", HttpContext)); return; }
        if (await reporters.GetReporterAsync(req.Id, ct) is not { } reporter) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Id}”的填报单位。There is no reporter '{req.Id}'.", HttpContext)); return; }
        // Two indexed reads for each period the catalogues allow: the cost follows the one reporter and the
        // catalogues, never the size of the district, as a list of every reporter's heads would.
        var items = new List<Response.Item>();
        var submitters = new Submissions.Submitters(keys);
        foreach (var catalogue in catalogues.All) // ordered by id
        {
            var read = new List<(Period Period, PeriodSettings Settings, IReadOnlyList<RevisionInfo> Revisions)>();
            foreach (var period in catalogue.AllowedPeriods(clock.GetUtcNow().Year + 1).OrderDescending())
                read.Add((period, await periods.GetPeriodAsync(catalogue.Id, period.ToString(), ct), await submissions.ListRevisionsAsync(req.Id, catalogue.Id, period.ToString(), ct)));
            // A year without a table of its own is added up from the quarterly tables of it, and is closed with it (ClosedPeriods).
            var quarterly = read.Where(r => !r.Period.IsYear && r.Revisions.Count > 0).ToLookup(r => r.Period.Year, r => r.Revisions);
            var years = read.Where(r => r.Period.IsYear).ToDictionary(r => r.Period.Year);
            foreach (var (period, settings, revisions) in read)
            {
                var quarters = period.IsYear && revisions.Count == 0 ? quarterly[period.Year].ToList() : [];
                var toCome = quarters.Count == 0 ? [] : QuarterlyYears.QuartersToCome((await QuarterlyYears.OwedAsync(periods, catalogue.Id, period, ct))(reporter), quarters.Select(q => q[0].Period));
                var yearSettings = !period.IsYear && years.TryGetValue(period.Year, out var year) ? year : default;
                var head = revisions.LastOrDefault();
                // A table the office returned is open to its correction, closed or not (ClosedPeriods.ClosingAsync), unless its reporter
                // is retired for the period, which takes none of its tables.
                var closed = (settings.Closed || (yearSettings.Settings is not null && ClosedPeriods.ClosesItsQuarters(yearSettings.Settings.Closed, yearSettings.Revisions.Count > 0)))
                    && (!ClosedPeriods.IsReturned(head) || reporter.IsRetiredFor(period));
                // Without a list, a period closed before the reporter was registered does not expect it (ClosedPeriods.RegisteredBy).
                var expected = !reporter.IsRetiredFor(period)
                    && (settings.ExpectedReporters is { } list ? list.Contains(req.Id)
                        : (settings.Deadline is not null || settings.Closed) && ClosedPeriods.RegisteredBy(reporter, ClosedPeriods.ClosedSince(settings, yearSettings.Settings)));
                if (revisions.Count == 0 && quarters.Count == 0 && !expected) continue;
                items.Add(new Response.Item
                {
                    Catalogue = catalogue.Id, Title = catalogue.Document.Title, Period = period.ToString(),
                    Deadline = settings.Deadline, Closed = closed,
                    PeriodClosed = settings.Closed, PeriodClosedAt = settings.Closed ? settings.ClosedAt : null,
                    Revision = head?.Revision ?? 0, ReceivedAt = head?.ReceivedAt, SentAt = head?.SentAt, Submission = head?.Id,
                    SubmittedBy = await submitters.OfAsync(head?.SubmittedByKey, ct),
                    Review = await submitters.ReviewOfAsync(head?.Review, ct),
                    Quarters = quarters.Count > 0 ? [.. quarters.Select(q => q[0].Period).Order(StringComparer.Ordinal)] : null,
                    QuartersToCome = toCome.Count > 0 ? toCome : null,
                    Status = quarters.Count > 0 && toCome.Count == 0
                        ? ReportStatuses.Worst(quarters.Select(q => ReportStatuses.Of(q, settings.Deadline)))
                        : ReportStatuses.Of(revisions, settings.Deadline),
                });
            }
        }
        await Send.OkAsync(new Response { Reporter = req.Id, Items = items }, ct);
    }
}
