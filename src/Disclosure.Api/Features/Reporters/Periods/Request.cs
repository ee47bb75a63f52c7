namespace Disclosure.Api.Features.Reporters.Periods;

sealed class Request
{
    public string Id { get; set; } = "";
}
