namespace Disclosure.Storage.Sqlite;

public sealed partial class SqliteStore : IStoreHealth
{
    public StoreFaultException? Fault => writer?.Health.Fault;

    /// <summary>
    /// A one-row write through the writer (so a success clears the fault as any committed batch does). It runs only
    /// while a fault is recorded: a full disk frees up without a client retrying, and readiness finds out by itself.
    /// </summary>
    public async Task<bool> ProbeWriteAsync(CancellationToken ct)
    {
        if (writer is not { } w) return false;
        if (!w.Health.MayHaveRecovered) return false;
        try
        {
            await w.WriteAsync(x =>
            {
                x.Command("CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL); " +
                    "INSERT OR REPLACE INTO store_probe (id, at) VALUES (1, $at)", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ExecuteNonQuery();
                return (true, true);
            }, ct).ConfigureAwait(false);
            return w.Health.Fault is null;
        }
        catch (StoreFaultException)
        {
            return false;
        }
    }

    /// <summary>Caps the file at its current size, or lifts the cap (null), on the writer's connection: a full disk without filling one (for tests).</summary>
    internal Task CapPagesAsync(bool capped, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            Execute(w.Connection, $"PRAGMA max_page_count = {(capped ? Sql.Scalar(w.Connection, "PRAGMA page_count") : 1073741823)}");
            return (true, false);
        }, ct);
}
