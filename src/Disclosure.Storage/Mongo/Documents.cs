using Disclosure.Catalogue;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Bson.Serialization.Serializers;

namespace Disclosure.Storage.Mongo;

// The stored shapes. Every field a client supplies is a value here, never a key or an operator: reporter
// ids, codes and idempotency keys are string fields, filtered through typed builders only.

internal sealed class ReporterDocument
{
    [BsonId] public string Id { get; set; } = "";
    [BsonElement("name")] public string Name { get; set; } = "";
    [BsonElement("kind")] public string Kind { get; set; } = "";
    [BsonElement("createdAt")] public DateTime CreatedAt { get; set; }
    /// <summary>The first period the reporter no longer reports (<c>2020</c>, <c>2020Q3</c>); absent while it reports.</summary>
    [BsonElement("retiredFrom"), BsonIgnoreIfNull] public string? RetiredFrom { get; set; }
    /// <summary>Whom the district office calls about the reporter's tables (联系人及电话); absent when not known.</summary>
    [BsonElement("contact"), BsonIgnoreIfNull] public string? Contact { get; set; }
    /// <summary>
    /// Renames and retirements of this reporter, counted so that the store's version moves with each (exports print names,
    /// completeness follows retirements).
    /// </summary>
    [BsonElement("changes")] public long Changes { get; set; }
    /// <summary>Appends of this reporter's tables: every append's transaction increments it, so a retirement that commits between an append's read and its commit conflicts with it.</summary>
    [BsonElement("appends")] public long Appends { get; set; }

    public static ReporterDocument From(Reporter r) =>
        new() { Id = r.Id, Name = r.Name, Kind = StoredForm.Name(r.Kind), CreatedAt = r.CreatedAt.UtcDateTime, RetiredFrom = r.RetiredFrom, Contact = r.Contact };

    public Reporter ToDomain() => new(Id, Name, StoredForm.ParseKind(Kind), Utc(CreatedAt), RetiredFrom, Contact);

    internal static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}

internal sealed class KeyDocument
{
    [BsonId, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid Id { get; set; }
    [BsonElement("hash")] public string Hash { get; set; } = "";
    [BsonElement("role")] public string Role { get; set; } = "";
    [BsonElement("reporter"), BsonIgnoreIfNull] public string? ReporterId { get; set; }
    [BsonElement("createdAt")] public DateTime CreatedAt { get; set; }
    [BsonElement("revokedAt")] public DateTime? RevokedAt { get; set; }
    [BsonElement("label"), BsonIgnoreIfNull] public string? Label { get; set; }
    [BsonElement("expiresAt"), BsonIgnoreIfNull] public DateTime? ExpiresAt { get; set; }

    public static KeyDocument From(ApiKeyRecord k) => new()
    {
        Id = k.Id, Hash = k.Hash, Role = StoredForm.Name(k.Role), ReporterId = k.ReporterId,
        CreatedAt = k.CreatedAt.UtcDateTime, RevokedAt = k.RevokedAt?.UtcDateTime, Label = k.Label, ExpiresAt = k.ExpiresAt?.UtcDateTime,
    };

    public ApiKeyRecord ToDomain() =>
        new(Id, Hash, StoredForm.ParseRole(Role), ReporterId, ReporterDocument.Utc(CreatedAt), RevokedAt is { } r ? ReporterDocument.Utc(r) : null, Label,
            ExpiresAt is { } e ? ReporterDocument.Utc(e) : null);
}

internal sealed class ValueDocument
{
    [BsonElement("code")] public string Code { get; set; } = "";
    // Decimal128 keeps the decimal exactly and lets $sum add in decimal arithmetic, not binary floating point.
    [BsonElement("value"), BsonRepresentation(BsonType.Decimal128)] public decimal Value { get; set; }
    [BsonElement("derived")] public bool Derived { get; set; }
}

internal sealed class WarningDocument
{
    [BsonElement("rule")] public string Rule { get; set; } = "";
    [BsonElement("severity"), BsonRepresentation(BsonType.String)] public Severity Severity { get; set; }
    [BsonElement("codes")] public List<string> Codes { get; set; } = [];
    [BsonElement("expected"), BsonIgnoreIfNull] public string? Expected { get; set; }
    [BsonElement("actual"), BsonIgnoreIfNull] public string? Actual { get; set; }
    [BsonElement("message")] public string Message { get; set; } = "";
    [BsonElement("messageZh")] public string MessageZh { get; set; } = "";

