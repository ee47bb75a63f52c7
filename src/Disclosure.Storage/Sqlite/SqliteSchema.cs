namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store's tables. Values are integer hundredths (every catalogue unit has at most two
/// decimals) so that SUM is exact integer arithmetic; times are Unix milliseconds; ids are text.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS reporters (
            id         TEXT    NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            kind       TEXT    NOT NULL CHECK (kind IN ('government', 'department', 'town')),
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS api_keys (
            id         TEXT    NOT NULL PRIMARY KEY,
            hash       TEXT    NOT NULL UNIQUE,
            role       TEXT    NOT NULL CHECK (role IN ('admin', 'viewer', 'reporter')),
            reporter   TEXT,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );

        -- One row per revision. The reporter's kind is copied in at write time so that aggregates filter
        -- and group without a join.
        CREATE TABLE IF NOT EXISTS submissions (
            seq         INTEGER NOT NULL PRIMARY KEY,
            id          TEXT    NOT NULL UNIQUE,
            reporter    TEXT    NOT NULL REFERENCES reporters (id),
            kind        TEXT    NOT NULL,
            catalogue   TEXT    NOT NULL,
            period      TEXT    NOT NULL,
            revision    INTEGER NOT NULL CHECK (revision >= 1),
            received_at INTEGER NOT NULL,
            warnings    TEXT    NOT NULL,
            key_id      TEXT,
            idem_scope  TEXT,
            idem_key    TEXT,
            idem_hash   TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS submissions_revision ON submissions (reporter, catalogue, period, revision);
        CREATE UNIQUE INDEX IF NOT EXISTS submissions_idempotency ON submissions (idem_scope, idem_key) WHERE idem_key IS NOT NULL;

        CREATE TABLE IF NOT EXISTS submission_values (
            seq        INTEGER NOT NULL REFERENCES submissions (seq),
            code       TEXT    NOT NULL,
            ord        INTEGER NOT NULL,
            hundredths INTEGER NOT NULL,
            derived    INTEGER NOT NULL,
            PRIMARY KEY (seq, code)
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

        -- The district table kept up to date: per catalogue, period, code and reporter kind, the sum over the
        -- latest revisions and how many reporters gave the cell. The writer moves a reporter's old head out and its
        -- new one in, in the append's own transaction, so a read of the whole district costs the number of cells,
        -- not the number of reporters. A cell nobody gives has no row (blank, not zero).
        CREATE TABLE IF NOT EXISTS totals (
            catalogue  TEXT    NOT NULL,
            period     TEXT    NOT NULL,
            code       TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            hundredths INTEGER NOT NULL,
            reporters  INTEGER NOT NULL CHECK (reporters >= 0),
            PRIMARY KEY (catalogue, period, code, kind)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS periods (
            catalogue          TEXT    NOT NULL,
            period             TEXT    NOT NULL,
            closed             INTEGER NOT NULL,
            closed_at          INTEGER,
            deadline           INTEGER,
            expected_reporters TEXT,
            PRIMARY KEY (catalogue, period)
        ) WITHOUT ROWID;
        """;

    /// <summary>Fills <c>totals</c> for a file written before it existed (schema version 1).</summary>
    public const string BackfillTotals = """
        INSERT OR REPLACE INTO totals (catalogue, period, code, kind, hundredths, reporters)
        SELECT h.catalogue, h.period, v.code, h.kind, SUM(v.hundredths), COUNT(*)
        FROM heads h JOIN submission_values v ON v.seq = h.seq
        GROUP BY h.catalogue, h.period, v.code, h.kind
        """;

    /// <summary>Takes a reporter's current head out of <c>totals</c> (before its new revision goes in).</summary>
    public const string RemoveFromTotals = """
        UPDATE totals SET hundredths = totals.hundredths - old.hundredths, reporters = totals.reporters - 1
        FROM (SELECT h.catalogue, h.period, v.code, h.kind, v.hundredths
              FROM heads h JOIN submission_values v ON v.seq = h.seq
              WHERE h.catalogue = $catalogue AND h.period = $period AND h.reporter = $reporter) AS old
        WHERE totals.catalogue = old.catalogue AND totals.period = old.period AND totals.code = old.code AND totals.kind = old.kind
        """;

    /// <summary>Adds a new head's cells to <c>totals</c>; <c>$values</c> is the append's <c>{code: hundredths}</c> object.</summary>
    public const string AddToTotals = """
        INSERT INTO totals (catalogue, period, code, kind, hundredths, reporters)
        SELECT $catalogue, $period, key, $kind, value, 1 FROM json_each($values) WHERE true
        ON CONFLICT (catalogue, period, code, kind) DO UPDATE SET hundredths = hundredths + excluded.hundredths, reporters = reporters + 1
        """;

    /// <summary>Cells that no reporter gives any more become blank again.</summary>
    public const string DropEmptyTotals = """
        DELETE FROM totals WHERE catalogue = $catalogue AND period = $period AND reporters = 0
        """;

    /// <summary>The whole district (optionally one kind) for the period: read straight from <c>totals</c>.</summary>
    public const string AggregateTotals = """
        SELECT code, kind, hundredths, reporters FROM totals
        WHERE catalogue = $catalogue AND period = $period AND ($kind IS NULL OR kind = $kind)
        """;

    /// <summary>
    /// The own submissions of the reporters a filter names, summed by code and kind. Each reporter gives a code at
    /// most once, so COUNT(*) counts reporters.
    /// </summary>
    public const string AggregateOwn = """
        SELECT v.code, h.kind, SUM(v.hundredths), COUNT(*)
        FROM heads h JOIN submission_values v ON v.seq = h.seq
        WHERE h.catalogue = $catalogue AND h.period = $period
          AND ($kind IS NULL OR h.kind = $kind)
          AND h.reporter IN (SELECT value FROM json_each($reporters))
        GROUP BY v.code, h.kind
        """;

    /// <summary>
    /// A year from the quarters, for reporters with quarterly heads and no head for the year itself: flow codes
    /// summed over the quarters, stock codes from the latest quarter that gave a value; one row per reporter and
    /// code first, so that COUNT(*) counts reporters.
    /// </summary>
    public const string AggregateQuarters = """
        WITH
        quarterly AS (
            SELECT h.reporter, h.kind, h.seq, h.period FROM heads h
            WHERE h.catalogue = $catalogue AND h.period IN (SELECT value FROM json_each($quarters))
              AND ($kind IS NULL OR h.kind = $kind)
              AND ($reporters IS NULL OR h.reporter IN (SELECT value FROM json_each($reporters)))
              AND NOT EXISTS (SELECT 1 FROM heads y WHERE y.catalogue = $catalogue AND y.period = $period AND y.reporter = h.reporter)),
        quarter_values AS (
            SELECT q.reporter, q.kind, v.code, v.hundredths,
                   v.code IN (SELECT value FROM json_each($stock)) AS stock,
                   ROW_NUMBER() OVER (PARTITION BY q.reporter, v.code ORDER BY q.period DESC) AS recency
            FROM quarterly q JOIN submission_values v ON v.seq = q.seq),
        contributed AS (
            SELECT kind, code, SUM(hundredths) AS hundredths FROM quarter_values WHERE NOT stock OR recency = 1 GROUP BY reporter, kind, code)
        SELECT code, kind, SUM(hundredths), COUNT(*) FROM contributed GROUP BY code, kind
        """;

    /// <summary>The heads an aggregate draws on, for its list of contributions.</summary>
    public const string AggregateHeads = """
        SELECT h.kind, s.id, s.reporter, s.catalogue, s.period, s.revision, s.received_at
        FROM heads h JOIN submissions s ON s.seq = h.seq
        WHERE h.catalogue = $catalogue
          AND (h.period = $period OR h.period IN (SELECT value FROM json_each($quarters)))
          AND ($kind IS NULL OR h.kind = $kind)
          AND ($reporters IS NULL OR h.reporter IN (SELECT value FROM json_each($reporters)))
        """;
}
