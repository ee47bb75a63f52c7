using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.Rename;

sealed class Endpoint(IReporterStore reporters, ISubmissionStore submissions, IPeriodStore periods, CatalogueRegistry catalogues, TimeProvider clock)
    : Endpoint<Request, ReporterView>
{
    public const string MergePatch = "application/merge-patch+json";

    public override void Configure()
    {
        Patch("v1/reporters/{id}");
        Options(b => b.WithMetadata(new RetryAdvice("Send the same patch again: applied twice, it leaves the reporter as applied once.")));
        Roles(Infrastructure.Roles.Admin);
        Description(b => b.Accepts<Request>("application/json", MergePatch));
        Summary(s =>
        {
            s.Summary = "更正名称、联系人，撤并或恢复填报单位 · Correct a reporter's name or contact, retire it from a period, or reinstate it";
            s.Description = "A JSON merge patch (RFC 7396) of the reporter, with any of `name`, `retiredFrom` and `contact` (applied together, in one write). " +
                "`contact` (联系人及电话) is whom the district office calls about the reporter's tables; `null` removes it. " +
                "`name` is the name printed from now on, in every overview and export of an open period, earlier ones included; a closed period " +
                "prints the names it was closed with (its 填报单位, breakdown and 未报 lists are what was published), until it is reopened. " + ReporterNames.Unique + " " +
                ReporterNames.ApartFromIds + " " +
                "`retiredFrom` (撤并/停用: a town merged or abolished, a department reorganised) is the first period the reporter no longer " +
                "reports, a year (`2020`) or a quarter (`2020Q3`); `null` reinstates it. A period is the reporter's no more when it begins on or " +
                "after the day `retiredFrom` begins: `2020` (or `2020Q1`) covers the year 2020, its four quarters and everything after; `2020Q3` " +
                "covers 2020Q3, 2020Q4 and 2021 on, while 2020Q1, 2020Q2 and the year 2020 — which began while the reporter still existed — are " +
                "still expected of it (a year table for the months it existed, or the year its quarters add up to). For those periods the reporter " +
                "is not expected (not missing in an aggregate's completeness, not listed by `GET /v1/reporters/{id}/periods`) even where a " +
                "period's expected list names it, and its tables are refused (422 `reporter-retired`). Its tables of earlier periods, and any it " +
                "submitted for the retired periods before the retirement, are kept and add up where they belong; its keys still read them. " +
                "The id and the kind never change: the kind is copied into every table the reporter has submitted and into the district " +
                "table's split by kind, so `kind` may be given only as the reporter's current kind, and an `id` in the body is refused. " +
                "Register a new reporter for another kind. " + DistrictGovernment.One + " " + ClosedPeriodGuard.Rule;
            s.Responses[200] = "The reporter as it is now.";
            s.Responses[409] = "Another reporter, retired or not, has the name (`duplicate-reporter-name`, with `name` and `heldBy`, the id of the reporter " +
                "that has it), or the name is another reporter's id (`reporter-id-name-clash`, with `field` `name`, `value` and `heldBy`, that reporter's id), " +
                "or it reinstates a government while another government is not retired (`duplicate-government`, with `heldBy`, that " +
                "government's id), or it changes `retiredFrom` so that the district table of a closed period would change (`" + ProblemTypes.RetirementChangesClosedPeriod.Slug + "`, with " +
                "`periods`, each closed period's `catalogue`, `period` and the request that reopens it); nothing was changed.";
            s.Responses[422] = "The body gives another kind than the reporter's (rule `kind-unchangeable`); nothing was changed.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var id = Route<string>("id")!;
        if (await reporters.GetReporterAsync(id, ct) is not { } current) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{id}”的填报单位。There is no reporter '{id}'.", HttpContext)); return; }
        if (req.Kind is { } kind && kind != current.Kind)
        {
            var (from, to) = (Wire(current.Kind), Wire(kind));
            await Send.ResultAsync(Problems.Unprocessable($"填报单位“{id}”的类别（{from}）不能更改，没有修改。Reporter '{id}' is of kind '{from}', which cannot change; nothing was changed.",
                [new Violation(Infrastructure.RegistryRuleIds.KindUnchangeable, Severity.Error, [id], from, to,
                    $"A reporter's kind cannot change from '{from}' to '{to}': it is copied into every table the reporter has submitted and into the " +
                    "district table's split by kind. Register a new reporter of the right kind instead.",
                    $"填报单位的类别不能由“{current.Kind.Printed()}”改为“{kind.Printed()}”：它已记入该单位报送的每张表和全区汇总表的分类合计。请按正确的类别另行登记。")],
                HttpContext, "The request was refused"));
            return;
        }
        if (!req.NameGiven && !req.RetiredFromGiven && !req.ContactGiven) // the kind alone, as it is: nothing to write
        {
            await Send.OkAsync(ReporterView.From(current), ct);
            return;
        }
        if (req.RetiredFromGiven && req.RetiredFrom is null && current is { Kind: ReporterKind.Government, RetiredFrom: not null }
            && await DistrictGovernment.OtherReportingAsync(reporters, id, ct) is { } government)
        {
            AuditLog.Record(HttpContext, $"'{id}' 未恢复：" + DistrictGovernment.HeldBy(government));
            await Send.ResultAsync(DistrictGovernment.Taken(government, HttpContext));
            return;
        }
        if (req.Name is not null && await ReporterNames.IdReadAsAsync(reporters, Reporter.NormaliseName(req.Name), id, ct) is { } idHolder)
        {
            var name = Reporter.NormaliseName(req.Name);
            AuditLog.Record(HttpContext, $"'{id}' 未改动：" + ReporterNames.Clashes("name", name, idHolder));
            await Send.ResultAsync(ReporterNames.Clash("name", name, idHolder, HttpContext));
            return;
        }
        // Reporters are never deleted, so one read a moment ago is still there; null is answered all the same.
        // The periods whose tables the new retirement changes must be open when it is written: the store checks that in the
        // transaction of the write, so a close committed meanwhile either refuses it or comes after it. What is read here to
        // find those periods (the reporter's retirement, its tables, the expected lists) is not held to the write: another
        // retirement of it, or a table appended and its period closed, both between this read and the write, would go unseen.
        // Each needs a second request of the office's (a retirement, a close) racing this one of its own, which is not worth
        // moving the rule, and the catalogues it reads, into both stores.
        var changed = req.RetiredFromGiven
            ? await ClosedPeriodGuard.ChangedAsync(current, req.RetiredFrom, catalogues, submissions, periods, clock.GetUtcNow().Year + 1, ct)
            : [];
        var change = new ReporterChange(req.Name is null ? null : Reporter.NormaliseName(req.Name), req.RetiredFromGiven, req.RetiredFrom, req.ContactGiven, req.Contact?.Trim(),
            changed);
        var result = await reporters.UpdateReporterAsync(id, change, ct);
        if (result.Status == UpdateStatus.PeriodClosed)
        {
            var closed = result.Closed ?? [];
            AuditLog.Record(HttpContext, $"'{id}' 未改动：撤并自 {AuditText.RetiredFrom(current.RetiredFrom)} → {AuditText.RetiredFrom(req.RetiredFrom)} 会改变已关闭的统计期 " +
                string.Join("、", closed.Select(p => $"{p.CatalogueId} {AuditText.Period(p.Period)}")));
            await Send.ResultAsync(ClosedPeriodGuard.Refusal(current, req.RetiredFrom, closed, catalogues, HttpContext));
            return;
        }
        if (result.Status == UpdateStatus.NameTaken)
        {
            AuditLog.Record(HttpContext, $"'{id}' 未改动：" + ReporterNames.HeldBy(change.Name!, result.NameHeldBy));
            await Send.ResultAsync(ReporterNames.Taken(change.Name!, result.NameHeldBy, HttpContext));
            return;
        }
        if (result.Reporter is not { } renamed) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{id}”的填报单位。There is no reporter '{id}'.", HttpContext)); return; }
        AuditLog.Record(HttpContext, $"'{id}'：" + string.Join("；", new[]
        {
            AuditText.Changed("名称", current.Name, renamed.Name), AuditText.Changed("联系人", current.Contact, renamed.Contact),
            AuditText.Changed("撤并自", AuditText.RetiredFrom(current.RetiredFrom), AuditText.RetiredFrom(renamed.RetiredFrom)),
        }.OfType<string>().DefaultIfEmpty("无变化")));
        await Send.OkAsync(ReporterView.From(renamed), ct);
    }

    /// <summary>A kind as the wire spells it.</summary>
    private static string Wire(ReporterKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