    public static WarningDocument From(Violation v) => new()
    {
        Rule = v.Rule, Severity = v.Severity, Codes = [.. v.Codes], Expected = v.Expected, Actual = v.Actual, Message = v.Message, MessageZh = v.MessageZh,
    };

    public Violation ToDomain() => new(Rule, Severity, Codes, Expected, Actual, Message, MessageZh);
}

internal sealed class IdempotencyDocument
{
    [BsonElement("scope")] public string Scope { get; set; } = "";
    [BsonElement("key")] public string Key { get; set; } = "";
    [BsonElement("hash")] public string Hash { get; set; } = "";
}

/// <summary>
/// An Idempotency-Key an append took, with the revision it was answered with: one it found the table to be over again
/// (<see cref="AppendStatus.Unchanged"/>, a retry with the key is answered so again), or one it stored, which carries the key as
/// well. Keyed by scope and key, so the key is taken once here, whichever the outcome; an append looks in the submissions' keys
/// and here before it writes either. The collection (<c>unchangedKeys</c>) is named for the outcome only it records.
/// </summary>
internal sealed class UnchangedKeyDocument
{
    [BsonId] public UnchangedKeyId Id { get; set; } = new();
    [BsonElement("hash")] public string Hash { get; set; } = "";
    [BsonElement("submission"), BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid Submission { get; set; }
}

/// <summary>The <c>_id</c> of an <see cref="UnchangedKeyDocument"/>: who sent the key (the key id) and the key.</summary>
internal sealed class UnchangedKeyId
{
    [BsonElement("scope")] public string Scope { get; set; } = "";
    [BsonElement("key")] public string Key { get; set; } = "";

