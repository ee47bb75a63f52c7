using Disclosure.Storage.Sqlite;

namespace Disclosure.Storage.Tests;

/// <summary>A fresh SQLite file per test class, in a temporary directory removed afterwards.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "disclosure-tests-" + Guid.NewGuid().ToString("N"));
    private SqliteStore? store;

    public string FilePath => Path.Combine(directory, "disclosure.db");
    public string ConnectionString => $"Data Source={FilePath}";
    public IDisclosureStore? Store => store;
    public string? SkipReason => null;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        store = new SqliteStore(ConnectionString, new SqliteSettings());
        await store.InitialiseAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (store is not null) await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}

public sealed class SqliteStoreContract(SqliteStoreFixture fixture) : StoreContract(fixture), IClassFixture<SqliteStoreFixture>;
