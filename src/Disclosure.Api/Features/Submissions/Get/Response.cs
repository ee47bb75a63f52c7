using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Disclosure.Api.Features.Submissions.Get;

/// <summary>One stored revision of a reporter's table, and who submitted it.</summary>
sealed class Response : SubmissionView
{
    [SetsRequiredMembers]
    public Response(SubmissionView view, SubmitterView? submittedBy, ReviewView? review) : base(view) => (SubmittedBy, Review) = (submittedBy, review);

    /// <summary>The key that sent this revision and its role (<c>admin</c>: entered by the district office). Every revision stored through the API has it.</summary>
    [JsonPropertyOrder(1)]
    public SubmitterView? SubmittedBy { get; init; }

    /// <summary>The district office's current review of this revision (已通过 / 已退回 with its reason); absent while not reviewed (待审核).</summary>
    [JsonPropertyOrder(2)]
    public ReviewView? Review { get; init; }
}
