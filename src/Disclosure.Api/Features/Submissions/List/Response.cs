namespace Disclosure.Api.Features.Submissions.List;

sealed class Response
{
    public required string Reporter { get; init; }
    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>The latest revision number, 0 when nothing was submitted.</summary>
    public required int CurrentRevision { get; init; }
    /// <summary>Every revision, oldest first.</summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        public required Guid Id { get; init; }
        public required int Revision { get; init; }
        public required DateTimeOffset ReceivedAt { get; init; }
        /// <summary>
        /// When the reporter sent this table (the time on its e-mail or letter), as the district office stated it when it entered
        /// the table on the reporter's behalf (<c>sentAt</c> of <c>POST /v1/submissions</c>); the deadline is judged on it instead
        /// of <c>receivedAt</c>. Absent when the service received the table from the reporter itself.
        /// </summary>
        public DateTimeOffset? SentAt { get; init; }
        /// <summary>The reporter's 填报说明 with this revision; absent when it wrote none.</summary>
        public string? Note { get; init; }
        /// <summary>The key that sent this revision and its role (<c>admin</c>: entered by the district office). Every revision stored through the API has it.</summary>
        public SubmitterView? SubmittedBy { get; init; }
        /// <summary>The district office's current review of this revision (已通过 / 已退回 with its reason); absent while not reviewed (待审核).</summary>
        public ReviewView? Review { get; init; }
    }
}
