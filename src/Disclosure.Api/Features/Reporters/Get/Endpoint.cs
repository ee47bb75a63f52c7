using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Reporters.Get;

sealed class Endpoint(IReporterStore reporters) : Endpoint<Request, ReporterView>
{
    public override void Configure()
    {
        Get("v1/reporters/{id}");
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s => s.Summary = "读取填报单位 · Read one reporter (a reporter key reads only its own)");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (!User.MayReadFor(req.Id)) { await Send.ResultAsync(Problems.Forbidden($"此密钥不能查看填报单位“{req.Id}”的数据。This key may not read reporter '{req.Id}'.", HttpContext)); return; }
        if (await reporters.GetReporterAsync(req.Id, ct) is not { } r) { await Send.ResultAsync(Problems.NotFound($"没有代码为“{req.Id}”的填报单位。There is no reporter '{req.Id}'.", HttpContext)); return; }
        await Send.OkAsync(ReporterView.For(r, User), ct);
    }
}
