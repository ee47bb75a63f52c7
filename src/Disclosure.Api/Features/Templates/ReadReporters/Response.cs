namespace Disclosure.Api.Features.Templates.ReadReporters;

/// <summary>What a reporter's column holds, against the reporter's current revision.</summary>
public enum ColumnState
{
    /// <summary>No figure: nothing to submit.</summary>
    Blank,
    /// <summary>The very figures of the current revision: submitting them would only add a revision.</summary>
    Unchanged,
    /// <summary>Figures that differ from the current revision, or the reporter's first table.</summary>
    Changed,
}

sealed class Response
{
    public required string Catalogue { get; init; }
    public required string Period { get; init; }
    /// <summary>Every reporter column of the sheet, left to right.</summary>
    public required IReadOnlyList<Table> Reporters { get; init; }

    public sealed class Table
    {
        /// <summary>
        /// The id of the reporter the column's id cell names: the id, as the template writes it, or typed in capitals, or the
        /// reporter's registered name in its place; text that is one reporter's id and another's name is the one whose id it is.
        /// </summary>
        public required string Reporter { get; init; }
        /// <summary>The reporter's registered name.</summary>
        public required string Name { get; init; }
        /// <summary>The column's letters in the sheet (E, F … AA), to find it again.</summary>
        public required string Column { get; init; }
        /// <summary>
        /// The revision of this reporter's table (of the sheet's catalogue and period) the column was filled in from: 0 when none
        /// yet, and when the workbook recorded the column's revision for another table (the period or the reporter id typed over,
        /// a column pasted in from another workbook), so that it is submitted as a first table and refused if the reporter has one.
        /// Absent when the sheet does not say (a workbook of an earlier build without its revision row).
        /// </summary>
        public int? MadeFromRevision { get; init; }
        /// <summary>The reporter's current revision of the table (0: none).</summary>
        public required int CurrentRevision { get; init; }
        /// <summary>
        /// The current revision's 填报说明, when it has one: send it as the submission's <c>note</c> to keep it with the new revision,
        /// as the form does when the office corrects a table.
        /// </summary>
        public string? Note { get; init; }
        public required ColumnState State { get; init; }
        /// <summary>
        /// The column's figures, as the <c>values</c> of a submission body (blank cells left out: blank is not zero). Submit
        /// them with <c>expectedRevision</c> = <c>madeFromRevision</c>, so that a table stored since the download is not overwritten.
        /// Only for a <c>changed</c> column: an <c>unchanged</c> one's figures are those of its current revision
        /// (<c>currentRevision</c>), and a <c>blank</c> one has none.
        /// </summary>
        public IReadOnlyList<Submissions.ValueItem>? Values { get; init; }
    }
}
