using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using FastEndpoints;

namespace Disclosure.Api.Features.Catalogues.Get;

sealed class Endpoint(CatalogueRegistry catalogues) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("v1/catalogues/{id}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "读取统计表目录 · Read one catalogue with its rows, columns and rules";
            s.Description = "Rows and rules in table order, and every value cell with its code and unit, so that a form can be drawn from it.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!catalogues.TryGet(req.Id, out var c))
        {
            await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Id}”的报表。There is no catalogue '{req.Id}'.", HttpContext));
            return;
        }
        await Send.OkAsync(Response.From(c), ct);
    }
}
