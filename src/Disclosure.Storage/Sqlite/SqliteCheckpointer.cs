using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file from a connection of its own, off the writer's path, instead of SQLite's
/// automatic checkpoint, whose copy and fsync fall on the commit that crosses its threshold and every append in that
/// group commit (perf/README.md). Durability does not change: a commit is durable once its WAL frames are synced, which
/// the writer still does before it answers.
/// </summary>
/// <remarks>
/// SQLite writes the WAL from the start again only when a write transaction begins with every frame copied, which a steady
/// stream of group commits never leaves: past its limit, this asks the writer to copy the few frames committed since,
/// between two batches. It syncs the database file itself after each pass that copied something, so that the fsync of
/// what it copied does not fall on the writer's thread.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private readonly long limitFrames;
    private readonly Action walOverLimit;
    private readonly SafeFileHandle databaseFile;
    private int copiedBefore;

    /// <summary><paramref name="databaseFile"/> is a handle on the database file, which this loop syncs (an fsync works through any handle of a file).</summary>
    public SqliteCheckpointer(string connectionString, SafeFileHandle databaseFile, TimeSpan interval, long limitFrames, Action walOverLimit)
    {
        this.limitFrames = limitFrames;
        this.walOverLimit = walOverLimit;
        this.databaseFile = databaseFile;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        // The copy into the database file must be synced before the WAL can be reused.
        using (var pragma = Sql.Create(connection, "PRAGMA synchronous = FULL;")) pragma.ExecuteNonQuery();
        loop = RunAsync(interval, stopping.Token);
    }

    /// <summary>
    /// One passive checkpoint (never waits for the writer or readers) and, if it copied frames, an fsync of the database
    /// file; then, if the WAL is past its limit, the request to the writer. Returns the WAL's frames, how many are now
    /// in the database file, and whether this pass synced it.
    /// </summary>
    public (int WalFrames, int Copied, bool Synced) CheckpointOnce()
    {
        int frames, copied;
        using (var command = Sql.Create(connection, "PRAGMA wal_checkpoint(PASSIVE);"))
        {
            using var r = command.ExecuteReader();
            r.Read();
            (frames, copied) = (r.GetInt32(1), r.GetInt32(2));
        }
        var sync = copied != copiedBefore && copied > 0;
        if (sync) RandomAccess.FlushToDisk(databaseFile);
        copiedBefore = copied;
        if (frames >= limitFrames) walOverLimit();
        return (frames, copied, sync);
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    CheckpointOnce();
                }
                catch (Exception e) when (e is SqliteException or IOException)
                {
                    // A busy or vanished file, or a failed sync: the next tick tries again; readiness reports a store that went away.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        try
        {
            CheckpointOnce();
        }
        catch (SqliteException)
        {
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
