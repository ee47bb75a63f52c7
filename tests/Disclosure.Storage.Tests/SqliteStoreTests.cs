using Disclosure.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Tests;

/// <summary>What only the embedded store has: its file, its group commit, its pragmas.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "disclosure-tests-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private string ConnectionString => $"Data Source={Path.Combine(directory, "disclosure.db")}";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteStore> OpenAsync(int maxBatch = 512, SqliteSettings? settings = null)
    {
        var store = new SqliteStore(ConnectionString, settings ?? new SqliteSettings { MaxBatch = maxBatch });
        await store.InitialiseAsync(Ct);
        return store;
    }

    /// <summary>Runs <paramref name="sql"/> on the database file from a connection of its own, as a tool outside the service would; its first value, if any.</summary>
    private async Task<object?> OnFileAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static Submission Table(string reporter, string period, int values, int seed) =>
        new(Guid.NewGuid(), reporter, "gov-info-disclosure-2014", period, 0, Noon.AddMilliseconds(seed),
            [.. Enumerable.Range(0, values).Select(i => new StoredValue($"c{i}", seed * 1000 + i + (i % 3) * 0.25m, i % 5 == 0))],
            [], null);

    [Fact]
    public async Task The_Writer_Leaves_Checkpoints_To_The_Checkpointer_Which_Copies_Every_Committed_Frame()
    {
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("wal", "w", ReporterKind.Town, Noon), Ct);
        for (var i = 1; i <= 30; i++) await store.AppendAsync(Table("wal", "2014", 73, i), null, null, Ct);

        using (var probe = new SqliteConnection(ConnectionString))
        {
            probe.Open();
            using var command = probe.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", command.ExecuteScalar());
        }
        var (frames, copied, _) = store.CheckpointNow();
        Assert.True(frames > 0, "the appends went through the WAL");
        Assert.Equal(frames, copied);
        Assert.Equal(30, (await store.ListRevisionsAsync("wal", "gov-info-disclosure-2014", "2014", Ct)).Count);
    }

    [Fact]
    public async Task A_Checkpointer_Pass_That_Copies_Frames_Syncs_The_Database_File_And_One_That_Copies_None_Does_Not()
    {
        // SQLite syncs the file only after a pass that copied every frame; left to it, the sync of everything copied under
        // steady appends fell to the writer's catch-up, on the path of every append.
        await using var store = await OpenAsync(settings: new SqliteSettings { CheckpointIntervalMilliseconds = 3_600_000 });
        await store.CreateReporterAsync(new Reporter("sync", "s", ReporterKind.Town, Noon), Ct);
        for (var i = 1; i <= 5; i++) await store.AppendAsync(Table("sync", "2014", 73, i), null, null, Ct);

        var (_, copied, synced) = store.CheckpointNow();
        var (_, copiedAgain, syncedAgain) = store.CheckpointNow();

        Assert.True(copied > 0 && synced, $"{copied} frames copied, synced: {synced}");
        Assert.Equal(copied, copiedAgain);
        Assert.False(syncedAgain);
    }

    [Fact]
    public async Task The_Writer_Starts_The_Wal_Afresh_When_Asked_Though_Its_Last_Frames_Were_Not_Copied_Yet()
    {
        // The checkpointer's own timer is out of the way (an hour): the test runs its passes.
        await using var store = await OpenAsync(settings: new SqliteSettings { CheckpointIntervalMilliseconds = 3_600_000 });
        await store.CreateReporterAsync(new Reporter("long", "l", ReporterKind.Town, Noon), Ct);
        var seed = 0;
        async Task AppendAsync(int times)
        {
            for (var i = 0; i < times; i++) await store.AppendAsync(Table("long", "2014", 73, ++seed), null, null, Ct);
        }
        await AppendAsync(10);
        store.CheckpointNow();

        // SQLite starts the WAL afresh only at a BEGIN that finds every frame copied: after a pass, the first append does,
        // and everything after it accumulates until the next pass — under steady appends, forever.
        await AppendAsync(41);
        var (accumulated, _, _) = store.CheckpointNow();

        // Asked, the writer copies the frames itself before its next batch, whose BEGIN then starts the WAL over.
        await AppendAsync(40);
        store.RequestWalRestart();
        await AppendAsync(1);
        var (afresh, _, _) = store.CheckpointNow();

        Assert.True(afresh * 10 < accumulated, $"{afresh} frames after the restart, {accumulated} without");
        Assert.Equal(seed, (await store.ListRevisionsAsync("long", "gov-info-disclosure-2014", "2014", Ct)).Count);
    }

    [Fact]
    public async Task A_Wal_Past_Its_Limit_Is_Cut_Back_To_It()
    {
        await using var store = await OpenAsync(settings: new SqliteSettings { WalLimitMegabytes = 1, CheckpointIntervalMilliseconds = 3_600_000 });
        await store.CreateReporterAsync(new Reporter("long", "l", ReporterKind.Town, Noon), Ct);
        var wal = Path.Combine(directory, "disclosure.db-wal");
        var seed = 0;
        while (new FileInfo(wal).Length < 3 * 1024 * 1024) await store.AppendAsync(Table("long", "2014", 73, ++seed), null, null, Ct);

        var (frames, copied, _) = store.CheckpointNow();
        Assert.Equal(frames, copied);
        await store.AppendAsync(Table("long", "2014", 73, ++seed), null, null, Ct);

        Assert.True(new FileInfo(wal).Length <= 1024 * 1024, $"the WAL is {new FileInfo(wal).Length} bytes");
        Assert.Equal(seed, (await store.ListRevisionsAsync("long", "gov-info-disclosure-2014", "2014", Ct)).Count);
    }

    [Fact]
    public async Task Acknowledged_Appends_Are_Read_Back_Identically_By_A_New_Store_On_The_Same_File()
    {
        var acknowledged = new List<Submission>();
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("durable", "d", ReporterKind.Town, Noon), Ct);
            var results = await Task.WhenAll(Enumerable.Range(1, 200).Select(i =>
                Task.Run(() => store.AppendAsync(Table("durable", i % 2 == 0 ? "2014" : "2014Q1", 73, i), null, null, Ct), Ct)));
            acknowledged.AddRange(results.Select(r => r.Submission!));
        }

        await using var reopened = await OpenAsync();
        foreach (var expected in acknowledged)
        {
            var stored = await reopened.GetSubmissionAsync(expected.Id, Ct);
            Assert.NotNull(stored);
            Assert.Equal(expected with { Values = [], Warnings = [] }, stored with { Values = [], Warnings = [] });
            Assert.Equal(expected.Values, stored.Values);
        }
        Assert.Equal(Enumerable.Range(1, 100), (await reopened.ListRevisionsAsync("durable", "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.Revision));
        Assert.Equal(Enumerable.Range(1, 100), (await reopened.ListRevisionsAsync("durable", "gov-info-disclosure-2014", "2014Q1", Ct)).Select(r => r.Revision));
        // The cells are bound as UTF-8 bytes: stored as JSON text all the same (json_each would read a blob as JSONB).
        await using var probe = new SqliteConnection(ConnectionString);
        await probe.OpenAsync(Ct);
        using var command = probe.CreateCommand();
        command.CommandText = "SELECT count(*), sum(typeof(cells) = 'text' AND json_valid(cells)) FROM submissions";
        using var r = command.ExecuteReader();
        r.Read();
        Assert.Equal((200L, 200L), (r.GetInt64(0), r.GetInt64(1)));
    }

    [Fact]
    public async Task File_Is_In_Wal_Mode_With_The_Schema_Version_Set()
    {
        await using var store = await OpenAsync();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal((long)SqliteSchema.Version, command.ExecuteScalar());
    }

    [Fact]
    public async Task A_File_Of_Version_4_Without_Sent_Times_Gains_The_Column_Keeps_Its_Revisions_And_Becomes_Version_9()
    {
        Guid before;
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("older", "o", ReporterKind.Town, Noon), Ct);
            before = (await store.AppendAsync(Table("older", "2014", 3, 1), null, null, Ct)).Submission!.Id;
        }
        await OnFileAsync("ALTER TABLE submissions DROP COLUMN sent_at; ALTER TABLE reporters DROP COLUMN retired_from; ALTER TABLE reporters DROP COLUMN contact; ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 4;");

        await using var reopened = await OpenAsync();
        var sent = new DateTimeOffset(2015, 1, 18, 1, 30, 0, TimeSpan.Zero);
        var after = (await reopened.AppendAsync(Table("older", "2014", 3, 2) with { SentAt = sent }, null, null, Ct)).Submission!;

        Assert.Null((await reopened.GetSubmissionAsync(before, Ct))!.SentAt);
        Assert.Equal(sent, (await reopened.GetSubmissionAsync(after.Id, Ct))!.SentAt);
        Assert.Equal([null, sent], (await reopened.ListRevisionsAsync("older", "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.SentAt));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_5_Gains_Contacts_And_Keeps_Its_Reporters()
    {
        await using (var store = await OpenAsync())
            await store.CreateReporterAsync(new Reporter("v5-town", "古邵镇", ReporterKind.Town, Noon), Ct);
        await OnFileAsync("ALTER TABLE reporters DROP COLUMN contact; ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 5;");

        await using var reopened = await OpenAsync();

        Assert.Equal(new Reporter("v5-town", "古邵镇", ReporterKind.Town, Noon), await reopened.GetReporterAsync("v5-town", Ct));
        Assert.Equal("王芳 0632-7712345",
            (await reopened.UpdateReporterAsync("v5-town", new ReporterChange(SetsContact: true, Contact: "王芳 0632-7712345"), Ct)).Reporter!.Contact);
    }

    [Fact]
    public async Task A_File_Of_Version_6_Gains_Keys_Labels_And_Keeps_Its_Keys()
    {
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-v6", KeyRole.Viewer, null, Noon, null);
        await using (var store = await OpenAsync())
            await store.CreateKeyAsync(key, Ct);
        await OnFileAsync("ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 6;");

        await using var reopened = await OpenAsync();

        Assert.Equal(key, await reopened.FindKeyByHashAsync("sha256-v6", Ct));
        var labelled = new ApiKeyRecord(Guid.NewGuid(), "sha256-v7", KeyRole.Viewer, null, Noon.AddHours(1), null, "区政府网站大屏");
        await reopened.CreateKeyAsync(labelled, Ct);
        Assert.Equal([key, labelled], (await reopened.ListKeysAsync(Ct)).Where(k => k.Hash.StartsWith("sha256-v", StringComparison.Ordinal)));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_7_Gains_The_Audit_Log()
    {
        await using (var store = await OpenAsync())
            await store.CreateReporterAsync(new Reporter("v7-town", "古邵镇", ReporterKind.Town, Noon), Ct);
        await OnFileAsync("ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 7;");

        await using var reopened = await OpenAsync();
        var entry = new AuditEntry(Guid.CreateVersion7(Noon), Noon, "PATCH", "/v1/reporters/v7-town", "v1/reporters/{id}", 200, Guid.NewGuid(), KeyRole.Admin,
            null, "张三", "10.0.0.7", "'v7-town': name 古邵镇 → 古邵镇人民政府");
        await reopened.AppendAuditAsync(entry, Ct);

        Assert.Equal([entry], await reopened.ListAuditAsync(new AuditQuery(null, null, null, 10), Ct));
        Assert.Equal("古邵镇", (await reopened.GetReporterAsync("v7-town", Ct))!.Name);
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_8_Gains_Keys_Expiry_And_Keeps_Its_Keys_Without_One()
    {
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-v8", KeyRole.Reporter, null, Noon, null, "李四");
        await using (var store = await OpenAsync())
            await store.CreateKeyAsync(key, Ct);
        await OnFileAsync("ALTER TABLE api_keys DROP COLUMN expires_at; PRAGMA user_version = 8;");

        await using var reopened = await OpenAsync();

        Assert.Equal(key, await reopened.FindKeyByHashAsync("sha256-v8", Ct));
        var expiring = new ApiKeyRecord(Guid.NewGuid(), "sha256-v9", KeyRole.Viewer, null, Noon, null, "大屏", Noon.AddYears(1));
        await reopened.CreateKeyAsync(expiring, Ct);
        Assert.Equal(expiring, await reopened.GetKeyAsync(expiring.Id, Ct));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_10_With_Two_Reporters_Of_One_Name_Tells_Them_Apart_And_Keeps_Names_Unique_From_Then_On()
    {
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("gushao-old", "古邵镇旧", ReporterKind.Town, Noon, RetiredFrom: "2020"), Ct);
            await store.CreateReporterAsync(new Reporter("gushao", "古邵镇", ReporterKind.Town, Noon.AddDays(1)), Ct);
            await store.CreateReporterAsync(new Reporter("cafe-1", "Cafe镇", ReporterKind.Town, Noon), Ct);
            await store.CreateReporterAsync(new Reporter("cafe-2", "Caf\u00e9镇", ReporterKind.Town, Noon.AddDays(1)), Ct);
            await store.CreateReporterAsync(new Reporter("taken", "Caf\u00e9镇（cafe-2）", ReporterKind.Town, Noon.AddDays(2)), Ct);
        }
        // What a build before version 11 let in: a name given twice, with white space around it, or with a combining accent.
        await OnFileAsync("""
            DROP INDEX reporters_name;
            UPDATE reporters SET name = '古邵镇' WHERE id = 'gushao-old';
            UPDATE reporters SET name = ' 古邵镇 ' WHERE id = 'gushao';
            UPDATE reporters SET name = 'Cafe' || char(0x301) || '镇' WHERE id = 'cafe-1';
            PRAGMA user_version = 10;
            """);

        await using var moved = await OpenAsync();

        // A reporting one keeps the name before a retired one, an earlier registered before a later; each other is named with its id.
        var names = (await moved.ListReportersAsync(Ct)).ToDictionary(r => r.Id, r => r.Name);
        Assert.Equal(new Dictionary<string, string>
        {
            ["cafe-1"] = "Caf\u00e9镇", ["cafe-2"] = "Caf\u00e9镇（cafe-2-2）", ["gushao"] = "古邵镇", ["gushao-old"] = "古邵镇（gushao-old）", ["taken"] = "Caf\u00e9镇（cafe-2）",
        }, names);
        // What the start renamed is reported, for the service to log: each name as it was and as it is.
        Assert.Equal(
            [new("cafe-1", "Cafe\u0301镇", "Caf\u00e9镇"), new("cafe-2", "Caf\u00e9镇", "Caf\u00e9镇（cafe-2-2）"), new("gushao", " 古邵镇 ", "古邵镇"), new("gushao-old", "古邵镇", "古邵镇（gushao-old）")],
            moved.RenamedReporters.OrderBy(r => r.Id, StringComparer.Ordinal).ToList<ReporterRename>());
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
        var refused = await moved.CreateReporterAsync(new Reporter("gushao-new", "古邵镇", ReporterKind.Town, Noon), Ct);
        Assert.Equal((CreateStatus.NameTaken, "gushao"), (refused.Status, refused.NameHeldBy?.Id));
        await Assert.ThrowsAsync<SqliteException>(() => OnFileAsync("UPDATE reporters SET name = '古邵镇' WHERE id = 'cafe-1'"));
    }

    [Fact]
    public async Task A_File_Of_Version_11_Names_Its_Closed_Periods_As_Its_Reporters_Are_Named_And_A_Rename_Leaves_Them_So()
    {
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("v11-town", "古邵镇", ReporterKind.Town, Noon), Ct);
            await store.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2014", true, Noon, null, null), Ct);
            await store.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2015", false, null, Noon, null), Ct);
        }
        await OnFileAsync("ALTER TABLE periods DROP COLUMN reporter_names; ALTER TABLE periods DROP COLUMN version; PRAGMA user_version = 11;");

        await using var moved = await OpenAsync();
        await moved.UpdateReporterAsync("v11-town", new ReporterChange("古邵街道"), Ct);

        Assert.Equal(new Dictionary<string, string> { ["v11-town"] = "古邵镇" }, (await moved.GetPeriodAsync("gov-info-disclosure-2014", "2014", Ct)).ReporterNames);
        Assert.Null((await moved.GetPeriodAsync("gov-info-disclosure-2014", "2015", Ct)).ReporterNames);
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
        // Settings saved before versions came in are version 0, and a save conditional on it moves them on.
        var deadline = await moved.GetPeriodAsync("gov-info-disclosure-2014", "2015", Ct);
        Assert.Equal((0, Noon), (deadline.Version, deadline.Deadline));
        Assert.Equal(1, await moved.SavePeriodAsync(deadline with { Deadline = null }, 0, Ct));
    }

    [Fact]
    public async Task A_File_Of_Version_14_Takes_A_Closed_Periods_Close_As_Its_First_And_Keeps_It_Through_A_Reopening()
    {
        await using (var store = await OpenAsync())
        {
            await store.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2014", true, Noon, null, null), Ct);
            await store.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2015", false, null, Noon, null), Ct);
        }
        await OnFileAsync("ALTER TABLE periods DROP COLUMN first_closed_at; PRAGMA user_version = 14;");

        await using var moved = await OpenAsync();
        await moved.SavePeriodAsync(PeriodSettings.Open("gov-info-disclosure-2014", "2014"), Ct);
        await moved.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2014", true, Noon.AddDays(30), null, null), Ct);

        Assert.Equal(Noon, (await moved.GetPeriodAsync("gov-info-disclosure-2014", "2014", Ct)).FirstClosedAt);
        Assert.Null((await moved.GetPeriodAsync("gov-info-disclosure-2014", "2015", Ct)).FirstClosedAt);
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_13_Gains_The_Table_Of_Keys_Answered_Unchanged_And_Keeps_Its_Keys()
    {
        await using (var store = await OpenAsync()) await store.CreateReporterAsync(new Reporter("town-1", "阴平镇", ReporterKind.Town, Noon), Ct);
        await OnFileAsync("DROP TABLE unchanged_keys; PRAGMA user_version = 13;");

        await using var moved = await OpenAsync();
        var table = new Submission(Guid.CreateVersion7(), "town-1", "gov-info-disclosure-2014", "2014", 0, Noon, [new StoredValue("1.1", 5, false)], [], null);
        var token = new IdempotencyToken("scope", "nightly", "hash");
        await moved.AppendAsync(table, null, null, Ct);
        var unchanged = await moved.AppendAsync(table with { Id = Guid.CreateVersion7() }, null, token, Ct);

        Assert.Equal(AppendStatus.Unchanged, unchanged.Status);
        // The start says it moved the file: an older build cannot read it after this.
        Assert.EndsWith($"(existing, moved from schema version 13), schema version {SqliteSchema.Version}", moved.Opened, StringComparison.Ordinal);
        Assert.Equal(1L, await OnFileAsync("SELECT count(*) FROM unchanged_keys WHERE idem_key = 'nightly'"));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_File_Of_Version_12_Gains_The_Audit_Logs_Index_By_Time_And_Keeps_Its_Entries()
    {
        var entry = new AuditEntry(Guid.CreateVersion7(Noon), Noon, "PUT", "/v1/periods/gov-info-disclosure-2014/2014", "v1/periods/{catalogue}/{period}", 200,
            Guid.NewGuid(), KeyRole.Admin, null, "张三", "10.0.0.7", "截止时间 无 → 2015-01-31 00:00");
        await using (var store = await OpenAsync()) await store.AppendAuditAsync(entry, Ct);
        await OnFileAsync("DROP INDEX audit_at; PRAGMA user_version = 12;");

        await using var moved = await OpenAsync();

        Assert.Equal(1L, await OnFileAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'audit_at' AND tbl_name = 'audit'"));
        Assert.Equal([entry], await moved.ListAuditAsync(new AuditQuery(Noon, Noon.AddDays(1), null, 10), Ct));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Theory]
    [InlineData(false, "SEARCH audit USING INDEX audit_at (at>? AND at<?)")]
    // A later page reads on down the primary key from where the last stopped, rather than the whole window again.
    [InlineData(true, "SEARCH audit USING PRIMARY KEY (id<?)")]
    public async Task A_Window_Of_The_Audit_Log_Is_Searched_By_An_Index_Not_Read_Whole(bool later, string search)
    {
        await using var store = await OpenAsync();
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 200; i++)
        {
            var at = Noon.AddMinutes(i);
            entries.Add(new AuditEntry(Guid.CreateVersion7(at), at, "GET", "/v1/me", "v1/me", 200, Guid.NewGuid(), KeyRole.Admin, null, null, null, null));
            await store.AppendAuditAsync(entries[^1], Ct);
        }
        var query = new AuditQuery(Noon.AddMinutes(10), Noon.AddMinutes(40), later ? entries[30].Id : null, 10);
        var (sql, values) = SqliteStore.AuditSql(query);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using var command = Sql.Create(connection, "EXPLAIN QUERY PLAN " + sql, values);
        var plan = new List<string>();
        using (var r = command.ExecuteReader()) while (r.Read()) plan.Add(r.GetString(3));

        Assert.Equal(search, plan[0]);
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        // And it reads what was asked for: the window's newest entries first, or those before the last page's end.
        Assert.Equal(entries[(later ? 20 : 30)..(later ? 30 : 40)].AsEnumerable().Reverse(), await store.ListAuditAsync(query, Ct));
    }

    [Fact]
    public async Task A_File_Of_Version_9_Gains_Revisions_Notes_And_Audit_Entries_Without_A_Key_And_Keeps_What_It_Had()
    {
        Guid before;
        var entry = new AuditEntry(Guid.CreateVersion7(Noon), Noon, "POST", "/v1/reporters", "v1/reporters", 201, Guid.NewGuid(), KeyRole.Admin, null, "张三", "10.0.0.7", "登记 'v9-town'");
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("v9-town", "古邵镇", ReporterKind.Town, Noon), Ct);
            before = (await store.AppendAsync(Table("v9-town", "2014", 3, 1), null, null, Ct)).Submission!.Id;
        }
        // Version 9's audit table, which required a key, with an entry in it.
        await OnFileAsync("""
            ALTER TABLE submissions DROP COLUMN note;
            DROP TABLE audit;
            CREATE TABLE audit (
                id TEXT NOT NULL PRIMARY KEY, at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, route TEXT, status INTEGER NOT NULL,
                key_id TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('admin', 'viewer', 'reporter')), reporter TEXT, holder TEXT, remote_ip TEXT, detail TEXT
            ) WITHOUT ROWID;
            CREATE INDEX audit_key ON audit (key_id, id);
            PRAGMA user_version = 9;
            """);
        await OnFileAsync($"INSERT INTO audit VALUES ('{entry.Id:D}', {Noon.ToUnixTimeMilliseconds()}, 'POST', '/v1/reporters', 'v1/reporters', 201, '{entry.KeyId:D}', 'admin', NULL, '张三', '10.0.0.7', '登记 ''v9-town''')");

        await using var reopened = await OpenAsync();
        var after = (await reopened.AppendAsync(Table("v9-town", "2014", 3, 2) with { Note = "3.1 改正：上次多填一位。" }, null, null, Ct)).Submission!;
        var keyless = new AuditEntry(Guid.CreateVersion7(Noon.AddSeconds(1)), Noon.AddSeconds(1), "GET", "/v1/me", "v1/me", 401, null, null, null, null, "203.0.113.7", "封禁");
        await reopened.AppendAuditAsync(keyless, Ct);

        Assert.Null((await reopened.GetSubmissionAsync(before, Ct))!.Note);
        Assert.Equal("3.1 改正：上次多填一位。", (await reopened.GetSubmissionAsync(after.Id, Ct))!.Note);
        Assert.Equal([keyless, entry], await reopened.ListAuditAsync(new AuditQuery(null, null, null, 10), Ct));
        Assert.Equal([entry], await reopened.ListAuditAsync(new AuditQuery(null, null, null, 10, entry.KeyId), Ct));
        // Every index of the log is on the table made again, not left behind with the one renamed away and dropped.
        Assert.Equal(3L, await OnFileAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('audit_key', 'audit_reporter', 'audit_at') AND tbl_name = 'audit'"));
        Assert.Equal(0L, await OnFileAsync("SELECT count(*) FROM sqlite_master WHERE name = 'audit_v9'"));
        Assert.Equal((long)SqliteSchema.Version, await OnFileAsync("PRAGMA user_version"));
    }

    [Fact]
    public async Task The_File_Itself_Refuses_A_Second_Row_For_A_Revision_Number()
    {
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("twice", "t", ReporterKind.Town, Noon), Ct);
        await store.AppendAsync(Table("twice", "2014", 3, 1), null, null, Ct);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO submissions (id, reporter, kind, catalogue, period, revision, received_at, warnings, cells)
            VALUES ('copy', 'twice', 'town', 'gov-info-disclosure-2014', '2014', 1, 0, '[]', '{}')
            """;
        Assert.Equal(19, Assert.Throws<SqliteException>(() => command.ExecuteNonQuery()).SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task Totals_Kept_By_The_Writer_Equal_The_Sum_Over_The_Latest_Revisions_Through_Resubmissions()
    {
        await using var store = await OpenAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var id = $"tot-{i}";
            ids.Add(id);
            await store.CreateReporterAsync(new Reporter(id, id, (ReporterKind)(i % 3), Noon), Ct);
        }
        var random = new Random(7);
        for (var round = 0; round < 60; round++)
        {
            // Tables of changing width: resubmissions drop cells as well as change them.
            var id = ids[random.Next(ids.Count)];
            await store.AppendAsync(Table(id, "2014", random.Next(0, 15), random.Next(1, 50)), null, null, Ct);
        }
        var district = await store.AggregateAsync(new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>()), Ct);
        var summed = await store.AggregateAsync(new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>(), ids), Ct);
        Assert.NotEmpty(district.Cells);
        Assert.Equal(summed.Cells, district.Cells);
        var towns = await store.AggregateAsync(new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>(), null, ReporterKind.Town), Ct);
        Assert.Equal(summed.Cells.Where(c => c.Kind == ReporterKind.Town), towns.Cells);
    }

    [Fact]
    public async Task Appends_Agree_With_The_File_Through_Rollbacks_Other_Writes_And_A_Restart()
    {
        var ids = Enumerable.Range(0, 8).Select(i => $"cache-{i}").ToList();
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        var random = new Random(11);
        var kept = ids.ToDictionary(id => id, _ => 0);
        await using (var store = await OpenAsync())
        {
            for (var i = 0; i < ids.Count; i++) await store.CreateReporterAsync(new Reporter(ids[i], ids[i], (ReporterKind)(i % 3), Noon), Ct);
            for (var round = 0; round < 6; round++)
            {
                // Concurrent appends share batches with broken ones (refused before the batch), with writes of other
                // kinds and with a closed period's refusals.
                var work = new List<(string Id, bool Broken, Task<AppendResult> Task)>();
                for (var k = 0; k < 40; k++)
                {
                    var id = ids[random.Next(ids.Count)];
                    var broken = random.Next(6) == 0;
                    // Each table its own figures: one that repeats its reporter's head is stored as nothing (AppendStatus.Unchanged).
                    var table = Table(id, "2014", random.Next(1, 12), round * 40 + k + 1);
                    if (broken) table = table with { Values = [new StoredValue("c1", 1, false), new StoredValue("c1", 2, false)] };
                    work.Add((id, broken, Task.Run(() => store.AppendAsync(table, null, null, Ct), Ct)));
                    if (k == 20) _ = store.CreateReporterAsync(new Reporter($"late-{round}", $"late-{round}", ReporterKind.Town, Noon), Ct);
                }
                foreach (var (id, broken, task) in work)
                {
                    if (broken) await Assert.ThrowsAsync<InvalidOperationException>(() => task);
                    else Assert.Equal(AppendStatus.Created, (await task).Status);
                    if (!broken) kept[id]++;
                }
                await store.SavePeriodAsync(new PeriodSettings("gov-info-disclosure-2014", "2014", true, Noon, null, null), Ct);
                Assert.Equal(AppendStatus.PeriodClosed, (await store.AppendAsync(Table(ids[0], "2014", 3, 1), null, null, Ct)).Status);
                await store.SavePeriodAsync(PeriodSettings.Open("gov-info-disclosure-2014", "2014"), Ct);
            }
            foreach (var id in ids)
                Assert.Equal(Enumerable.Range(1, kept[id]), (await store.ListRevisionsAsync(id, "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.Revision));
            Assert.Equal((await store.AggregateAsync(query with { Reporters = ids }, Ct)).Cells, (await store.AggregateAsync(query, Ct)).Cells);
        }

        // A new store goes on from the file.
        await using (var store = await OpenAsync())
        {
            foreach (var id in ids)
            {
                var next = await store.AppendAsync(Table(id, "2014", 5, 7), kept[id], null, Ct);
                Assert.Equal((AppendStatus.Created, kept[id] + 1), (next.Status, next.CurrentRevision));
            }
            Assert.Equal((await store.AggregateAsync(query with { Reporters = ids }, Ct)).Cells, (await store.AggregateAsync(query, Ct)).Cells);
        }
    }

    [Fact]
    public void The_Cells_Column_Reads_Back_Every_Code_And_Exact_Value_In_Order()
    {
        StoredCell[] cells =
        [
            new("1.1", 11841), new("11", 5949.088667m), new("税", 0.000001m), new("a\"b", 999_999_999_999.999999m), new("<script>", 0),
            new("x", 79_228_162_514_264_337_593_543_950_335m), new("y", 0.0000000000000000000000000001m),
        ];
        Assert.Equal(cells, SqliteStore.ReadCells(SqliteStore.WriteCells(cells)));
    }

    /// <summary>The tables of schema versions 1 and 2 (one row per cell; version 1 without totals), as those builds created them.</summary>
    private const string OldSchema = """
        CREATE TABLE reporters (id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE api_keys (id TEXT NOT NULL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, reporter TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE TABLE submissions (seq INTEGER NOT NULL PRIMARY KEY, id TEXT NOT NULL UNIQUE, reporter TEXT NOT NULL REFERENCES reporters (id),
            kind TEXT NOT NULL, catalogue TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL, received_at INTEGER NOT NULL,
            warnings TEXT NOT NULL, key_id TEXT, idem_scope TEXT, idem_key TEXT, idem_hash TEXT);
        CREATE UNIQUE INDEX submissions_revision ON submissions (reporter, catalogue, period, revision);
        CREATE UNIQUE INDEX submissions_idempotency ON submissions (idem_scope, idem_key) WHERE idem_key IS NOT NULL;
        CREATE TABLE submission_values (seq INTEGER NOT NULL REFERENCES submissions (seq), code TEXT NOT NULL, ord INTEGER NOT NULL,
            hundredths INTEGER NOT NULL, derived INTEGER NOT NULL, PRIMARY KEY (seq, code)) WITHOUT ROWID;
        CREATE TABLE heads (catalogue TEXT NOT NULL, period TEXT NOT NULL, reporter TEXT NOT NULL, kind TEXT NOT NULL,
            seq INTEGER NOT NULL REFERENCES submissions (seq), revision INTEGER NOT NULL, PRIMARY KEY (catalogue, period, reporter)) WITHOUT ROWID;
        CREATE TABLE periods (catalogue TEXT NOT NULL, period TEXT NOT NULL, closed INTEGER NOT NULL, closed_at INTEGER, deadline INTEGER,
            expected_reporters TEXT, PRIMARY KEY (catalogue, period)) WITHOUT ROWID;
        """;

    private const string OldTotals = """
        CREATE TABLE totals (catalogue TEXT NOT NULL, period TEXT NOT NULL, code TEXT NOT NULL, kind TEXT NOT NULL, hundredths INTEGER NOT NULL,
            reporters INTEGER NOT NULL, PRIMARY KEY (catalogue, period, code, kind)) WITHOUT ROWID;
        INSERT INTO totals SELECT h.catalogue, h.period, v.code, h.kind, SUM(v.hundredths), COUNT(*)
            FROM heads h JOIN submission_values v ON v.seq = h.seq GROUP BY h.catalogue, h.period, v.code, h.kind;
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_File_Of_An_Earlier_Schema_Moves_To_One_Row_Per_Submission_And_Reads_As_Before(int version)
    {
        // Two reporters, two revisions each, written the way the one-row-per-cell builds wrote them; the cells are
        // stored in reverse code order so that reading them back in code order would be caught.
        var tables = new List<Submission>();
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync(Ct);
            using var command = connection.CreateCommand();
            command.CommandText = OldSchema;
            command.ExecuteNonQuery();
            var seq = 0;
            foreach (var (id, kind) in new[] { ("old-a", "town"), ("old-b", "department") })
            {
                command.CommandText = $"INSERT INTO reporters VALUES ('{id}', '{id}', '{kind}', 0)";
                command.ExecuteNonQuery();
                for (var revision = 1; revision <= 2; revision++)
                {
                    seq++;
                    var table = Table(id, "2014", 10 + revision, seq) with { Revision = revision };
                    table = table with { Values = [.. table.Values.Reverse()], ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(table.ReceivedAt.ToUnixTimeMilliseconds()) };
                    tables.Add(table);
                    command.CommandText = $"""
                        INSERT INTO submissions (seq, id, reporter, kind, catalogue, period, revision, received_at, warnings)
                        VALUES ({seq}, '{table.Id:D}', '{id}', '{kind}', '{table.CatalogueId}', '2014', {revision}, {table.ReceivedAt.ToUnixTimeMilliseconds()}, '[]')
                        """;
                    command.ExecuteNonQuery();
                    for (var i = 0; i < table.Values.Count; i++)
                    {
                        var v = table.Values[i];
                        command.CommandText = $"INSERT INTO submission_values VALUES ({seq}, '{v.Code}', {i + 1}, {(long)(v.Value * 100)}, {(v.Derived ? 1 : 0)})";
                        command.ExecuteNonQuery();
                    }
                }
                command.CommandText = $"INSERT INTO heads VALUES ('gov-info-disclosure-2014', '2014', '{id}', '{kind}', {seq}, 2)";
                command.ExecuteNonQuery();
            }
            command.CommandText = (version == 2 ? OldTotals : "") + $"PRAGMA user_version = {version};";
            command.ExecuteNonQuery();
        }

        await using var store = await OpenAsync();
        foreach (var table in tables)
        {
            var read = await store.GetSubmissionAsync(table.Id, Ct);
            Assert.NotNull(read);
            Assert.Equal(table.Values, read.Values);
            Assert.Equal(table.Revision, read.Revision);
        }
        foreach (var id in new[] { "old-a", "old-b" })
            Assert.Equal(tables.Where(t => t.ReporterId == id).Select(t => t.Id),
                (await store.ListRevisionsAsync(id, "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.Id));
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        var district = await store.AggregateAsync(query, Ct);
        var expected = tables.Where(t => t.Revision == 2).SelectMany(t => t.Values.Select(v => (v.Code, Kind: t.ReporterId == "old-a" ? ReporterKind.Town : ReporterKind.Department, v.Value)))
            .ToDictionary(c => (c.Code, c.Kind), c => c.Value);
        Assert.Equal(24, district.Cells.Count);
        Assert.All(district.Cells, c => Assert.Equal(expected[(c.Code, c.Kind)], c.Sum));

        // The moved file takes new revisions, chained to the old ones, and the totals follow them.
        await store.AppendAsync(Table("old-a", "2014", 3, 99), null, null, Ct);
        Assert.Equal([1, 2, 3], (await store.ListRevisionsAsync("old-a", "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.Revision));
        var after = await store.AggregateAsync(query, Ct);
        var summed = await store.AggregateAsync(query with { Reporters = ["old-a", "old-b"] }, Ct);
        Assert.Equal(summed.Cells, after.Cells);
        Assert.Equal(12 + 3, after.Cells.Count);
        Assert.Equal("submissions_revision", await OnFileAsync("SELECT group_concat(name) FROM sqlite_schema WHERE name IN ('submission_values', 'submissions_revision')"));
    }

    [Fact]
    public async Task A_File_Of_Schema_Version_4_Gains_Reviews_With_Its_Values_And_Totals_Untouched()
    {
        Submission table;
        AggregateResult before;
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("v4", "v", ReporterKind.Town, Noon), Ct);
            table = (await store.AppendAsync(Table("v4", "2014", 12, 3), null, null, Ct)).Submission!;
            before = await store.AggregateAsync(query, Ct);
        }
        await OnFileAsync("DROP TABLE reviews; ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 4;");

        await using var moved = await OpenAsync();

        Assert.Equal(table.Values, (await moved.GetSubmissionAsync(table.Id, Ct))!.Values);
        Assert.Equal(before.Cells, (await moved.AggregateAsync(query, Ct)).Cells);
        Assert.Equal(ReviewStatus.Stored, (await moved.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, null, Noon, null), null, Ct)).Status);
        Assert.Equal(ReviewDecision.Accepted, (await moved.GetSubmissionAsync(table.Id, Ct))!.Review!.Decision);
    }

    [Fact]
    public async Task An_Acknowledged_Review_Is_In_The_File_When_The_Store_Is_Opened_Again()
    {
        Guid id;
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("durable", "d", ReporterKind.Town, Noon), Ct);
            id = (await store.AppendAsync(Table("durable", "2014", 3, 1), null, null, Ct)).Submission!.Id;
            await store.ReviewAsync(id, new Review(ReviewDecision.Returned, "请核实 c1", Noon, null), null, Ct);
        }

        await using var reopened = await OpenAsync();

        Assert.Equal(new Review(ReviewDecision.Returned, "请核实 c1", Noon, null), (await reopened.GetSubmissionAsync(id, Ct))!.Review);
    }

    [Fact]
    public async Task Totals_That_No_Longer_Match_The_Heads_Are_Computed_Afresh_Instead_Of_Failing_The_Batch()
    {
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("drift", "d", ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter("steady", "s", ReporterKind.Town, Noon), Ct);
        await store.AppendAsync(Table("drift", "2014", 10, 1), null, null, Ct);
        await store.AppendAsync(Table("steady", "2014", 3, 2), null, null, Ct);
        // Something outside the writer took the row of c9 away and inflated c0.
        await OnFileAsync("DELETE FROM totals WHERE code = 'c9'; UPDATE totals SET amount = '12345' WHERE code = 'c0';");

        // The resubmission leaves c9 blank: taking a reporter from a row that is not there must not fail the append.
        var result = await store.AppendAsync(Table("drift", "2014", 5, 3), null, null, Ct);
        Assert.Equal(AppendStatus.Created, result.Status);
        var district = await store.AggregateAsync(query, Ct);
        Assert.Equal((await store.AggregateAsync(query with { Reporters = ["drift", "steady"] }, Ct)).Cells, district.Cells);
        Assert.Equal(5, district.Cells.Count);
    }

    [Fact]
    public async Task A_Second_Store_On_The_Same_File_Is_Refused_Until_The_First_Lets_It_Go()
    {
        var first = await OpenAsync();
        await first.CreateReporterAsync(new Reporter("owner", "o", ReporterKind.Town, Noon), Ct);

        var second = new SqliteStore(ConnectionString, new SqliteSettings());
        var refused = await Assert.ThrowsAsync<StoreStartException>(() => second.InitialiseAsync(Ct));
        Assert.Contains("in use by another process", refused.Message);
        await second.DisposeAsync();
        Assert.NotNull(await first.GetReporterAsync("owner", Ct));

        await first.DisposeAsync();
        await using var third = await OpenAsync();
        Assert.NotNull(await third.GetReporterAsync("owner", Ct));
    }

    [Fact]
    public async Task A_File_Of_Schema_4_Gains_Retirements_And_Keeps_Its_Tables_And_Totals_Exactly()
    {
        // A version 4 file: exact decimals already, reporters without retired_from, revisions without sent_at.
        var table = Table("v4-town", "2014", 4, 3);
        await using (var store = await OpenAsync())
        {
            await store.CreateReporterAsync(new Reporter("v4-town", "v", ReporterKind.Town, Noon), Ct);
            await store.AppendAsync(table, null, null, Ct);
        }
        await OnFileAsync("ALTER TABLE reporters DROP COLUMN retired_from; ALTER TABLE reporters DROP COLUMN contact; ALTER TABLE submissions DROP COLUMN sent_at; ALTER TABLE api_keys DROP COLUMN label; ALTER TABLE api_keys DROP COLUMN expires_at; DROP TABLE audit; PRAGMA user_version = 4;");

        await using var moved = await OpenAsync();

        Assert.Equal(table.Values, (await moved.GetSubmissionAsync(table.Id, Ct))!.Values);
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        Assert.Equal(table.Values.Select(v => v.Value), (await moved.AggregateAsync(query, Ct)).Cells.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => c.Sum));
        Assert.Null((await moved.GetReporterAsync("v4-town", Ct))!.RetiredFrom);
        Assert.Equal("2015", (await moved.UpdateReporterAsync("v4-town", new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2015"), Ct)).Reporter!.RetiredFrom);
        Assert.Equal(AppendStatus.ReporterRetired, (await moved.AppendAsync(Table("v4-town", "2015", 1, 4), null, null, Ct)).Status);
    }

    [Fact]
    public async Task A_File_Of_A_Newer_Schema_Is_Refused_Rather_Than_Misread()
    {
        await OnFileAsync("PRAGMA user_version = 99");
        var store = new SqliteStore(ConnectionString, new SqliteSettings());
        var refused = await Assert.ThrowsAsync<StoreStartException>(() => store.InitialiseAsync(Ct));
        Assert.Contains("schema version 99", refused.Message);
        Assert.Contains(Path.Combine(directory, "disclosure.db"), refused.Message);
        await store.DisposeAsync();
    }

    [Theory]
    [InlineData("CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (7)", "orders", 0L)]
    [InlineData("CREATE TABLE orders (id INTEGER PRIMARY KEY); PRAGMA user_version = 3", "orders", 3L)] // it keeps a version of its own
    [InlineData("CREATE TABLE submissions (id INTEGER PRIMARY KEY)", "submissions", 0L)] // a table of the same name
    public async Task Another_Applications_Database_Is_Refused_And_Left_As_It_Is(string made, string tables, long version)
    {
        await OnFileAsync(made);
        var store = new SqliteStore(ConnectionString, new SqliteSettings());

        var refused = await Assert.ThrowsAsync<StoreStartException>(() => store.InitialiseAsync(Ct));
        await store.DisposeAsync();

        Assert.Contains($"another application's database (tables {tables})", refused.Message);
        Assert.Equal(0L, await OnFileAsync($"SELECT count(*) FROM sqlite_schema WHERE name <> '{tables}'"));
        Assert.Equal(version, await OnFileAsync("PRAGMA user_version"));
        Assert.Equal("delete", await OnFileAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_Revoked_Key_Is_Not_Found_Again_Even_With_Lookups_Racing_The_Revocation()
    {
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("keys", "k", ReporterKind.Town, Noon), Ct);
        for (var round = 0; round < 20; round++)
        {
            var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-" + Guid.NewGuid().ToString("N"), KeyRole.Reporter, "keys", Noon, null);
            await store.CreateKeyAsync(key, Ct);
            Assert.Equal(key, await store.FindKeyByHashAsync(key.Hash, Ct));

            // Lookups keep running on other threads while the key is revoked; whatever they read before the revocation
            // must not be kept for the lookups after it.
            using var stop = new CancellationTokenSource();
            var racing = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested) await store.FindKeyByHashAsync(key.Hash, Ct);
            }, Ct)).ToList();
            Assert.True(await store.RevokeKeyAsync(key.Id, Noon.AddHours(1), Ct));
            for (var i = 0; i < 200; i++) Assert.Null(await store.FindKeyByHashAsync(key.Hash, Ct));
            await stop.CancelAsync();
            await Task.WhenAll(racing);
            Assert.Null(await store.FindKeyByHashAsync(key.Hash, Ct));
        }
    }

    [Fact]
    public async Task A_Failing_Write_Rolls_Back_Alone_And_The_Rest_Of_Its_Batch_Commits()
    {
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("batch", "b", ReporterKind.Town, Noon), Ct);
        // A repeated code is refused after the submission and head rows were written.
        var broken = Table("batch", "2014", 10, 0) with { Values = [new StoredValue("1.1", 1, false), new StoredValue("1.1", 2, false)] };

        var good = Enumerable.Range(1, 30).Select(i => Task.Run(() => store.AppendAsync(Table("batch", "2014", 73, i), null, null, Ct), Ct)).ToList();
        var bad = Task.Run(() => store.AppendAsync(broken, null, null, Ct), Ct);
        good.AddRange(Enumerable.Range(31, 30).Select(i => Task.Run(() => store.AppendAsync(Table("batch", "2014", 73, i), null, null, Ct), Ct)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        var results = await Task.WhenAll(good);

        Assert.Equal(Enumerable.Range(1, 60), results.Select(r => r.Submission!.Revision).Order());
        Assert.Null(await store.GetSubmissionAsync(broken.Id, Ct));
        Assert.Equal(Enumerable.Range(1, 60), (await store.ListRevisionsAsync("batch", "gov-info-disclosure-2014", "2014", Ct)).Select(r => r.Revision));
        // The totals the batches wrote hold the last revision alone: nothing of the rolled-back write, no revision twice.
        var query = new AggregateQuery("gov-info-disclosure-2014", "2014", [], new HashSet<string>());
        var district = await store.AggregateAsync(query, Ct);
        Assert.Equal((await store.AggregateAsync(query with { Reporters = ["batch"] }, Ct)).Cells, district.Cells);
        Assert.Equal(73, district.Cells.Count);
        Assert.All(district.Cells, c => Assert.Equal(1, c.Reporters));
    }

    [Fact]
    public async Task An_Insert_SQLite_Refuses_Fails_As_A_SqliteException_And_Leaves_The_Statement_Ready_For_The_Next_Append()
    {
        await using var store = await OpenAsync();
        await store.CreateReporterAsync(new Reporter("first", "f", ReporterKind.Town, Noon), Ct);
        await store.CreateReporterAsync(new Reporter("second", "s", ReporterKind.Town, Noon), Ct);
        var stored = await store.AppendAsync(Table("first", "2014", 10, 1), null, null, Ct);
        // The same id again: the submissions row's UNIQUE id refuses it inside the writer's INSERT itself.
        var clash = Table("second", "2014", 10, 2) with { Id = stored.Submission!.Id };

        var refused = await Assert.ThrowsAsync<SqliteException>(() => store.AppendAsync(clash, null, null, Ct));
        Assert.Equal(19, refused.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Empty(await store.ListRevisionsAsync("second", "gov-info-disclosure-2014", "2014", Ct));

        // The statement was reset and unbound: the next appends through it store exactly what they say.
        var next = await store.AppendAsync(Table("second", "2014", 10, 3), null, null, Ct);
        var again = await store.AppendAsync(Table("first", "2014", 10, 4), null, null, Ct);
        Assert.Equal(1, next.Submission!.Revision);
        Assert.Equal(2, again.Submission!.Revision);
        var read = await store.GetSubmissionAsync(next.Submission.Id, Ct);
        Assert.Equal("second", read!.ReporterId);
        Assert.Equal(Table("second", "2014", 10, 3).Values.Select(v => (v.Code, v.Value, v.Derived)), read.Values.Select(v => (v.Code, v.Value, v.Derived)));
        Assert.Equal(stored.Submission.Id, (await store.GetSubmissionAsync(stored.Submission.Id, Ct))!.Id);
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    public async Task In_Memory_Databases_Are_Refused_Because_Readers_Would_Not_See_The_Writes(string connectionString)
    {
        await using var store = new SqliteStore(connectionString, new SqliteSettings());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitialiseAsync(Ct));

        Assert.Contains("in-memory", refused.Message);
    }

    [Fact]
    public async Task Writes_Before_Initialisation_Are_Refused()
    {
        await using var store = new SqliteStore(ConnectionString, new SqliteSettings());

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateReporterAsync(new Reporter("x", "x", ReporterKind.Town, Noon), Ct));
        Assert.False(await store.PingAsync(Ct));
    }

    [Fact]
    public async Task Concurrent_Durable_Appends_Of_Full_Tables_Sharing_Group_Commits_Are_Each_Stored_Gap_Free()
    {
        await using var store = await OpenAsync();
        const int reporters = 64, perReporter = 50;
        for (var r = 0; r < reporters; r++) await store.CreateReporterAsync(new Reporter($"load-{r}", $"load-{r}", ReporterKind.Town, Noon), Ct);
        await store.AppendAsync(Table("load-0", "2013", 73, 0), null, null, Ct);

        await Task.WhenAll(Enumerable.Range(0, reporters).Select(r => Task.Run(async () =>
        {
            for (var i = 0; i < perReporter; i++)
                Assert.Equal(AppendStatus.Created, (await store.AppendAsync(Table($"load-{r}", "2014", 73, i), null, null, Ct)).Status);
        }, Ct)));

        // The rate is perf/'s to measure; here, that every acknowledged append is there, in order, without a gap.
        for (var r = 0; r < reporters; r++)
            Assert.Equal(Enumerable.Range(1, perReporter),
                (await store.ListRevisionsAsync($"load-{r}", "gov-info-disclosure-2014", "2014", Ct)).Select(v => v.Revision));
    }
}
