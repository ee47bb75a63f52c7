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
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "载入统计表目录 · Load a catalogue";
            s.Description = "A catalogue document, the same JSON as GET /v1/catalogues/{id} returns without its cells: a province's own " +
                "edition (optionally mapped cell by cell to a national catalogue in 'edition') or a new version of one. It is checked " +
                "before it is accepted — ids and codes unique and well formed, every parent, column, unit and rule code known, sums " +
                "acyclic, an edition's mapping resolvable — and every problem is listed in one 422. Once stored it never changes and " +
                "every instance uses it: a change is a new catalogue id (e.g. a '-v2' suffix). Loading the same document again answers as the " +
                "first load did and changes nothing, so a load can be retried safely.";
            s.Responses[201] = "Stored (or this very document was stored under this id already); the catalogue as GET /v1/catalogues/{id} returns it.";
            s.Responses[409] = "The id is a built-in catalogue's, or holds another document (catalogues never change: use a new id).";
            s.Responses[422] = "The document has problems, every one listed in violations (rule catalogue-…, the codes involved).";
        });
    }

    /// <summary>The id is read before the document is checked (a built-in id is a 409); the checker judges everything else.</summary>
    internal sealed class Validator : Validator<CatalogueDocument>
    {
        public Validator() => RuleFor(d => d.Id).NotEmpty().WithMessage("id is required: the catalogue's id, such as gov-info-disclosure-2014.");
    }

    public override async Task HandleAsync(CatalogueDocument req, CancellationToken ct)
    {
        if (catalogues.IsBuiltIn(req.Id))
        {
            await Send.ResultAsync(Problems.Conflict("catalogue-built-in",
                $"'{req.Id}' is a built-in catalogue, which cannot be replaced: load the document under another id.", HttpContext));
            return;
        }
        var problems = CatalogueChecker.Check(req, id => catalogues.IsBuiltIn(id) && catalogues.TryGet(id, out var c) ? c : null);
        if (problems.Count > 0)
        {
            var p = Problems.Create(StatusCodes.Status422UnprocessableEntity, "unprocessable", "The catalogue was refused",
                $"The catalogue '{req.Id}' has {problems.Count} problem(s); nothing was stored.", HttpContext);
            p.Extensions["violations"] = problems;
            await Send.ResultAsync(TypedResults.Problem(p));
            return;
        }

        var catalogue = Catalogue.Catalogue.Compile(req);
        var status = await store.SaveCatalogueAsync(new StoredCatalogue(req.Id, CatalogueRegistry.Serialize(req), clock.GetUtcNow()), ct);
        if (status == CatalogueSaveStatus.Conflict)
        {
            await Send.ResultAsync(Problems.Conflict("catalogue-exists",
                $"Catalogue '{req.Id}' is stored with another document, and a stored catalogue never changes: load this one under a new id.", HttpContext));
            return;
        }
        // Another request (or instance) may have added it first; the store decided, so whichever copy is here is this document.
        catalogues.Add(catalogue);
        AuditLog.Record(HttpContext, status == CatalogueSaveStatus.Created ? $"载入统计表目录 '{req.Id}'" : $"统计表目录 '{req.Id}' 此前已载入，未变");
        HttpContext.Response.Headers.Location = $"/v1/catalogues/{req.Id}";
        await Send.ResponseAsync(Catalogues.Get.Response.From(catalogues[req.Id]), StatusCodes.Status201Created, ct);
    }
}
