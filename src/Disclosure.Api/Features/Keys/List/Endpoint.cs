using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Keys.List;

sealed class Endpoint(IKeyStore keys) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("v1/keys");
        Roles(Infrastructure.Roles.Admin);
        Summary(s => s.Summary = "列出 API 密钥 · List API keys (ids and roles, never the secrets)");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync(new Response { Items = [.. (await keys.ListKeysAsync(ct)).OrderBy(k => k.CreatedAt).Select(KeyView.From)] }, ct);
}
