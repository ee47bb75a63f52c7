using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Audit.List;

/// <summary>
/// What an entry's request acted on (对象), in the office's words rather than its path: a reporter by its name, a period by its
/// table's heading (<c>2014年度政府信息公开工作情况统计表</c>), a key by its role and holder, a reviewed table by its reporter,
/// heading and revision. Read as the log is read, one lookup per reporter, key or table of the page, so that a reporter renamed
/// since is named as it is now, as the office knows it; the path stays beside it for whoever needs the ids. A name the entry's
/// detail, written at the time, does not hold is marked （现名）: the detail names the reporter as it was then, and an auditor
/// reading both is told which is which rather than left to think the entry changed.
/// </summary>
sealed class Targets(IReporterStore reporters, IKeyStore keys, ISubmissionStore submissions, CatalogueRegistry catalogues)
{
    private Dictionary<string, string>? names;
    private readonly Dictionary<Guid, ApiKeyRecord?> keyRecords = [];

    /// <summary>The words of each entry of <paramref name="entries"/> that acted on something its path names; absent for the rest.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> OfAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var found = new Dictionary<Guid, string>();
        var reviewed = new Dictionary<AuditEntry, Guid>();
        foreach (var e in entries)
        {
            var values = Values(e.Route, e.Path);
            if (values is null) continue;
            switch (e.Route)
            {
                case "v1/reporters/{id}":
                    found[e.Id] = await ReporterAsync(values["id"], e.Detail, ct);
                    break;
                case "v1/periods/{catalogue}/{period}" or "v1/periods/{catalogue}/{period}/close" or "v1/periods/{catalogue}/{period}/reopen":
                    found[e.Id] = AuditText.Table(catalogues, values["catalogue"], values["period"]);
                    break;
                case "v1/keys/{id}" when Guid.TryParse(values["id"], out var keyId):
                    if (await KeyAsync(keyId, ct) is { } key) found[e.Id] = await KeyWordsAsync(key, e.Detail, ct);
                    break;
                case "v1/submissions/{id}/review" when Guid.TryParse(values["id"], out var submissionId):
                    reviewed[e] = submissionId;
                    break;
            }
        }
        if (reviewed.Count > 0)
        {
            var tables = await submissions.GetSubmissionsAsync(reviewed.Values.Distinct().ToList(), ct);
            foreach (var (entry, id) in reviewed)
                if (tables.TryGetValue(id, out var s))
                    found[entry.Id] = $"{await ReporterAsync(s.ReporterId, entry.Detail, ct)} {AuditText.Table(catalogues, s.CatalogueId, s.Period)} 第 {s.Revision} 版";
        }
        return found;
    }

    /// <summary>
    /// The route's parameters as the path gives them; null where the path is not of the route (cut short, or no route). By hand, not
    /// ASP.NET Core's TemplateMatcher: the log keeps whatever path a request had, and with the matcher a hostile
    /// one (RequestSweepTests) made the log's read a 500.
    /// </summary>
    internal static Dictionary<string, string>? Values(string? route, string path)
    {
        if (route is null || !route.Contains('{', StringComparison.Ordinal)) return null;
        var (parts, segments) = (route.Trim('/').Split('/'), path.Trim('/').Split('/'));
        if (parts.Length != segments.Length) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is ['{', .. var name, '}']) values[name] = segments[i];
            else if (!string.Equals(parts[i], segments[i], StringComparison.OrdinalIgnoreCase)) return null;
        }
        return values;
    }

    /// <summary>The reporter's name now, marked so where the entry's <paramref name="detail"/> names it otherwise (as it was then).</summary>
    private async Task<string> ReporterAsync(string id, string? detail, CancellationToken ct)
    {
        names ??= (await reporters.ListReportersAsync(ct)).ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        if (!names.TryGetValue(id, out var name)) return id;
        return detail is null || detail.Contains(name, StringComparison.Ordinal) ? name : $"{name}（现名）";
    }

    private async Task<ApiKeyRecord?> KeyAsync(Guid id, CancellationToken ct)
    {
        if (!keyRecords.TryGetValue(id, out var key)) keyRecords[id] = key = await keys.GetKeyAsync(id, ct);
        return key;
    }

    // 填报单位密钥（古邵镇，持有人 李四）, 管理员密钥（持有人 张三）: whose key it is, as the key list shows it.
    private async Task<string> KeyWordsAsync(ApiKeyRecord key, string? detail, CancellationToken ct)
    {
        string?[] whose = [key.ReporterId is { } reporter ? await ReporterAsync(reporter, detail, ct) : null, key.Label is { } label ? $"持有人 {label}" : null];
        var said = string.Join("，", whose.OfType<string>());
        return $"{AuditText.Role(key.Role)}密钥" + (said.Length > 0 ? $"（{said}）" : "");
    }
}
