using System.Reflection;
using Disclosure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Disclosure.Storage.Tests;

/// <summary>
/// What the MongoDB store's transactions write, checked without a server: two transactions of snapshot isolation conflict only
/// where both write one document, so two outcomes that must exclude each other must write a document in common. The store is
/// given collections that answer each find from a list and record every write, rendered as the server would receive it; that
/// the server then refuses the later of two such writes with a transient write conflict (which the driver runs again) is the
/// server's to show, and needs a replica set (<see cref="MongoStoreContract"/>).
/// </summary>
public sealed class MongoAppendWritesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly Reporter Town = new("gushao-town", "古邵镇", ReporterKind.Town, Noon);

    private static Submission Table(string period, decimal value) =>
        new(Guid.NewGuid(), Town.Id, "c-1", period, 0, Noon, [new StoredValue("1.1", value, false)], [], null);

    /// <summary>A store whose reads find <paramref name="head"/> as the current revision of an open period.</summary>
    private static RecordingClient OnHead(SubmissionDocument head, bool keyed)
    {
        var mongo = new RecordingClient();
        // The head, the key among the revisions (none), then the head whole when its note and sent time match.
        mongo.Answers("submissions", keyed ? [[head], [], [head]] : [[head], [head]]);
        mongo.Answers("reporters", [ReporterDocument.From(Town)]);
        return mongo;
    }

    [Fact]
    public async Task An_Unchanged_Answer_And_A_Stored_Revision_Under_One_Key_Both_Claim_It_In_The_Same_Document()
    {
        var head = Table("2014", 7);
        var document = SubmissionDocument.From(head, "town", 1, null);
        var key = new IdempotencyToken("key-of-town", "nightly-1", "hash-unchanged");

        var unchanged = OnHead(document, keyed: true);
        Assert.Equal(AppendStatus.Unchanged, (await unchanged.Store.AppendAsync(head with { Id = Guid.NewGuid() }, null, key, Ct)).Status);
        var created = OnHead(document, keyed: true);
        var corrected = Table("2014", 8);
        Assert.Equal(AppendStatus.Created, (await created.Store.AppendAsync(corrected, null, key with { RequestHash = "hash-created" }, Ct)).Status);

        // One _id for both, whatever each came to: the later of two at once conflicts, and its run again finds the key.
        var claimed = new BsonDocument { { "scope", "key-of-town" }, { "key", "nightly-1" } };
        var byUnchanged = Assert.Single(unchanged.Writes, w => w.Collection == "unchangedKeys");
        var byCreated = Assert.Single(created.Writes, w => w.Collection == "unchangedKeys");
        Assert.Equal((claimed, document.Id), (byUnchanged.Document!["_id"], byUnchanged.Document["submission"].AsGuid));
        Assert.Equal((claimed, corrected.Id), (byCreated.Document!["_id"], byCreated.Document["submission"].AsGuid));
        Assert.All([unchanged, created], m => Assert.Same(m.Sessions.Single(), Assert.Single(m.Writes, w => w.Collection == "unchangedKeys").Session));
    }

    [Theory]
    [InlineData("2014", new[] { "2014" })]
    [InlineData("2014Q3", new[] { "2014Q3", "2014" })]
    public async Task An_Unchanged_Answer_Writes_The_Period_Document_That_A_Review_Or_A_Close_Of_Its_Table_Writes(string period, string[] written)
    {
        var head = Table(period, 7);
        var document = SubmissionDocument.From(head, "town", 1, null);

        // Without a key too: the answer describes the review and the period as they are, key or none.
        var unchanged = OnHead(document, keyed: false);
        Assert.Equal(AppendStatus.Unchanged, (await unchanged.Store.AppendAsync(head with { Id = Guid.NewGuid() }, null, null, Ct)).Status);
        var review = new RecordingClient();
        review.Answers("submissions", [document], [document]);
        var returned = await review.Store.ReviewAsync(document.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Guid.NewGuid()), null, Ct);
        Assert.Equal(ReviewStatus.Stored, returned.Status);

        var periodsOf = (RecordingClient m) => m.Writes.Where(w => w.Collection == "periods").Select(w => w.Filter!["_id"]["period"].AsString).ToList();
        Assert.Equal(written, periodsOf(unchanged));
        Assert.Contains(Assert.Single(periodsOf(review)), periodsOf(unchanged));
        // Counted apart from the appends, which the store's version sums: nothing was stored, so no district table goes stale.
        Assert.All(unchanged.Writes, w => Assert.Equal(
            new BsonDocument("$inc", new BsonDocument("unchanged", 1)), w.Update));
        Assert.DoesNotContain(unchanged.Writes, w => w.Collection is "submissions" or "unchangedKeys");
    }

    [Fact]
    public async Task A_Key_Claimed_By_A_Revision_Stored_Between_The_Lookups_Two_Reads_Is_A_Replay_Of_It_Not_An_Unchanged_Answer()
    {
        var key = new IdempotencyToken("key-of-town", "nightly-1", "hash");
        var table = Table("2014", 8);
        var stored = SubmissionDocument.From(table, "town", 2, key);
        var mongo = new RecordingClient();
        // The dry run reads outside a transaction: the revisions first (not yet there), then the claim the same commit wrote.
        mongo.Answers("submissions", [], [stored]);
        mongo.Answers("unchangedKeys", [new UnchangedKeyDocument { Id = UnchangedKeyId.Of(key), Hash = key.RequestHash, Submission = table.Id }]);

        var found = await mongo.Store.FindIdempotentAsync(key, Ct);

        Assert.Equal((table.Id, true, false), (found!.Submission.Id, found.SameRequest, found.Unchanged));
    }
}

