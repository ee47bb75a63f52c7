using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Periods;

/// <summary>A year added up from a reporter's quarterly tables, as the overview and the reporter's own list judge it.</summary>
public static class QuarterlyYears
{
    /// <summary>
    /// The quarters of <paramref name="year"/> a reporter whose year is added up from its quarterly tables still owes: those it
    /// is not retired for and has not sent (<paramref name="sent"/>, their periods), in order.
    /// </summary>
    public static IReadOnlyList<string> QuartersToCome(Period year, Reporter? reporter, IEnumerable<string> sent)
    {
        var given = sent.ToHashSet(StringComparer.Ordinal);
        return [.. year.QuartersOfYear().Where(q => reporter?.IsRetiredFor(q) != true).Select(q => q.ToString()).Where(q => !given.Contains(q))];
    }
}
