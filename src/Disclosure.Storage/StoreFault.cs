using Microsoft.Data.Sqlite;
using MongoDB.Driver;

namespace Disclosure.Storage;

/// <summary>
/// The store could not make a write durable because of the machine, not the request: the disk is full, or the file
/// system failed or turned read-only. Nothing of the write was stored; the API answers 507 (full) or 503 with
/// Retry-After, and readiness is 503 until a write succeeds again.
/// </summary>
public sealed class StoreFaultException(StoreFaultKind kind, string message, Exception inner) : Exception(message, inner)
{
    public StoreFaultKind Kind => kind;

    /// <summary>
    /// The fault <paramref name="e"/> stands for, or null when it is not one: SQLITE_FULL (13), SQLITE_IOERR (10, with
    /// every extended code), SQLITE_READONLY (8), SQLITE_CANTOPEN (14) and SQLITE_PROTOCOL (15) come from the machine.
    /// With MongoDB, a replica set that cannot be reached or has no primary is the same: the driver gives up selecting a
    /// server or waiting for a connection (a <see cref="TimeoutException"/>), loses the connection, finds the server's pool
    /// paused (it pauses it on a network error, until the server is heard from again) or its wait queue full, or hears
    /// "not primary" / "node is recovering", or a mongos's "host unreachable" and the like (the codes the driver itself
    /// retries), after its one retry; or a majority does not acknowledge a write within its <c>wtimeout</c>. Unlike the SQLite faults, a write cut off by a lost connection may still have been
    /// applied (the driver's retry answers for retryable writes; an append's commit can be in flight).
    /// </summary>
    public static StoreFaultException? From(Exception e) => e switch
    {
        StoreFaultException fault => fault,
        SqliteException { SqliteErrorCode: 13 } s => new(StoreFaultKind.Full, $"The store's disk is full ({s.Message.TrimEnd('.')}); nothing was stored.", s),
        SqliteException { SqliteErrorCode: 10 or 8 or 14 or 15 } s =>
            new(StoreFaultKind.Unavailable, $"The store could not write to its disk ({s.Message.TrimEnd('.')}); nothing was stored.", s),
        MongoConnectionException or MongoConnectionPoolPausedException or MongoWaitQueueFullException
            or MongoNotPrimaryException or MongoNodeIsRecoveringException => MongoUnavailable(e),
        // HostUnreachable, HostNotFound, NetworkTimeout, ReadConcernMajorityNotAvailableYet, ExceededTimeLimit, SocketException.
        MongoCommandException { Code: 6 or 7 or 89 or 134 or 262 or 9001 } => MongoUnavailable(e),
        // A majority did not acknowledge a write within its wtimeout: the primary may have applied it, so it is not "nothing stored".
        MongoWriteConcernException or MongoWriteException { WriteError: null, WriteConcernError: not null } => new(StoreFaultKind.Unavailable,
            $"A majority of the MongoDB replica set did not acknowledge the write in time ({e.Message.TrimEnd('.')}); it may still be applied: read it back, or send it again.", e),
        // A transaction the driver ran again until its 120 s were up (a write conflict that kept recurring, a primary lost at each
        // try): it was aborted each time. A commit whose outcome stayed unknown may have been applied.
        MongoException m when m.HasErrorLabel("TransientTransactionError") => new(StoreFaultKind.Unavailable,
            $"The MongoDB transaction could not be committed before the driver stopped running it again ({e.Message.TrimEnd('.')}); nothing was stored.", e),
        MongoException m when m.HasErrorLabel("UnknownTransactionCommitResult") => new(StoreFaultKind.Unavailable,
            $"The MongoDB transaction's commit did not answer before the driver stopped sending it again ({e.Message.TrimEnd('.')}); it may still be applied: read it back, or send it again.", e),
        // A read after a refused write waits for a majority to have what the write saw, within its maxTimeMS (MaxTimeMSExpired):
        // that majority did not answer in time, so the refusal's reason is not known to hold. (After the labels: a commit past its
        // time is one whose outcome is unknown.)
        MongoExecutionTimeoutException => new(StoreFaultKind.Unavailable,
            $"A majority of the MongoDB replica set did not answer in time ({e.Message.TrimEnd('.')}); nothing was stored: send it again.", e),
        // The driver's server-selection timeout is a plain TimeoutException; subclasses (a regex's match timeout) are not the store's.
        TimeoutException when e.GetType() == typeof(TimeoutException) => MongoUnavailable(e),
        _ => null,
    };

    private static StoreFaultException MongoUnavailable(Exception e) =>
        new(StoreFaultKind.Unavailable, $"The MongoDB replica set could not be reached or had no primary ({e.Message.TrimEnd('.')}).", e);
}