    public static UnchangedKeyId Of(IdempotencyToken token) => new() { Scope = token.Scope, Key = token.Key };
}

/// <summary>
/// One revision. <see cref="Latest"/> marks the head of its reporter, catalogue and period (a unique
/// partial index keeps it to one); <see cref="Kind"/> is the reporter's kind copied in at write time so
/// that aggregates group by it without a lookup.
/// </summary>
internal sealed class SubmissionDocument
{
    [BsonId, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid Id { get; set; }
    [BsonElement("reporter")] public string ReporterId { get; set; } = "";
    [BsonElement("kind")] public string Kind { get; set; } = "";
    [BsonElement("catalogue")] public string CatalogueId { get; set; } = "";
    [BsonElement("period")] public string Period { get; set; } = "";
    [BsonElement("revision")] public int Revision { get; set; }
    [BsonElement("receivedAt")] public DateTime ReceivedAt { get; set; }
    [BsonElement("sentAt"), BsonIgnoreIfNull] public DateTime? SentAt { get; set; }
    [BsonElement("latest")] public bool Latest { get; set; }
    [BsonElement("values")] public List<ValueDocument> Values { get; set; } = [];
    [BsonElement("warnings")] public List<WarningDocument> Warnings { get; set; } = [];
    [BsonElement("key"), BsonIgnoreIfNull, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid? SubmittedByKey { get; set; }
    [BsonElement("idempotency"), BsonIgnoreIfNull] public IdempotencyDocument? Idempotency { get; set; }
    /// <summary>The district office's current review of this revision, set (and replaced) by a review; absent until then.</summary>
    [BsonElement("review"), BsonIgnoreIfNull] public ReviewDocument? Review { get; set; }
    /// <summary>The reporter's 填报说明 with this revision; absent when it wrote none.</summary>
    [BsonElement("note"), BsonIgnoreIfNull] public string? Note { get; set; }

    public static SubmissionDocument From(Submission s, string kind, int revision, IdempotencyToken? idempotency) => new()
    {
        Id = s.Id, ReporterId = s.ReporterId, Kind = kind, CatalogueId = s.CatalogueId, Period = s.Period, Revision = revision,
        ReceivedAt = s.ReceivedAt.UtcDateTime, SentAt = s.SentAt?.UtcDateTime, Latest = true,
        Values = [.. s.Values.Select(v => new ValueDocument { Code = v.Code, Value = v.Value, Derived = v.Derived })],
        Warnings = [.. s.Warnings.Select(WarningDocument.From)],
        SubmittedByKey = s.SubmittedByKey,
        Note = s.Note,
        Idempotency = idempotency is null ? null : new IdempotencyDocument { Scope = idempotency.Scope, Key = idempotency.Key, Hash = idempotency.RequestHash },
    };

    public Submission ToDomain() => new(Id, ReporterId, CatalogueId, Period, Revision, ReporterDocument.Utc(ReceivedAt),
        [.. Values.Select(v => new StoredValue(v.Code, StoredForm.Normalise(v.Value), v.Derived))],
        [.. Warnings.Select(w => w.ToDomain())], SubmittedByKey, SentAt is { } sent ? ReporterDocument.Utc(sent) : null, Review?.ToDomain(), Note);
}

internal sealed class ReviewDocument
{
    [BsonElement("decision")] public string Decision { get; set; } = "";
    [BsonElement("comment"), BsonIgnoreIfNull] public string? Comment { get; set; }
    [BsonElement("reviewedAt")] public DateTime ReviewedAt { get; set; }
    [BsonElement("key"), BsonIgnoreIfNull, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid? ReviewedByKey { get; set; }

    public static ReviewDocument From(Review r) =>
        new() { Decision = StoredForm.Name(r.Decision), Comment = r.Comment, ReviewedAt = r.ReviewedAt.UtcDateTime, ReviewedByKey = r.ReviewedByKey };

    public Review ToDomain() => new(StoredForm.ParseDecision(Decision), Comment, ReporterDocument.Utc(ReviewedAt), ReviewedByKey);
}

/// <summary>A submission without its values: what revision lists and contributions read.</summary>
[BsonIgnoreExtraElements]
internal sealed class RevisionDocument
{
    [BsonId, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid Id { get; set; }
    [BsonElement("reporter")] public string ReporterId { get; set; } = "";
    [BsonElement("kind")] public string Kind { get; set; } = "";
    [BsonElement("catalogue")] public string CatalogueId { get; set; } = "";
    [BsonElement("period")] public string Period { get; set; } = "";
    [BsonElement("revision")] public int Revision { get; set; }
    [BsonElement("receivedAt")] public DateTime ReceivedAt { get; set; }
    [BsonElement("sentAt"), BsonIgnoreIfNull] public DateTime? SentAt { get; set; }
    [BsonElement("key"), BsonIgnoreIfNull, BsonGuidRepresentation(GuidRepresentation.Standard)] public Guid? SubmittedByKey { get; set; }
    [BsonElement("review"), BsonIgnoreIfNull] public ReviewDocument? Review { get; set; }
    [BsonElement("note"), BsonIgnoreIfNull] public string? Note { get; set; }

    public RevisionInfo ToDomain() => new(Id, ReporterId, CatalogueId, Period, Revision, ReporterDocument.Utc(ReceivedAt), SubmittedByKey,
        SentAt is { } sent ? ReporterDocument.Utc(sent) : null, Review?.ToDomain(), Note);
}

internal sealed class PeriodKey
{
    [BsonElement("catalogue")] public string CatalogueId { get; set; } = "";
    [BsonElement("period")] public string Period { get; set; } = "";
}

internal sealed class PeriodDocument
{
    [BsonId] public PeriodKey Id { get; set; } = new();
    [BsonElement("closed")] public bool Closed { get; set; }
    [BsonElement("closedAt")] public DateTime? ClosedAt { get; set; }
    [BsonElement("deadline")] public DateTime? Deadline { get; set; }
    [BsonElement("expectedReporters")] public List<string>? ExpectedReporters { get; set; }
    /// <summary>Appends stored for this period: every append's transaction increments it, so a close that commits between an append's read and its commit conflicts with it.</summary>
    [BsonElement("appends")] public long Appends { get; set; }
    /// <summary>Changes of the period's settings (close, reopen, deadline, expected reporters).</summary>
    [BsonElement("changes")] public long Changes { get; set; }
    /// <summary>Retirements written on condition that this period is open: each increments it, so that a close committed meanwhile conflicts with it.</summary>
    [BsonElement("retirements")] public long Retirements { get; set; }
    /// <summary>
    /// Answers that a table of this period was its head over again: each increments it, so that a review or a close committed
    /// meanwhile conflicts with the answer. Not part of the store's version: nothing was stored.
    /// </summary>
    [BsonElement("unchanged")] public long Unchanged { get; set; }
    /// <summary>
    /// Saves of the settings (<see cref="PeriodSettings.Version"/>), and nothing else: <see cref="Changes"/> moves on a review too, and
    /// the ETag a clerk's page holds must not go stale by a town's table. Absent (0) where no save has written since the field came in.
    /// </summary>
    [BsonElement("settingsVersion")] public int SettingsVersion { get; set; }
    /// <summary>
    /// Of a closed period, every reporter's name when it was closed, as a list of id and name (a reporter id is a value, never a
    /// field name); absent while the period is open.
    /// </summary>
    [BsonElement("reporterNames"), BsonIgnoreIfNull] public List<ReporterNameDocument>? ReporterNames { get; set; }
    /// <summary>When the period was first closed (<see cref="PeriodSettings.FirstClosedAt"/>); absent until then.</summary>
    [BsonElement("firstClosedAt"), BsonIgnoreIfNull] public DateTime? FirstClosedAt { get; set; }

    public static PeriodKey KeyOf(string catalogueId, string period) => new() { CatalogueId = catalogueId, Period = period };

    public static PeriodDocument From(PeriodSettings p) => new()
    {
        Id = KeyOf(p.CatalogueId, p.Period), Closed = p.Closed, ClosedAt = p.ClosedAt?.UtcDateTime, Deadline = p.Deadline?.UtcDateTime,
        ExpectedReporters = p.ExpectedReporters is null ? null : [.. p.ExpectedReporters],
        ReporterNames = p.Closed && p.ReporterNames is { } names ? ReporterNameDocument.From(names) : null,
    };

    public PeriodSettings ToDomain() => new(Id.CatalogueId, Id.Period, Closed,
        ClosedAt is { } c ? ReporterDocument.Utc(c) : null, Deadline is { } d ? ReporterDocument.Utc(d) : null, ExpectedReporters)
    {
        ReporterNames = ReporterNames?.ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal),
        Version = SettingsVersion,
        FirstClosedAt = FirstClosedAt is { } f ? ReporterDocument.Utc(f) : null,
    };
}

/// <summary>A reporter's name as a closed period records it.</summary>
internal sealed class ReporterNameDocument
{
    [BsonElement("id")] public string Id { get; set; } = "";
    [BsonElement("name")] public string Name { get; set; } = "";

    /// <summary>The names by id, ordered by id.</summary>
    public static List<ReporterNameDocument> From(IEnumerable<KeyValuePair<string, string>> names) =>
        [.. names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new ReporterNameDocument { Id = n.Key, Name = n.Value })];

    /// <summary>The names of <paramref name="reporters"/> as they are now.</summary>
    public static List<ReporterNameDocument> Of(IEnumerable<ReporterDocument> reporters) =>
        From(reporters.Select(r => KeyValuePair.Create(r.Id, r.Name)));
}

/// <summary>Process-wide BSON configuration, registered once however many clients or stores are built.</summary>
internal static class MongoMapping
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        // Standard (subtype 4) so that ids read the same from every driver and the shell; the members above
        // also say so themselves, which keeps them right even if another component registered a different default.
        BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
        // A newer pod may add fields while an older one still reads the same documents during a rolling upgrade.
        MongoDB.Bson.Serialization.Conventions.ConventionRegistry.Register("disclosure-tolerant",
            new MongoDB.Bson.Serialization.Conventions.ConventionPack { new MongoDB.Bson.Serialization.Conventions.IgnoreExtraElementsConvention(true) },
            type => type.Namespace == typeof(MongoMapping).Namespace);
    }
}
