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

    // The ids are lower-case hexadecimal of the same width, so their text sorts as the uuids do: by time first. A key's or a
    // reporter's entries are asked for with an equality of their own (indexes audit_key and audit_reporter), since SQLite plans
    // "$key IS NULL OR key_id = $key" as a scan; an action (method and route) is matched on the entries the rest selects.
    private const string AuditWindow = "($from IS NULL OR at >= $from) AND ($to IS NULL OR at < $to) AND ($before IS NULL OR id < $before)";

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct)
    {
        var (where, values) = (new List<string>(), new List<object?>());
        if (query.KeyId is { } key) { where.Add("key_id = $key"); values.Add(key.ToString("D")); }
        if (query.ReporterId is { } reporter) { where.Add("reporter = $reporter"); values.Add(reporter); }
        if (query.Action is { } action) { where.Add("method = $method AND route = $route"); values.AddRange([action.Method, action.Route]); }
        where.Add(AuditWindow);
        values.AddRange([query.From?.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds(), query.Before?.ToString("D"), query.Limit]);
        return QueryAsync($"SELECT {AuditColumns} FROM audit WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT $limit", [.. values], ReadAudit, ct);
    }

    private static AuditEntry ReadAudit(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5),
            r.IsDBNull(6) ? null : Guid.Parse(r.GetString(6)), r.IsDBNull(7) ? null : StoredForm.ParseRole(r.GetString(7)), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11));
}