/// <summary>
/// A client for <see cref="MongoStore"/> of <see cref="DispatchProxy"/> stand-ins: a transaction runs its body once, each find
/// answers the next list given for its collection (none left: nothing), and every insert and update succeeds and is recorded,
/// rendered, with the session it was given.
/// </summary>
internal sealed class RecordingClient
{
    public sealed record Write(string Collection, IClientSessionHandle? Session, BsonDocument? Filter, BsonDocument? Update, BsonDocument? Document);

    public List<Write> Writes { get; } = [];
    public List<IClientSessionHandle> Sessions { get; } = [];
    private readonly Dictionary<string, Queue<object[]>> answers = [];

    public RecordingClient()
    {
        var client = Proxy<IMongoClient>((_, _) => throw new NotSupportedException());
        ((SessionRecordingClient.Stand)(object)client).Answer = (method, args) => method.Name switch
        {
            nameof(IMongoClient.GetDatabase) => Database(client),
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
        IClientSessionHandle? session = null;
        session = Proxy<IClientSessionHandle>((m, a) => m.Name switch
        {
            "get_" + nameof(IClientSession.Options) => options,
            "get_" + nameof(IClientSession.IsInTransaction) => false,
            nameof(IClientSession.WithTransactionAsync) => ((Delegate)a[0]!).DynamicInvoke(session, a[2]),
            nameof(IDisposable.Dispose) => null,
            _ => throw new NotSupportedException(m.Name),
        });
        Sessions.Add(session);
        return session;
    }

    private IMongoDatabase Database(IMongoClient client) => Proxy<IMongoDatabase>((m, a) => m.Name switch
    {
        "get_" + nameof(IMongoDatabase.Client) => client,
        nameof(IMongoDatabase.GetCollection) => typeof(RecordingClient).GetMethod(nameof(Collection), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(m.GetGenericArguments()).Invoke(this, [(string)a[0]!]),
        _ => throw new NotSupportedException(m.Name),
    });

    private IMongoCollection<T> Collection<T>(string name) => Proxy<IMongoCollection<T>>((m, a) =>
    {
        var session = a.OfType<IClientSessionHandle>().FirstOrDefault();
        var render = new RenderArgs<T>(BsonSerializer.LookupSerializer<T>(), BsonSerializer.SerializerRegistry);
        switch (m.Name)
        {
            case "get_" + nameof(IMongoCollection<T>.Settings):
                return new MongoCollectionSettings();
            case nameof(IMongoCollection<T>.InsertOneAsync):
                Writes.Add(new(name, session, null, null, a.OfType<T>().Single().ToBsonDocument()));
                return Task.CompletedTask;
            case nameof(IMongoCollection<T>.UpdateOneAsync):
                Writes.Add(new(name, session, a.OfType<FilterDefinition<T>>().Single().Render(render),
                    a.OfType<UpdateDefinition<T>>().Single().Render(render).AsBsonDocument, null));
                return Task.FromResult<MongoDB.Driver.UpdateResult>(new MongoDB.Driver.UpdateResult.Acknowledged(1, 1, null));
            case nameof(IMongoCollection<T>.FindAsync):
                var found = answers.TryGetValue(name, out var queue) && queue.TryDequeue(out var list) ? list : [];
                return typeof(RecordingClient).GetMethod(nameof(Cursor), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(m.GetGenericArguments())
                    .Invoke(null, [found]);
            default:
                throw new NotSupportedException(m.Name);
        }
    });

    // A find with a projection reads the document as another type: what the server sends back is the stored document's fields.
    private static Task<IAsyncCursor<TOut>> Cursor<TOut>(object[] documents) => Task.FromResult<IAsyncCursor<TOut>>(new ListCursor<TOut>(
        [.. documents.Select(d => d is TOut same ? same : BsonSerializer.Deserialize<TOut>(d.ToBsonDocument(d.GetType())))]));

    private static T Proxy<T>(Func<MethodInfo, object?[], object?> answer)
    {
        var proxy = DispatchProxy.Create<T, SessionRecordingClient.Stand>();
        ((SessionRecordingClient.Stand)(object)proxy!).Answer = answer;
        return proxy;
    }

    private sealed class ListCursor<T>(List<T> documents) : IAsyncCursor<T>
    {
        private bool given;
        public IEnumerable<T> Current => documents;
        public bool MoveNext(CancellationToken cancellationToken = default) => !given && (given = true);
        public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));
        public void Dispose() { }
    }
}
