namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store's tables. Values are exact decimals (JSON numbers in <c>cells</c>, text in <c>totals</c>), added
/// up in C#; times are Unix milliseconds; ids are text.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>5: reporters' retirements, a revision's sentAt, the <c>reviews</c> table. 6: reporters' contacts. 7: keys' labels. 8: the <c>audit</c> table. 9: keys' expiry. 10: a revision's note, and audit entries without a key. 11: reporters' names normalised and unique. 12: a closed period's reporters' names, and the version of a period's settings. 13: the audit log's index by time. 14: the <c>unchanged_keys</c> table. 15: when a period was first closed.</summary>
    public const int Version = 15;

    /// <summary>
    /// No two reporters share a name (kept normalised: <see cref="Reporter.NormaliseName"/>), retired ones included. Made after
    /// <see cref="Create"/> and after an earlier file's names are told apart, which <see cref="Create"/> would come too early for. Version 11.
    /// </summary>
    public const string ReporterNameIndex = "CREATE UNIQUE INDEX IF NOT EXISTS reporters_name ON reporters (name)";

    /// <summary>Every registered reporter's name now, as a JSON object {id: name}: what a period closed now records.</summary>
    public const string ReporterNamesNow = "(SELECT json_group_object(id, name) FROM reporters)";

    /// <summary>
    /// Periods closed by a build before version 12 recorded no names: they keep those the reporters have when the file is moved
    /// over, the nearest to the names they were closed with that is known, so that a rename from then on leaves them as they are.
    /// </summary>
    public const string NameClosedPeriods = $"UPDATE periods SET reporter_names = {ReporterNamesNow} WHERE closed <> 0 AND reporter_names IS NULL";

    /// <summary>Periods closed by a build before version 15: the close they are closed by is the first known. Version 15.</summary>
    public const string FirstClosedPeriods = "UPDATE periods SET first_closed_at = closed_at WHERE closed <> 0 AND first_closed_at IS NULL";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS reporters (
            id         TEXT    NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            kind       TEXT    NOT NULL CHECK (kind IN ('government', 'department', 'town')),
            created_at INTEGER NOT NULL,
            -- The first period the reporter no longer reports ('2020', '2020Q3'); NULL while it reports. Version 5.
            retired_from TEXT,
            -- Whom the district office calls about the reporter's tables (联系人及电话); NULL when not known. Version 6.
            contact    TEXT
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS api_keys (
            id         TEXT    NOT NULL PRIMARY KEY,
            hash       TEXT    NOT NULL UNIQUE,
            role       TEXT    NOT NULL CHECK (role IN ('admin', 'viewer', 'reporter')),
            reporter   TEXT,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER,
            -- Who holds the key or what it is for (持有人或用途); NULL when the office wrote none. Version 7.
            label      TEXT,
            -- When the key stops working (有效期至); NULL for a key without an end. Version 9.
            expires_at INTEGER
        );

        -- One row per revision. The reporter's kind is copied in at write time so that aggregates filter
        -- and group without a join. The table itself is one JSON object {code: value} in table order
        -- (blank cells are absent) and the codes the service derived, a JSON array or NULL. The unique index
        -- on the revision number keeps a reporter's revisions gap-free and single in the file itself.
        CREATE TABLE IF NOT EXISTS submissions (
            seq         INTEGER NOT NULL PRIMARY KEY,
            id          TEXT    NOT NULL UNIQUE,
            reporter    TEXT    NOT NULL REFERENCES reporters (id),
            kind        TEXT    NOT NULL,
            catalogue   TEXT    NOT NULL,
            period      TEXT    NOT NULL,
            revision    INTEGER NOT NULL CHECK (revision >= 1),
            received_at INTEGER NOT NULL,
            sent_at     INTEGER,
            warnings    TEXT    NOT NULL,
            key_id      TEXT,
            idem_scope  TEXT,
            idem_key    TEXT,
            idem_hash   TEXT,
            cells       TEXT    NOT NULL,
            derived     TEXT,
            note        TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS submissions_revision ON submissions (reporter, catalogue, period, revision);
        CREATE UNIQUE INDEX IF NOT EXISTS submissions_idempotency ON submissions (idem_scope, idem_key) WHERE idem_key IS NOT NULL;

        -- An Idempotency-Key whose request stored nothing, its table being the head over again (AppendStatus.Unchanged), with
        -- the revision it was found to be: a retry with the key is answered so again, whatever is current by then. A key is
        -- either here or in submissions, never both (the writer looks in both before it writes either). Version 14.
        CREATE TABLE IF NOT EXISTS unchanged_keys (
            idem_scope TEXT    NOT NULL,
            idem_key   TEXT    NOT NULL,
            idem_hash  TEXT    NOT NULL,
            seq        INTEGER NOT NULL REFERENCES submissions (seq),
            PRIMARY KEY (idem_scope, idem_key)
        ) WITHOUT ROWID;

        -- The latest revision of each reporter's table: aggregates and revision checks read this, never scan history.
        CREATE TABLE IF NOT EXISTS heads (
            catalogue TEXT    NOT NULL,
            period    TEXT    NOT NULL,
            reporter  TEXT    NOT NULL,
            kind      TEXT    NOT NULL,
            seq       INTEGER NOT NULL REFERENCES submissions (seq),
            revision  INTEGER NOT NULL,
            PRIMARY KEY (catalogue, period, reporter)
        ) WITHOUT ROWID;

        -- A reporter's new revision becomes its head in the same statement that stores it.
        CREATE TRIGGER IF NOT EXISTS submissions_head AFTER INSERT ON submissions
        BEGIN
            INSERT INTO heads (catalogue, period, reporter, kind, seq, revision) VALUES (NEW.catalogue, NEW.period, NEW.reporter, NEW.kind, NEW.seq, NEW.revision)
            ON CONFLICT (catalogue, period, reporter) DO UPDATE SET kind = excluded.kind, seq = excluded.seq, revision = excluded.revision;
        END;

        -- The district table kept up to date: per catalogue, period, code and reporter kind, the sum over the
        -- latest revisions (an exact decimal as text) and how many reporters gave the cell. The writer adds up what
        -- each append changes (its new head less its old one) and writes the sums once per group commit, in the same
        -- transaction, so a read of the whole district costs the number of cells, not the number of reporters. A cell
        -- nobody gives has no row (blank, not zero).
        CREATE TABLE IF NOT EXISTS totals (
            catalogue  TEXT    NOT NULL,
            period     TEXT    NOT NULL,
            code       TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            amount     TEXT    NOT NULL,
            reporters  INTEGER NOT NULL CHECK (reporters >= 0),
            PRIMARY KEY (catalogue, period, code, kind)
        ) WITHOUT ROWID;

        -- The district office's current review (审核) of a revision: one row at most per submission, replaced by a later review.
        CREATE TABLE IF NOT EXISTS reviews (
            seq         INTEGER NOT NULL PRIMARY KEY REFERENCES submissions (seq),
            decision    TEXT    NOT NULL CHECK (decision IN ('accepted', 'returned')),
            comment     TEXT,
            reviewed_at INTEGER NOT NULL,
            key_id      TEXT
        );

        CREATE TABLE IF NOT EXISTS periods (
            catalogue          TEXT    NOT NULL,
            period             TEXT    NOT NULL,
            closed             INTEGER NOT NULL,
            closed_at          INTEGER,
            deadline           INTEGER,
            expected_reporters TEXT,
            -- Of a closed period, every reporter's name when it was closed, a JSON object {id: name}; NULL while open. Version 12.
            reporter_names     TEXT,
            -- Moves on every save of the settings, and only then: what a conditional save compares. Version 12.
            version            INTEGER NOT NULL DEFAULT 0,
            -- When the period was first closed (published), kept through reopenings; NULL until then. Version 15.
            first_closed_at    INTEGER,
            PRIMARY KEY (catalogue, period)
        ) WITHOUT ROWID;

        -- 操作日志, in the order of its ids (version 7 uuids, made from at). Version 8.
        CREATE TABLE IF NOT EXISTS audit (
            id        TEXT    NOT NULL PRIMARY KEY,
            at        INTEGER NOT NULL,
            method    TEXT    NOT NULL,
            path      TEXT    NOT NULL,
            route     TEXT,
            status    INTEGER NOT NULL,
            key_id    TEXT,
            role      TEXT    CHECK (role IN ('admin', 'viewer', 'reporter')),
            reporter  TEXT,
            holder    TEXT,
            remote_ip TEXT,
            detail    TEXT
        ) WITHOUT ROWID;
        -- One key's entries, newest first, without reading the others'. Version 9.
        CREATE INDEX IF NOT EXISTS audit_key ON audit (key_id, id);
        -- One reporter's entries (a reporter key's), newest first.
        CREATE INDEX IF NOT EXISTS audit_reporter ON audit (reporter, id);
        -- A window of time (from, to), without reading the whole log. Version 13.
        CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id);

        CREATE TABLE IF NOT EXISTS catalogues (
            id       TEXT    NOT NULL PRIMARY KEY,
            document TEXT    NOT NULL,
            saved_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Moves the cells of a file of schema version 1 or 2 — one <c>submission_values</c> row per cell — to one JSON object
    /// per submission in table order, then drops the per-cell table. Only submissions that have cell rows are moved: a
    /// file that went back to an older build after version 3 holds both kinds.
    /// </summary>
    public const string MoveCells = """
        UPDATE submissions SET
            cells = COALESCE((SELECT json_group_object(v.code, v.hundredths ORDER BY v.ord) FROM submission_values v WHERE v.seq = submissions.seq), '{}'),
            derived = (SELECT json_group_array(v.code ORDER BY v.ord) FROM submission_values v WHERE v.seq = submissions.seq AND v.derived
                       HAVING count(*) > 0)
        WHERE EXISTS (SELECT 1 FROM submission_values v WHERE v.seq = submissions.seq);
        DROP TABLE submission_values;
        """;

    /// <summary>
    /// The columns a revision is read from (<c>SqliteStore.ReadRevision</c>), for a query of <c>submissions s LEFT JOIN reviews v</c>
    /// (<see cref="Reviewed"/>): the submission's id, reporter, catalogue, period, revision, received_at, key_id and sent_at, then its
    /// review's decision, comment, reviewed_at and key_id, then the submission's note: <see cref="RevisionColumnCount"/> in all.
    /// </summary>
    public const string RevisionColumns = "s.id, s.reporter, s.catalogue, s.period, s.revision, s.received_at, s.key_id, s.sent_at, v.decision, v.comment, v.reviewed_at, v.key_id, s.note";

    public const int RevisionColumnCount = 13;

    /// <summary>Joins a revision's review, when it has one.</summary>
    public const string Reviewed = "LEFT JOIN reviews v ON v.seq = s.seq";

    /// <summary>A reporter's revisions of one table, oldest first.</summary>
    public const string Revisions = $"""
        SELECT {RevisionColumns} FROM submissions s {Reviewed}
        WHERE s.reporter = $reporter AND s.catalogue = $catalogue AND s.period = $period
        ORDER BY s.revision
        """;

    /// <summary>
    /// The heads an aggregate draws on: the period's own and its quarters', with the cells that are not in <c>totals</c>
    /// (all of them for a list of reporters, or when <c>$every</c> asks for them). Parameters in this order: every, reporters,
    /// period, catalogue, quarters, kind.
    /// </summary>
    public const string AggregateHeads = $$"""
        SELECT {{RevisionColumns}}, h.kind,
               CASE WHEN $every OR $reporters IS NOT NULL OR h.period <> $period THEN s.cells ELSE '{}' END
        FROM heads h JOIN submissions s ON s.seq = h.seq {{Reviewed}}
        WHERE h.catalogue = $catalogue
          AND h.period IN (SELECT $period UNION ALL SELECT value FROM json_each($quarters))
          AND ($kind IS NULL OR h.kind = $kind)
          AND ($reporters IS NULL OR h.reporter IN (SELECT value FROM json_each($reporters)))
        """;
}
