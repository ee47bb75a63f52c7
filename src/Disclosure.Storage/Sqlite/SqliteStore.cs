using System.Text.Json;
using Disclosure.Catalogue;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a commit is on disk
/// before a caller hears of it. Writes go through one <see cref="SqliteWriter"/> (group commit); reads
/// open pooled connections of their own, which WAL lets run beside the writer.
/// </summary>
public sealed partial class SqliteStore(string connectionString, SqliteSettings settings) : IDisclosureStore, IStoreVersion, IAsyncDisposable, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
    private readonly SemaphoreSlim initialising = new(1, 1);
    private SqliteWriter? writer;
    private SqliteCheckpointer? checkpointer;
    private FileStream? ownership;
    private const int MaxPooledReaders = 32;
    private readonly System.Collections.Concurrent.ConcurrentBag<ReadConnection> readers = [];
    private bool disposed;
    private readonly Lock versionLock = new();
    private SqliteConnection? versionConnection;
    private SqliteCommand? versionCommand;

    private long WalLimitBytes => Math.Max(1, settings.WalLimitMegabytes) * 1024L * 1024L;

    private SqliteWriter Writer =>
        writer ?? throw new InvalidOperationException("The SQLite store is not initialised: await IStoreLifecycle.InitialiseAsync at start-up.");

    public async Task InitialiseAsync(CancellationToken ct)
    {
        await initialising.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (writer is not null) return;
            var builder = new SqliteConnectionStringBuilder(connectionString);
            // Reads open connections of their own; each in-memory connection would see its own empty database.
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is ":memory:" or "")
                throw new InvalidOperationException("The SQLite store needs a file (ConnectionStrings:Sqlite = \"Data Source=<path>\"); in-memory databases are not shared between its connections.");
            ownership = Own(builder.DataSource);
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            try
            {
                // journal_mode is stored in the file; synchronous and foreign_keys hold per connection, and
                // this is the only connection that writes.
                // wal_autocheckpoint = 0: the checkpointer copies the WAL back from its own connection instead of the
                // commit that happens to cross the threshold.
                Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; " +
                    $"PRAGMA journal_size_limit = {WalLimitBytes};");
                long version;
                using (var read = Sql.Create(connection, "PRAGMA user_version")) version = (long)read.ExecuteScalar()!;
                if (version > SqliteSchema.Version)
                    throw new InvalidOperationException($"The SQLite file has schema version {version}; this build reads up to {SqliteSchema.Version}. Run the newer build, or restore a backup.");
                // Version 1 had one row per cell and no totals, version 2 one row per cell: moved over in the
                // transaction that creates what is missing, so a file is either wholly old or wholly new.
                Execute(connection, "BEGIN IMMEDIATE");
                try
                {
                    Execute(connection, SqliteSchema.Create);
                    if (version is 1 or 2)
                    {
                        Execute(connection, Migration(connection));
                        SqliteTotals.Compute(connection, null, null);
                    }
                    Execute(connection, $"PRAGMA user_version = {SqliteSchema.Version}; COMMIT;");
                }
                catch
                {
                    Execute(connection, "ROLLBACK");
                    throw;
                }
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                await ownership.DisposeAsync().ConfigureAwait(false);
                ownership = null;
                throw;
            }
            long pageSize;
            using (var read = Sql.Create(connection, "PRAGMA page_size")) pageSize = (long)read.ExecuteScalar()!;
            var started = new SqliteWriter(connection, settings.MaxBatch);
            writer = started;
            // A WAL frame is a page and its 24-byte header.
            checkpointer = new SqliteCheckpointer(connectionString, TimeSpan.FromMilliseconds(settings.CheckpointIntervalMilliseconds),
                WalLimitBytes / (pageSize + 24), started.RequestWalRestart);
        }
        finally
        {
            initialising.Release();
        }
    }

    /// <summary>
    /// Takes the file for this process: an exclusive lock on <c>&lt;file&gt;.lock</c>, held until disposal and let go by the
    /// operating system if the process dies. Its single writer and its cache of valid keys assume that no other process
    /// writes the file (a key revoked there would still be cached here), so a second one is refused at start.
    /// </summary>
    private static FileStream Own(string dataSource)
    {
        var path = Path.GetFullPath(dataSource) + ".lock";
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException(
                $"The SQLite file '{dataSource}' is in use by another process ({path} is locked). The embedded store belongs to one " +
                "process: run one instance on it, or use MongoDB (ConnectionStrings__Mongo) for more.", e);
        }
    }

    /// <summary>
    /// What a file of version 1 or 2 needs, read from the file itself rather than assumed from its version: a file
    /// that an older build opened after this one (and marked version 2 again) already has some of it.
    /// </summary>
    private static string Migration(SqliteConnection connection)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var command = Sql.Create(connection, "SELECT name FROM pragma_table_info('submissions')"))
        using (var r = command.ExecuteReader())
            while (r.Read()) columns.Add(r.GetString(0));
        long perCell;
        using (var command = Sql.Create(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'submission_values'"))
            perCell = (long)command.ExecuteScalar()!;
        var script = new System.Text.StringBuilder();
        if (!columns.Contains("cells")) script.Append("ALTER TABLE submissions ADD COLUMN cells TEXT NOT NULL DEFAULT '{}';");
        if (!columns.Contains("derived")) script.Append("ALTER TABLE submissions ADD COLUMN derived TEXT;");
        if (!columns.Contains("previous")) script.Append("ALTER TABLE submissions ADD COLUMN previous INTEGER;");
        if (perCell > 0) script.Append(SqliteSchema.MoveCells);
        script.Append(SqliteSchema.ChainRevisions);
        return script.ToString();
    }

    /// <summary>
    /// Opens the file afresh — no pool, no creation — and reads its schema, so that a volume that went away (or a
    /// file that was moved) reads as unready instead of being hidden by the writer's open handle.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        if (writer is null) return false;
        try
        {
            var probe = new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString();
            await using var connection = new SqliteConnection(probe);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            using var command = Sql.Create(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'submissions'");
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false)) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>PRAGMA data_version</c> on a connection of its own that never writes: SQLite changes it whenever
    /// another connection (the writer, or another process) has committed since the last time it was asked.
    /// </summary>
    public ValueTask<long?> GetVersionAsync(CancellationToken ct)
    {
        lock (versionLock)
        {
            if (versionCommand is null)
            {
                versionConnection = new SqliteConnection(connectionString);
                versionConnection.Open();
                versionCommand = Sql.Create(versionConnection, "PRAGMA data_version");
            }
            return ValueTask.FromResult<long?>((long)versionCommand.ExecuteScalar()!);
        }
    }

    /// <summary>Asks the writer to start the WAL afresh before its next batch, as the checkpointer does past the WAL's limit (for tests).</summary>
    internal void RequestWalRestart() => Writer.RequestWalRestart();

    /// <summary>Runs one checkpoint now (tests use it instead of waiting for the interval).</summary>
    internal (int WalFrames, int Copied) CheckpointNow() =>
        (checkpointer ?? throw new InvalidOperationException("The SQLite store is not initialised.")).CheckpointOnce();

    // ---- reporters -------------------------------------------------------------------------------

    public Task<CreateStatus> CreateReporterAsync(Reporter reporter, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            var inserted = w.Command(
                "INSERT INTO reporters (id, name, kind, created_at) VALUES ($id, $name, $kind, $at) ON CONFLICT (id) DO NOTHING",
                reporter.Id, reporter.Name, StoredForm.Name(reporter.Kind), reporter.CreatedAt.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            return inserted == 1 ? (CreateStatus.Created, true) : (CreateStatus.Duplicate, false);
        }, ct);

    public async Task<Reporter?> GetReporterAsync(string id, CancellationToken ct)
    {
        var found = await QueryAsync("SELECT id, name, kind, created_at FROM reporters WHERE id = $id", [id], ReadReporter, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<Reporter>> ListReportersAsync(CancellationToken ct) =>
        QueryAsync("SELECT id, name, kind, created_at FROM reporters ORDER BY id", [], ReadReporter, ct);

    private static Reporter ReadReporter(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), StoredForm.ParseKind(r.GetString(2)), Time(r.GetInt64(3)));

    // ---- keys ------------------------------------------------------------------------------------

    private const string KeyColumns = "id, hash, role, reporter, created_at, revoked_at";

    public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            w.Command($"INSERT INTO api_keys ({KeyColumns}) VALUES ($id, $hash, $role, $reporter, $created, $revoked)",
                key.Id.ToString("D"), key.Hash, StoredForm.Name(key.Role), key.ReporterId,
                key.CreatedAt.ToUnixTimeMilliseconds(), key.RevokedAt?.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            return (true, true);
        }, ct);

    // Every request authenticates, and a read of the file after any commit starts on an emptied page cache (locks,
    // page reads): valid keys are kept in memory instead. The file belongs to this process (its one writer is here),
    // so every revocation passes through RevokeKeyAsync, which empties the cache once the revocation is durable. A
    // lookup that read the file before that only caches what it read if no revocation finished in between. A valid key's
    // answer is kept as a finished task, which the caller awaits at no cost: an async method would make one per answer.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<ApiKeyRecord?>> validKeys = new(StringComparer.Ordinal);
    private long revocations;

    public Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct) =>
        validKeys.TryGetValue(hash, out var known) ? known : FindUncachedKeyAsync(hash, ct);

    private async Task<ApiKeyRecord?> FindUncachedKeyAsync(string hash, CancellationToken ct)
    {
        var before = Interlocked.Read(ref revocations);
        var found = await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE hash = $hash AND revoked_at IS NULL", [hash], ReadKey, ct).ConfigureAwait(false);
        if (found.Count == 0) return null;
        if (Interlocked.Read(ref revocations) == before)
        {
            var answer = Task.FromResult<ApiKeyRecord?>(found[0]);
            validKeys.TryAdd(hash, answer);
            // A revocation may have counted and emptied the cache between the check and the add: then undo the add.
            // (If it counts after this second check, it empties the cache after the add.)
            if (Interlocked.Read(ref revocations) != before) validKeys.TryRemove(KeyValuePair.Create(hash, answer));
        }
        return found[0];
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) =>
        QueryAsync($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id", [], ReadKey, ct);

    public async Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct)
    {
        var revoked = await Writer.WriteAsync(w =>
        {
            var changed = w.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL",
                at.ToUnixTimeMilliseconds(), id.ToString("D")).ExecuteNonQuery();
            return (changed == 1, changed == 1);
        }, ct).ConfigureAwait(false);
        // Counted before the cache is emptied, so that a lookup in flight cannot put the revoked key back.
        Interlocked.Increment(ref revocations);
        validKeys.Clear();
        return revoked;
    }

    private static ApiKeyRecord ReadKey(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), r.GetString(1), StoredForm.ParseRole(r.GetString(2)), r.IsDBNull(3) ? null : r.GetString(3),
            Time(r.GetInt64(4)), r.IsDBNull(5) ? null : Time(r.GetInt64(5)));

    // ---- periods ---------------------------------------------------------------------------------

    public async Task<PeriodSettings> GetPeriodAsync(string catalogueId, string period, CancellationToken ct)
    {
        var found = await QueryAsync(
            "SELECT closed, closed_at, deadline, expected_reporters FROM periods WHERE catalogue = $catalogue AND period = $period",
            [catalogueId, period],
            r => new PeriodSettings(catalogueId, period, r.GetInt64(0) != 0,
                r.IsDBNull(1) ? null : Time(r.GetInt64(1)),
                r.IsDBNull(2) ? null : Time(r.GetInt64(2)),
                r.IsDBNull(3) ? null : JsonSerializer.Deserialize<List<string>>(r.GetString(3), Json)),
            ct).ConfigureAwait(false);
        return found.Count == 0 ? PeriodSettings.Open(catalogueId, period) : found[0];
    }

    public Task SavePeriodAsync(PeriodSettings settings, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            w.Command("""
                INSERT INTO periods (catalogue, period, closed, closed_at, deadline, expected_reporters)
                VALUES ($catalogue, $period, $closed, $closed_at, $deadline, $expected)
                ON CONFLICT (catalogue, period) DO UPDATE SET closed = excluded.closed, closed_at = excluded.closed_at,
                    deadline = excluded.deadline, expected_reporters = excluded.expected_reporters
                """,
                settings.CatalogueId, settings.Period, settings.Closed ? 1 : 0, settings.ClosedAt?.ToUnixTimeMilliseconds(),
                settings.Deadline?.ToUnixTimeMilliseconds(),
                settings.ExpectedReporters is null ? null : JsonSerializer.Serialize(settings.ExpectedReporters, Json)).ExecuteNonQuery();
            return (true, true);
        }, ct);

    // ---- submissions -----------------------------------------------------------------------------

    private const string SubmissionColumns = "seq, id, reporter, catalogue, period, revision, received_at, warnings, key_id, cells, derived";
    private const string RevisionColumns = "s.id, s.reporter, s.catalogue, s.period, s.revision, s.received_at";

    public async Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        // Conversions that can throw run here, on the caller's thread, not inside the shared batch; being async,
        // a refusal reaches the caller through the task like every other outcome.
        var stored = submission with
        {
            ReceivedAt = StoredForm.ToStoredTime(submission.ReceivedAt),
            Values = StoredForm.Normalise(submission.Values),
        };
        var cells = new Cells(stored.Values);
        // Most tables break no warning rule: their empty list is written without the serializer.
        var warnings = stored.Warnings.Count == 0 ? "[]" : JsonSerializer.Serialize(stored.Warnings, Json);
        return await Writer.WriteAsync(w => Append(w, stored, cells, warnings, expectedRevision, idempotency), ct, appendOnly: true).ConfigureAwait(false);
    }

    /// <summary>A table as the <c>cells</c> and <c>derived</c> columns hold it, and as its hundredths for the totals.</summary>
    internal sealed class Cells
    {
        public Cells(IReadOnlyList<StoredValue> values)
        {
            var codes = new string[values.Count];
            var hundredths = new long[values.Count];
            List<string>? derived = null;
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i];
                codes[i] = value.Code;
                hundredths[i] = StoredForm.ToHundredths(value.Value);
                if (value.Derived) (derived ??= []).Add(value.Code);
            }
            Repeated = FindRepeated(codes);
            Table = new SqliteCells(codes, hundredths);
            Json = Write(Table);
            Derived = derived is null ? null : JsonSerializer.Serialize(derived, SqliteStore.Json);
        }

        /// <summary>The codes seen so far, one set per thread and emptied after each table: every submission is built on a request thread.</summary>
        [ThreadStatic] private static HashSet<string>? Seen;

        /// <summary>
        /// Tables this thread found free of repeats, by their code strings. A table's codes are nearly always the very
        /// strings of one that came before (its catalogue's, in table order, with some cells left blank): codes that
        /// are those of a table without repeats, in its order and the same strings, leaving some out, repeat none.
        /// </summary>
        [ThreadStatic] private static string[]?[]? Clean;

        private static string? FindRepeated(string[] codes)
        {
            var clean = Clean ??= new string[]?[4];
            foreach (var known in clean)
                if (known is not null && IsSubsequenceOf(codes, known)) return null;
            var seen = Seen ??= new HashSet<string>(StringComparer.Ordinal);
            string? repeated = null;
            try
            {
                foreach (var code in codes)
                    if (!seen.Add(code)) repeated ??= code;
            }
            finally
            {
                // A set grown by an unusually long table is dropped rather than kept at that size for every later one.
                if (seen.Count > 256) Seen = null;
                else seen.Clear();
            }
            if (repeated is null && codes.Length <= 256)
            {
                // The longest are kept, as copies (the table's own array may become a head's, which the writer changes).
                var shortest = 0;
                for (var i = 1; i < clean.Length; i++)
                    if ((clean[i]?.Length ?? -1) < (clean[shortest]?.Length ?? -1)) shortest = i;
                if ((clean[shortest]?.Length ?? -1) < codes.Length) clean[shortest] = (string[])codes.Clone();
            }
            return repeated;
        }

        // Whether every code is the same string object as one of known's, in known's order.
        private static bool IsSubsequenceOf(string[] codes, string[] known)
        {
            if (codes.Length > known.Length) return false;
            var k = 0;
            foreach (var code in codes)
            {
                while (k < known.Length && !ReferenceEquals(known[k], code)) k++;
                if (k++ == known.Length) return false;
            }
            return true;
        }

        public SqliteCells Table { get; }
        /// <summary>The <c>cells</c> column as UTF-8 (bound as UTF-8 text, so never turned into UTF-16 and back).</summary>
        public byte[] Json { get; }
        public string? Derived { get; }
        /// <summary>A code the table gives twice (which the totals cannot take), or null.</summary>
        public string? Repeated { get; }

        internal static byte[] Write(SqliteCells cells)
        {
            // Codes are the catalogue's: letters, digits, '.', ':', '-' and '_', which JSON takes as they are. Such a table is
            // written straight into a buffer (the bytes Utf8JsonWriter writes, at a fraction of its cost per name); any
            // other code, which might need escaping, has the whole table written by Utf8JsonWriter.
            var bound = 2;
            foreach (var code in cells.Codes) bound += code.Length + 4 + 20;
            var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(bound);
            try
            {
                var at = 0;
                rented[at++] = (byte)'{';
                for (var i = 0; i < cells.Count; i++)
                {
                    if (i > 0) rented[at++] = (byte)',';
                    rented[at++] = (byte)'"';
                    // Checked and copied in one pass (a plain code's characters are its UTF-8 bytes).
                    foreach (var c in cells.Codes[i])
                    {
                        if (!IsPlain(c)) return WriteEscaped(cells);
                        rented[at++] = (byte)c;
                    }
                    rented[at++] = (byte)'"';
                    rented[at++] = (byte)':';
                    System.Buffers.Text.Utf8Formatter.TryFormat(cells.Hundredths[i], rented.AsSpan(at), out var written);
                    at += written;
                }
                rented[at++] = (byte)'}';
                return rented.AsSpan(0, at).ToArray();
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or '-' or '_';

        internal static byte[] WriteEscaped(SqliteCells cells)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(cells.Count * 24 + 2);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                for (var i = 0; i < cells.Count; i++) json.WriteNumber(cells.Codes[i], cells.Hundredths[i]);
                json.WriteEndObject();
            }
            return buffer.WrittenSpan.ToArray();
        }

        /// <summary>The <c>cells</c> column read back, in table order.</summary>
        public static SqliteCells Read(string json)
        {
            var codes = new List<string>();
            var hundredths = new List<long>();
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var code = reader.GetString()!;
                reader.Read();
                codes.Add(code);
                hundredths.Add(reader.GetInt64());
            }
            return new SqliteCells([.. codes], [.. hundredths]);
        }
    }

    private static (AppendResult, bool) Append(SqliteWriter w, Submission s, Cells cells, string warnings, int? expectedRevision, IdempotencyToken? idempotency)
    {
        // Everything the checks and the totals need: from the writer's cache, or else in one statement. This runs on the
        // single writer thread, where every statement saved is throughput.
        if (!w.Heads.TryGet(s.CatalogueId, s.Period, s.ReporterId, out var head, out var closed, out var known))
        {
            using var r = w.Command("""
                SELECT h.revision, h.kind, s.cells, h.seq,
                       (SELECT closed FROM periods WHERE catalogue = $catalogue AND period = $period),
                       (SELECT kind FROM reporters WHERE id = $reporter)
                FROM (SELECT 1) LEFT JOIN heads h ON h.catalogue = $catalogue AND h.period = $period AND h.reporter = $reporter
                                LEFT JOIN submissions s ON s.seq = h.seq
                """, s.CatalogueId, s.Period, s.ReporterId).ExecuteReader();
            r.Read();
            head = r.IsDBNull(3)
                ? SqliteHeads.None
                : new SqliteHeads.Head(r.GetInt64(3), (int)r.GetInt64(0), r.GetString(1), Cells.Read(r.GetString(2)));
            closed = !r.IsDBNull(4) && r.GetInt64(4) != 0;
            known = r.IsDBNull(5) ? null : r.GetString(5);
            if (known is not null) w.Heads.Learn(s.CatalogueId, s.Period, s.ReporterId, head, closed, known);
        }
        var current = head.Revision;

        if (idempotency is not null)
        {
            using var r = w.Command("SELECT seq, idem_hash FROM submissions WHERE idem_scope = $scope AND idem_key = $key",
                idempotency.Scope, idempotency.Key).ExecuteReader();
            if (r.Read())
            {
                var (seq, hash) = (r.GetInt64(0), r.GetString(1));
                r.Close();
                return hash == idempotency.RequestHash
                    ? (new AppendResult(AppendStatus.Replayed, ReadSubmission(w.Connection, "seq", seq), current), false)
                    : (new AppendResult(AppendStatus.IdempotencyMismatch, null, current), false);
            }
        }

        if (closed) return (new AppendResult(AppendStatus.PeriodClosed, null, current), false);
        if (expectedRevision is { } expected && expected != current) return (new AppendResult(AppendStatus.RevisionConflict, null, current), false);
        var reporterKind = known
            ?? throw new InvalidOperationException($"Reporter '{s.ReporterId}' is not registered; the registry check should have refused the submission.");

        var revision = current + 1;
        w.Statement("""
            INSERT INTO submissions (id, reporter, kind, catalogue, period, revision, received_at, warnings, key_id, idem_scope, idem_key, idem_hash, cells, derived, previous)
            VALUES ($id, $reporter, $kind, $catalogue, $period, $revision, $received_at, $warnings, $key_id, $idem_scope, $idem_key, $idem_hash, $cells, $derived, $previous)
            """)
            .Bind(1, (Guid?)s.Id).Bind(2, s.ReporterId).Bind(3, reporterKind).Bind(4, s.CatalogueId).Bind(5, s.Period).Bind(6, revision)
            .Bind(7, s.ReceivedAt.ToUnixTimeMilliseconds()).Bind(8, warnings).Bind(9, s.SubmittedByKey)
            .Bind(10, idempotency?.Scope).Bind(11, idempotency?.Key).Bind(12, idempotency?.RequestHash)
            .BindUtf8(13, cells.Json).Bind(14, cells.Derived).Bind(15, head.Seq)
            .Execute();
        // The row just inserted on this connection (cheaper than RETURNING, which SQLite buffers in a temporary table).
        var newSeq = SQLitePCL.raw.sqlite3_last_insert_rowid(w.Connection.Handle);

        // A head with a seq has its row (the writer's heads are the file's); an update is cheaper than an upsert.
        var moved = head.Seq is not null && w.Statement(
                "UPDATE heads SET kind = $kind, seq = $seq, revision = $revision WHERE catalogue = $catalogue AND period = $period AND reporter = $reporter")
            .Bind(1, reporterKind).Bind(2, newSeq).Bind(3, revision).Bind(4, s.CatalogueId).Bind(5, s.Period).Bind(6, s.ReporterId)
            .Execute() == 1;
        if (!moved)
            w.Statement("INSERT INTO heads (catalogue, period, reporter, kind, seq, revision) VALUES ($catalogue, $period, $reporter, $kind, $seq, $revision)")
                .Bind(1, s.CatalogueId).Bind(2, s.Period).Bind(3, s.ReporterId).Bind(4, reporterKind).Bind(5, newSeq).Bind(6, revision)
                .Execute();

        // After the rows, so that a table the totals cannot take (a code given twice) rolls back to its savepoint with them (a
        // batch run without savepoints is rolled back whole and run again with them).
        if (cells.Repeated is { } repeated)
            throw new InvalidOperationException($"Code '{repeated}' is given twice in the table of '{s.ReporterId}', {s.CatalogueId}, {s.Period}.");
        var table = cells.Table.SharingCodesWith(head.Cells);
        w.Totals.Replace(s.CatalogueId, s.Period, head.Kind, head.Cells, reporterKind, table);
        w.Heads.Replace(s.CatalogueId, s.Period, s.ReporterId, new SqliteHeads.Head(newSeq, revision, reporterKind, table));

        return (new AppendResult(AppendStatus.Created, s with { Revision = revision }, revision), true);
    }

    public async Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return ReadSubmission(connection, "id", id.ToString("D"));
    }

    private static Submission? ReadSubmission(SqliteConnection connection, string keyColumn, object key)
    {
        using var command = Sql.Create(connection, $"SELECT {SubmissionColumns} FROM submissions WHERE {keyColumn} = $key", key);
        using var r = command.ExecuteReader();
        if (!r.Read()) return null;
        var derived = r.IsDBNull(10) ? [] : JsonSerializer.Deserialize<HashSet<string>>(r.GetString(10), Json) ?? [];
        var table = Cells.Read(r.GetString(9));
        var values = new List<StoredValue>(table.Count);
        for (var i = 0; i < table.Count; i++)
            values.Add(new StoredValue(table.Codes[i], StoredForm.FromHundredths(table.Hundredths[i]), derived.Contains(table.Codes[i])));
        return new Submission(Guid.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
            Time(r.GetInt64(6)), values, JsonSerializer.Deserialize<List<Violation>>(r.GetString(7), Json) ?? [],
            r.IsDBNull(8) ? null : Guid.Parse(r.GetString(8)));
    }

    public Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct) =>
        QueryAsync(SqliteSchema.Revisions, [catalogueId, period, reporterId], ReadRevision, ct);

    public Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct) =>
        QueryAsync($"""
            SELECT {RevisionColumns} FROM heads h JOIN submissions s ON s.seq = h.seq
            WHERE h.catalogue = $catalogue AND h.period IN (SELECT value FROM json_each($periods))
            ORDER BY h.period, h.reporter
            """, [catalogueId, JsonSerializer.Serialize(periods, Json)], ReadRevision, ct);

    private static RevisionInfo ReadRevision(SqliteDataReader r, int offset) =>
        new(Guid.Parse(r.GetString(offset)), r.GetString(offset + 1), r.GetString(offset + 2), r.GetString(offset + 3), r.GetInt32(offset + 4), Time(r.GetInt64(offset + 5)));

    private static RevisionInfo ReadRevision(SqliteDataReader r) => ReadRevision(r, 0);

    public async Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct)
    {
        var kind = query.Kind is { } k ? StoredForm.Name(k) : null;
        var reporters = query.Reporters is null ? null : JsonSerializer.Serialize(query.Reporters, Json);
        var quarters = JsonSerializer.Serialize(query.QuarterPeriods, Json);
        var stock = JsonSerializer.Serialize(query.StockCodes, Json);
        var opening = JsonSerializer.Serialize(query.OpeningCodes, Json);

        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // One read transaction so that the cells and the contributions describe the same snapshot.
        Execute(connection, "BEGIN DEFERRED");
        try
        {
            return Aggregate(connection, query, kind, reporters, quarters, stock, opening);
        }
        finally
        {
            Execute(connection, "ROLLBACK");
        }
    }

    private static AggregateResult Aggregate(SqliteConnection connection, AggregateQuery query, string? kind, string? reporters, string quarters, string stock, string opening)
    {

        // A reporter contributes either its own head or its quarters, never both, so the two parts add up.
        var sums = new Dictionary<(string Code, string Kind), (long Hundredths, int Reporters)>();
        void Read(SqliteCommand command)
        {
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                var key = (r.GetString(0), r.GetString(1));
                var before = sums.GetValueOrDefault(key);
                sums[key] = (before.Hundredths + r.GetInt64(2), before.Reporters + r.GetInt32(3));
            }
        }
        // The whole district is kept up to date by the writer; a list of reporters is summed from their heads.
        using (var command = reporters is null
                   ? Sql.Create(connection, SqliteSchema.AggregateTotals, query.CatalogueId, query.Period, kind)
                   : Sql.Create(connection, SqliteSchema.AggregateOwn, query.CatalogueId, query.Period, kind, reporters))
            Read(command);
        if (query.QuarterPeriods.Count > 0)
            using (var command = Sql.Create(connection, SqliteSchema.AggregateQuarters, query.CatalogueId, quarters, kind, reporters, query.Period, stock, opening))
                Read(command);
        var cells = sums.Select(c => new AggregateCell(c.Key.Code, StoredForm.ParseKind(c.Key.Kind), StoredForm.FromHundredths(c.Value.Hundredths), c.Value.Reporters)).ToList();

        var heads = new List<(ReporterKind, RevisionInfo)>();
        using (var command = Sql.Create(connection, SqliteSchema.AggregateHeads, query.CatalogueId, query.Period, quarters, kind, reporters))
        using (var r = command.ExecuteReader())
            while (r.Read()) heads.Add((StoredForm.ParseKind(r.GetString(0)), ReadRevision(r, 1)));

        return new AggregateResult(StoredForm.Ordered(cells), StoredForm.Contributions(query.Period, heads));
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object?[] values, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var reader = readers.TryTake(out var pooled) ? pooled : new ReadConnection(connectionString);
        var list = new List<T>();
        try
        {
            using var r = reader.Command(sql, values).ExecuteReader();
            while (r.Read()) list.Add(read(r));
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        if (Volatile.Read(ref disposed) || readers.Count >= MaxPooledReaders) reader.Dispose();
        else readers.Add(reader);
        return Task.FromResult<IReadOnlyList<T>>(list);
    }

    /// <summary>
    /// A read connection that keeps its statements prepared. The hot reads — the key lookup of every request,
    /// the reporter check of every submission — ran on a fresh command each time, parsed and planned anew;
    /// pooled here, each is bound and stepped only. SQLite reads are synchronous, so nothing awaits while one is held.
    /// </summary>
    private sealed class ReadConnection : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        public ReadConnection(string connectionString)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
        }

        public SqliteCommand Command(string sql, object?[] values)
        {
            var command = Sql.Cached(commands, connection, sql, static (c, q) => Sql.Create(c, q));
            Sql.Bind(command, values);
            return command;
        }

        public void Dispose()
        {
            foreach (var command in commands.Values) command.Dispose();
            connection.Dispose();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref disposed, true);
        while (readers.TryTake(out var reader)) reader.Dispose();
        if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
        writer = null;
        if (checkpointer is not null) await checkpointer.DisposeAsync().ConfigureAwait(false);
        checkpointer = null;
        lock (versionLock)
        {
            versionCommand?.Dispose();
            versionConnection?.Dispose();
            versionCommand = null;
            versionConnection = null;
        }
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        if (ownership is not null) await ownership.DisposeAsync().ConfigureAwait(false);
        ownership = null;
    }

    // A container disposed synchronously must still drain the queue and close the file.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
