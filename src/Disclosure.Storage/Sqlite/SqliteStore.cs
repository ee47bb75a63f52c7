using System.Text.Json;
using Disclosure.Catalogue;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a commit is on disk
/// before a caller hears of it. Writes go through one <see cref="SqliteWriter"/> (group commit); reads
/// open pooled connections of their own, which WAL lets run beside the writer.
/// </summary>
public sealed partial class SqliteStore(string connectionString, SqliteSettings settings) : IDisclosureStore, IStoreStartReport, IAsyncDisposable, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
    private readonly SemaphoreSlim initialising = new(1, 1);
    private SqliteWriter? writer;
    private SqliteCheckpointer? checkpointer;
    private FileStream? ownership;

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
            if (string.IsNullOrWhiteSpace(builder.DataSource))
                throw new InvalidOperationException("ConnectionStrings:Sqlite names no file: set it to \"Data Source=<path>\", or leave it out for disclosure.db beside the service.");
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is ":memory:")
                throw new InvalidOperationException("The SQLite store needs a file (ConnectionStrings:Sqlite = \"Data Source=<path>\"); in-memory databases are not shared between its connections.");
            if (builder.Mode == SqliteOpenMode.ReadOnly)
                throw new InvalidOperationException("ConnectionStrings:Sqlite sets Mode=ReadOnly, but the store writes its file: leave Mode out.");
            ownership = SqliteFileGuard.Take(builder.DataSource, out var created);
            var path = Path.GetFullPath(builder.DataSource);
            Opened = $"Store: SQLite file {path} ({(created ? "created new" : "existing")}), schema version {SqliteSchema.Version}";
            Cautions = created ? [] : SqliteFileGuard.Exposed(path);
            var walLeft = !created && SqliteFileGuard.WalLeft(builder.DataSource);
            var connection = new SqliteConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                if (!created) SqliteFileGuard.CheckIntact(connection, builder.DataSource, walLeft);
                // Read before anything is set: journal_mode is kept in the file, and a file refused here is left as it was.
                var version = Sql.Scalar(connection, "PRAGMA user_version");
                if (version is >= 1 && version < SqliteSchema.Version)
                    Opened = $"Store: SQLite file {path} (existing, moved from schema version {version}), schema version {SqliteSchema.Version}";
                if (ForeignTables(connection) is [_, ..] foreign)
                    throw new StoreStartException($"The SQLite file '{path}' is another application's database (tables {string.Join(", ", foreign)}), " +
                        "not a Disclosure store: it was left as it is. Point ConnectionStrings__Sqlite at the store's file, or at a path where none exists yet.");
                if (version > SqliteSchema.Version)
                    throw new StoreStartException($"The SQLite file '{path}' has schema version {version}; this build reads up to {SqliteSchema.Version}. Run the newer build, or restore a backup.");
                // synchronous and foreign_keys hold per connection, and this is the only one that writes. wal_autocheckpoint = 0: the
                // checkpointer copies the WAL back from its own connection. The page cache stays at SQLite's default size: a larger
                // one costs a walk of its whole hash table at every COMMIT (perf/README.md).
                Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; " +
                    $"PRAGMA journal_size_limit = {WalLimitBytes};");
                // Earlier versions (SqliteSchema.Version) are moved over in the transaction that creates what is missing, so a
                // file is either wholly old or wholly new. BEGIN IMMEDIATE; disposed without Commit, it rolls back.
                using (var transaction = connection.BeginTransaction())
                {
                    var hundredths = version is >= 1 and <= 3;
                    if (hundredths) Execute(connection, "DROP TABLE IF EXISTS totals");
                    Execute(connection, SqliteSchema.Create);
                    if (version is 1 or 2) Execute(connection, Migration(connection));
                    if (hundredths)
                    {
                        FromHundredths(connection);
                        SqliteTotals.Compute(connection, null, null);
                    }
                    foreach (var (before, table, column, type) in AddedColumns)
                        if (version >= 1 && version < before && !HasColumn(connection, table, column))
                            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
                    // Version 10 lets an audit entry have no key (an address refused for too many wrong ones). SQLite cannot drop a
                    // NOT NULL, so the table versions 8 and 9 made is renamed, made again by the schema, and copied over. Its indexes
                    // are dropped first: renamed with it, they would keep their names, and the schema's IF NOT EXISTS make none for the new one.
                    if (version is >= 8 and < 10 && AuditKeyRequired(connection))
                    {
                        Execute(connection, "DROP INDEX IF EXISTS audit_key; DROP INDEX IF EXISTS audit_reporter; DROP INDEX IF EXISTS audit_at; ALTER TABLE audit RENAME TO audit_v9");
                        Execute(connection, SqliteSchema.Create);
                        Execute(connection, $"INSERT INTO audit ({AuditColumns}) SELECT {AuditColumns} FROM audit_v9; DROP TABLE audit_v9");
                    }
                    // Version 11 keeps reporters' names normalised and unique; an earlier file may hold two of one name, which the
                    // unique index would refuse: they are told apart first (UniqueNames).
                    if (version is >= 1 and < 11) RenamedReporters = UniqueReporterNames(connection);
                    Execute(connection, SqliteSchema.ReporterNameIndex);
                    if (version is >= 1 and < 12) Execute(connection, SqliteSchema.NameClosedPeriods);
                    if (version is >= 1 and < 15) Execute(connection, SqliteSchema.FirstClosedPeriods);
                    Execute(connection, $"PRAGMA user_version = {SqliteSchema.Version}");
                    transaction.Commit();
                }
            }
            catch (Exception e)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                await ownership.DisposeAsync().ConfigureAwait(false);
                ownership = null;
                // A file this start made and could not make a store of is taken away, so that the next start does not meet an empty
                // file and refuse it as not a store.
                if (created) SqliteFileGuard.Remove(path);
                if (SqliteFileGuard.Explain(e, builder.DataSource, walLeft) is { } explained) throw explained;
                throw;
            }
            var pageSize = Sql.Scalar(connection, "PRAGMA page_size");
            var started = new SqliteWriter(connection, settings.MaxBatch, SqliteFileGuard.StillAt(builder.DataSource));
            writer = started;
            // A WAL frame is a page and its 24-byte header.
            checkpointer = new SqliteCheckpointer(connectionString, ownership.SafeFileHandle, TimeSpan.FromMilliseconds(settings.CheckpointIntervalMilliseconds),
                WalLimitBytes / (pageSize + 24), started.RequestWalRestart);
        }
        finally
        {
            initialising.Release();
        }
    }

    /// <summary>The columns a file of a version before <c>Before</c> gains.</summary>
    private static readonly (int Before, string Table, string Column, string Type)[] AddedColumns =
    [
        (5, "reporters", "retired_from", "TEXT"), (5, "submissions", "sent_at", "INTEGER"), (6, "reporters", "contact", "TEXT"),
        (7, "api_keys", "label", "TEXT"), (9, "api_keys", "expires_at", "INTEGER"), (10, "submissions", "note", "TEXT"),
        (12, "periods", "reporter_names", "TEXT"), (12, "periods", "version", "INTEGER NOT NULL DEFAULT 0"),
        (15, "periods", "first_closed_at", "INTEGER"),
    ];

    /// <summary>
    /// What a file of version 1 or 2 needs, read from the file itself rather than assumed from its version: a file
    /// that an older build opened after this one (and marked version 2 again) already has some of it.
    /// </summary>
    private static string Migration(SqliteConnection connection)
    {
        var perCell = Sql.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'submission_values'");
        var script = new System.Text.StringBuilder();
        if (!HasColumn(connection, "submissions", "cells")) script.Append("ALTER TABLE submissions ADD COLUMN cells TEXT NOT NULL DEFAULT '{}';");
        if (!HasColumn(connection, "submissions", "derived")) script.Append("ALTER TABLE submissions ADD COLUMN derived TEXT;");
        if (perCell > 0) script.Append(SqliteSchema.MoveCells);
        return script.ToString();
    }

    private static IReadOnlyList<ReporterRename> UniqueReporterNames(SqliteConnection connection)
    {
        List<Reporter> reporters;
        using (var read = Sql.Create(connection, $"SELECT {ReporterColumns} FROM reporters")) reporters = Rows(read, ReadReporter);
        using var update = Sql.Create(connection, "UPDATE reporters SET name = $name WHERE id = $id");
        var renamed = UniqueNames.Renamed(reporters);
        foreach (var rename in renamed)
        {
            Sql.Bind(update, [rename.NewName, rename.Id]);
            update.ExecuteNonQuery();
        }
        return renamed;
    }

    /// <summary>The reporters this start renamed, moving a file of a build before unique names over (see <see cref="UniqueNames"/>).</summary>
    public IReadOnlyList<ReporterRename> RenamedReporters { get; private set; } = [];

    /// <inheritdoc/>
    public string Opened { get; private set; } = "Store: SQLite, not opened";

    /// <inheritdoc/>
    public IReadOnlyList<string> Cautions { get; private set; } = [];

    private static bool AuditKeyRequired(SqliteConnection connection) =>
        Sql.Scalar(connection, "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'key_id' AND \"notnull\" = 1") == 1;

    private static bool HasColumn(SqliteConnection connection, string table, string column) =>
        Sql.Scalar(connection, "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column", table, column) == 1;

    /// <summary>Rewrites every <c>cells</c> column of integer hundredths (schema version 3 and before) as exact decimals.</summary>
    private static void FromHundredths(SqliteConnection connection)
    {
        List<(long Seq, string Cells)> rows;
        using (var read = Sql.Create(connection, "SELECT seq, cells FROM submissions")) rows = Rows(read, r => (r.GetInt64(0), r.GetString(1)));
        using var update = Sql.Create(connection, "UPDATE submissions SET cells = $cells WHERE seq = $seq");
        foreach (var (seq, cells) in rows)
        {
            Sql.Bind(update, [WriteCells(ReadCells(cells).Select(c => c with { Value = StoredForm.Normalise(c.Value / 100m) })), seq]);
            update.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The tables of a file that has tables but not this store's: a database of some other application, which the schema's
    /// CREATE ... IF NOT EXISTS and the moves of earlier versions would otherwise fill with this store's tables. Every version of
    /// this store, the first included, has a <c>reporters</c> table and a <c>submissions</c> table with a <c>reporter</c>
    /// column; a file's own schema version says nothing here, since other applications set <c>user_version</c> too.
    /// </summary>
    private static List<string> ForeignTables(SqliteConnection connection)
    {
        using var command = Sql.Create(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var tables = Rows(command, r => r.GetString(0));
        return tables.Count == 0 || (tables.Contains("reporters") && HasColumn(connection, "submissions", "reporter")) ? [] : tables;
    }

    /// <summary>
    /// Opens the file afresh — no pool, no creation — and reads its schema, so that a volume that went away (or a
    /// file that was moved) reads as unready instead of being hidden by the writer's open handle.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        if (writer is null || !writer.FileStillThere) return false;
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
    /// The writer's count of commits: the file belongs to this process (see <see cref="SqliteFileGuard"/>), so no other commit can
    /// change what a reader sees. It moves before any caller of the commit is answered.
    /// </summary>
    public ValueTask<long?> GetVersionAsync(CancellationToken ct) => ValueTask.FromResult<long?>(Writer.Commits);

    /// <summary>Asks the writer to start the WAL afresh before its next batch, as the checkpointer does past the WAL's limit (for tests).</summary>
    internal void RequestWalRestart() => Writer.RequestWalRestart();

    /// <summary>Runs one checkpoint now (tests use it instead of waiting for the interval).</summary>
    internal (int WalFrames, int Copied, bool Synced) CheckpointNow() =>
        (checkpointer ?? throw new InvalidOperationException("The SQLite store is not initialised.")).CheckpointOnce();

    // ---- reporters -------------------------------------------------------------------------------

    // The one writer runs every write in turn, so nothing is registered or renamed between a check and the write after it;
    // the unique indexes on the id and the name hold the same in the file itself.
    public Task<CreateResult> CreateReporterAsync(Reporter reporter, CancellationToken ct)
    {
        var name = Reporter.NormaliseName(reporter.Name);
        return Writer.WriteAsync(w =>
        {
            if (Registered(w, reporter.Id)) return (new CreateResult(CreateStatus.Duplicate), false);
            if (NameHolder(w, name, reporter.Id) is { } holder) return (new CreateResult(CreateStatus.NameTaken, holder), false);
            w.Command("INSERT INTO reporters (id, name, kind, created_at, retired_from, contact) VALUES ($id, $name, $kind, $at, $retired_from, $contact)",
                reporter.Id, name, StoredForm.Name(reporter.Kind), reporter.CreatedAt.ToUnixTimeMilliseconds(), reporter.RetiredFrom, reporter.Contact).ExecuteNonQuery();
            return (new CreateResult(CreateStatus.Created), true);
        }, ct);
    }

    private static bool Registered(SqliteWriter w, string id)
    {
        using var r = w.Command("SELECT 1 FROM reporters WHERE id = $id", id).ExecuteReader();
        return r.Read();
    }

    /// <summary>The reporter other than <paramref name="id"/> that has <paramref name="name"/> (normalised), if any.</summary>
    private static Reporter? NameHolder(SqliteWriter w, string name, string id)
    {
        using var r = w.Command($"SELECT {ReporterColumns} FROM reporters WHERE name = $name AND id <> $id", name, id).ExecuteReader();
        return r.Read() ? ReadReporter(r) : null;
    }

    private const string ReporterColumns = "id, name, kind, created_at, retired_from, contact";

    public async Task<Reporter?> GetReporterAsync(string id, CancellationToken ct) =>
        (await QueryAsync($"SELECT {ReporterColumns} FROM reporters WHERE id = $id", [id], ReadReporter, ct).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Reporter>> ListReportersAsync(CancellationToken ct) =>
        QueryAsync($"SELECT {ReporterColumns} FROM reporters ORDER BY id", [], ReadReporter, ct);

    // Not an append: after it the writer forgets what it kept of each append's checks (SqliteHeads, the reporter's
    // retirement among them), so the next append reads the retirement from the file.
    public Task<UpdateResult> UpdateReporterAsync(string id, ReporterChange change, CancellationToken ct)
    {
        var name = change.Name is null ? null : Reporter.NormaliseName(change.Name);
        return Writer.WriteAsync(w =>
        {
            if (!Registered(w, id)) return (new UpdateResult(UpdateStatus.NotFound, null), false);
            if (name is not null && NameHolder(w, name, id) is { } holder) return (new UpdateResult(UpdateStatus.NameTaken, null, holder), false);
            if (Closed(w, change.OpenPeriods ?? []) is { Count: > 0 } closed) return (new UpdateResult(UpdateStatus.PeriodClosed, null, Closed: closed), false);
            Reporter? updated;
            using (var r = w.Command(
                "UPDATE reporters SET name = coalesce($name, name), retired_from = CASE WHEN $sets THEN $retired ELSE retired_from END, " +
                $"contact = CASE WHEN $setsContact THEN $contact ELSE contact END WHERE id = $id RETURNING {ReporterColumns}",
                name, change.SetsRetiredFrom ? 1 : 0, change.RetiredFrom, change.SetsContact ? 1 : 0, change.Contact, id).ExecuteReader())
                updated = r.Read() ? ReadReporter(r) : null;
            return updated is null ? (new UpdateResult(UpdateStatus.NotFound, null), false) : (new UpdateResult(UpdateStatus.Updated, updated), true);
        }, ct);
    }

    /// <summary>Those of <paramref name="periods"/> that are closed, in the order given.</summary>
    private static List<CataloguePeriod> Closed(SqliteWriter w, IReadOnlyList<CataloguePeriod> periods)
    {
        var closed = new List<CataloguePeriod>();
        foreach (var period in periods)
        {
            using var r = w.Command("SELECT 1 FROM periods WHERE catalogue = $catalogue AND period = $period AND closed <> 0", period.CatalogueId, period.Period).ExecuteReader();
            if (r.Read()) closed.Add(period);
        }
        return closed;
    }

    private static Reporter ReadReporter(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), StoredForm.ParseKind(r.GetString(2)), Time(r.GetInt64(3)), Text(r, 4), Text(r, 5));

    // ---- keys ------------------------------------------------------------------------------------

    private const string KeyColumns = "id, hash, role, reporter, created_at, revoked_at, label, expires_at";

    public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            w.Command($"INSERT INTO api_keys ({KeyColumns}) VALUES ($id, $hash, $role, $reporter, $created, $revoked, $label, $expires)",
                key.Id.ToString("D"), key.Hash, StoredForm.Name(key.Role), key.ReporterId,
                key.CreatedAt.ToUnixTimeMilliseconds(), key.RevokedAt?.ToUnixTimeMilliseconds(), key.Label, key.ExpiresAt?.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            return (true, true);
        }, ct);

    // Every request looks its key up. The file belongs to this process, so every revocation passes through
    // RevokeKeyAsync, which empties this cache of valid keys once the revocation is durable and before it returns.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKeyRecord> validKeys = new(StringComparer.Ordinal);
    private long revocations;

    public async Task<ApiKeyRecord?> FindKeyByHashAsync(string hash, CancellationToken ct)
    {
        if (validKeys.TryGetValue(hash, out var known)) return known;
        var before = Interlocked.Read(ref revocations);
        var found = (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE hash = $hash AND revoked_at IS NULL", [hash], ReadKey, ct).ConfigureAwait(false)).FirstOrDefault();
        if (found is null) return null;
        // Kept only if no revocation finished while it was read; one that finishes after the add empties the cache after it.
        validKeys.TryAdd(hash, found);
        if (Interlocked.Read(ref revocations) != before) validKeys.TryRemove(hash, out _);
        return found;
    }

    public async Task<ApiKeyRecord?> FindRevokedKeyAsync(string hash, CancellationToken ct) =>
        (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE hash = $hash AND revoked_at IS NOT NULL", [hash], ReadKey, ct).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) =>
        QueryAsync($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id", [], ReadKey, ct);

    public async Task<ApiKeyRecord?> GetKeyAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE id = $id", [id.ToString("D")], ReadKey, ct).ConfigureAwait(false)).FirstOrDefault();

    public async Task<bool> RevokeKeyAsync(Guid id, DateTimeOffset at, CancellationToken ct)
    {
        var revoked = await Writer.WriteAsync(w =>
        {
            var changed = w.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL",
                at.ToUnixTimeMilliseconds(), id.ToString("D")).ExecuteNonQuery();
            return (changed == 1, changed == 1);
        }, ct).ConfigureAwait(false);
        Interlocked.Increment(ref revocations);
        validKeys.Clear();
        return revoked;
    }

    private static ApiKeyRecord ReadKey(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), r.GetString(1), StoredForm.ParseRole(r.GetString(2)), Text(r, 3), Time(r.GetInt64(4)), TimeOrNull(r, 5), Text(r, 6), TimeOrNull(r, 7));

    // ---- periods ---------------------------------------------------------------------------------

    public async Task<PeriodSettings> GetPeriodAsync(string catalogueId, string period, CancellationToken ct) =>
        (await QueryAsync(PeriodColumns, [catalogueId, period], r => ReadPeriod(r, catalogueId, period), ct).ConfigureAwait(false)).FirstOrDefault()
        ?? PeriodSettings.Open(catalogueId, period);

    private const string PeriodColumns =
        "SELECT closed, closed_at, deadline, expected_reporters, reporter_names, version, first_closed_at FROM periods WHERE catalogue = $catalogue AND period = $period";

    private static PeriodSettings ReadPeriod(SqliteDataReader r, string catalogueId, string period) =>
        new(catalogueId, period, r.GetInt64(0) != 0, TimeOrNull(r, 1), TimeOrNull(r, 2),
            r.IsDBNull(3) ? null : JsonSerializer.Deserialize<List<string>>(r.GetString(3), Json))
        {
            ReporterNames = r.IsDBNull(4) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4), Json),
            Version = r.GetInt32(5),
            FirstClosedAt = TimeOrNull(r, 6),
        };

    // The version is compared and the settings written in one turn of the one writer, which no other write runs within.
    public Task<PeriodSave?> SavePeriodAsync(PeriodSettings settings, int? expectedVersion, Holding holding, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            var stored = Convert.ToInt32(w.Command("SELECT coalesce((SELECT version FROM periods WHERE catalogue = $catalogue AND period = $period), 0)",
                settings.CatalogueId, settings.Period).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (expectedVersion is { } expected && expected != stored)
                return (StoredPeriod(w, settings.CatalogueId, settings.Period) is { } now && now.Holds(settings, holding)
                    ? new PeriodSave(stored, now) : null, false);
            w.Command($"""
                INSERT INTO periods (catalogue, period, closed, closed_at, deadline, expected_reporters, reporter_names, version, first_closed_at)
                VALUES ($catalogue, $period, $closed, $closed_at, $deadline, $expected,
                    CASE WHEN NOT $closed THEN NULL WHEN $names IS NOT NULL THEN $names ELSE {SqliteSchema.ReporterNamesNow} END, $version,
                    CASE WHEN $closed THEN $closed_at END)
                ON CONFLICT (catalogue, period) DO UPDATE SET closed = excluded.closed, closed_at = excluded.closed_at,
                    deadline = excluded.deadline, expected_reporters = excluded.expected_reporters, reporter_names = excluded.reporter_names,
                    version = excluded.version, first_closed_at = coalesce(periods.first_closed_at, excluded.first_closed_at)
                """,
                settings.CatalogueId, settings.Period, settings.Closed ? 1 : 0, settings.ClosedAt?.ToUnixTimeMilliseconds(),
                settings.Deadline?.ToUnixTimeMilliseconds(),
                settings.ExpectedReporters is null ? null : JsonSerializer.Serialize(settings.ExpectedReporters, Json),
                settings.ReporterNames is null ? null : JsonSerializer.Serialize(settings.ReporterNames, Json), stored + 1).ExecuteNonQuery();
            return ((PeriodSave?)new PeriodSave(stored + 1), true);
        }, ct);

    /// <summary>The period's settings as the writer's transaction sees them; null when none were saved.</summary>
    private static PeriodSettings? StoredPeriod(SqliteWriter w, string catalogueId, string period)
    {
        using var r = w.Command(PeriodColumns, catalogueId, period).ExecuteReader();
        return r.Read() ? ReadPeriod(r, catalogueId, period) : null;
    }

    // ---- submissions -----------------------------------------------------------------------------

    public Task<AppendResult> AppendAsync(Submission submission, int? expectedRevision, IdempotencyToken? idempotency, CancellationToken ct)
    {
        // What can be refused without the file is refused here, on the caller's thread, before the shared batch.
        var stored = StoredForm.ForStore(submission);
        // The columns are made here too, so that the writer, whom every append waits for, only runs the SQL.
        var cells = stored.Values.Select(v => new StoredCell(v.Code, v.Value)).ToList();
        var derived = stored.Values.Where(v => v.Derived).Select(v => v.Code).ToList();
        var row = new Row(stored, cells, WriteCells(cells), JsonSerializer.Serialize(stored.Warnings, Json),
            derived.Count == 0 ? null : JsonSerializer.Serialize(derived, Json));
        return Writer.WriteAsync(w => Append(w, row, expectedRevision, idempotency), ct, refusesBeforeWriting: true);
    }

    /// <summary>A submission and its columns as the <c>submissions</c> row holds them.</summary>
    private sealed record Row(Submission Submission, List<StoredCell> Cells, string CellsJson, string WarningsJson, string? DerivedJson);

    /// <summary>The <c>cells</c> column: a JSON object of the non-blank values in table order.</summary>
    internal static string WriteCells(IEnumerable<StoredCell> cells)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (code, value) in cells) json.WriteNumber(code, value);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The <c>cells</c> column read back, in table order.</summary>
    internal static List<StoredCell> ReadCells(string json) => ReadCells(System.Text.Encoding.UTF8.GetBytes(json));

    private static List<StoredCell> ReadCells(byte[] json)
    {
        var cells = new List<StoredCell>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var code = reader.GetString()!;
            reader.Read();
            cells.Add(new StoredCell(code, StoredForm.Normalise(reader.GetDecimal())));
        }
        return cells;
    }

    private static (AppendResult, bool) Append(SqliteWriter w, Row row, int? expectedRevision, IdempotencyToken? idempotency)
    {
        var s = row.Submission;
        if (!w.Heads.TryGet(s.CatalogueId, s.Period, s.ReporterId, out var known))
        {
            // A quarter is closed to the reporter while its year is and the reporter has no table of the year, which is then added
            // up from its quarters (ISubmissionStore.AppendAsync).
            using var r = w.Command("""
                SELECT h.revision, h.kind, s.cells,
                       (SELECT MAX(p.closed) FROM periods p WHERE p.catalogue = $catalogue AND (p.period = $period OR (p.period = substr($period, 1, 4)
                           AND NOT EXISTS (SELECT 1 FROM heads y WHERE y.catalogue = $catalogue AND y.period = p.period AND y.reporter = $reporter)))),
                       (SELECT kind FROM reporters WHERE id = $reporter),
                       (SELECT retired_from FROM reporters WHERE id = $reporter),
                       v.decision,
                       coalesce((SELECT first_closed_at FROM periods WHERE catalogue = $catalogue AND period = $period AND closed = 0),
                                (SELECT first_closed_at FROM periods WHERE catalogue = $catalogue AND period = substr($period, 1, 4)
                                    AND period <> $period AND closed = 0))
                FROM (SELECT 1) LEFT JOIN heads h ON h.catalogue = $catalogue AND h.period = $period AND h.reporter = $reporter
                                LEFT JOIN submissions s ON s.seq = h.seq
                                LEFT JOIN reviews v ON v.seq = h.seq
                """, s.CatalogueId, s.Period, s.ReporterId).ExecuteReader();
            r.Read();
            if (r.IsDBNull(4))
                throw new InvalidOperationException($"Reporter '{s.ReporterId}' is not registered; the registry check should have refused the submission.");
            known = new SqliteHeads.Entry(r.IsDBNull(0) ? 0 : r.GetInt32(0), Text(r, 1),
                r.IsDBNull(2) ? [] : ReadCells(r.GetFieldValue<byte[]>(2)), !r.IsDBNull(3) && r.GetInt64(3) != 0, r.GetString(4),
                Reporter.IsRetiredFor(Text(r, 5), s.Period), !r.IsDBNull(6) && StoredForm.ParseDecision(r.GetString(6)) == ReviewDecision.Returned,
                TimeOrNull(r, 7));
            w.Heads.Learn(s.CatalogueId, s.Period, s.ReporterId, known);
        }
        var current = known.Revision;

        if (idempotency is not null)
        {
            using var r = w.Command(IdempotencySelect, idempotency.Scope, idempotency.Key).ExecuteReader();
            if (r.Read())
            {
                var (seq, hash, unchanged) = (r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0);
                r.Close();
                return hash == idempotency.RequestHash
                    ? (new AppendResult(unchanged ? AppendStatus.ReplayedUnchanged : AppendStatus.Replayed, ReadSubmission(w.Connection, "seq", seq), current), false)
                    : (new AppendResult(AppendStatus.IdempotencyMismatch, null, current), false);
            }
        }

        if (known.ReporterRetired) return (new AppendResult(AppendStatus.ReporterRetired, null, current), false);
        // The current table over again stores nothing, whatever revision the request expected (a workbook uploaded a second time
        // was made from the revision before), closed period or not: it replaces nothing and changes no total, so a town pressing
        // 提交 again after the close is told its table stands, not that it was refused. A returned one is stored, as the reporter's
        // answer that its figures stand. The heads keep the figures alone: the row is read only when they are the same.
        if (current > 0 && !known.HeadReturned && StoredForm.SameCells(known.Cells, row.Cells))
        {
            var seq = w.Command("SELECT seq FROM heads WHERE catalogue = $catalogue AND period = $period AND reporter = $reporter",
                s.CatalogueId, s.Period, s.ReporterId).ExecuteScalar() as long? ?? throw new InvalidOperationException("A head without its row.");
            var head = ReadSubmission(w.Connection, "seq", seq);
            if (head is not null && StoredForm.SameTable(head, s))
            {
                if (idempotency is null) return (new AppendResult(AppendStatus.Unchanged, head, current), false);
                // The key is kept with the revision found, so that a retry is answered so again (not judged again against a
                // revision stored since) and the key is not taken for another request; committed before the answer, as a table is.
                w.Command("INSERT INTO unchanged_keys (idem_scope, idem_key, idem_hash, seq) VALUES ($scope, $key, $hash, $seq)",
                    idempotency.Scope, idempotency.Key, idempotency.RequestHash, seq).ExecuteNonQuery();
                return (new AppendResult(AppendStatus.Unchanged, head, current), true);
            }
        }
        // A table the office returned is its reporter's to correct once, closed or not: the correction starts unreviewed.
        if (known.PeriodClosed && !known.HeadReturned) return (new AppendResult(AppendStatus.PeriodClosed, null, current), false);
        if (expectedRevision is { } expected && expected != current) return (new AppendResult(AppendStatus.RevisionConflict, null, current), false);
        var reporterKind = known.ReporterKind;

        var revision = current + 1;
        w.Command("""
            INSERT INTO submissions (id, reporter, kind, catalogue, period, revision, received_at, sent_at, warnings, key_id, idem_scope, idem_key, idem_hash, cells, derived, note)
            VALUES ($id, $reporter, $kind, $catalogue, $period, $revision, $received_at, $sent_at, $warnings, $key_id, $idem_scope, $idem_key, $idem_hash, $cells, $derived, $note)
            """,
            s.Id.ToString("D"), s.ReporterId, reporterKind, s.CatalogueId, s.Period, revision, s.ReceivedAt.ToUnixTimeMilliseconds(), s.SentAt?.ToUnixTimeMilliseconds(),
            row.WarningsJson, s.SubmittedByKey?.ToString("D"), idempotency?.Scope, idempotency?.Key, idempotency?.RequestHash,
            row.CellsJson, row.DerivedJson, s.Note).ExecuteNonQuery();
        w.Totals.Replace(s.CatalogueId, s.Period, known.HeadKind, known.Cells, reporterKind, row.Cells);
        w.Heads.Replace(s.CatalogueId, s.Period, s.ReporterId, known with { Revision = revision, HeadKind = reporterKind, Cells = row.Cells, HeadReturned = false });
        return (new AppendResult(AppendStatus.Created, s with { Revision = revision }, revision, known.PeriodClosed, known.ReopenedFirstClosedAt), true);
    }

    /// <summary>The revision an Idempotency-Key was answered with (<c>seq</c>), the request's digest, and whether it stored nothing (1).</summary>
    private const string IdempotencySelect =
        "SELECT seq, idem_hash, 0 FROM submissions WHERE idem_scope = $scope AND idem_key = $key " +
        "UNION ALL SELECT seq, idem_hash, 1 FROM unchanged_keys WHERE idem_scope = $scope AND idem_key = $key";

    public async Task<IdempotentSubmission?> FindIdempotentAsync(IdempotencyToken idempotency, CancellationToken ct)
    {
        var found = await QueryAsync(IdempotencySelect, [idempotency.Scope, idempotency.Key],
            r => (Seq: r.GetInt64(0), Hash: r.GetString(1), Unchanged: r.GetInt64(2) != 0), ct).ConfigureAwait(false);
        if (found is not [var (seq, hash, unchanged)]) return null;
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return ReadSubmission(connection, "seq", seq) is { } stored ? new IdempotentSubmission(stored, hash == idempotency.RequestHash, unchanged) : null;
    }

    public async Task<Submission?> GetSubmissionAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return ReadSubmission(connection, "id", id.ToString("D"));
    }

    public async Task<IReadOnlyDictionary<Guid, Submission>> GetSubmissionsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return new Dictionary<Guid, Submission>();
        // The ids as one JSON parameter: a statement takes a limited number of parameters, and a district has thousands of tables.
        var found = await QueryAsync($"{SubmissionSelect} WHERE s.id IN (SELECT value FROM json_each($ids))",
            [JsonSerializer.Serialize(ids.Select(id => id.ToString("D")), Json)], ReadSubmission, ct).ConfigureAwait(false);
        return found.ToDictionary(s => s.Id);
    }

    /// <summary>The columns <see cref="ReadSubmission(SqliteDataReader)"/> maps: a submission <c>s</c> with its review <c>v</c>.</summary>
    private const string SubmissionSelect =
        "SELECT s.seq, s.id, s.reporter, s.catalogue, s.period, s.revision, s.received_at, s.warnings, s.key_id, s.cells, s.derived, s.sent_at, " +
        $"v.decision, v.comment, v.reviewed_at, v.key_id, s.note FROM submissions s {SqliteSchema.Reviewed}";

    private static Submission? ReadSubmission(SqliteConnection connection, string keyColumn, object key)
    {
        using var command = Sql.Create(connection, $"{SubmissionSelect} WHERE s.{keyColumn} = $key", key);
        using var r = command.ExecuteReader();
        return r.Read() ? ReadSubmission(r) : null;
    }

    private static Submission ReadSubmission(SqliteDataReader r)
    {
        var derived = r.IsDBNull(10) ? [] : JsonSerializer.Deserialize<HashSet<string>>(r.GetString(10), Json) ?? [];
        var values = ReadCells(r.GetString(9)).Select(c => new StoredValue(c.Code, c.Value, derived.Contains(c.Code))).ToList();
        return new Submission(Guid.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
            Time(r.GetInt64(6)), values, JsonSerializer.Deserialize<List<Violation>>(r.GetString(7), Json) ?? [],
            IdOrNull(r, 8), TimeOrNull(r, 11), ReadReview(r, 12), Text(r, 16));
    }

    public Task<ReviewResult> ReviewAsync(Guid submissionId, Review review, ExpectedReview? expected, CancellationToken ct)
    {
        var stored = StoredForm.ForStore(review);
        // Refuses before it writes, and changes no head nor total: it may share a batch of appends without savepoints. A closed
        // period takes a return too: it lets that one reporter's correction in (AppendAsync), not every late table as a reopening would.
        // The review read here is the one the write replaces: the writer is the only one, so no other review comes between.
        return Writer.WriteAsync(w =>
        {
            RevisionInfo reviewed;
            long seq;
            using (var r = w.Command($"""
                SELECT s.seq, {SqliteSchema.RevisionColumns},
                       h.seq
                FROM submissions s {SqliteSchema.Reviewed}
                     JOIN heads h ON h.catalogue = s.catalogue AND h.period = s.period AND h.reporter = s.reporter
                WHERE s.id = $id
                """, submissionId.ToString("D")).ExecuteReader())
            {
                if (!r.Read()) return (new ReviewResult(ReviewStatus.NotFound, null, null), false);
                seq = r.GetInt64(0);
                reviewed = ReadRevisionAt(r, 1);
                const int head = 1 + SqliteSchema.RevisionColumnCount; // the column that follows seq and the revision's
                if (r.GetInt64(head) is var headSeq && headSeq != seq)
                {
                    r.Close();
                    using var latestRow = w.Command($"SELECT {SqliteSchema.RevisionColumns} FROM submissions s {SqliteSchema.Reviewed} WHERE s.seq = $seq", headSeq).ExecuteReader();
                    latestRow.Read();
                    return (new ReviewResult(ReviewStatus.NotLatest, reviewed, ReadRevision(latestRow)), false);
                }
            }
            if (expected is not null && !expected.IsMetBy(reviewed.Review))
                return (new ReviewResult(ReviewStatus.ReviewChanged, reviewed, reviewed), false);
            var written = StoredForm.Replacing(stored, reviewed.Review);
            w.Command("""
                INSERT INTO reviews (seq, decision, comment, reviewed_at, key_id) VALUES ($seq, $decision, $comment, $at, $key)
                ON CONFLICT (seq) DO UPDATE SET decision = excluded.decision, comment = excluded.comment, reviewed_at = excluded.reviewed_at, key_id = excluded.key_id
                """, seq, StoredForm.Name(written.Decision), written.Comment, written.ReviewedAt.ToUnixTimeMilliseconds(), written.ReviewedByKey?.ToString("D")).ExecuteNonQuery();
            w.Heads.Forget(reviewed.CatalogueId, reviewed.Period, reviewed.ReporterId);
            var now = reviewed with { Review = written };
            return (new ReviewResult(ReviewStatus.Stored, now, now), true);
        }, ct, refusesBeforeWriting: true);
    }

    public Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string reporterId, string catalogueId, string period, CancellationToken ct) =>
        QueryAsync(SqliteSchema.Revisions, [reporterId, catalogueId, period], ReadRevision, ct);

    public Task<IReadOnlyList<RevisionInfo>> ListLatestAsync(string catalogueId, IReadOnlyList<string> periods, CancellationToken ct) =>
        QueryAsync($"""
            SELECT {SqliteSchema.RevisionColumns} FROM heads h JOIN submissions s ON s.seq = h.seq {SqliteSchema.Reviewed}
            WHERE h.catalogue = $catalogue AND h.period IN (SELECT value FROM json_each($periods))
            ORDER BY h.period, h.reporter
            """, [catalogueId, JsonSerializer.Serialize(periods, Json)], ReadRevision, ct);

    /// <summary>A revision from a row whose first columns are <see cref="SqliteSchema.RevisionColumns"/>.</summary>
    private static RevisionInfo ReadRevision(SqliteDataReader r) => ReadRevisionAt(r, 0);

    private static RevisionInfo ReadRevisionAt(SqliteDataReader r, int at) =>
        new(Guid.Parse(r.GetString(at)), r.GetString(at + 1), r.GetString(at + 2), r.GetString(at + 3), r.GetInt32(at + 4), Time(r.GetInt64(at + 5)),
            IdOrNull(r, at + 6), TimeOrNull(r, at + 7), ReadReview(r, at + 8), Text(r, at + 12));

    /// <summary>The review in the four columns from <paramref name="at"/> (decision, comment, reviewed_at, key_id); null when they are.</summary>
    private static Review? ReadReview(SqliteDataReader r, int at) =>
        r.IsDBNull(at) ? null : new Review(StoredForm.ParseDecision(r.GetString(at)), Text(r, at + 1), Time(r.GetInt64(at + 2)), IdOrNull(r, at + 3));

    /// <summary>
    /// The whole district is read from <c>totals</c>, which the writer keeps; a list of reporters, and years derived from
    /// quarters, are added up here from the heads' cells. One read transaction, so that the cells and the contributions
    /// describe the same snapshot.
    /// </summary>
    public async Task<AggregateResult> AggregateAsync(AggregateQuery query, CancellationToken ct)
    {
        var kind = query.Kind is { } k ? StoredForm.Name(k) : null;

        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        using var snapshot = connection.BeginTransaction(deferred: true); // BEGIN; disposed, it rolls back
        // Each contribution with its values (its own table's, or the year its quarters give); the heads whose cells are in
        // totals come without them.
        IReadOnlyList<ContributedTable> contributed;
        using (var heads = Sql.Create(connection, SqliteSchema.AggregateHeads, HeadValues(query, every: false)))
            contributed = StoredForm.ContributedTables(query, Rows(heads, ReadHead));

        var sums = new AggregateSums();
        var reporters = query.Reporters;
        if (reporters is null)
            using (var command = Sql.Create(connection,
                       "SELECT code, kind, amount, reporters FROM totals WHERE catalogue = $catalogue AND period = $period AND ($kind IS NULL OR kind = $kind)",
                       query.CatalogueId, query.Period, kind))
            using (var r = command.ExecuteReader())
                while (r.Read())
                    sums.Add(r.GetString(0), StoredForm.ParseKind(r.GetString(1)), decimal.Parse(r.GetString(2), System.Globalization.CultureInfo.InvariantCulture), r.GetInt32(3));
        foreach (var (contribution, cells) in contributed)
        {
            if (!contribution.FromQuarters && reporters is null) continue; // in totals already
            foreach (var (code, value) in cells) sums.Add(code, contribution.Kind, value, 1);
        }
        return new AggregateResult(sums.Cells(), [.. contributed.Select(t => t.Contribution)]);
    }

    /// <summary>Every head in the query's scope with its cells, in one read transaction.</summary>
    public async Task<IReadOnlyList<ContributedTable>> ListContributedTablesAsync(AggregateQuery query, CancellationToken ct)
    {
        // One statement reads one snapshot: it runs on a pooled connection with the statement prepared, as the dry run's
        // read of a reporter's year before does on every pause in typing.
        return StoredForm.ContributedTables(query, await QueryAsync(SqliteSchema.AggregateHeads, HeadValues(query, every: true), ReadHead, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Parameters of <see cref="SqliteSchema.AggregateHeads"/>: the heads in the query's scope, with their cells where they are
    /// added up here: all of them when <paramref name="every"/>, else those a reporter filter or a year from quarters needs
    /// (the rest of the district is in <c>totals</c>).
    /// </summary>
    private static object?[] HeadValues(AggregateQuery query, bool every) =>
        [every ? 1 : 0, query.Reporters is null ? null : JsonSerializer.Serialize(query.Reporters, Json), query.Period, query.CatalogueId,
            JsonSerializer.Serialize(query.QuarterPeriods, Json), query.Kind is { } k ? StoredForm.Name(k) : null];

    private static (ReporterKind Kind, RevisionInfo Head, IReadOnlyList<StoredCell> Cells) ReadHead(SqliteDataReader r) =>
        (StoredForm.ParseKind(r.GetString(SqliteSchema.RevisionColumnCount)), ReadRevision(r), ReadCells(r.GetString(SqliteSchema.RevisionColumnCount + 1)));

    // ---- plumbing --------------------------------------------------------------------------------

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }

    // Reads take a connection from this pool with its statements prepared (SQLite parses and plans a statement when it is
    // prepared, which costs more than running the key lookup or the reporter check that every request makes).
    private readonly System.Collections.Concurrent.ConcurrentBag<ReadConnection> readers = [];

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object?[] values, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var reader = readers.TryTake(out var pooled) ? pooled : new ReadConnection(connectionString);
        try
        {
            var list = Rows(reader.Command(sql, values), read);
            readers.Add(reader);
            return Task.FromResult<IReadOnlyList<T>>(list);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

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
            var command = Sql.Cached(commands, connection, sql);
            Sql.Bind(command, values);
            return command;
        }

        public void Dispose()
        {
            foreach (var command in commands.Values) command.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>Every row <paramref name="command"/> gives, read by <paramref name="read"/>.</summary>
    private static List<T> Rows<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        using var r = command.ExecuteReader();
        while (r.Read()) rows.Add(read(r));
        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static DateTimeOffset? TimeOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static Guid? IdOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Guid.Parse(r.GetString(i));

    public async ValueTask DisposeAsync()
    {
        while (readers.TryTake(out var reader)) reader.Dispose();
        if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
        writer = null;
        if (checkpointer is not null) await checkpointer.DisposeAsync().ConfigureAwait(false);
        checkpointer = null;
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        if (ownership is not null) await ownership.DisposeAsync().ConfigureAwait(false);
        ownership = null;
    }

    // A container disposed synchronously must still drain the queue and close the file.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
