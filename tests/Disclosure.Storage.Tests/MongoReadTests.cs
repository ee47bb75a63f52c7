using System.Reflection;
using Disclosure.Storage.Mongo;
using MongoDB.Driver;

namespace Disclosure.Storage.Tests;

/// <summary>
/// Which session the MongoDB store's reads run in, checked without a server. The store gets the driver's own collections
/// (of a client that never connects) and a client whose sessions stop a read where the driver first asks the session for
/// anything: the read is rendered by the driver up to that point, and the test learns which session it was given. A read
/// given no session goes on to select a server, and fails there.
/// </summary>
public sealed class MongoReadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AggregateQuery Year = new("c", "2014", ["2014Q1", "2014Q2", "2014Q3", "2014Q4"], new HashSet<string>());

    [Fact]
    public async Task The_Latest_Heads_Are_Read_In_A_Snapshot_Session()
    {
        using var client = new SessionRecordingClient();

        var read = await Assert.ThrowsAsync<SessionRecordingClient.ReadIssued>(() => client.Store.ListLatestAsync("c", ["2014"], Ct));

        // A district's heads come in more than one batch; outside a snapshot a head replaced between two is listed twice.
        Assert.True(read.Options.Snapshot);
    }

    [Fact]
    public async Task Contributed_Tables_And_Aggregates_Are_Read_In_A_Snapshot_Session()
    {
        using var client = new SessionRecordingClient();

        Assert.True((await Assert.ThrowsAsync<SessionRecordingClient.ReadIssued>(() => client.Store.ListContributedTablesAsync(Year, Ct))).Options.Snapshot);
        Assert.True((await Assert.ThrowsAsync<SessionRecordingClient.ReadIssued>(() => client.Store.AggregateAsync(Year, Ct))).Options.Snapshot);
    }
}

/// <summary>
/// A client for <see cref="MongoStore"/> built of <see cref="DispatchProxy"/> stand-ins: its database hands out the driver's
/// real collections of a client that never reaches a server, and its sessions answer only their options; whatever else the
/// driver asks of a session throws <see cref="ReadIssued"/>, naming the options the session was started with.
/// </summary>
internal sealed class SessionRecordingClient : IDisposable
{
    public sealed class ReadIssued(ClientSessionOptions options) : Exception("The driver asked the session for more than its options: a read was issued in it.")
    {
        public ClientSessionOptions Options => options;
    }

    private readonly MongoClient unreachable = new(new MongoClientSettings
    {
        Server = new MongoServerAddress("127.0.0.1", 1),
        ServerSelectionTimeout = TimeSpan.FromMilliseconds(50),
    });

    public SessionRecordingClient()
    {
        var database = unreachable.GetDatabase("disclosure");
        var client = DispatchProxy.Create<IMongoClient, Stand>();
        ((Stand)(object)client).Answer = (method, args) => method.Name switch
        {
            nameof(IMongoClient.GetDatabase) => Proxy<IMongoDatabase>((m, a) => m.Name switch
            {
                "get_" + nameof(IMongoDatabase.Client) => client,
                // The driver's own collection: it renders the read and hands it the session it was given.
                nameof(IMongoDatabase.GetCollection) => m.Invoke(database, a),
                _ => throw new NotSupportedException(m.Name),
            }),
            nameof(IMongoClient.StartSessionAsync) => Task.FromResult(Session(args[0] as ClientSessionOptions ?? new ClientSessionOptions())),
            _ => throw new NotSupportedException(method.Name),
        };
        Store = new MongoStore(client, "disclosure", new MongoSettings());
    }

    public MongoStore Store { get; }

    private static IClientSessionHandle Session(ClientSessionOptions options) => Proxy<IClientSessionHandle>((m, _) => m.Name switch
    {
        "get_" + nameof(IClientSession.Options) => options,
        nameof(IDisposable.Dispose) => null,
        _ => throw new ReadIssued(options),
    });

    private static T Proxy<T>(Func<MethodInfo, object?[], object?> answer)
    {
        var proxy = DispatchProxy.Create<T, Stand>();
        ((Stand)(object)proxy!).Answer = answer;
        return proxy;
    }

    public void Dispose() => unreachable.Dispose();

    public class Stand : DispatchProxy
    {
        public Func<MethodInfo, object?[], object?> Answer { get; set; } = (m, _) => throw new NotSupportedException(m.Name);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Answer(targetMethod!, args ?? []);
    }
}
