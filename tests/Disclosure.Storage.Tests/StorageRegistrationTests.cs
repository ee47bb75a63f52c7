using Disclosure.Storage.Mongo;
using Disclosure.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Disclosure.Storage.Tests;

public sealed class StorageRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDisclosureStorage(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Without_A_Mongo_Connection_String_Every_Port_Is_The_One_Sqlite_Store()
    {
        var file = Path.Combine(Path.GetTempPath(), "disclosure-di-" + Guid.NewGuid().ToString("N") + ".db");
        await using var services = Build(("ConnectionStrings:Sqlite", $"Data Source={file}"), ("Storage:Sqlite:MaxBatch", "7"));

        var store = Assert.IsType<SqliteStore>(services.GetRequiredService<IDisclosureStore>());
        Assert.Same(store, services.GetRequiredService<IStoreLifecycle>());
        Assert.Same(store, services.GetRequiredService<IReporterStore>());
        Assert.Same(store, services.GetRequiredService<IKeyStore>());
        Assert.Same(store, services.GetRequiredService<ISubmissionStore>());
        Assert.Same(store, services.GetRequiredService<IPeriodStore>());
        Assert.False(File.Exists(file));

        foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(TestContext.Current.CancellationToken);
        Assert.True(await store.PingAsync(TestContext.Current.CancellationToken));
        Assert.True(File.Exists(file));

        await services.DisposeAsync();
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*")) File.Delete(f);
    }

    [Fact]
    public async Task A_Container_Disposed_Synchronously_Still_Closes_The_Sqlite_Store()
    {
        var file = Path.Combine(Path.GetTempPath(), "disclosure-di-" + Guid.NewGuid().ToString("N") + ".db");
        var services = Build(("ConnectionStrings:Sqlite", $"Data Source={file}"));
        await services.GetRequiredService<IStoreLifecycle>().InitialiseAsync(TestContext.Current.CancellationToken);

        services.Dispose();

        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*")) File.Delete(f);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Sqlite_Defaults_To_A_File_In_The_Working_Directory()
    {
        Assert.Equal("Data Source=disclosure.db", new StorageSettings().Sqlite);
        Assert.False(new StorageSettings().UsesMongo);
    }

    [Fact]
    public async Task A_Mongo_Connection_String_Selects_The_Mongo_Store_Without_Connecting()
    {
        await using var services = Build(("ConnectionStrings:Mongo", "mongodb://db.invalid:27017/disclosure?replicaSet=rs0"));

        var store = Assert.IsType<MongoStore>(services.GetRequiredService<IDisclosureStore>());
        Assert.Same(store, services.GetRequiredService<ISubmissionStore>());
        Assert.Same(services.GetRequiredService<MongoDB.Driver.IMongoClient>(), services.GetRequiredService<MongoDB.Driver.IMongoClient>());
    }
}
