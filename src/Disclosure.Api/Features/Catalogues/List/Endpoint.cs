using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Catalogues.List;

sealed class Endpoint(CatalogueRegistry catalogues, ICatalogueStore stored, ILogger<Endpoint> log) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("v1/catalogues");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "列出统计表目录 · List the indicator catalogues";
            s.Description = "Every catalogue the service validates against, with the periods it accepts.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // A catalogue loaded through another instance is listed here too, not only once something asked for it by id.
        await StoredCatalogues.AddStoredAsync(catalogues, stored, log, ct);
        await Send.OkAsync(new Response
        {
            Items = [.. catalogues.All.Select(c => new Response.Item
            {
                Id = c.Id,
                Title = c.Document.Title,
                TitleEn = c.Document.TitleEn,
                Periods = c.Document.Periods,
                Cells = c.Cells.Count,
            })],
        }, ct);
    }
}
