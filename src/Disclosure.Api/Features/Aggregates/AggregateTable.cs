using System.Text.Json.Serialization;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>The district table: every catalogue row in table order, with totals, completeness and the engine's verdict.</summary>
public sealed class AggregateTable
{
    public required string Catalogue { get; init; }
    public required string Title { get; init; }
    public required string Period { get; init; }
    /// <summary>The reporters this table was restricted to (<c>?reporters=</c>), if any.</summary>
    public IReadOnlyList<string>? Reporters { get; init; }
    /// <summary>The reporter kind this table was restricted to (<c>?kind=</c>), if any.</summary>
    public ReporterKind? Kind { get; init; }
    public required IReadOnlyList<AggregateRow> Rows { get; init; }
    public required Completeness Completeness { get; init; }
    /// <summary>The time this table was read as at (<c>?asAt=</c>): each reporter's latest revision received by then; absent for the table now.</summary>
    public DateTimeOffset? AsAt { get; init; }
    /// <summary>The engine's verdict on the aggregate itself (such differences can only come from blank handling across reporters).</summary>
    public required IReadOnlyList<Violation> Violations { get; init; }
    /// <summary>Registered reporters' names by id, for the exports, which print names where the JSON has ids.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, string> ReporterNames { get; init; } = new Dictionary<string, string>();
    /// <summary>A reporter's registered name, or its id where this table has no name for it.</summary>
    public string NameOf(string id) => ReporterNames.TryGetValue(id, out var name) ? name : id;
    /// <summary>The 填报单位 of the district table: the district government (区政府本级) of its period, if one can be told.</summary>
    [JsonIgnore] public string? DistrictUnit { get; init; }
}

/// <summary>Sums of one cell. A null total is a blank cell: no reporter gave it. It is never shown as 0.</summary>
public class AggregateFigures
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Total { get; init; }
    /// <summary>区政府本级.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Government { get; init; }
    /// <summary>区直部门.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Department { get; init; }
    /// <summary>乡镇街道.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public decimal? Town { get; init; }
    /// <summary>How many reporters gave this cell a value.</summary>
    public int ReportersGiving { get; init; }
    /// <summary>
    /// 自动计算: the figure is a sum the service worked out, not one anybody typed. True when every reporter that gave this cell
    /// left it blank and the service derived it from its parts (a sum row or column, the same rule a reporter's <c>derived</c>
    /// codes follow); false for a cell any reporter typed (580 typed in row 10 with its parts blank, a 0 typed), for a blank
    /// cell, and for a table read in another catalogue's layout (<c>…/as/{national}</c>), whose cells are mapped, not typed.
    /// It speaks of the total: a kind's figure of a cell derived is derived too (<c>derivedKinds</c>).
    /// </summary>
    public bool Derived { get; init; }
    /// <summary>
    /// The kinds whose figure (<c>government</c>, <c>department</c>, <c>town</c>) is 自动计算 as <c>derived</c> is of the total:
    /// a figure no reporter of that kind typed, every one that gave it having left it blank for the service to sum. The
    /// departments' 4 summed beside a town's 3 typed is <c>["department"]</c> with <c>derived</c> false; a derived total lists
    /// every kind that gave the cell. Absent when there is none, as it is where <c>derived</c> is always false.
    /// </summary>
    public IReadOnlyList<ReporterKind>? DerivedKinds { get; init; }
}

public sealed class AggregateRow : AggregateFigures
{
    public required string Table { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required RowRole Role { get; init; }
    public string? Unit { get; init; }
    /// <summary>For tables with columns: the row's cells, one per value column, left to right.</summary>
    public IReadOnlyList<AggregateCellFigures>? Cells { get; init; }
}

public sealed class AggregateCellFigures : AggregateFigures
{
    public required string Column { get; init; }
    /// <summary>The cell code, <c>row:column</c>.</summary>
    public required string Code { get; init; }
    public required string Unit { get; init; }
}

public sealed class Completeness
{
    /// <summary>
    /// How many reporters are expected: those set for the period, or else every registered reporter (within the filter), and
    /// of a closed period (or a quarter closed with its year) every reporter registered by the time it was closed, so that one
    /// registered later does not reopen the count of a table already printed; never one retired for the period
    /// (<c>retiredFrom</c>), even where the period's list names it.
    /// </summary>
    public required int Expected { get; init; }
    /// <summary>
    /// Expected reporters with a whole table for this period: a table of its own, or for a year all four quarterly tables
    /// (<c>expected</c> = <c>submitted</c> + the number <c>incomplete</c> + the number <c>missing</c> + the number
    /// <c>closedWithYear</c>).
    /// </summary>
    public required int Submitted { get; init; }
    /// <summary>
    /// 季报未报齐 · Of a year: expected reporters with no year table and only some of the quarterly tables they owe for it
    /// (<c>quartersToCome</c> among <c>reporters</c>). Their quarters add up into this table as far as they go; the quarters
    /// still to come are to be asked for, as a missing table is. Always empty for a quarter.
    /// </summary>
    public required IReadOnlyList<string> Incomplete { get; init; }
    /// <summary>
    /// Reporters whose tables add up into this table though they are not expected: retired for the period with a table kept,
    /// or left off the period's list. Listed among <c>reporters</c>, counted in no other figure here.
    /// </summary>
    public required int NotExpected { get; init; }
    /// <summary>
    /// Expected reporters with nothing for this period that may still send it (not those <c>closedWithYear</c>). This list,
    /// <c>incomplete</c> and <c>closedWithYear</c> are in the breakdown's order (the government, departments, towns, each in registration order).
    /// </summary>
    public required IReadOnlyList<string> Missing { get; init; }
    /// <summary>
    /// 随年度关闭 · Of a quarter whose year is closed: expected reporters with no table of the quarter and none of the year, whose
    /// year is therefore added up from their quarterly tables (from none, for one that sent nothing of the year), so that the closed year closes this quarter to them and a table of it is
    /// <c>409 period-closed</c> naming the year (their own list shows the quarter <c>closed</c>). They are not missing: there is
    /// nothing left to ask them for unless the year is reopened. Empty for a year, and while the year is open; <c>closed</c>
    /// still says whether the quarter itself is closed.
    /// </summary>
    public required IReadOnlyList<string> ClosedWithYear { get; init; }
    /// <summary>
    /// Those of <see cref="ClosedWithYear"/> that sent no table of the year at all, of the year itself or of any of its
    /// quarters: the closed year closes the quarter to them too, but they have no year added up from quarters to speak of, and
    /// the printed footer says so of them alone.
    /// </summary>
    [JsonIgnore] public IReadOnlyList<string> ClosedWithYearNothingSent { get; init; } = [];
    public DateTimeOffset? Deadline { get; init; }
    public required bool Closed { get; init; }
    /// <summary>When the district office closed the period; absent while it is open. The printed district table is dated by it (报出日期).</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>
    /// When the period was first closed (published), kept through reopenings; absent until then. The printout names the tables
    /// received since, which the published table did not hold; the table as published is <c>?asAt=</c> this time.
    /// </summary>
    public DateTimeOffset? FirstClosedAt { get; init; }
    /// <summary>Per contributing reporter: where its table came from; in the breakdown's order (the government, departments, towns, each in registration order).</summary>
    public required IReadOnlyList<ReporterContribution> Reporters { get; init; }
    /// <summary>
    /// Each reporter these lists name (<c>reporters</c>, <c>missing</c>, <c>incomplete</c>, <c>closedWithYear</c>), by id: its name as
    /// this period prints it — a closed period's as it was when the period was closed (a rename since does not change what was
    /// published), an open one's as it is now; those <c>closedWithYear</c> as their closed year was closed with them.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Names { get; init; }

