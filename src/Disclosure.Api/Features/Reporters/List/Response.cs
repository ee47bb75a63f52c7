namespace Disclosure.Api.Features.Reporters.List;

sealed class Response
{
    public required IReadOnlyList<ReporterView> Items { get; init; }
}
