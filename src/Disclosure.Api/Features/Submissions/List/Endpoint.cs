using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.List;

sealed class Endpoint(ISubmissionStore store, IReporterStore reporters, IKeyStore keys, Disclosure.Catalogue.CatalogueRegistry catalogues)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/submissions");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "列出报送修订 · List the revisions of a reporter's table for a catalogue and period";
            s.Description = "Every revision, oldest first, each with who submitted it (`submittedBy`): the key's id and role, " +
                "`admin` when the district office entered or corrected the table on the reporter's behalf, and the office's review of it (`review`), absent " +
                "while not reviewed. A reporter key reads only its own reporter's.";
            s.Responses[404] = "不存在 · No such reporter, catalogue, or period of the catalogue.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Reporter!))
        {
            await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{req.Reporter}”的报送。This key may not read submissions of reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        // An unknown name is told apart from a table nobody submitted yet (an empty list).
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue!, req.Period!, HttpContext, out _, out _) is { } unknown)
        {
            await Send.ResultAsync(unknown);
            return;
        }
        if (await reporters.GetReporterAsync(req.Reporter!, ct) is null)
        {
            await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Reporter}”的填报单位。There is no reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        var revisions = await store.ListRevisionsAsync(req.Reporter!, req.Catalogue!, req.Period!, ct);
        var submitters = new Submitters(keys);
        var items = new List<Response.Item>(revisions.Count);
        foreach (var r in revisions)
            items.Add(new Response.Item { Id = r.Id, Revision = r.Revision, ReceivedAt = r.ReceivedAt, SentAt = r.SentAt, Note = r.Note, SubmittedBy = await submitters.OfAsync(r.SubmittedByKey, ct), Review = await submitters.ReviewOfAsync(r.Review, ct) });
        await Send.OkAsync(new Response
        {
            Reporter = req.Reporter!,
            Catalogue = req.Catalogue!,
            Period = req.Period!,
            CurrentRevision = revisions.Count == 0 ? 0 : revisions.Max(r => r.Revision),
            Items = items,
        }, ct);
    }
}