/// <summary>A store that cannot start, with the one line that says why (the host prints it and exits).</summary>
public sealed class StoreStartException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

public enum StoreFaultKind
{
    /// <summary>No space left (507 Insufficient Storage).</summary>
    Full,
    /// <summary>An I/O error, or the file turned read-only (503 Service Unavailable, Retry-After).</summary>
    Unavailable,
}

/// <summary>Whether the store's last write reached the disk; read by readiness, set by the store's writer.</summary>
public interface IStoreHealth
{
    /// <summary>The fault that failed the last write, or null while writes succeed.</summary>
    StoreFaultException? Fault { get; }

    /// <summary>Writes something small and durable, to learn whether the fault has gone (space freed, disk back); true when it has.</summary>
    Task<bool> ProbeWriteAsync(CancellationToken ct);
}

/// <summary>The health flag a writer keeps: every failed write that is a fault sets it, every committed batch clears it.</summary>
/// <param name="path">The store's file, whose volume's free space is noted when the disk fills.</param>
public sealed class StoreHealth(string? path = null)
{
    private StoreFaultException? fault;
    private long freeAtFault;

    public StoreFaultException? Fault => Volatile.Read(ref fault);

    /// <summary>
    /// Whether a trial write is worth making: a small write can succeed on a full disk (in pages the failed batch freed),
    /// so after a full disk only once the volume has at least a mebibyte more free than when it filled.
    /// </summary>
    public bool MayHaveRecovered => Fault is not { Kind: StoreFaultKind.Full } || FreeBytes() is not { } free || free > Volatile.Read(ref freeAtFault) + (1 << 20);

    private long? FreeBytes()
    {
        try
        {
            return path is null ? null : new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="e"/> if it is a fault, and returns what the caller should hear: the fault, or <paramref name="e"/> itself.</summary>
    public Exception Failed(Exception e)
    {
        if (StoreFaultException.From(e) is not { } found) return e;
        if (found.Kind == StoreFaultKind.Full) Volatile.Write(ref freeAtFault, FreeBytes() ?? 0);
        Volatile.Write(ref fault, found);
        return found;
    }

    public void Succeeded() => Volatile.Write(ref fault, null);
}

/// <summary>An online backup of a store that keeps its data in one file (the embedded store); MongoDB has its own tools.</summary>
public interface IStoreBackup
{
    /// <summary>
    /// Writes a consistent copy of the store as it is now into its backup directory, named by <paramref name="at"/>
    /// (<c>disclosure-20150114T080000Z-1a2b3c4d.db</c>), while it keeps serving; the copy is checked (SQLite's quick_check) and on
    /// disk before this returns.
    /// </summary>
    Task<BackupResult> BackupAsync(DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// The backups in the backup directory (the files named as <see cref="BackupAsync"/> names them, never the store's own file),
    /// newest first; none when the directory is not made yet. A directory that cannot be read throws <see cref="BackupDirectoryException"/>.
    /// </summary>
    IReadOnlyList<BackupFile> ListBackups();

    /// <summary>
    /// Makes the backup directory if it is missing and checks that this process can write a file in it, as a backup will;
    /// null when it can, else one line naming the directory, what failed and <c>Storage__Sqlite__BackupDirectory</c>.
    /// </summary>
    string? CheckBackupDirectory();
}

/// <param name="File">The file's name in the backup directory.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="WrittenAt">When it was written (the file's last write time).</param>
public sealed record BackupFile(string File, long Bytes, DateTimeOffset WrittenAt);

/// <summary>
/// The backup directory cannot be made or written (a path through a file, permissions, another volume missing): a matter of the
/// service's configuration, said with the directory and the setting, not a fault of the store, which goes on serving.
/// </summary>
public sealed class BackupDirectoryException(string directory, Exception inner)
    : IOException($"The backup directory '{directory}' cannot be written ({inner.Message.TrimEnd('.')}); nothing was copied, and the store " +
        "itself is unaffected. Set Storage__Sqlite__BackupDirectory to a directory this service may write, or mend its permissions.", inner);

/// <param name="Path">Where the copy was written.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Submissions">How many revisions it holds.</param>
/// <param name="Removed">The older backups deleted after it under <c>Storage:Sqlite:KeepBackups</c>, oldest first; none when that is 0.</param>
public sealed record BackupResult(string Path, long Bytes, long Submissions, IReadOnlyList<string> Removed);

/// <summary>The store's backup, when it has one of its own (null for MongoDB: mongodump and the replica set's own means).</summary>
public sealed record StoreBackups(IStoreBackup? Backup);
