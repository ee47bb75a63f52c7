using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Response
{
    /// <summary>True when a real submission of this body would be accepted (warnings allowed).</summary>
    public required bool Valid { get; init; }
    /// <summary>The table as it would be stored (empty when the catalogue or reporter is unknown).</summary>
    public required IReadOnlyList<ValueItem> Values { get; init; }
    public required IReadOnlyList<string> Derived { get; init; }
    /// <summary>Every violation, errors and warnings.</summary>
    public required IReadOnlyList<Violation> Violations { get; init; }
    /// <summary>
    /// When the request's Idempotency-Key was used before for this same request: the revision a submission of it answers with
    /// (201 with <c>Idempotent-Replayed: true</c>, nothing stored; 200 when that request was the revision over again and stored
    /// nothing), whatever has changed since (the period closed, a later revision stored). Absent otherwise.
    /// </summary>
    public Replay? Replays { get; init; }
}

/// <summary>The stored revision a repeated request replays.</summary>
sealed class Replay
{
    public required Guid Id { get; init; }
    public required int Revision { get; init; }
}
