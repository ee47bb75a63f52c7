namespace Disclosure.Api.Features.Reporters.Get;

sealed class Request
{
    public string Id { get; set; } = "";
}
