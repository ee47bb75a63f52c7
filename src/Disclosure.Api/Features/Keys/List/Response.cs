namespace Disclosure.Api.Features.Keys.List;

sealed class Response
{
    public required IReadOnlyList<KeyView> Items { get; init; }
}
