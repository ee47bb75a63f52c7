using System.Globalization;
using Disclosure.Storage;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The words of an audit entry's detail (<see cref="AuditLog.Record"/>), in Chinese: the people who read the log are the district
/// office and those who inspect it, and the page shows the detail as written. Times in China Standard Time, as the office keeps them.
/// </summary>
public static class AuditText
{
    public const string None = "（无）";

    public static string Role(KeyRole? role) => role switch
    {
        KeyRole.Admin => "管理员",
        KeyRole.Viewer => "查看",
        KeyRole.Reporter => "填报单位",
        _ => "（无有效密钥）",
    };

    public static string Time(DateTimeOffset? time) => time is { } t ? Shown(t, "（北京时间）", "（UTC）") : "（未设）";

    /// <summary>The same time as <see cref="Time"/> shows it, for a message's English half: <c>2020-01-31 17:00 (Beijing time)</c>.</summary>
    public static string TimeInEnglish(DateTimeOffset time) => Shown(time, " (Beijing time)", " (UTC)");

    private static string Shown(DateTimeOffset time, string beijing, string utc)
    {
        var shown = ChinaTime.Of(time);
        return shown.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + (shown.Offset == ChinaTime.Offset ? beijing : utc);
    }

    /// <summary>What a request did, by its method and route, as the office's page names it (操作).</summary>
    public static string Action(string method, string? route) => (method, route) switch
    {
        ("POST", "v1/reporters") => "登记填报单位",
        ("PATCH", "v1/reporters/{id}") => "更正或撤并填报单位",
        ("POST", "v1/keys") => "发放密钥",
        ("DELETE", "v1/keys/{id}") => "吊销密钥",
        ("PUT", "v1/periods/{catalogue}/{period}") => "设置统计期",
        ("POST", "v1/periods/{catalogue}/{period}/close") => "关闭统计期",
        ("POST", "v1/periods/{catalogue}/{period}/reopen") => "重新开放统计期",
        ("POST", "v1/catalogues") => "载入统计表目录",
        ("POST", "v1/submissions/{id}/review") => "审核报表",
        // The one submission the log keeps: a returned table's correction let into a closed period.
        ("POST", "v1/submissions") => "报送已关闭统计期的报表", // a correction a return let in, or one refused (409)
        ("POST", "v1/admin/backup") => "备份数据",
        ("GET", "v1/me") => "登录（核对密钥）",
        ("GET", _) => "查看",
        _ => $"{method} {route}",
    };

    /// <summary>How it was answered (结果), as the office's page says it, in words; a 401 without a key is the refusal with which an address reached the limit of wrong keys.</summary>
    public static string Result(int status, bool keyed = true) => status switch
    {
        < 300 => "成功",
        401 => keyed ? "密钥已过期或已吊销，被拒绝" : "多次使用无效密钥，暂停接受",
        403 => "无权限，被拒绝",
        >= 500 => $"服务器出错（{status}）",
        _ => $"未执行（{status}）",
    };

    /// <summary>When an entry was made, to the second, in China Standard Time.</summary>
    public static string Moment(DateTimeOffset time) => ChinaTime.Of(time).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A period as people read it, and as the printed table names it: <c>2020年度</c>, <c>2020年第3季度</c>.</summary>
    public static string Period(string period) => Disclosure.Catalogue.Period.TryParse(period, out var p)
        ? p.Quarter is { } q ? $"{p.Year}年第{q}季度" : $"{p.Year}年度"
        : period;

    /// <summary>
    /// A table as the office names it, by its period and printed title (<c>2014年度政府信息公开工作情况统计表</c>, the heading of its
    /// exports), not by the catalogue's id, which the office never sees; the id stays where the catalogue is unknown to this build.
    /// </summary>
    public static string Table(Disclosure.Catalogue.CatalogueRegistry catalogues, string catalogueId, string period) =>
        catalogues.TryGet(catalogueId, out var catalogue) ? Table(catalogue, period) : $"{catalogueId} {Period(period)}";

    /// <inheritdoc cref="Table(Disclosure.Catalogue.CatalogueRegistry, string, string)"/>
    public static string Table(Disclosure.Catalogue.Catalogue catalogue, string period) =>
        Period(period) + Features.Aggregates.Exports.FormTitle(catalogue);

    /// <summary>A reporter by its name (names are unique), as the office knows it; its id where it is not registered.</summary>
    public static async Task<string> ReporterAsync(IReporterStore reporters, string id, CancellationToken ct) =>
        (await reporters.GetReporterAsync(id, ct))?.Name ?? id;

    /// <summary>A reporter's retirement (撤并自): the first period it no longer reports, or 未撤并.</summary>
    public static string RetiredFrom(string? period) => period is null ? "未撤并" : Period(period);

    /// <summary>A change of one field, <c>名称 古邵镇 → 古邵镇人民政府</c>; null when it did not change.</summary>
    public static string? Changed(string what, string? before, string? after) =>
        before == after ? null : $"{what} {before ?? None} → {after ?? None}";
}
