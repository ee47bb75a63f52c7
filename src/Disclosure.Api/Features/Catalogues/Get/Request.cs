namespace Disclosure.Api.Features.Catalogues.Get;

sealed class Request
{
    /// <summary>Catalogue id, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public string Id { get; set; } = "";
}
