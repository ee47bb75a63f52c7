using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.List;

sealed class Endpoint(IReporterStore reporters) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("v1/reporters");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer);
        Summary(s => s.Summary = "列出填报单位 · List reporters");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var all = await reporters.ListReportersAsync(ct);
        await Send.OkAsync(new Response { Items = [.. all.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => ReporterView.For(r, User))] }, ct);
    }
}
