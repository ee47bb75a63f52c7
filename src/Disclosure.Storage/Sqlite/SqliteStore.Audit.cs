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

    // The ids are lower-case hexadecimal of the same width, so their text sorts as the uuids do: by time first. Each filter is
    // written only when asked for, with an equality or a range of its own, since SQLite plans "$key IS NULL OR key_id = $key" (and
    // "$from IS NULL OR at >= $from") as a scan: a key's or a reporter's entries come from their indexes (audit_key, audit_reporter),
    // a window of time (from and to) from audit_at, and an action (method and route) is matched on the entries the rest selects.
    // A page after the first (before) is read down the primary key from where the last one stopped, the window matched on the way
    // ("+at" keeps SQLite from searching audit_at for it): searched by time, every page of a long window's CSV would read and sort
    // the whole window again. One bound alone is left to SQLite, which reads the newest entries first and stops at the limit.
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken ct)
    {
        var (sql, values) = AuditSql(query);
        return QueryAsync(sql, values, ReadAudit, ct);
    }

    /// <summary>The statement <see cref="ListAuditAsync"/> runs for <paramref name="query"/>, and its values in the order of its parameters.</summary>
    internal static (string Sql, object?[] Values) AuditSql(AuditQuery query)
    {
        var (where, values) = (new List<string>(), new List<object?>());
        if (query.KeyId is { } key) { where.Add("key_id = $key"); values.Add(key.ToString("D")); }
        if (query.ReporterId is { } reporter) { where.Add("reporter = $reporter"); values.Add(reporter); }
        if (query.Action is { } action) { where.Add("method = $method AND route = $route"); values.AddRange([action.Method, action.Route]); }
        var at = query.Before is null ? "at" : "+at";
        if (query.From is { } from) { where.Add($"{at} >= $from"); values.Add(from.ToUnixTimeMilliseconds()); }
        if (query.To is { } to) { where.Add($"{at} < $to"); values.Add(to.ToUnixTimeMilliseconds()); }
        if (query.Before is { } before) { where.Add("id < $before"); values.Add(before.ToString("D")); }
        values.Add(query.Limit);
        var filter = where.Count == 0 ? "" : $"WHERE {string.Join(" AND ", where)} ";
        return ($"SELECT {AuditColumns} FROM audit {filter}ORDER BY id DESC LIMIT $limit", [.. values]);
    }

    private static AuditEntry ReadAudit(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5),
            r.IsDBNull(6) ? null : Guid.Parse(r.GetString(6)), r.IsDBNull(7) ? null : StoredForm.ParseRole(r.GetString(7)), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11));
}
