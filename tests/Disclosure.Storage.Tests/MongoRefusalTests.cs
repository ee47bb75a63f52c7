using System.Net;
using System.Reflection;
using Disclosure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace Disclosure.Storage.Tests;

/// <summary>
/// What the MongoDB store reads after a write it sent was refused (a unique index, a settings version), checked without a server:
/// the store is given collections that refuse each write and answer each read from a list, and that record the session, read
/// concern and time limit of every call. The read that names what holds the key must run in the refused write's own session,
/// causally consistent, at majority: the driver then sends it with <c>afterClusterTime</c> of the refusal (the driver's own
/// behaviour, which needs a server to watch), so that the answer is something a failover keeps. A local read could name a write
/// a majority never had, rolled back with the primary that took it.
/// </summary>
public sealed class MongoRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_Registration_Refused_For_Its_Id_Reads_The_Holder_In_Its_Own_Causal_Session_At_Majority()
    {
        var mongo = new RefusingClient();
        mongo.Answers("reporters", [ReporterDocument.From(new Reporter("gushao-town", "古邵镇", ReporterKind.Town, Noon))]);

        var result = await mongo.Store.CreateReporterAsync(new Reporter("gushao-town", "古邵镇", ReporterKind.Town, Noon), Ct);

        Assert.Equal(CreateStatus.Duplicate, result.Status);
        var session = Assert.Single(mongo.Sessions);
        Assert.True(session.Options.CausalConsistency);
        Assert.Equal(["reporters.InsertOneAsync", "reporters.FindAsync"], mongo.Calls.Select(c => c.Name));
        Assert.All(mongo.Calls, c => Assert.Same(session, c.Session));
        AssertMajorityBounded(mongo.Calls[1]);
    }

    [Fact]
    public async Task A_Registration_Refused_For_Its_Name_Names_The_Holder_A_Majority_Has_Read_In_The_Same_Session()
    {
        var mongo = new RefusingClient();
        var holder = new Reporter("gushao-street", "古邵镇", ReporterKind.Town, Noon);
        mongo.Answers("reporters", [], [ReporterDocument.From(holder)]);

        var result = await mongo.Store.CreateReporterAsync(new Reporter("gushao-town", "古邵镇", ReporterKind.Town, Noon), Ct);

        Assert.Equal((CreateStatus.NameTaken, "gushao-street"), (result.Status, result.NameHeldBy?.Id));
        var session = Assert.Single(mongo.Sessions);
        Assert.Equal(["reporters.InsertOneAsync", "reporters.FindAsync", "reporters.FindAsync"], mongo.Calls.Select(c => c.Name));
        Assert.All(mongo.Calls, c => Assert.Same(session, c.Session));
        Assert.All(mongo.Calls.Skip(1), AssertMajorityBounded);
    }

    [Fact]
    public async Task A_Catalogue_Refused_For_Its_Id_Is_Compared_With_The_One_A_Majority_Has()
    {
        var mongo = new RefusingClient();
        var stored = new StoredCatalogue("c-1", "{\"id\":\"c-1\"}", Noon);
        mongo.Answers("catalogues", [StoredCatalogueDocument.From(stored)]);

        Assert.Equal(CatalogueSaveStatus.Unchanged, await mongo.Store.SaveCatalogueAsync(stored, Ct));

        var session = Assert.Single(mongo.Sessions);
        Assert.True(session.Options.CausalConsistency);
        Assert.Equal(["catalogues.InsertOneAsync", "catalogues.FindAsync"], mongo.Calls.Select(c => c.Name));
        Assert.All(mongo.Calls, c => Assert.Same(session, c.Session));
        AssertMajorityBounded(mongo.Calls[1]);
    }

    [Fact]
    public async Task A_Period_Save_Refused_For_Its_Version_Answers_The_Version_A_Majority_Has_When_It_Holds_The_Same_Settings()
    {
        var mongo = new RefusingClient();
        var wanted = new PeriodSettings("c-1", "2014", false, null, Noon, ["gushao-town"]);
        var stored = PeriodDocument.From(wanted);
        stored.SettingsVersion = 4;
        mongo.Answers("periods", [stored], [stored]);

        // Sent again on the version its first attempt replaced: the settings stored are these, so their version is the answer.
        Assert.Equal(4, await mongo.Store.SavePeriodAsync(wanted, 3, Ct));
        // Other settings on that version: refused.
        Assert.Null(await mongo.Store.SavePeriodAsync(wanted with { Deadline = Noon.AddDays(1) }, 3, Ct));

        Assert.Equal(2, mongo.Sessions.Count);
        Assert.All(mongo.Sessions, s => Assert.True(s.Options.CausalConsistency));
        Assert.Equal(["periods.FindOneAndUpdateAsync", "periods.FindAsync", "periods.FindOneAndUpdateAsync", "periods.FindAsync"], mongo.Calls.Select(c => c.Name));
        Assert.Same(mongo.Sessions[0], mongo.Calls[1].Session);
        Assert.All(mongo.Calls.Take(2), c => Assert.Same(mongo.Sessions[0], c.Session));
        Assert.All(mongo.Calls.Skip(2), c => Assert.Same(mongo.Sessions[1], c.Session));
        AssertMajorityBounded(mongo.Calls[1]);
    }

    [Fact]
    public async Task A_Close_Refused_For_Its_Version_Holds_On_The_Period_A_Majority_Has_Closed_Whenever_It_Was_Closed()
    {
        var mongo = new RefusingClient();
        var closed = PeriodDocument.From(new PeriodSettings("c-1", "2014", true, Noon, null, null));
        closed.SettingsVersion = 4;
        mongo.Answers("periods", [closed], [closed]);

        // A close sent again a minute after its first attempt closed the period: that close holds, and is what is answered.
        var held = await mongo.Store.SavePeriodAsync(new PeriodSettings("c-1", "2014", true, Noon.AddMinutes(1), null, null) { ReporterNames = new Dictionary<string, string>() },
            3, Holding.SameClosed, Ct);
        Assert.Equal((4, true, (DateTimeOffset?)Noon), (held!.Version, held.Held!.Closed, held.Held.ClosedAt));
        // A reopening on that version finds it closed: refused.
        Assert.Null(await mongo.Store.SavePeriodAsync(new PeriodSettings("c-1", "2014", false, null, null, null), 3, Holding.SameClosed, Ct));

        Assert.Equal(["periods.FindOneAndUpdateAsync", "periods.FindAsync", "periods.FindOneAndUpdateAsync", "periods.FindAsync"], mongo.Calls.Select(c => c.Name));
        Assert.Same(mongo.Sessions[0], mongo.Calls[1].Session);
        AssertMajorityBounded(mongo.Calls[1]);
    }

    private static void AssertMajorityBounded(RefusingClient.Call read)
    {
        Assert.Equal(ReadConcern.Majority, read.ReadConcern);
        Assert.Equal(TimeSpan.FromSeconds(new MongoSettings().AppendTimeoutSeconds), read.MaxTime);
    }
}

