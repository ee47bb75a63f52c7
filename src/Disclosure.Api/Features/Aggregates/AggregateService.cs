using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>Builds the district table from the store's sums; every build reflects every acknowledged write (reuse between writes is <see cref="AggregateCache"/>'s).</summary>
public sealed class AggregateService(ISubmissionStore submissions, IReporterStore reporters, IPeriodStore periods)
{
    /// <summary>
    /// The store's sums by cell index: in all and for each reporter kind (null where no reporter gave the cell), how many
    /// reporters gave each cell, and whose tables they come from.
    /// </summary>
    public sealed record Sums(decimal?[] Total, decimal?[][] ByKind, int[] Giving, IReadOnlyList<Contribution> Contributions);

    public async Task<Sums> SumAsync(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct)
    {
        var stock = catalogue.Cells.Where(c => c.OverTime == OverTime.Stock).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var quarters = period.IsYear ? period.QuartersOfYear().Select(q => q.ToString()).ToList() : [];
        var query = new AggregateQuery(catalogue.Id, period.ToString(), quarters, stock, reporterFilter, kind)
        {
            OpeningCodes = catalogue.Cells.Where(c => c.OverTime == OverTime.Opening).Select(c => c.Code).ToHashSet(StringComparer.Ordinal),
        };
        var result = await submissions.AggregateAsync(query, ct);

        var n = catalogue.Cells.Count;
        var total = new decimal?[n];
        var byKind = new decimal?[3][] { new decimal?[n], new decimal?[n], new decimal?[n] };
        var giving = new int[n];
        foreach (var cell in result.Cells)
        {
            if (!catalogue.TryGetCell(cell.Code, out var c)) continue;
            total[c.Index] = (total[c.Index] ?? 0) + cell.Sum;
            byKind[(int)cell.Kind][c.Index] = (byKind[(int)cell.Kind][c.Index] ?? 0) + cell.Sum;
            giving[c.Index] += cell.Reporters;
        }
        return new Sums(total, byKind, giving, result.Contributions);
    }

    public async Task<AggregateTable> BuildAsync(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct)
    {
        var sumsTask = SumAsync(catalogue, period, reporterFilter, kind, ct);
        var settingsTask = periods.GetPeriodAsync(catalogue.Id, period.ToString(), ct);
        var registeredTask = reporters.ListReportersAsync(ct);
        var (total, byKind, giving, contributions) = await sumsTask;
        var settings = await settingsTask;
        var registered = await registeredTask;

        AggregateCellFigures CellFigures(Cell c) => new()
        {
            Column = c.ColumnCode!, Code = c.Code, Unit = c.Unit,
            Total = total[c.Index], Government = byKind[0][c.Index], Department = byKind[1][c.Index], Town = byKind[2][c.Index],
            ReportersGiving = giving[c.Index],
        };

        var rows = new List<AggregateRow>();
        foreach (var table in catalogue.Document.Tables)
            foreach (var row in table.Rows)
            {
                if (row.Role == RowRole.Header || table.Columns.Count > 0)
                {
                    rows.Add(new AggregateRow
                    {
                        Table = table.Id, Code = row.Code, Name = row.Name, Role = row.Role, Unit = row.Unit,
                        Cells = row.Role == RowRole.Header ? null : [.. table.Columns
                            .Where(col => catalogue.TryGetCell(Catalogue.Catalogue.CellCode(row.Code, col.Code), out _))
                            .Select(col => { catalogue.TryGetCell(Catalogue.Catalogue.CellCode(row.Code, col.Code), out var c); return CellFigures(c); })],
                    });
                    continue;
                }
                catalogue.TryGetCell(row.Code, out var cell);
                var i = cell.Index;
                rows.Add(new AggregateRow
                {
                    Table = table.Id, Code = row.Code, Name = row.Name, Role = row.Role, Unit = cell.Unit,
                    Total = total[i], Government = byKind[0][i], Department = byKind[1][i], Town = byKind[2][i], ReportersGiving = giving[i],
                });
            }

        var inScope = registered
            .Where(r => kind is null || r.Kind == kind)
            .Where(r => reporterFilter is null || reporterFilter.Contains(r.Id))
            .Select(r => r.Id)
            .ToHashSet(StringComparer.Ordinal);
        var expected = settings.ExpectedReporters is { } list ? list.Where(inScope.Contains).ToList() : [.. inScope.Order(StringComparer.Ordinal)];
        var contributed = contributions.Select(c => c.ReporterId).ToHashSet(StringComparer.Ordinal);
        var reporting = new List<ReporterContribution>(contributions.Count);
        foreach (var c in contributions.OrderBy(c => c.ReporterId, StringComparer.Ordinal))
        {
            var statuses = new List<Periods.ReportStatus>(c.Submissions.Count);
            foreach (var s in c.Submissions) statuses.Add(await Periods.ReportStatuses.OfAsync(s, settings.Deadline, submissions, ct));
            reporting.Add(new ReporterContribution
            {
                Reporter = c.ReporterId,
                Kind = c.Kind,
                Source = c.FromQuarters ? ContributionSource.Quarters : ContributionSource.Submission,
                Submissions = [.. c.Submissions.OrderBy(s => s.Period, StringComparer.Ordinal).Select(s => new ContributionSubmission
                {
                    Id = s.Id, Period = s.Period, Revision = s.Revision, ReceivedAt = s.ReceivedAt,
                })],
                Late = settings.Deadline is { } deadline && c.Submissions.Any(s => s.ReceivedAt > deadline),
                Status = Periods.ReportStatuses.Worst(statuses),
            });
        }

        return new AggregateTable
        {
            Catalogue = catalogue.Id,
            Title = catalogue.Document.Title,
            Period = period.ToString(),
            Reporters = reporterFilter,
            Kind = kind,
            Rows = rows,
            Completeness = new Completeness
            {
                Expected = expected.Count,
                Submitted = reporting.Count,
                Missing = [.. expected.Where(id => !contributed.Contains(id))],
                Deadline = settings.Deadline,
                Closed = settings.Closed,
                Reporters = reporting,
            },
            Violations = TableValidator.Check(catalogue, total).Violations,
            ReporterNames = registered.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal),
            DistrictUnit = registered.Where(r => r.Kind == ReporterKind.Government).ToList() is [var government] ? government.Name : null,
        };
    }
}
