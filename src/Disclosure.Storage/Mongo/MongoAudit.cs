using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace Disclosure.Storage.Mongo;

// The audit log of the MongoDB adapter: one document per entry, its version 7 uuid the _id. BSON compares binary
// values byte by byte, and a standard uuid's bytes begin with its time, so the _id index gives the log's order.
public sealed partial class MongoStore
{
    private IMongoCollection<AuditDocument> Audit => database.GetCollection<AuditDocument>("audit");

    /// <summary>One key's entries, newest first, without reading the others' (GET /v1/audit?keyId=).</summary>
    internal static readonly CreateIndexModel<AuditDocument> AuditByKey = new(
        Builders<AuditDocument>.IndexKeys.Ascending(a => a.KeyId).Descending(a => a.Id), new CreateIndexOptions { Name = "key" });

    /// <summary>One reporter's entries (a reporter key's), newest first (GET /v1/audit?reporter=).</summary>
    internal static readonly CreateIndexModel<AuditDocument> AuditByReporter = new(
        Builders<AuditDocument>.IndexKeys.Ascending(a => a.ReporterId).Descending(a => a.Id), new CreateIndexOptions { Name = "reporter" });

    /// <summary>
    /// A window of time (GET /v1/audit?from=&amp;to=), without reading the whole log: the server weighs it against reading the _id index
    /// newest first, which serves one bound alone or a later page (before) better, and keeps whichever plan ends sooner.
    /// </summary>
    internal static readonly CreateIndexModel<AuditDocument> AuditByTime = new(
        Builders<AuditDocument>.IndexKeys.Ascending(a => a.At), new CreateIndexOptions { Name = "at" });

    /// <summary>The indexes of the log, created at start (<see cref="InitialiseAsync"/>).</summary>
    internal static IReadOnlyList<CreateIndexModel<AuditDocument>> AuditIndexes => [AuditByKey, AuditByReporter, AuditByTime];

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct) =>
        Audit.InsertOneAsync(AuditDocument.From(entry), cancellationToken: ct);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct)
    {
        var found = await Audit.Find(AuditFilter(query)).SortByDescending(a => a.Id).Limit(query.Limit).ToListAsync(ct).ConfigureAwait(false);
        return [.. found.Select(a => a.ToDomain())];
    }

    internal static FilterDefinition<AuditDocument> AuditFilter(AuditQuery query)
    {
        var filter = Builders<AuditDocument>.Filter;
        var where = filter.Empty;
        if (query.From is { } from) where &= filter.Gte(a => a.At, from.UtcDateTime);
        if (query.To is { } to) where &= filter.Lt(a => a.At, to.UtcDateTime);
        if (query.Before is { } before) where &= filter.Lt(a => a.Id, before);
        if (query.KeyId is { } key) where &= filter.Eq(a => a.KeyId, key);
        if (query.ReporterId is { } reporter) where &= filter.Eq(a => a.ReporterId, reporter);
        if (query.Action is { } action) where &= filter.Eq(a => a.Method, action.Method) & filter.Eq(a => a.Route, action.Route);
        return where;
    }
}

internal sealed class AuditDocument
{
    [BsonId, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid Id { get; set; }
    [BsonElement("at")] public DateTime At { get; set; }
    [BsonElement("method")] public string Method { get; set; } = "";
    [BsonElement("path")] public string Path { get; set; } = "";
    [BsonElement("route"), BsonIgnoreIfNull] public string? Route { get; set; }
    [BsonElement("status")] public int Status { get; set; }
    [BsonElement("key"), BsonIgnoreIfNull, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid? KeyId { get; set; }
    [BsonElement("role"), BsonIgnoreIfNull] public string? Role { get; set; }
    [BsonElement("reporter"), BsonIgnoreIfNull] public string? ReporterId { get; set; }
    [BsonElement("holder"), BsonIgnoreIfNull] public string? Holder { get; set; }
    [BsonElement("remoteIp"), BsonIgnoreIfNull] public string? RemoteIp { get; set; }
    [BsonElement("detail"), BsonIgnoreIfNull] public string? Detail { get; set; }

    public static AuditDocument From(AuditEntry a) => new()
    {
        Id = a.Id, At = a.At.UtcDateTime, Method = a.Method, Path = a.Path, Route = a.Route, Status = a.Status, KeyId = a.KeyId,
        Role = a.Role is { } role ? StoredForm.Name(role) : null, ReporterId = a.ReporterId, Holder = a.Holder, RemoteIp = a.RemoteIp, Detail = a.Detail,
    };

    public AuditEntry ToDomain() =>
        new(Id, ReporterDocument.Utc(At), Method, Path, Route, Status, KeyId, Role is null ? null : StoredForm.ParseRole(Role), ReporterId, Holder, RemoteIp, Detail);
}
