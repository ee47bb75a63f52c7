using Disclosure.Storage.Mongo;
using DotNet.Testcontainers.Configurations;
using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace Disclosure.Storage.Tests;

/// <summary>
/// A MongoDB replica set (transactions need one): the server named by <c>DISCLOSURE_TEST_MONGO</c>, else a
/// Testcontainers one when a Docker engine answers, else none — and then every test says why it skipped.
/// Each run uses a database of its own and drops it afterwards.
/// </summary>
public sealed class MongoStoreFixture : IStoreFixture, IAsyncLifetime
{
    public const string Variable = "DISCLOSURE_TEST_MONGO";

    private MongoDbContainer? container;
    private IMongoClient? client;
    private readonly string database = "disclosure_test_" + Guid.NewGuid().ToString("N");

    public IDisclosureStore? Store { get; private set; }
    public string? ConnectionString { get; private set; }
    public string DatabaseName => database;
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!DockerAvailable(out var why))
            {
                SkipReason = $"MongoDB half skipped: no {Variable} and no Docker engine ({why}).";
                return;
            }
            container = new MongoDbBuilder("mongo:8.0").WithReplicaSet().Build();
            await container.StartAsync();
            // The member announces itself by its name inside the container, which the host cannot resolve: the client must talk to
            // the mapped port alone. Testcontainers 4.3 on says so itself (testcontainers-dotnet #1388); set here whatever it says.
            connectionString = new MongoUrlBuilder(container.GetConnectionString()) { DirectConnection = true }.ToString();
        }
        ConnectionString = connectionString;
        client = MongoStore.CreateClient(connectionString);
        Store = new MongoStore(client, database, new MongoSettings());
        await Store.InitialiseAsync(CancellationToken.None);
    }

    private static bool DockerAvailable(out string why)
    {
        try
        {
            if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
            {
                why = "Testcontainers found no Docker endpoint";
                return false;
            }
            why = "";
            return true;
        }
        catch (Exception e)
        {
            why = "Testcontainers could not look for one: " + e.Message;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client is not null)
        {
            await client.DropDatabaseAsync(database);
            client.Dispose();
        }
        if (container is not null) await container.DisposeAsync();
    }
}

public sealed class MongoStoreContract(MongoStoreFixture fixture) : StoreContract(fixture), IClassFixture<MongoStoreFixture>;
