using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string AuditColumns = "id, at, method, path, route, status, key_id, role, reporter, holder, remote_ip, detail";

    // One INSERT, which writes nothing when it fails and touches no head: it joins a batch of appends without a savepoint and
    // without emptying the heads the writer keeps for them.
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct) =>
        Writer.WriteAsync(w =>
        {
            w.Command($"INSERT INTO audit ({AuditColumns}) VALUES ($id, $at, $method, $path, $route, $status, $key, $role, $reporter, $holder, $ip, $detail)",
                entry.Id.ToString("D"), entry.At.ToUnixTimeMilliseconds(), entry.Method, entry.Path, entry.Route, entry.Status, entry.KeyId?.ToString("D"),
                entry.Role is { } role ? StoredForm.Name(role) : null, entry.ReporterId, entry.Holder, entry.RemoteIp, entry.Detail).ExecuteNonQuery();
            return (true, true);
        }, ct, refusesBeforeWriting: true);

    // The ids are lower-case hexadecimal of the same width, so their text sorts as the uuids do: by time first. One key's
    // entries are asked for with a query of their own, since SQLite plans "$key IS NULL OR key_id = $key" as a scan.
    private const string AuditWindow = "($from IS NULL OR at >= $from) AND ($to IS NULL OR at < $to) AND ($before IS NULL OR id < $before)";

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct)
    {
        object?[] window = [query.From?.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds(), query.Before?.ToString("D"), query.Limit];
        return query.KeyId is { } key
            ? QueryAsync($"SELECT {AuditColumns} FROM audit WHERE key_id = $key AND {AuditWindow} ORDER BY id DESC LIMIT $limit", [key.ToString("D"), .. window], ReadAudit, ct)
            : QueryAsync($"SELECT {AuditColumns} FROM audit WHERE {AuditWindow} ORDER BY id DESC LIMIT $limit", window, ReadAudit, ct);
    }

    private static AuditEntry ReadAudit(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), Text(r, 4), r.GetInt32(5),
            IdOrNull(r, 6), r.IsDBNull(7) ? null : StoredForm.ParseRole(r.GetString(7)), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11));
}
