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

    public static string Kind(ReporterKind kind) => kind switch
    {
        ReporterKind.Government => "区政府",
        ReporterKind.Department => "区直部门",
        _ => "乡镇街道",
    };

    public static string Role(KeyRole role) => role switch
    {
        KeyRole.Admin => "管理员",
        KeyRole.Viewer => "查看",
        _ => "填报单位",
    };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "（北京时间）" : "（未设）";

    /// <summary>A change of one field, <c>名称 古邵镇 → 古邵镇人民政府</c>; null when it did not change.</summary>
    public static string? Changed(string what, string? before, string? after) =>
        before == after ? null : $"{what} {before ?? None} → {after ?? None}";
}
