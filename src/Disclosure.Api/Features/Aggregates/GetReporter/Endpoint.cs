using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.GetReporter;

sealed class Request
{
    public string Catalogue { get; set; } = "";
    public string Period { get; set; } = "";
    /// <summary>Reporter id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Alternative to the Accept header: <c>json</c>, <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator() => RuleFor(r => r.Format).AnyFormat();
    }
}

sealed class Endpoint(AggregateService aggregates, CatalogueRegistry catalogues, IReporterStore reporters) : Endpoint<Request, AggregateTable>
{
    public override void Configure()
    {
        Get("v1/aggregates/{catalogue}/{period}/reporters/{id}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Description(b => b.Produces<AggregateTable>(200, "application/json", Exports.Csv, Exports.Xlsx, Exports.Html).Produces(304));
        Summary(s =>
        {
            s.Summary = "读取单个单位的统计表 · Drill down: one reporter's table in the district table's shape";
            s.Description = "A reporter key may read only its own.";
            s.Responses[304] = "Unchanged since the ETag given in If-None-Match.";
            s.Responses[406] = "不可接受 · No format (JSON, CSV, xlsx, HTML) satisfies the Accept header.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Id)) { await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{req.Id}”的数据。This key may not read reporter '{req.Id}'.", HttpContext)); return; }
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem) { await Send.ResultAsync(problem); return; }
        if (await reporters.GetReporterAsync(req.Id, ct) is null) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Id}”的填报单位。There is no reporter '{req.Id}'.", HttpContext)); return; }
        if (Exports.Negotiate(req.Format, HttpContext.Request.Headers.Accept.ToString()) is not { } format) { await Send.ResultAsync(Exports.NotAcceptable(HttpContext)); return; }
        var table = await aggregates.BuildAsync(catalogue, period, [req.Id], null, ct);
        // Saved under the reporter's id, so that one town's file does not take the district table's name.
        await Send.ResultAsync(AggregateResponder.Respond(HttpContext, AggregateResponder.Render(table, catalogue, format, $"{catalogue.Id}-{period}-{req.Id}")));
    }
}
