using Disclosure.Storage;

namespace Disclosure.Api.Features.Keys.Create;

sealed class Response
{
    public required Guid Id { get; init; }
    /// <summary>The secret. Shown only in this response and stored only as a hash: keep it now.</summary>
    public required string Key { get; init; }
    public required KeyRole Role { get; init; }
    public string? Reporter { get; init; }
    /// <summary>Who holds the key or what it is for, as given.</summary>
    public string? Label { get; init; }
    /// <summary>When the key stops working, as given; absent for a key without an end.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