/// <summary>
/// A client for <see cref="MongoStore"/> of <see cref="DispatchProxy"/> stand-ins: every insert is refused as a duplicate key,
/// every findOneAndUpdate matches nothing, and each find answers the next list given for its collection (none left: nothing).
/// Every call is recorded with the session it was given and, for a find, the collection's read concern and its time limit.
/// </summary>
internal sealed class RefusingClient
{
    public sealed record Call(string Name, IClientSessionHandle? Session, ReadConcern? ReadConcern, TimeSpan? MaxTime);

    public List<Call> Calls { get; } = [];
    public List<IClientSessionHandle> Sessions { get; } = [];
    private readonly Dictionary<string, Queue<object[]>> answers = [];

    public RefusingClient()
    {
        var client = DispatchProxy.Create<IMongoClient, SessionRecordingClient.Stand>();
        ((SessionRecordingClient.Stand)(object)client).Answer = (method, args) => method.Name switch
        {
            nameof(IMongoClient.GetDatabase) => Database(client, ((MongoDatabaseSettings)args[1]!).ReadConcern),
            nameof(IMongoClient.StartSessionAsync) => Task.FromResult(StartSession(args[0] as ClientSessionOptions ?? new ClientSessionOptions())),
            _ => throw new NotSupportedException(method.Name),
        };
        Store = new MongoStore(client, "disclosure", new MongoSettings());
    }

    public MongoStore Store { get; }

