using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file from a connection of its own, off the writer's path. With SQLite's
/// automatic checkpoint the commit that crosses 1 000 WAL pages does the copying and its fsync itself, and every
/// append in that group commit waits for it (perf/README.md). Durability does not change: a commit
/// is durable once its WAL frames are synced, which the writer still does before it answers.
/// </summary>
/// <remarks>
/// Copying is not enough to keep the WAL small: SQLite writes it from the start again only when a write transaction
/// begins while every frame has been copied, and under a steady stream of group commits that moment never comes.
/// Once the WAL is past its limit, this asks the writer
/// to copy the few frames committed since, between two of its batches.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private readonly long limitFrames;
    private readonly Action walOverLimit;

    public SqliteCheckpointer(string connectionString, TimeSpan interval, long limitFrames, Action walOverLimit)
    {
        this.limitFrames = limitFrames;
        this.walOverLimit = walOverLimit;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        // The copy into the database file must be synced before the WAL can be reused.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }
        loop = RunAsync(interval, stopping.Token);
    }

    /// <summary>
    /// One passive checkpoint (never waits for the writer or readers), then, if the WAL is past its limit, the request to
    /// the writer; returns the WAL's frames and how many are now in the database file.
    /// </summary>
    public (int WalFrames, int Copied) CheckpointOnce()
    {
        int frames, copied;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var r = command.ExecuteReader();
            r.Read();
            (frames, copied) = (r.GetInt32(1), r.GetInt32(2));
        }
        if (frames >= limitFrames) walOverLimit();
        return (frames, copied);
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
                catch (SqliteException)
                {
                    // A busy or vanished file: the next tick tries again; readiness reports a store that went away.
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
