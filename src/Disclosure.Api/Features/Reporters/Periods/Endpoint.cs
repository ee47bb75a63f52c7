using Disclosure.Api.Features.Periods;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.Periods;

sealed class Request
{
    public string Id { get; set; } = "";
}

sealed class Response
{
    public required string Reporter { get; init; }
    /// <summary>Every period of every catalogue whose settings expect this reporter (an expected list naming it, or a deadline or closing with no list) or that this reporter submitted to; by catalogue, newest period first.</summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        public required string Catalogue { get; init; }
        public required string Title { get; init; }
        public required string Period { get; init; }
        public DateTimeOffset? Deadline { get; init; }
        public required bool Closed { get; init; }
        /// <summary>The latest revision, 0 when nothing was submitted.</summary>
        public required int Revision { get; init; }
        /// <summary>When the latest revision arrived.</summary>
        public DateTimeOffset? ReceivedAt { get; init; }
        /// <summary>The latest revision's id, for <c>GET /v1/submissions/{id}</c>.</summary>
        public Guid? Submission { get; init; }
        public required ReportStatus Status { get; init; }
    }
}

sealed class Endpoint(ISubmissionStore submissions, IPeriodStore periods, IReporterStore reporters, CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/reporters/{id}/periods");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "填报单位的报表 · A reporter's tables by period, with status against the deadline (a reporter key reads only its own)";
            s.Description = "Every period of every catalogue whose settings expect the reporter (an expected list naming it, or a deadline or closing with no list) or with a " +
                "submission by the reporter, with the deadline, the latest revision and its status: notSubmitted, onTime, late or revisedLate.";
            s.Responses[404] = "不存在 · No such reporter.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Id))
        {
            await Send.ResultAsync(Problems.Forbidden($"This key may not read reporter '{req.Id}'.", HttpContext));
            return;
        }
        if (await reporters.GetReporterAsync(req.Id, ct) is null)
        {
            await Send.ResultAsync(Problems.NotFound($"There is no reporter '{req.Id}'.", HttpContext));
            return;
        }
        // Two indexed reads for each period the catalogues allow: the cost follows the one reporter and the
        // catalogues, never the size of the district, as a list of every reporter's heads would.
        var items = new List<Response.Item>();
        foreach (var catalogue in catalogues.All.OrderBy(c => c.Id, StringComparer.Ordinal))
            foreach (var period in Candidates(catalogue, clock.GetUtcNow().Year + 1).OrderDescending())
            {
                var text = period.ToString();
                var settings = await periods.GetPeriodAsync(catalogue.Id, text, ct);
                var revisions = await submissions.ListRevisionsAsync(req.Id, catalogue.Id, text, ct);
                var expected = settings.ExpectedReporters is { } list ? list.Contains(req.Id) : settings.Deadline is not null || settings.Closed;
                if (revisions.Count == 0 && !expected) continue;
                var head = revisions.Count > 0 ? revisions[^1] : null;
                items.Add(new Response.Item
                {
                    Catalogue = catalogue.Id, Title = catalogue.Document.Title, Period = text,
                    Deadline = settings.Deadline, Closed = settings.Closed,
                    Revision = head?.Revision ?? 0, ReceivedAt = head?.ReceivedAt, Submission = head?.Id,
                    Status = ReportStatuses.Of(revisions.Count > 0 ? revisions[0] : null, head, settings.Deadline),
                });
            }
        await Send.OkAsync(new Response { Reporter = req.Id, Items = items }, ct);
    }

    /// <summary>Every period the catalogue allows, up to the year after this one for a catalogue without an end.</summary>
    private static List<Period> Candidates(Catalogue.Catalogue catalogue, int lastYear)
    {
        var policy = catalogue.Document.Periods;
        var list = new List<Period>();
        for (var year = policy.FromYear; year <= Math.Min(policy.ToYear ?? lastYear, lastYear); year++)
        {
            var y = new Period(year, null);
            if (catalogue.AllowsPeriod(y)) list.Add(y);
            list.AddRange(y.QuartersOfYear().Where(catalogue.AllowsPeriod));
        }
        return list;
    }
}
