using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods;

/// <summary>A year added up from a reporter's quarterly tables, as the overview and the reporter's own list judge it.</summary>
public static class QuarterlyYears
{
    /// <summary>
    /// Which quarters of <paramref name="year"/> a reporter owes: those it is not retired for and that expect it, which a quarter
    /// first closed before the reporter was registered does not (<see cref="ClosedPeriods.RegisteredBy"/>), reopened or not, as
    /// its own table says: a town registered after the first quarter closed reports its year with the three after it, as the
    /// first quarter's table, without it, and the year's district table then agree. An unregistered reporter owes all four.
    /// </summary>
    public static async Task<Func<Reporter?, IReadOnlyList<Period>>> OwedAsync(IPeriodStore periods, string catalogue, Period year, CancellationToken ct)
    {
        var closedAt = new Dictionary<Period, DateTimeOffset?>();
        foreach (var quarter in year.QuartersOfYear())
            closedAt[quarter] = ClosedPeriods.ClosedSince(await periods.GetPeriodAsync(catalogue, quarter.ToString(), ct), null);
        return reporter => [.. year.QuartersOfYear().Where(q => reporter is null || (!reporter.IsRetiredFor(q) && ClosedPeriods.RegisteredBy(reporter, closedAt[q])))];
    }

    /// <summary>The quarters a reporter owes (<see cref="OwedAsync"/>) that it has not sent (<paramref name="sent"/>, their periods), in order.</summary>
    public static IReadOnlyList<string> QuartersToCome(IReadOnlyList<Period> owed, IEnumerable<string> sent)
    {
        var given = sent.ToHashSet(StringComparer.Ordinal);
        return [.. owed.Select(q => q.ToString()).Where(q => !given.Contains(q))];
    }
}
