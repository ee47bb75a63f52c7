using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Catalogues;

/// <summary>
/// Catalogues an office loaded through <c>POST /v1/catalogues</c>: kept in the store, so every instance finds them.
/// An instance adds every stored one to its registry when it starts and when it lists catalogues, and looks an id up
/// in the store when its registry does not know it (a catalogue loaded through another instance since); an id the store
/// does not have either is not looked up again for <see cref="CatalogueRegistry.MissLifetime"/>, unless it is loaded here.
/// Stored catalogues never change, so what an instance added once stays right without being read again.
/// </summary>
public static class StoredCatalogues
{
    /// <summary>Registers the <see cref="CatalogueRegistry"/>: the built-in catalogues, and the store behind them.</summary>
    public static IServiceCollection AddCatalogueRegistry(this IServiceCollection services) =>
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<ICatalogueStore>();
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoredCatalogues));
            return CatalogueRegistry.LoadEmbedded(id => Find(store, id, log), sp.GetRequiredService<TimeProvider>());
        });

    /// <summary>Adds every stored catalogue to the registry (at start, and before listing).</summary>
    public static Task LoadStoredCataloguesAsync(this IServiceProvider services, CancellationToken ct) =>
        AddStoredAsync(services.GetRequiredService<CatalogueRegistry>(), services.GetRequiredService<ICatalogueStore>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoredCatalogues)), ct);

    internal static async Task AddStoredAsync(CatalogueRegistry registry, ICatalogueStore store, ILogger log, CancellationToken ct)
    {
        foreach (var stored in await store.ListCataloguesAsync(ct))
            if (!registry.TryGet(stored.Id, out _) && Compile(stored, log) is { } catalogue) registry.Add(catalogue);
    }

    // The registry's lookups are synchronous (the engine's path is); a miss is rare — once per catalogue and instance, and an
    // id nobody loaded at most once per CatalogueRegistry.MissLifetime — so it waits for the store here rather than making
    // every lookup asynchronous.
    private static Catalogue.Catalogue? Find(ICatalogueStore store, string id, ILogger log)
    {
        if (!CatalogueChecker.IdPattern().IsMatch(id)) return null;
        var stored = store.GetCatalogueAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        return stored is null ? null : Compile(stored, log);
    }

    // A stored document was checked when it was accepted; one this build cannot compile (written by a later build, or by an
    // earlier one that let null stand for a title, name or reason, which every export of it would fail on) is left out and
    // logged, naming the member, rather than stopping the service for the catalogues that are sound: requests naming it are
    // 404s, and the office loads a corrected copy under a new id.
    private static Catalogue.Catalogue? Compile(StoredCatalogue stored, ILogger log)
    {
        try
        {
            return CatalogueRegistry.Load(stored.Document);
        }
        catch (Exception e) when (e is CatalogueException or System.Text.Json.JsonException)
        {
            log.LogError(e, "Stored catalogue {Catalogue} cannot be compiled by this build and is left out: {Reason} Load a corrected copy under a new id.", stored.Id, e.Message);
            return null;
        }
    }
}
