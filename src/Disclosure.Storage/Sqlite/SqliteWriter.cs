using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The one connection that writes, with group commit: every write waiting when the loop comes round runs
/// inside one transaction, the transaction commits once (one fsync under <c>synchronous=FULL</c>), and only then
/// is each caller answered. A write that fails or refuses rolls back alone, to a SAVEPOINT of its own; the others
/// in the batch still commit. (A batch of appends runs without savepoints, and again with them only if one of its
/// appends throws.) One writer also means revisions are serialised without SQLITE_BUSY retries.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly int maxBatch;
    private readonly Channel<WriteOp> queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly Task loop;
    private readonly Func<string?> stillAt;

    /// <summary>
    /// Starts the loop on <paramref name="connection"/>, at most <paramref name="maxBatch"/> writes a commit, each batch
    /// only while <paramref name="stillAt"/> says the database file is where the store opened it (<see cref="SqliteFileGuard.StillAt"/>).
    /// </summary>
    public SqliteWriter(SqliteConnection connection, int maxBatch, Func<string?> stillAt)
    {
        this.connection = connection;
        this.maxBatch = Math.Max(1, maxBatch);
        this.stillAt = stillAt;
        Health = new StoreHealth(connection.DataSource);
        loop = Task.Run(RunAsync);
    }

    public SqliteConnection Connection => connection;

    private long commits;
    private bool batchKept;

    /// <summary>
    /// How many batches this writer has committed that kept a write; moves before their callers are answered. A batch of
    /// refusals alone stored nothing, so it leaves the store's version, and the aggregates cached on it, as they were.
    /// </summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>The district totals the running batch changes; written once, just before its COMMIT.</summary>
    public SqliteTotals Totals { get; } = new();

    /// <summary>What appends check, as this writer's transaction sees it.</summary>
    public SqliteHeads Heads { get; } = new();

    /// <summary>Whether the last batch reached the disk (a full disk, an I/O error); read by readiness.</summary>
    public StoreHealth Health { get; }

    /// <summary>
    /// Queues <paramref name="work"/>; it returns its result and whether to keep what it wrote. The task
    /// completes after the commit that made the work durable (or after its savepoint was rolled back).
    /// Cancellation is honoured only while the work is still queued: once running, it completes.
    /// <paramref name="refusesBeforeWriting"/> says that the work keeps nothing only when it has written nothing, so
    /// that a batch of such work needs no savepoints (see <see cref="TryRunBare"/>).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, (T Result, bool Keep)> work, CancellationToken ct, bool refusesBeforeWriting = false)
    {
        var op = new WriteOp<T>(work, ct, refusesBeforeWriting);
        if (!queue.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(SqliteStore));
        return op.Task;
    }

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, kept for the life of the connection, its parameters bound
    /// in order of first appearance; with no values given, the caller binds them itself.
    /// </summary>
    public SqliteCommand Command(string sql, params object?[] values)
    {
        var command = Sql.Cached(commands, connection, sql);
        if (values.Length > 0 || command.Parameters.Count == 0) Sql.Bind(command, values);
        return command;
    }

    private volatile bool restartWal;

    /// <summary>
    /// Asks for the WAL to be started afresh: before its next batch the writer copies the frames committed since the
    /// checkpointer's last pass (a passive checkpoint on its own connection, which no write can overlap), so that the
    /// batch's BEGIN finds the WAL wholly copied and SQLite writes it from the start again, cut to
    /// <c>journal_size_limit</c>. A reader still on an older snapshot, or a checkpoint running, puts it off to the next request.
    /// </summary>
    public void RequestWalRestart() => restartWal = true;

    private async Task RunAsync()
    {
        var batch = new List<WriteOp>(maxBatch);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Behind the work already queued on the thread pool: under load that is requests about to queue appends of
            // their own, which then share this batch's fsync. Idle, the queue is empty and the batch starts at once.
            await Task.Yield();
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var op))
                if (op.TryStart()) batch.Add(op);
            if (batch.Count == 0) continue;
            if (restartWal)
            {
                restartWal = false;
                // Straight to SQLite: SQLITE_BUSY (the checkpointer is copying) is an answer here, not something to retry.
                SQLitePCL.raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            }
            RunBatch(batch);
        }
    }

    private void RunBatch(List<WriteOp> batch)
    {
        try
        {
            ThrowIfMoved();
            batchKept = false;
            Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            if (!batch.TrueForAll(op => op.RefusesBeforeWriting) || !TryRunBare(batch)) RunGuarded(batch);
            Totals.Write(this);
            Command("COMMIT").ExecuteNonQuery();
            // Moved while the batch ran: it went to a file no restart finds, so nobody is told it is stored.
            ThrowIfMoved();
            if (batchKept) Interlocked.Increment(ref commits);
        }
        catch (Exception e)
        {
            // Nothing of this batch is stored: every caller learns so, none is told a write is durable.
            Totals.Reset();
            Heads.Clear();
            try { Command("ROLLBACK").ExecuteNonQuery(); }
            catch (SqliteException) { /* no transaction was open: BEGIN itself failed */ }
            foreach (var op in batch) op.Fail(Health.Failed(op.Failed ?? e));
            return;
        }
        Health.Succeeded();
        foreach (var op in batch)
            if (op.Failed is { } failed) op.Fail(Health.Failed(failed));
            else op.Complete();
    }

    /// <summary>Whether the database file is still where the store opened it (readiness asks, so a replaced file is met before a write).</summary>
    public bool FileStillThere => stillAt() is null;

    /// <summary>A fault when the database file was deleted or replaced under the store, or cannot be reached: readiness turns 503 and every write is refused.</summary>
    private void ThrowIfMoved()
    {
        if (stillAt() is { } why)
            throw new StoreFaultException(StoreFaultKind.Unavailable,
                "Nothing was stored. " + why,
                new IOException($"'{connection.DataSource}' no longer leads to the file the store opened."));
    }

    /// <summary>
    /// Runs a batch of writes that refuse only before they write anything (appends) without a savepoint each: only one
    /// that throws can leave rows to undo, and then the whole transaction is rolled back, a new one begun, and false
    /// returned, for the batch to run again guarded.
    /// </summary>
    private bool TryRunBare(List<WriteOp> batch)
    {
        foreach (var op in batch)
        {
            bool keep;
            try
            {
                keep = op.Run(this);
            }
            catch (Exception)
            {
                Totals.Reset();
                Heads.Clear();
                batchKept = false;
                Command("ROLLBACK").ExecuteNonQuery();
                Command("BEGIN IMMEDIATE").ExecuteNonQuery();
                return false;
            }
            Settle(keep);
        }
        return true;
    }

    /// <summary>What the running write changed in the totals and the heads joins the batch, or goes with it.</summary>
    private void Settle(bool keep)
    {
        batchKept |= keep;
        if (keep)
        {
            Totals.Keep();
            Heads.Keep();
        }
        else
        {
            Totals.Discard();
            Heads.Discard();
        }
    }

    /// <summary>Runs each write in a savepoint of its own: one that fails or refuses is rolled back alone.</summary>
    private void RunGuarded(List<WriteOp> batch)
    {
        foreach (var op in batch)
        {
            Command("SAVEPOINT op").ExecuteNonQuery();
            bool keep;
            try
            {
                keep = op.Run(this);
            }
            catch (Exception e)
            {
                op.Failed = e;
                keep = false;
            }
            Settle(keep);
            if (!keep) Command("ROLLBACK TO op").ExecuteNonQuery();
            if (!op.RefusesBeforeWriting) Heads.Clear();
            Command("RELEASE op").ExecuteNonQuery();
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        foreach (var command in commands.Values) command.Dispose();
        commands.Clear();
        SqliteConnection.ClearPool(connection);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private abstract class WriteOp(bool refusesBeforeWriting)
    {
        public bool RefusesBeforeWriting => refusesBeforeWriting;
        public Exception? Failed { get; set; }
        public abstract bool TryStart();
        public abstract bool Run(SqliteWriter writer);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class WriteOp<T>(Func<SqliteWriter, (T Result, bool Keep)> work, CancellationToken ct, bool refusesBeforeWriting) : WriteOp(refusesBeforeWriting)
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T result = default!;

        public Task<T> Task => completion.Task;

        public override bool TryStart()
        {
            if (!ct.IsCancellationRequested) return true;
            completion.TrySetCanceled(ct);
            return false;
        }

        public override bool Run(SqliteWriter writer)
        {
            (result, var keep) = work(writer);
            return keep;
        }

        public override void Complete() => completion.TrySetResult(result);
        public override void Fail(Exception e) => completion.TrySetException(e);
    }
}

/// <summary>Commands with positional binding: parameters are the <c>$names</c> of the SQL in order of first appearance.</summary>
internal static partial class Sql
{
    public static SqliteCommand Create(SqliteConnection connection, string sql, params object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        if (values.Length > 0) Bind(command, values);
        return command;
    }

    /// <summary>The command for <paramref name="sql"/> kept in <paramref name="cache"/> for <paramref name="connection"/>, created on first use.</summary>
    public static SqliteCommand Cached(Dictionary<string, SqliteCommand> cache, SqliteConnection connection, string sql)
    {
        if (!cache.TryGetValue(sql, out var cached)) cache[sql] = cached = Create(connection, sql);
        return cached;
    }

    /// <summary>The whole number the first column of the first row holds.</summary>
    public static long Scalar(SqliteConnection connection, string sql, params object?[] values)
    {
        using var command = Create(connection, sql, values);
        return (long)command.ExecuteScalar()!;
    }

    public static void Bind(SqliteCommand command, object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"The command takes {command.Parameters.Count} values, {values.Length} were given.", nameof(values));
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    [GeneratedRegex(@"\$[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Parameter();
}
