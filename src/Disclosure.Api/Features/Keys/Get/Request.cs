namespace Disclosure.Api.Features.Keys.Get;

sealed class Request
{
    public Guid Id { get; set; }
}
