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
            await Send.ResultAsync(Problems.NotFound($"There is no catalogue '{req.Id}'.", HttpContext));
            return;
        }
        var d = c.Document;
        await Send.OkAsync(new Response
        {
            Id = d.Id,
            Title = d.Title,
            TitleEn = d.TitleEn,
            Source = d.Source,
            Periods = d.Periods,
            Units = d.Units,
            Tables = d.Tables,
            Rules = d.Rules,
            Cells = [.. c.Cells.Select(cell => new Response.CellInfo
            {
                Code = cell.Code,
                Table = cell.TableId,
                Row = cell.RowCode,
                Column = cell.ColumnCode,
                Name = cell.Name,
                Unit = cell.Unit,
                Decimals = cell.Decimals,
                OverTime = cell.OverTime,
            })],
        }, ct);
    }
}