    /// <summary>What the finds of <paramref name="collection"/> answer, one list per find, in order.</summary>
    public void Answers(string collection, params object[][] lists) => answers[collection] = new Queue<object[]>(lists);

    private IClientSessionHandle StartSession(ClientSessionOptions options)
    {
        var session = Proxy<IClientSessionHandle>((m, _) => m.Name switch
        {
            "get_" + nameof(IClientSession.Options) => options,
            nameof(IDisposable.Dispose) => null,
            _ => throw new NotSupportedException(m.Name),
        });
        Sessions.Add(session);
        return session;
    }

    private IMongoDatabase Database(IMongoClient client, ReadConcern readConcern) => Proxy<IMongoDatabase>((m, a) => m.Name switch
    {
        "get_" + nameof(IMongoDatabase.Client) => client,
        nameof(IMongoDatabase.GetCollection) => typeof(RefusingClient).GetMethod(nameof(Collection), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(m.GetGenericArguments()).Invoke(this, [(string)a[0]!, readConcern]),
        _ => throw new NotSupportedException(m.Name),
    });

    private IMongoCollection<T> Collection<T>(string name, ReadConcern readConcern) => Proxy<IMongoCollection<T>>((m, a) =>
    {
        var session = a.OfType<IClientSessionHandle>().FirstOrDefault();
        switch (m.Name)
        {
            case "get_" + nameof(IMongoCollection<T>.Settings):
                return new MongoCollectionSettings { ReadConcern = readConcern };
            case nameof(IMongoCollection<T>.WithReadConcern):
                return Collection<T>(name, (ReadConcern)a[0]!);
            case nameof(IMongoCollection<T>.InsertOneAsync):
                Calls.Add(new($"{name}.{m.Name}", session, null, null));
                return Task.FromException(DuplicateKey());
            case nameof(IMongoCollection<T>.FindOneAndUpdateAsync):
                Calls.Add(new($"{name}.{m.Name}", session, null, null));
                return typeof(RefusingClient).GetMethod(nameof(Nothing), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(m.GetGenericArguments()).Invoke(null, []);
            case nameof(IMongoCollection<T>.FindAsync):
                Calls.Add(new($"{name}.{m.Name}", session, readConcern, a.OfType<FindOptionsBase>().FirstOrDefault()?.MaxTime));
                var found = answers.TryGetValue(name, out var queue) && queue.TryDequeue(out var list) ? list : [];
                return typeof(RefusingClient).GetMethod(nameof(Cursor), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(m.GetGenericArguments())
                    .Invoke(null, [found]);
            default:
                throw new NotSupportedException(m.Name);
        }
    });

    private static Task<T?> Nothing<T>() => Task.FromResult<T?>(default);

    // A find with a projection (AnyAsync's) reads BSON documents.
    private static Task<IAsyncCursor<T>> Cursor<T>(object[] documents) => Task.FromResult<IAsyncCursor<T>>(new ListCursor<T>(
        [.. documents.Select(d => typeof(T) == typeof(BsonDocument) ? (T)(object)d.ToBsonDocument(d.GetType()) : (T)d)]));

    private static MongoWriteException DuplicateKey()
    {
        var error = (WriteError)Activator.CreateInstance(typeof(WriteError), BindingFlags.NonPublic | BindingFlags.Instance, null,
            [ServerErrorCategory.DuplicateKey, 11000, "E11000 duplicate key error", new BsonDocument()], null)!;
        return new MongoWriteException(new ConnectionId(new ServerId(new ClusterId(), new DnsEndPoint("mongo1", 27017))), error, null, null);
    }

    private static T Proxy<T>(Func<MethodInfo, object?[], object?> answer)
    {
        var proxy = DispatchProxy.Create<T, SessionRecordingClient.Stand>();
        ((SessionRecordingClient.Stand)(object)proxy!).Answer = answer;
        return proxy;
    }

    /// <summary>One batch of documents, then the end.</summary>
    private sealed class ListCursor<T>(List<T> documents) : IAsyncCursor<T>
    {
        private bool given;
        public IEnumerable<T> Current => documents;
        public bool MoveNext(CancellationToken cancellationToken = default) => !given && (given = true);
        public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));
        public void Dispose() { }
    }
}
