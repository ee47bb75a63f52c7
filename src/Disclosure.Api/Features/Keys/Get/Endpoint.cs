using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Keys.Get;

sealed class Endpoint(IKeyStore keys) : Endpoint<Request, KeyView>
{
    public override void Configure()
    {
        Get("v1/keys/{id}");
        Roles(Infrastructure.Roles.Admin);
        Summary(s => s.Summary = "读取 API 密钥 · Read one API key (its id, role and reporter, never the secret)");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await keys.GetKeyAsync(req.Id, ct) is not { } key)
        {
            await Send.ResultAsync(Problems.NotFound(req.Id == ApiKeys.ConfiguredAdminKeyId
                ? $"“{req.Id}”是本服务配置的管理员密钥（Auth:AdminKey）：它不存储在服务中，所以这里没有它的记录。'{req.Id}' is the admin key this service is configured with (Auth:AdminKey): it is not stored, so it has no entry here."
                : $"没有编号为“{req.Id}”的密钥。There is no key '{req.Id}'.", HttpContext));
            return;
        }
        await Send.OkAsync(KeyView.From(key), ct);
    }
}
