namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store's tables. Values are integer hundredths (every catalogue unit has at most two
/// decimals) so that SUM is exact integer arithmetic; times are Unix milliseconds; ids are text.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

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

    /// <summary>
    /// The reporters' own submissions for the period, summed by code and kind. Each reporter gives a code
    /// at most once, so COUNT(*) counts reporters. Blank cells have no row, so a code nobody gave never appears.
    /// </summary>
    public const string AggregateOwn = """
        SELECT v.code, h.kind, SUM(v.hundredths), COUNT(*)
        FROM heads h JOIN submission_values v ON v.seq = h.seq
        WHERE h.catalogue = $catalogue AND h.period = $period
          AND ($kind IS NULL OR h.kind = $kind)
          AND ($reporters IS NULL OR h.reporter IN (SELECT value FROM json_each($reporters)))
        GROUP BY v.code, h.kind
        """;

    /// <summary>
    /// A year from the quarters, for reporters with quarterly heads and no head for the year itself: flow
    /// codes summed over the quarters (counting each reporter once), stock codes from the latest quarter that
    /// gave a value. Kept apart from <see cref="AggregateOwn"/>, and flow apart from stock, because each extra
    /// GROUP BY or window over the whole set is another sort of every value row.
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
            SELECT q.reporter, q.kind, q.period, v.code, v.hundredths FROM quarterly q JOIN submission_values v ON v.seq = q.seq),
        stock AS (SELECT value AS code FROM json_each($stock)),
        latest_stock AS (
            SELECT kind, code, hundredths, ROW_NUMBER() OVER (PARTITION BY reporter, code ORDER BY period DESC) AS recency
            FROM quarter_values WHERE code IN stock)
        SELECT code, kind, SUM(hundredths), COUNT(DISTINCT reporter) FROM quarter_values WHERE code NOT IN stock GROUP BY code, kind
        UNION ALL
        SELECT code, kind, SUM(hundredths), COUNT(*) FROM latest_stock WHERE recency = 1 GROUP BY code, kind
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
