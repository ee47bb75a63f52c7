using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Get;

sealed class Endpoint(ISubmissionStore store, IKeyStore keys, CatalogueRegistry catalogues) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/submissions/{id}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "读取一次报送 · Read one submission (any revision; a reporter key reads only its own)";
            s.Description = "The revision's table, who submitted it (`submittedBy`): the key's id and role, `admin` when the district office entered or corrected it; " +
                "and the district office's review of it (`review`: accepted or returned, with the reason), absent while not reviewed.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await store.GetSubmissionAsync(req.Id, ct) is not { } s)
        {
            await Send.ResultAsync(Problems.NotFound($"没有编号为“{req.Id}”的报送。There is no submission '{req.Id}'.", HttpContext));
            return;
        }
        if (!User.MayReadFor(s.ReporterId))
        {
            await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{s.ReporterId}”的报送。This key may not read submissions of reporter '{s.ReporterId}'.", HttpContext));
            return;
        }
        HttpContext.Response.Headers.ETag = $"\"{s.Revision}\"";
        var who = new Submitters(keys);
        await Send.OkAsync(new Response(SubmissionView.From(s, catalogues), await who.OfAsync(s.SubmittedByKey, ct), await who.ReviewOfAsync(s.Review, ct)), ct);
    }
}
