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
}
