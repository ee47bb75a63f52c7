using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Templates.ReadReporters;

sealed class Endpoint(CatalogueRegistry catalogues, IReporterStore reporters, ISubmissionStore submissions) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("v1/templates/{catalogue}/{period}/reporters");
        Roles(Infrastructure.Roles.Admin);
        // Reads and stores nothing: each column is submitted on its own, and audited as a table is (by its revision).
        Options(b => b.WithMetadata(AuditLog.NotAudited, new RetryAdvice("Nothing is stored here: send it again as it was.", "这里不保存任何内容，可原样重发。")));
        // Routing refuses any other Content-Type (415, naming this one), and Infrastructure/ContentTypeRequired a request without one.
        Description(b => b.Accepts<Request>(SubmissionWorkbook.MediaType));
        Summary(s =>
        {
            s.Summary = "读取分单位填报表 · Read a filled-in template of every reporter into each reporter's values (nothing is stored)";
            s.Description = "The body is the workbook of GET /v1/templates/{catalogue}/{period}/reporters, filled in. Each reporter column " +
                "is the reporter its id cell names: the id as the template writes it, or in capitals, or the reporter's registered name " +
                "typed in its place (answered with the id). Text that is one reporter's id and another's name (a name written like an id) " +
                "is the reporter whose id it is, as in a reporter's own workbook: the id is what the template writes, so a cell left as it " +
                "came reads back as made, and is the one text that always names its reporter; type the other's id to mean it. Each column " +
                "answers its reporter's `reporter` and `name`, to check before the columns are submitted. It is read into the values of a submission body, every cell judged as a number " +
                "as in a reporter's own template (a blank cell is blank, not zero), and compared with the reporter's current revision: `changed` columns are the ones to submit, each " +
                "with POST /v1/submissions and `expectedRevision` = `madeFromRevision`, which judges and stores it as any table; " +
                "`unchanged` and `blank` columns are not, and come without `values` (an unchanged column's are the current revision's). Nothing is stored here. The cells to mend are refused together (400, each named in " +
                "`errors` by its sheet and cell, in Chinese and then English), and nothing is read until they are: a figure that is not a number; " +
                "an id cell that names no registered reporter, or could mean two; two id cells that name one reporter (both named); figures " +
                "under an empty id cell, which belong to no reporter.";
            s.Responses[200] = "Each reporter column, left to right.";
            s.Responses[422] = "The workbook is for another catalogue or period than the path names (`workbook-mismatch`).";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (Periods.PeriodChecks.Resolve(catalogues, req.Catalogue, req.Period, HttpContext, out var catalogue, out var period) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        using var body = new MemoryStream();
        await HttpContext.Request.Body.CopyToAsync(body, ct);
        ReportersSheet read;
        try
        {
            read = ReportersWorkbook.Read(body.ToArray(), await reporters.ListReportersAsync(ct));
        }
        catch (WorkbookException e)
        {
            await Send.ResultAsync(e.Problem(HttpContext));
            return;
        }
        if (read.Catalogue != catalogue.Id || read.Period != period.ToString())
        {
            await Send.ResultAsync(Problems.Unprocessable(
                $"该工作簿是 {read.Catalogue} {read.Period} 的分单位填报表，不是 {catalogue.Id} {period} 的，没有读取。The workbook is for {read.Catalogue}, {read.Period}, not {catalogue.Id}, {period}; nothing was read.",
                [Problems.RegistryViolation(Infrastructure.RegistryRuleIds.WorkbookMismatch, $"{read.Catalogue}/{read.Period}",
                    $"The workbook is for {read.Catalogue}, {read.Period}: upload it where that table and period are open, or download the template of {catalogue.Id}, {period}.",
                    $"该工作簿是 {read.Catalogue} {read.Period} 的分单位填报表，不是本页的 {catalogue.Id} {period}：请在对应的统计表和统计期上传，或下载本期的模板。")],
                HttpContext, "The workbook was refused"));
            return;
        }
        var latest = (await submissions.ListLatestAsync(catalogue.Id, [period.ToString()], ct)).ToDictionary(r => r.ReporterId, StringComparer.Ordinal);
        // The stored tables of the columns with figures, to compare them with.
        var stored = await submissions.GetSubmissionsAsync(
            [.. read.Columns.Where(c => c.Values.Count > 0).Select(c => latest.GetValueOrDefault(c.Reporter)?.Id).OfType<Guid>()], ct);
        var columns = read.Columns.Select(column =>
        {
            var current = latest.GetValueOrDefault(column.Reporter);
            var state = column.Values.Count == 0 ? ColumnState.Blank
                : current is not null && stored.GetValueOrDefault(current.Id) is { } table && Same(table.Values, column.Values) ? ColumnState.Unchanged
                : ColumnState.Changed;
            return new Response.Table
            {
                Reporter = column.Reporter, Name = column.Name, Column = column.Column,
                MadeFromRevision = column.MadeFromRevision, CurrentRevision = current?.Revision ?? 0, Note = current?.Note, State = state,
                // Only a changed column is to be submitted: an unchanged one's figures are the stored ones, and a blank one has none.
                Values = state == ColumnState.Changed ? column.Values : null,
            };
        }).ToList();
        await Send.OkAsync(new Response { Catalogue = catalogue.Id, Period = period.ToString(), Reporters = columns }, ct);
    }

    /// <summary>Whether the column gives exactly the stored figures that were typed (the template leaves derived sums blank, as they were sent).</summary>
    private static bool Same(IReadOnlyList<StoredValue> stored, IReadOnlyList<Submissions.ValueItem> column) =>
        stored.Count(v => !v.Derived) == column.Count
        && stored.Where(v => !v.Derived).ToDictionary(v => v.Code, v => v.Value, StringComparer.Ordinal) is var figures
        && column.All(v => figures.TryGetValue(v.Code!, out var f) && f == v.Value);
}
