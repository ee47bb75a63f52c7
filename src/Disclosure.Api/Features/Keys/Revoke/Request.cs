namespace Disclosure.Api.Features.Keys.Revoke;

sealed class Request
{
    public Guid Id { get; set; }
}
