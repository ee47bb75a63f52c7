namespace Disclosure.Storage.Tests;

/// <summary>Saves of a period's settings as the tests write them, by <see cref="IPeriodStore.SavePeriodAsync"/>.</summary>
public static class PeriodSaves
{
    /// <summary>
    /// Stores <paramref name="settings"/> on <paramref name="expectedVersion"/> as <see cref="IPeriodStore.SavePeriodAsync"/>,
    /// holding on the same settings whole; returns the version stored, or that of settings that held, null when refused.
    /// </summary>
    public static async Task<int?> SavePeriodAsync(this IPeriodStore store, PeriodSettings settings, int? expectedVersion, CancellationToken ct) =>
        (await store.SavePeriodAsync(settings, expectedVersion, Holding.SameSettings, ct).ConfigureAwait(false))?.Version;

    /// <summary>Stores <paramref name="settings"/> over whatever version is stored; returns the version stored.</summary>
    public static async Task<int> SavePeriodAsync(this IPeriodStore store, PeriodSettings settings, CancellationToken ct) =>
        await store.SavePeriodAsync(settings, null, ct).ConfigureAwait(false)
        ?? throw new InvalidOperationException("A save on no condition was refused.");
}
