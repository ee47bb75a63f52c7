using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.Create;

sealed class Endpoint(IReporterStore reporters, TimeProvider clock) : Endpoint<Request, ReporterView>
{
    public override void Configure()
    {
        Post("v1/reporters");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: a 409 `duplicate-reporter` then means that this attempt was stored (`GET /v1/reporters/{id}` shows it).", "可重发：若得到 409 duplicate-reporter，说明上次已登记。")));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "登记填报单位 · Register a reporter";
            s.Description = "A town, street office, district department or the district government itself. A duplicate id is 409. " + ReporterNames.Unique +
                " " + ReporterNames.ApartFromIds + " " + DistrictGovernment.One;
            s.Responses[201] = "Registered.";
            s.Responses[409] = "A reporter with this id exists (`duplicate-reporter`), or another reporter, retired or not, has this name (`duplicate-reporter-name`, " +
                "with `name` and `heldBy`, the id of the reporter that has it), or it is a government while another government is not retired " +
                "(`duplicate-government`, with `heldBy`, that government's id), or its name is another reporter's id, or its id another reporter's name " +
                "(`reporter-id-name-clash`, with `field`, `value` and `heldBy`, that reporter's id); nothing was stored.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var reporter = new Reporter(req.Id!, Reporter.NormaliseName(req.Name!), req.Kind!.Value, StoredTime.Of(clock.GetUtcNow()), Contact: req.Contact?.Trim());
        // A retry of this very registration finds its id taken, and reads as the duplicate it is below.
        if (reporter.Kind == ReporterKind.Government && await DistrictGovernment.OtherReportingAsync(reporters, reporter.Id, ct) is { } government)
        {
            AuditLog.Record(HttpContext, $"未登记 '{reporter.Id}'：" + DistrictGovernment.HeldBy(government));
            await Send.ResultAsync(DistrictGovernment.Taken(government, HttpContext));
            return;
        }
        // A 填报单位 cell reads an id and a name alike: text that were one reporter's id and another's name would name either.
        if (await ReporterNames.IdReadAsAsync(reporters, reporter.Name, reporter.Id, ct) is { } idHolder)
        {
            AuditLog.Record(HttpContext, $"未登记 '{reporter.Id}'：" + ReporterNames.Clashes("name", reporter.Name, idHolder));
            await Send.ResultAsync(ReporterNames.Clash("name", reporter.Name, idHolder, HttpContext));
            return;
        }
        if (await ReporterNames.NameReadAsAsync(reporters, reporter.Id, ct) is { } nameHolder)
        {
            AuditLog.Record(HttpContext, $"未登记 '{reporter.Id}'：" + ReporterNames.Clashes("id", reporter.Id, nameHolder));
            await Send.ResultAsync(ReporterNames.Clash("id", reporter.Id, nameHolder, HttpContext));
            return;
        }
        var created = await reporters.CreateReporterAsync(reporter, ct);
        if (created.Status == CreateStatus.Duplicate)
        {
            await Send.ResultAsync(Problems.Conflict(ProblemTypes.DuplicateReporter, $"代码“{req.Id}”已有填报单位登记，没有保存：请换一个代码，或修改已登记的单位。A reporter with id '{req.Id}' is registered already.", HttpContext));
            return;
        }
        if (created.Status == CreateStatus.NameTaken)
        {
            AuditLog.Record(HttpContext, $"未登记 '{reporter.Id}'：" + ReporterNames.HeldBy(reporter.Name, created.NameHeldBy));
            await Send.ResultAsync(ReporterNames.Taken(reporter.Name, created.NameHeldBy, HttpContext));
            return;
        }
        AuditLog.Record(HttpContext, $"登记 '{reporter.Id}' {reporter.Name}（{reporter.Kind.Printed()}）" +
            (reporter.Contact is null ? "" : $"，联系人 {reporter.Contact}"));
        HttpContext.Response.Headers.Location = $"/v1/reporters/{reporter.Id}";
        await Send.ResponseAsync(ReporterView.From(reporter), StatusCodes.Status201Created, ct);
    }
}
