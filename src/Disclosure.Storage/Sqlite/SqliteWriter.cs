using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The one connection that writes, with group commit: every write waiting when the loop comes round runs
/// inside one transaction, the transaction commits once (one fsync under <c>synchronous=FULL</c>), and only
/// then is each caller answered. A write that fails or refuses rolls back alone, to its own SAVEPOINT; the
/// others in the batch still commit. (A batch of appends alone runs without savepoints first, and again with
/// them only if one of its appends throws.) One writer also means revisions are serialised without
/// SQLITE_BUSY retries.
/// </summary>
internal sealed partial class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly int maxBatch;
    private readonly Channel<WriteOp> queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> statements = new(StringComparer.Ordinal);
    private readonly Task loop;

    public SqliteWriter(SqliteConnection connection, int maxBatch)
    {
        this.connection = connection;
        this.maxBatch = Math.Max(1, maxBatch);
        Health = new StoreHealth(connection.DataSource);
        loop = Task.Run(RunAsync);
    }

    public SqliteConnection Connection => connection;

    /// <summary>The district totals the running batch changes; written once, just before its COMMIT.</summary>
    public SqliteTotals Totals { get; } = new();

    /// <summary>What appends check, as this writer's transaction sees it; emptied by every other kind of write.</summary>
    public SqliteHeads Heads { get; } = new();

    /// <summary>Whether the last batch reached the disk (a full disk, an I/O error); read by readiness.</summary>
    public StoreHealth Health { get; }

    /// <summary>
    /// Queues <paramref name="work"/>; it returns its result and whether to keep what it wrote. The task
    /// completes after the commit that made the work durable (or after its savepoint was rolled back).
    /// Cancellation is honoured only while the work is still queued: once running, it completes.
    /// Unless <paramref name="appendOnly"/> says the work changes nothing but submissions and heads, records its
    /// head in <see cref="Heads"/>, and refuses (keeps nothing) only before it writes anything, the head cache is emptied
    /// after it; a batch of such appends runs without a savepoint each, unless one throws.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, (T Result, bool Keep)> work, CancellationToken ct, bool appendOnly = false)
    {
        var op = new WriteOp<T>(work, ct, appendOnly);
        if (!queue.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(SqliteStore));
        return op.Task;
    }

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, kept for the life of the connection, its parameters bound
    /// in order of first appearance; with no values given, the caller binds them itself.
    /// </summary>
    public SqliteCommand Command(string sql, params object?[] values)
    {
        var command = Sql.Cached(commands, connection, sql, static (c, q) => Sql.Create(c, q));
        if (values.Length > 0 || command.Parameters.Count == 0) Sql.Bind(command, values);
        return command;
    }

    /// <summary>
    /// A statement for the path every append takes, prepared once and run straight through SQLitePCL: a command's
    /// <c>ExecuteNonQuery</c> costs a data reader, a binder object per value and a UTF-8 copy of each string, on the one
    /// thread that every append waits for.
    /// </summary>
    public RawStatement Statement(string sql) => Sql.Cached(statements, connection, sql, static (c, q) => new RawStatement(c, q));

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
            // their own, which then share this batch's fsync (about 25 appends per commit in the load test instead of
            // 10). Idle, the queue is empty and the batch starts at once.
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
            // BEGIN and COMMIT stay commands: Microsoft.Data.Sqlite retries SQLITE_BUSY on them, which the savepoints cannot meet.
            Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            if (!batch.TrueForAll(static op => op.AppendOnly) || !TryRunBare(batch)) RunGuarded(batch);
            Totals.Write(this);
            Command("COMMIT").ExecuteNonQuery();
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

    /// <summary>
    /// Runs a batch of appends without a savepoint each: two statements fewer per append, on the one thread every append
    /// waits for. An append refuses before it writes anything, so only one that throws can leave rows to undo; then the
    /// whole transaction is rolled back, a new one begun, and false returned, for the batch to run again guarded.
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
                Command("ROLLBACK").ExecuteNonQuery();
                Command("BEGIN IMMEDIATE").ExecuteNonQuery();
                return false;
            }
            Settle(keep);
        }
        return true;
    }

    /// <summary>Runs each write in its own savepoint: one that fails or refuses is rolled back alone.</summary>
    private void RunGuarded(List<WriteOp> batch)
    {
        foreach (var op in batch)
        {
            Statement("SAVEPOINT op").Execute();
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
            if (!keep) Statement("ROLLBACK TO op").Execute();
            Settle(keep);
            if (!op.AppendOnly) Heads.Clear();
            Statement("RELEASE op").Execute();
        }
    }

    /// <summary>What the running write changed in the totals and heads joins the batch, or goes with it.</summary>
    private void Settle(bool keep)
    {
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

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        foreach (var command in commands.Values) command.Dispose();
        commands.Clear();
        foreach (var statement in statements.Values) statement.Dispose();
        statements.Clear();
        SqliteConnection.ClearPool(connection);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private abstract class WriteOp(bool appendOnly)
    {
        public bool AppendOnly => appendOnly;
        public Exception? Failed { get; set; }
        public abstract bool TryStart();
        public abstract bool Run(SqliteWriter writer);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class WriteOp<T>(Func<SqliteWriter, (T Result, bool Keep)> work, CancellationToken ct, bool appendOnly) : WriteOp(appendOnly)
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

/// <summary>
/// A prepared statement run through SQLitePCL directly, its parameters bound by position (the <c>$names</c> of the SQL
/// in order of first appearance, as SQLite numbers them). Errors are thrown as Microsoft.Data.Sqlite's
/// <see cref="SqliteException"/>, so callers handle them as they do a command's.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly SQLitePCL.sqlite3 db;
    private readonly SQLitePCL.sqlite3_stmt statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = SQLitePCL.raw.sqlite3_prepare_v3(db, sql, SQLitePCL.raw.SQLITE_PREPARE_PERSISTENT, out statement);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Binds parameter <paramref name="position"/> (from 1).</summary>
    public RawStatement Bind(int position, long value) => Checked(SQLitePCL.raw.sqlite3_bind_int64(statement, position, value));

    /// <summary>Binds a number, or NULL.</summary>
    public RawStatement Bind(int position, long? value) =>
        value is { } number ? Bind(position, number) : Checked(SQLitePCL.raw.sqlite3_bind_null(statement, position));

    /// <summary>
    /// Binds text, or NULL, as the file's UTF-8: a short string encoded on the stack (SQLite's own conversion of UTF-16,
    /// character by character into memory it allocates, cost more), a long one passed as UTF-16 for SQLite to convert.
    /// </summary>
    public RawStatement Bind(int position, string? value)
    {
        if (value is null) return Checked(SQLitePCL.raw.sqlite3_bind_null(statement, position));
        if (value.Length > MaxStackChars) return Checked(SQLitePCL.raw.sqlite3_bind_text16(statement, position, value));
        Span<byte> utf8 = stackalloc byte[MaxStackChars * 3];
        return BindUtf8(position, utf8[..System.Text.Encoding.UTF8.GetBytes(value, utf8)]);
    }

    private const int MaxStackChars = 256;

    /// <summary>Binds an id as the text of its "D" format, written on the stack.</summary>
    public RawStatement Bind(int position, Guid? value)
    {
        if (value is not { } id) return Checked(SQLitePCL.raw.sqlite3_bind_null(statement, position));
        Span<byte> utf8 = stackalloc byte[36];
        return id.TryFormat(utf8, out var written, "D") ? BindUtf8(position, utf8[..written]) : Bind(position, id.ToString("D"));
    }

    /// <summary>Binds text that is already UTF-8.</summary>
    public RawStatement BindUtf8(int position, ReadOnlySpan<byte> value) => Checked(SQLitePCL.raw.sqlite3_bind_text(statement, position, value));

    /// <summary>Runs the statement to its end, leaves it reset and unbound for the next use, and returns the rows it changed.</summary>
    public int Execute()
    {
        var rc = SQLitePCL.raw.sqlite3_step(statement);
        try
        {
            SqliteException.ThrowExceptionForRC(rc, db);
            return SQLitePCL.raw.sqlite3_changes(db);
        }
        finally
        {
            SQLitePCL.raw.sqlite3_reset(statement);
            SQLitePCL.raw.sqlite3_clear_bindings(statement);
        }
    }

    private RawStatement Checked(int rc)
    {
        SqliteException.ThrowExceptionForRC(rc, db);
        return this;
    }

    public void Dispose() => statement.Dispose();
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

    /// <summary>The cached <typeparamref name="T"/> for <paramref name="sql"/> on <paramref name="connection"/>, created on first use.</summary>
    public static T Cached<T>(Dictionary<string, T> cache, SqliteConnection connection, string sql, Func<SqliteConnection, string, T> create)
    {
        if (!cache.TryGetValue(sql, out var cached)) cache[sql] = cached = create(connection, sql);
        return cached;
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
