using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Templates.Get;

sealed class Request
{
    public string Catalogue { get; set; } = "";
    public string Period { get; set; } = "";
    /// <summary>The reporter the template is for; its latest revision of the table fills it in.</summary>
    [QueryParam] public string? Reporter { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() =>
            RuleFor(r => r.Reporter).NotEmpty().WithMessage("请填写填报单位代码（reporter）：模板是为一个填报单位填写的。reporter is required: the template is filled in for one reporter.").GivenOnce("reporter");
    }
}

sealed class Endpoint(CatalogueRegistry catalogues, IReporterStore reporters, ISubmissionStore submissions, IPeriodStore periods, Submissions.SubmissionJudge judge) : Endpoint<Request>
{
    public override void Configure()
    {
        Get("v1/templates/{catalogue}/{period}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Reporter);
        Description(b => b.Produces(200, typeof(byte[]), SubmissionWorkbook.MediaType));
        Summary(s =>
        {
            s.Summary = "下载填报模板 · The Excel template of a table, filled in with the reporter's latest revision";
            s.Description = "Fill it in Excel or WPS and send it back as the body of POST /v1/submissions with Content-Type " +
                SubmissionWorkbook.MediaType + ": it is judged and stored as the equivalent JSON. A reporter key gets only its own. " +
                "The figures are the revision's as typed: a sum the service derived is left blank, to be derived again. Only the sheets of the template's names are read: " +
                "a workbook that also holds a copy of one (填报表 (2), 表3 (2), or a sheet with 填报表's labels) is a 400 naming them. " +
                "The sheet 填报表 names the catalogue, period and reporter. A catalogue of rows only (2014) is filled there, in the 填报数 " +
                "column of the row whose 代码 is the indicator's code. A catalogue of rows × columns (2021) is filled on one sheet per table " +
                "(表2, 表3 …) laid out as printed; each value cell carries a workbook-level defined name spelling its code: c_, then the code " +
                "with every character other than a-z, 0-9 and '.' written as '_' and four hex digits (3.3.3.1:natural is c_3.3.3.1_003anatural). " +
                "The hidden workbook-level defined name " + SubmissionWorkbook.RevisionName + " holds the revision the template was filled in from " +
                "(0: blank), and " + SubmissionWorkbook.TableName + " the table it is a revision of (\"reporter/catalogue/period\"); sent back while a later " +
                "revision exists, it is 409 stale-workbook unless If-Match names the current revision. A workbook whose sheet now names another table " +
                "(its period or reporter typed over) holds no revision of that table: it is stored as its first, or is 409 stale-workbook if it has one. " +
                "A template of a closed period (or of a quarter its closed year closes to the reporter) says so on 填报表: a table not sent cannot be sent until the office " +
                "reopens the period; one sent can be returned (退回) by the office for one correction; one returned may be corrected once. " +
                "A template of a period (or a quarter's year) that a catalogue beginning later takes says there what a submission's `newer-catalogue` warning says.";
            s.Responses[200] = "The .xlsx template.";
            s.Responses[406] = "不可接受 · The Accept header excludes the .xlsx workbook.";
            s.Responses[422] = "The reporter is retired for the period (`reporter-retired`, with `retiredFrom`): it has no table to fill in.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayWriteFor(req.Reporter!))
        {
            await Send.ResultAsync(Problems.Forbidden($"此密钥不能填写填报单位“{req.Reporter}”的报表。This key may not fill in tables of reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        if (await reporters.GetReporterAsync(req.Reporter!, ct) is not { } reporter)
        {
            await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Reporter}”的填报单位。There is no reporter '{req.Reporter}'.", HttpContext));
            return;
        }
        // A template is for filling in; a table the reporter no longer owes would only be refused when sent back.
        if (reporter.RetiredFrom is { } from && reporter.IsRetiredFor(period))
        {
            await Send.ResultAsync(Problems.Unprocessable($"填报单位“{reporter.Id}”自 {from} 起已撤并：{period} 没有要填写的报表。Reporter '{reporter.Id}' is retired from {from}: it has no table to fill in for {period}.",
                [Reporters.Retirements.Violation(reporter.Id, from, period.ToString())], HttpContext, "The request was refused",
                p => p.Extensions["retiredFrom"] = from));
            return;
        }
        // Once the request is known to be good (a 403 or 404 says more): a client that asks for JSON only is told the template
        // is a workbook, rather than sent a file it did not ask for.
        if (SubmissionWorkbook.Unacceptable(HttpContext) is { } unacceptable)
        {
            await Send.ResultAsync(unacceptable);
            return;
        }
        var revisions = await submissions.ListRevisionsAsync(reporter.Id, catalogue.Id, period.ToString(), ct);
        var latest = revisions.Count > 0 ? await submissions.GetSubmissionAsync(revisions[^1].Id, ct) : null;
        // A closed period still gives its template (to print, or to keep), but says on it that it cannot be sent back now.
        // A table returned (退回) in a closed period is open to its one correction: the template says that instead.
        var returned = revisions.Count > 0 && Periods.ClosedPeriods.IsReturned(revisions[^1]);
        var closing = await Periods.ClosedPeriods.ClosedOrYearAsync(periods, submissions, catalogue.Id, period, reporter.Id, ct);
        var fromQuarters = closing is { } c && await Periods.ClosedPeriods.SentQuartersAsync(submissions, catalogue.Id, c, period, reporter.Id, ct);
        var workbook = SubmissionWorkbook.Template(catalogue, period.ToString(), reporter.Id, reporter.Name, SubmissionWorkbook.Figures(latest), latest?.Revision ?? 0, latest?.Note,
            closing?.ToString(), returned, fromQuarters, (await judge.NewerCatalogueAsync(catalogue, period, ct))?.MessageZh);
        DownloadName.Of($"{catalogue.Id}-{period}-{reporter.Id}", AuditText.Table(catalogue, period.ToString()), reporter.Name, "填报模板").Attach(HttpContext, "xlsx");
        await Send.BytesAsync(workbook, contentType: SubmissionWorkbook.MediaType, cancellation: ct);
    }
}
