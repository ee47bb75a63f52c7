namespace Disclosure.Storage;

/// <summary>
/// The <c>ConnectionStrings</c> section: which store to use. <see cref="Mongo"/> set selects MongoDB;
/// otherwise the embedded SQLite file at <see cref="Sqlite"/> is used.
/// </summary>
public sealed class StorageSettings
{
    public const string Section = "ConnectionStrings";

    /// <summary>A MongoDB connection string (<c>mongodb://…</c>, a replica set: appends use transactions). Unset by default.</summary>
    public string? Mongo { get; set; }

    /// <summary>A Microsoft.Data.Sqlite connection string. The default file lives in the working directory.</summary>
    public string Sqlite { get; set; } = "Data Source=disclosure.db";

    public bool UsesMongo => !string.IsNullOrWhiteSpace(Mongo);
}

/// <summary>The <c>Storage:Sqlite</c> section: tuning of the embedded store.</summary>
public sealed class SqliteSettings
{
    public const string Section = "Storage:Sqlite";

    /// <summary>
    /// Most writes committed together by one group commit. Larger batches amortise the fsync further but
    /// make a caller wait for more neighbours; 512 is past the point where the fsync stops dominating.
    /// </summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// How often the WAL is copied back into the database file, off the writer's path (a passive checkpoint from a
    /// connection of its own). Shorter keeps the WAL small; longer batches more pages per copy.
    /// </summary>
    public int CheckpointIntervalMilliseconds { get; set; } = 500;

    /// <summary>
    /// How large the WAL may grow while appends never pause. SQLite starts the WAL afresh only at a moment it has been
    /// copied back entirely, which a steady stream of commits never leaves; past this size the writer copies the last
    /// frames itself between two batches so that the next batch starts the WAL over, and the file is cut back to it.
    /// </summary>
    public int WalLimitMegabytes { get; set; } = 64;

    /// <summary>
    /// Where <c>POST /v1/admin/backup</c> writes its copies: a path, relative ones taken from the database file's
    /// directory. Unset: <c>backups</c> beside the database file. Put it on another disk to survive the loss of this one.
    /// </summary>
    public string? BackupDirectory { get; set; }

    /// <summary>
    /// How many backups to keep: after a backup is written, the oldest beyond this many (the files named as backups are, <c>disclosure-20150114T080000Z-1a2b3c4d.db</c>, in the
    /// backup directory, by the time they were written; never the store's own file) are deleted. 0, the default, keeps every one.
    /// </summary>
    public int KeepBackups { get; set; }
}

/// <summary>The <c>Storage:Mongo</c> section: tuning of the MongoDB store.</summary>
public sealed class MongoSettings
{
    public const string Section = "Storage:Mongo";

    /// <summary>The database, when the connection string names none.</summary>
    public string Database { get; set; } = "disclosure";

    /// <summary>
    /// The longest an append may take, retries included, in seconds. Racing appends to one period conflict on the
    /// period's document, and the driver retries the loser's transaction (TransientTransactionError,
    /// UnknownTransactionCommitResult) until this passes; then the append fails with 503 and nothing is stored. Keep
    /// it below the ingress timeout, so that a client never sees a gateway time out on a write that still commits. At most
    /// 120: the driver stops retrying a transaction after 120 s whatever the deadline. It bounds the other transactions too (a
    /// review, a reporter's change on condition that periods are open), and it is the <c>wtimeout</c> of the writes outside a transaction.
    /// </summary>
    public int AppendTimeoutSeconds { get; set; } = 10;
}
