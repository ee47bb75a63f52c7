using Disclosure.Api.Infrastructure;
using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Endpoint(SubmissionJudge judge) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/submissions/validate");
        Options(b => b.WithMetadata(AuditLog.NotAudited)); // a dry run changes nothing
        Description(b => b.Accepts<Request>("application/json", Templates.SubmissionWorkbook.MediaType));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "试校验统计表 · Validate a table without storing it (dry run)";
            s.Description = "The same body and the same verdict as POST /v1/submissions (a reporter retired for the period included: violation " +
                "`reporter-retired`); nothing is stored.";
            s.Responses[200] = "The verdict: valid or not, with every violation.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayWriteFor(req.Reporter!))
        {
            await Send.ResultAsync(Problems.Forbidden($"This key may not submit for reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        var verdict = await judge.JudgeAsync(req, User.IsBoundTo(req.Reporter!), ct);
        await Send.OkAsync(new Response
        {
            Valid = !verdict.Refused,
            Values = verdict.Table is { } t ? [.. t.NonBlank().Select(c => new ValueItem { Code = c.Cell.Code, Value = c.Value, Unit = c.Cell.Unit })] : [],
            Derived = verdict.Table is { } d ? [.. d.NonBlank().Where(c => c.Derived).Select(c => c.Cell.Code)] : [],
            Violations = verdict.Violations,
        }, ct);
    }
}
