using System.Diagnostics.CodeAnalysis;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods.Close;

/// <summary>
/// The period's settings once closed, and the tables it closes on that are still owed, as the district table's overview
/// names them before the office closes it: each list in the breakdown's order (the government, departments, towns, each in
/// registration order), empty when nothing is owed.
/// </summary>
public sealed class Response : PeriodView
{
    [SetsRequiredMembers]
    public Response(PeriodSettings settings, IReadOnlyList<MissingReporter> missing, IReadOnlyList<IncompleteReporter> incomplete,
        IReadOnlyList<ReturnedTable> returned) : base(settings) => (Missing, Incomplete, Returned) = (missing, incomplete, returned);

    /// <summary>
    /// 未报 · Expected reporters with no table of the period (the district table's <c>completeness.missing</c>): closed, it no
    /// longer takes theirs. Not those a quarter is closed to with its year (<c>completeness.closedWithYear</c>).
    /// </summary>
    public IReadOnlyList<MissingReporter> Missing { get; }
    /// <summary>
    /// 季报未报齐 · Of a year: expected reporters whose year is added up from quarterly tables, some still to come
    /// (<c>completeness.incomplete</c>). Their quarters close with the year.
    /// </summary>
    public IReadOnlyList<IncompleteReporter> Incomplete { get; }
    /// <summary>
    /// 已退回 · Reporters whose latest table the office returned and that have not sent it again: it adds up as it stands until
    /// its reporter sends its correction, which the closed period still takes once (and its totals change with it). For a
    /// year, also the returned quarterly tables of a year added up from its quarters, whose correction it takes likewise.
    /// </summary>
    public IReadOnlyList<ReturnedTable> Returned { get; }
}

/// <summary>A reporter by its id and name.</summary>
public sealed class MissingReporter
{
    /// <summary>The reporter's id.</summary>
    public required string Id { get; init; }
    /// <summary>Its name as registered.</summary>
    public required string Name { get; init; }
}

/// <summary>A reporter whose year from quarterly tables still lacks some of them.</summary>
public sealed class IncompleteReporter
{
    /// <summary>The reporter's id.</summary>
    public required string Id { get; init; }
    /// <summary>Its name as registered.</summary>
    public required string Name { get; init; }
    /// <summary>The quarterly tables still to come (<c>2014Q3</c>, …).</summary>
    public required IReadOnlyList<string> QuartersToCome { get; init; }
}

/// <summary>A returned table: its reporter, and its period (the period closed, or a quarter of the year closed).</summary>
public sealed class ReturnedTable
{
    /// <summary>The reporter's id.</summary>
    public required string Id { get; init; }
    /// <summary>Its name as registered.</summary>
    public required string Name { get; init; }
    /// <summary>The period of the returned table: the period closed, or (closing a year) one of its quarters.</summary>
    public required string Period { get; init; }
}
