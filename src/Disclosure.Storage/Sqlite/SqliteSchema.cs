namespace Disclosure.Storage.Sqlite;

/// <summary>
/// The embedded store's tables. Values are integer hundredths (every catalogue unit has at most two
/// decimals) so that SUM is exact integer arithmetic; times are Unix milliseconds; ids are text.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 3;

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
        -- and group without a join. The table itself is one JSON object {code: hundredths} in table order
        -- (blank cells are absent) and the codes the service derived, a JSON array or NULL: one row written
        -- per submission instead of one per cell, and SQL still reads the cells through json_each.
        -- A reporter's revisions are a chain (previous: the seq this revision replaced) walked back from its
        -- head, not an index on (reporter, catalogue, period, revision): that index took one random page per
        -- append, written to the WAL, synced and checkpointed, and only the revision history read it. The
        -- single writer numbers revisions from the head, so they stay unique without it.
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
            idem_hash   TEXT,
            cells       TEXT    NOT NULL,
            derived     TEXT,
            previous    INTEGER
        );
        CREATE UNIQUE INDEX IF NOT EXISTS submissions_idempotency ON submissions (idem_scope, idem_key) WHERE idem_key IS NOT NULL;

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
        -- latest revisions and how many reporters gave the cell. The writer adds up what each append changes (its new
        -- head less its old one) and writes the sums once per group commit, in the same transaction, so a read of the
        -- whole district costs the number of cells, not the number of reporters. A cell nobody gives has no row
        -- (blank, not zero).
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

    /// <summary>Chains the revisions that are not chained yet, with a temporary index to find each one's predecessor.</summary>
    public const string ChainRevisions = """
        CREATE INDEX IF NOT EXISTS submissions_revision ON submissions (reporter, catalogue, period, revision);
        UPDATE submissions SET
            previous = (SELECT p.seq FROM submissions p WHERE p.reporter = submissions.reporter AND p.catalogue = submissions.catalogue
                        AND p.period = submissions.period AND p.revision = submissions.revision - 1)
        WHERE previous IS NULL AND revision > 1;
        DROP INDEX submissions_revision;
        """;

    /// <summary>Takes <c>totals</c> out — all of them, or one catalogue and period — before <see cref="ComputeTotals"/>.</summary>
    public const string DropTotals = """
        DELETE FROM totals WHERE ($catalogue IS NULL OR catalogue = $catalogue) AND ($period IS NULL OR period = $period)
        """;

    /// <summary>Computes <c>totals</c> afresh from the heads: all of them, or one catalogue and period.</summary>
    public const string ComputeTotals = """
        INSERT INTO totals (catalogue, period, code, kind, hundredths, reporters)
        SELECT h.catalogue, h.period, c.key, h.kind, SUM(c.value), COUNT(*)
        FROM heads h JOIN submissions s ON s.seq = h.seq JOIN json_each(s.cells) c
        WHERE ($catalogue IS NULL OR h.catalogue = $catalogue) AND ($period IS NULL OR h.period = $period)
        GROUP BY h.catalogue, h.period, c.key, h.kind
        """;

    /// <summary>A reporter's revisions of one table, oldest first, by walking the chain back from its head.</summary>
    public const string Revisions = """
        WITH RECURSIVE chain (seq) AS (
            SELECT seq FROM heads WHERE catalogue = $catalogue AND period = $period AND reporter = $reporter
            UNION ALL
            SELECT s.previous FROM submissions s JOIN chain c ON s.seq = c.seq WHERE s.previous IS NOT NULL)
        SELECT s.id, s.reporter, s.catalogue, s.period, s.revision, s.received_at
        FROM chain c JOIN submissions s ON s.seq = c.seq
        ORDER BY s.revision
        """;

    /// <summary>Adds what one group commit changed in a cell of <c>totals</c> that it gave to more reporters, or as many.</summary>
    public const string AddToTotal = """
        INSERT INTO totals (catalogue, period, code, kind, hundredths, reporters) VALUES ($catalogue, $period, $code, $kind, $hundredths, $reporters)
        ON CONFLICT (catalogue, period, code, kind) DO UPDATE SET hundredths = hundredths + excluded.hundredths, reporters = reporters + excluded.reporters
        """;

    /// <summary>
    /// The same for a cell that fewer reporters give now (a resubmission left it blank), which must have a row: an
    /// INSERT would check its negative count against the CHECK before finding the conflict. The new count comes back.
    /// </summary>
    public const string TakeFromTotal = """
        UPDATE totals SET hundredths = hundredths + $hundredths, reporters = reporters + $reporters
        WHERE catalogue = $catalogue AND period = $period AND code = $code AND kind = $kind
        RETURNING reporters
        """;

    /// <summary>A cell that no reporter gives any more becomes blank again.</summary>
    public const string DropTotal = """
        DELETE FROM totals WHERE catalogue = $catalogue AND period = $period AND code = $code AND kind = $kind AND reporters = 0
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
        SELECT c.key, h.kind, SUM(c.value), COUNT(*)
        FROM heads h JOIN submissions s ON s.seq = h.seq JOIN json_each(s.cells) c
        WHERE h.catalogue = $catalogue AND h.period = $period
          AND ($kind IS NULL OR h.kind = $kind)
          AND h.reporter IN (SELECT value FROM json_each($reporters))
        GROUP BY c.key, h.kind
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
            SELECT q.reporter, q.kind, c.key AS code, c.value AS hundredths,
                   c.key IN (SELECT value FROM json_each($stock)) AS stock,
                   c.key IN (SELECT value FROM json_each($opening)) AS opening,
                   ROW_NUMBER() OVER (PARTITION BY q.reporter, c.key ORDER BY q.period DESC) AS recency,
                   ROW_NUMBER() OVER (PARTITION BY q.reporter, c.key ORDER BY q.period) AS earliness
            FROM quarterly q JOIN submissions s ON s.seq = q.seq JOIN json_each(s.cells) c),
        contributed AS (
            SELECT kind, code, SUM(hundredths) AS hundredths FROM quarter_values
            WHERE CASE WHEN stock THEN recency = 1 WHEN opening THEN earliness = 1 ELSE 1 END
            GROUP BY reporter, kind, code)
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
