using Disclosure.Storage.Mongo;
using Disclosure.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Disclosure.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by configuration — MongoDB when <c>ConnectionStrings:Mongo</c> is set,
    /// otherwise SQLite at <c>ConnectionStrings:Sqlite</c> — as one singleton exposed under every port
    /// (<see cref="IDisclosureStore"/>, <see cref="IStoreLifecycle"/>, <see cref="IStoreVersion"/>, <see cref="IStoreHealth"/>, <see cref="IReporterStore"/>,
    /// <see cref="IKeyStore"/>, <see cref="ISubmissionStore"/>, <see cref="IPeriodStore"/>, <see cref="ICatalogueStore"/>, <see cref="IAuditStore"/>). Nothing touches
    /// the database until <see cref="IStoreLifecycle.InitialiseAsync"/> runs: the host awaits it at start-up
    /// through a hosted service, unless <paramref name="initialiseWithHost"/> is false because the caller awaits it itself.
    /// </summary>
    public static IServiceCollection AddDisclosureStorage(this IServiceCollection services, IConfiguration configuration, bool initialiseWithHost = true)
    {
        services.AddOptions<StorageSettings>().Bind(configuration.GetSection(StorageSettings.Section))
            .ValidateWith(s => s.Mongo?.Contains("REPLACE_ME", StringComparison.OrdinalIgnoreCase) == true
                ? "ConnectionStrings:Mongo still holds the template's placeholder (REPLACE_ME, deploy/k8s/templates/secret.yaml): set the real user's password."
                : null)
            // Present but blank (an empty secret file, ConnectionStrings__Mongo= in a unit file) would run the embedded store on a local
            // file while the administrator believes the data goes to MongoDB.
            .ValidateWith(_ => configuration[$"{StorageSettings.Section}:{nameof(StorageSettings.Mongo)}"] is { } set && string.IsNullOrWhiteSpace(set)
                ? "ConnectionStrings:Mongo is set but empty (an empty secret file or variable): give the MongoDB connection string, or remove the setting to use the embedded SQLite store."
                : null)
            // A MongoDB one the driver cannot read is told by the start's failure line, which can name its hosts without the password.
            .ValidateWith(s =>
            {
                if (s.UsesMongo) return null;
                try
                {
                    _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(s.Sqlite);
                    return null;
                }
                catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
                {
                    // Names the setting, where the driver's own message names only a keyword.
                    return $"ConnectionStrings:Sqlite is not a SQLite connection string the driver can read ({e.Message.Split('\n')[0].Trim()}); it is Data Source=<file>.";
                }
            })
            .ValidateOnStart();
        // Checked at start (ValidateOnStart; the service checks before it opens the store): a value out of range stops the start
        // in one line instead of breaking the store later (a checkpointer that dies at 0 ms, one that never runs at -1).
        services.AddOptions<SqliteSettings>().Bind(configuration.GetSection(SqliteSettings.Section))
            .ValidateRange("Storage:Sqlite:MaxBatch", s => s.MaxBatch, 1, 100_000)
            .ValidateRange("Storage:Sqlite:CheckpointIntervalMilliseconds", s => s.CheckpointIntervalMilliseconds, 1)
            .ValidateRange("Storage:Sqlite:WalLimitMegabytes", s => s.WalLimitMegabytes, 1)
            .ValidateRange("Storage:Sqlite:KeepBackups", s => s.KeepBackups, 0, note: "0 keeps every backup")
            .ValidateOnStart();
        services.AddOptions<MongoSettings>().Bind(configuration.GetSection(MongoSettings.Section))
            .ValidateRange("Storage:Mongo:AppendTimeoutSeconds", s => s.AppendTimeoutSeconds, 1, 120, note: "the driver retries a transaction for 120 s at most")
            .ValidateOnStart();

        var storage = configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        if (storage.UsesMongo)
        {
            services.AddSingleton(sp => MongoStore.CreateClient(sp.GetRequiredService<IOptions<StorageSettings>>().Value.Mongo!));
            services.AddSingleton<IDisclosureStore>(sp =>
            {
                var mongo = sp.GetRequiredService<IOptions<StorageSettings>>().Value.Mongo!;
                var settings = sp.GetRequiredService<IOptions<MongoSettings>>().Value;
                return new MongoStore(sp.GetRequiredService<MongoDB.Driver.IMongoClient>(), MongoStore.DatabaseName(mongo, settings), settings);
            });
        }
        else
        {
            services.AddSingleton<IDisclosureStore>(sp => new SqliteStore(
                sp.GetRequiredService<IOptions<StorageSettings>>().Value.Sqlite,
                sp.GetRequiredService<IOptions<SqliteSettings>>().Value));
        }

        foreach (var port in new[] { typeof(IStoreLifecycle), typeof(IReporterStore), typeof(IKeyStore), typeof(ISubmissionStore), typeof(IPeriodStore),
                     typeof(ICatalogueStore), typeof(IStoreVersion), typeof(IAuditStore), typeof(IStoreHealth) })
            services.AddSingleton(port, sp => sp.GetRequiredService<IDisclosureStore>());
        services.AddSingleton(sp => new StoreBackups(sp.GetRequiredService<IDisclosureStore>() as IStoreBackup));
        if (initialiseWithHost) services.AddHostedService<StoreInitialiser>();
        return services;
    }
}

/// <summary>Awaits the store's initialisation when the host starts, so that no request meets a store without its tables.</summary>
internal sealed class StoreInitialiser(IStoreLifecycle store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitialiseAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
