using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Catalogues.Create;

sealed class Endpoint(ICatalogueStore store, CatalogueRegistry catalogues, TimeProvider clock) : Endpoint<CatalogueDocument, Catalogues.Get.Response>
{
    public override void Configure()
    {
        Post("v1/catalogues");
        Options(b => b.WithMetadata(new RetryAdvice("Send the same document again: one stored under its id already answers 201, and is kept once.")));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "载入统计表目录 · Load a catalogue";
            s.Description = "A catalogue document, the same JSON as GET /v1/catalogues/{id} returns: a province's own " +
                "edition (optionally mapped cell by cell to a national catalogue in 'edition') or a new version of one. Its 'cells' may be " +
                "left out, as the tables imply them; given (a catalogue read there and posted back, say under a new id), they must be exactly " +
                "those the rows × columns imply, in order, or the 422 names the first that differs (rule catalogue-cells). It is checked " +
                "before it is accepted — ids and codes unique and well formed, every parent, column, unit and rule code known, sums " +
                "acyclic, an edition's mapping resolvable — and every problem is listed in one 422. Once stored it never changes and " +
                "every instance uses it: a change is a new catalogue id (e.g. a '-v2' suffix). Loading the same document again answers as the " +
                "first load did and changes nothing, so a load can be retried safely.";
            s.Responses[201] = "Stored (or this very document was stored under this id already); the catalogue as GET /v1/catalogues/{id} returns it.";
            s.Responses[409] = "The id is a built-in catalogue's (catalogue-built-in), or holds another document (catalogue-exists): catalogues never change, use a new id.";
            s.Responses[422] = "The document has problems, every one listed in violations with the codes involved: its rule names what is wrong — " +
                "catalogue-id, catalogue-code, catalogue-table, catalogue-column, catalogue-unit, catalogue-parent, catalogue-cycle, " +
                "catalogue-carried, catalogue-rule, catalogue-periods, catalogue-edition, catalogue-invalid, or catalogue-cells (the cells given " +
                "are not those the tables imply).";
        });
    }

    /// <summary>The id is read before the document is checked (a built-in id is a 409); the checker judges everything else.</summary>
    internal sealed class Validator : Validator<CatalogueDocument>
    {
        public Validator() => RuleFor(d => d.Id).NotEmpty().WithMessage("请填写报表代码（id），如 gov-info-disclosure-2014。id is required: the catalogue's id, such as gov-info-disclosure-2014.");
    }

    public override async Task HandleAsync(CatalogueDocument req, CancellationToken ct)
    {
        if (catalogues.IsBuiltIn(req.Id))
        {
            await Send.ResultAsync(Problems.Conflict(ProblemTypes.CatalogueBuiltIn,
                $"“{req.Id}”是内置报表，不能替换：请以另一个代码载入。'{req.Id}' is a built-in catalogue, which cannot be replaced: load the document under another id.", HttpContext));
            return;
        }
        var problems = CatalogueChecker.Check(req, id => catalogues.IsBuiltIn(id) && catalogues.TryGet(id, out var c) ? c : null);
        if (problems.Count > 0)
        {
            var p = Problems.Create(ProblemTypes.Unprocessable,
                $"报表“{req.Id}”有 {problems.Count} 处问题，没有保存（各处见 violations）。The catalogue '{req.Id}' has {problems.Count} problem(s); nothing was stored.", HttpContext,
                "The catalogue was refused");
            p.Extensions["violations"] = problems;
            await Send.ResultAsync(TypedResults.Problem(p));
            return;
        }

        var document = req.WithoutCells();
        var catalogue = Catalogue.Catalogue.Compile(document);
        if (req.Cells is { } cells && CellsDiffer(cells, catalogue) is { } differs)
        {
            await Send.ResultAsync(Problems.Unprocessable($"报表“{req.Id}”列出的单元格与其表格不符，没有保存。The catalogue '{req.Id}' lists cells its tables do not imply; nothing was stored.",
                [differs], HttpContext, "The catalogue was refused"));
            return;
        }
        var status = await store.SaveCatalogueAsync(new StoredCatalogue(req.Id, CatalogueRegistry.Serialize(document), clock.GetUtcNow()), ct);
        if (status == CatalogueSaveStatus.Conflict)
        {
            await Send.ResultAsync(Problems.Conflict(ProblemTypes.CatalogueExists,
                $"已存有代码为“{req.Id}”的另一份报表，已存的报表不能更改：请以新的代码载入。Catalogue '{req.Id}' is stored with another document, and a stored catalogue never changes: load this one under a new id.", HttpContext));
            return;
        }
        // Another request (or instance) may have added it first; the store decided, so whichever copy is here is this document.
        catalogues.Add(catalogue);
        AuditLog.Record(HttpContext, status == CatalogueSaveStatus.Created ? $"载入统计表目录 '{req.Id}'" : $"统计表目录 '{req.Id}' 此前已载入，未变");
        HttpContext.Response.Headers.Location = $"/v1/catalogues/{req.Id}";
        await Send.ResponseAsync(Catalogues.Get.Response.From(catalogues[req.Id]), StatusCodes.Status201Created, ct);
    }

    /// <summary>
    /// The first difference between the cells a document lists and those its tables imply (<paramref name="catalogue"/>'s), as a
    /// violation naming where it is; null when they are the same, member for member and in order.
    /// </summary>
    internal static Violation? CellsDiffer(IReadOnlyList<CellDocument?> sent, Catalogue.Catalogue catalogue)
    {
        static Violation Differs(string at, string en, string zh, string? expected = null, string? actual = null) =>
            new(CatalogueChecker.Cells, Catalogue.Severity.Error, [at], expected, actual, en, zh);
        var implied = catalogue.Cells;
        for (var i = 0; i < Math.Max(sent.Count, implied.Count); i++)
        {
            var at = $"cells[{i}]";
            if (i >= implied.Count)
                return Differs(at, $"{at} ('{sent[i]?.Code}') is a cell the tables do not imply: they imply {implied.Count} cells. Leave 'cells' out, or list them as GET /v1/catalogues/{{id}} does.",
                    $"{at}（“{sent[i]?.Code}”）不是各表行列所构成的单元格：各表共构成 {implied.Count} 个单元格。可省略 cells，或按 GET /v1/catalogues/{{id}} 所列填写。");
            var want = CellDocument.From(implied[i]);
            if (i >= sent.Count)
                return Differs(at, $"cells lists {sent.Count} cells, and the tables imply {implied.Count}: the next is '{want.Code}'. Leave 'cells' out, or list them as GET /v1/catalogues/{{id}} does.",
                    $"cells 列出 {sent.Count} 个单元格，各表共构成 {implied.Count} 个：下一个应为“{want.Code}”。可省略 cells，或按 GET /v1/catalogues/{{id}} 所列填写。");
            if (sent[i] is not { } got)
                return Differs(at, $"{at} is null where the tables imply '{want.Code}'.", $"{at} 为 null，此处应为“{want.Code}”。");
            (string Name, string? Sent, string? Implied)[] members =
            [
                ("code", got.Code, want.Code), ("table", got.Table, want.Table), ("row", got.Row, want.Row), ("column", got.Column, want.Column),
                ("name", got.Name, want.Name), ("unit", got.Unit, want.Unit),
                ("decimals", Invariant(got.Decimals), Invariant(want.Decimals)), ("overTime", Wire(got.OverTime), Wire(want.OverTime)),
            ];
            if (members.FirstOrDefault(m => m.Sent != m.Implied) is ({ } name, var was, var should))
                return Differs($"{at}.{name}", $"{at}.{name} is {Quoted(was)} where the tables imply {Quoted(should)}{(name == "code" ? "" : $" (cell '{want.Code}')")}.",
                    $"{at}.{name} 为 {Quoted(was)}，按各表行列应为 {Quoted(should)}{(name == "code" ? "" : $"（单元格“{want.Code}”）")}。", should, was);
        }
        return null;
    }

    private static string Quoted(string? value) => value is null ? "absent" : $"'{value}'";

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Wire(OverTime value) => System.Text.Json.JsonSerializer.Serialize(value).Trim('"');
}