    /// <summary>
    /// The returned tables still added up as they stand, in the breakdown's order: a reporter's own table, or (a year added up
    /// from quarters) each returned quarterly table, with its quarter. What the printed footer and the close's answer name.
    /// </summary>
    public IEnumerable<(string Reporter, char? Quarter)> ReturnedTables() =>
        Reporters.SelectMany(r => r.Source == ContributionSource.Quarters
            ? r.Submissions.Where(s => s.Review?.Decision == ReviewDecision.Returned).Select(s => (r.Reporter, (char?)s.Period[^1]))
            : r.Review?.Decision == ReviewDecision.Returned ? [(r.Reporter, (char?)null)] : []);
}

[JsonConverter(typeof(JsonStringEnumConverter<ContributionSource>))]
public enum ContributionSource
{
    /// <summary>A submission for the period itself.</summary>
    [JsonStringEnumMemberName("submission")] Submission,
    /// <summary>A year derived from the reporter's quarterly submissions.</summary>
    [JsonStringEnumMemberName("quarters")] Quarters,
}

public sealed class ReporterContribution
{
    public required string Reporter { get; init; }
    public required ReporterKind Kind { get; init; }
    public required ContributionSource Source { get; init; }
    /// <summary>The submissions used: one, or the quarters a year was derived from, each with its review.</summary>
    public required IReadOnlyList<ContributionSubmission> Submissions { get; init; }
    /// <summary>
    /// For a year derived from quarters: the quarterly tables of it still to come (<c>2014Q3</c>, …), those the reporter owes
    /// and has not sent; a quarter it is retired for (<c>retiredFrom</c>), or one closed before it was registered, is owed by no one. Absent when none is to come: the
    /// year is then whole, as a year's own table is.
    /// </summary>
    public IReadOnlyList<string>? QuartersToCome { get; init; }
    /// <summary>
    /// 逾期: true exactly when <c>status</c> is <c>late</c> or <c>revisedLate</c>, that is when a revision of the table used (of
    /// one of its quarterly tables, for a year derived from them) came after the period's deadline, counted from its <c>sentAt</c>
    /// where the district office gave one; an earlier revision that came late counts too, even when the latest was sent in time.
    /// False for <c>onTime</c>, and for <c>notSubmitted</c>: a year whose quarterly tables are still to come (<c>quartersToCome</c>)
    /// is judged once they are all in.
    /// </summary>
    public required bool Late { get; init; }
    /// <summary>
    /// <c>onTime</c> (every revision by the deadline), <c>late</c> (none by it) or <c>revisedLate</c> (one by the deadline and
    /// another after it), each revision counted from its <c>sentAt</c> where the office gave one. For a year derived from
    /// quarters, the worst of its quarters (late, then revisedLate); <c>notSubmitted</c> while quarters are to come
    /// (<c>quartersToCome</c>), as the reporter's own list says.
    /// </summary>
    public required Periods.ReportStatus Status { get; init; }
    /// <summary>
    /// The district office's review of the table used (<c>source</c> <c>submission</c>): 已通过 (<c>accepted</c>) or 已退回
    /// (<c>returned</c>, with the reason); absent while it is not reviewed (待审核), and for a year derived from quarters, whose
    /// quarterly tables are each reviewed in their own period.
    /// </summary>
    public Submissions.ReviewView? Review { get; init; }
}

public sealed class ContributionSubmission
{
    public required Guid Id { get; init; }
    public required string Period { get; init; }
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
    /// <summary>
    /// The district office's review of this table: 已通过 (<c>accepted</c>) or 已退回 (<c>returned</c>, with the reason); absent while it
    /// is not reviewed. For a year derived from quarters, each quarterly table's own.
    /// </summary>
    public Submissions.ReviewView? Review { get; init; }
}
