using System.Text.Json.Serialization;

namespace Disclosure.Catalogue;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}

/// <summary>
/// One broken rule. <see cref="Rule"/> is the engine's rule id (<c>sum</c>, <c>part</c>, <c>unit</c>, … or a
/// catalogue rule id such as <c>C2</c>); <see cref="Codes"/> names the indicator cells involved, the
/// offending one first.
/// </summary>
public sealed record Violation(
    string Rule,
    Severity Severity,
    IReadOnlyList<string> Codes,
    string? Expected,
    string? Actual,
    string Message,
    string MessageZh)
{
    /// <summary>
    /// Where the cells of <c>codes</c> are in the Excel workbook the table was uploaded as, in the same order (a code the workbook
    /// has no cell for left out), which the messages then name too; absent for a table sent as JSON.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CellLocation>? Cells { get; init; }

    /// <summary>
    /// On <c>period-closed</c>: when the closed period that would refuse the table was closed, as the <c>409 period-closed</c>
    /// carries it (<c>closedAt</c>); absent otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>
/// An indicator cell in an uploaded workbook: its code, the sheet and the cell as Excel names them (<c>表3</c>, <c>K6</c>), and
/// its row and column as the sheet prints them (<c>一、本年新收政府信息公开申请数量 · 总计</c>; a 2014 row's name).
/// </summary>
public sealed record CellLocation(string Code, string Sheet, string Cell, string Name);

/// <summary>The rule ids the engine itself raises; catalogue rules bring their own ids.</summary>
public static class RuleIds
{
    public const string Period = "period";
    public const string UnknownCode = "unknown-code";
    public const string HeaderValue = "header-value";
    /// <summary>A value for <c>row:column</c> where a ragged row does not have that column.</summary>
    public const string AbsentCell = "absent-cell";
    public const string DuplicateCode = "duplicate-code";
    public const string Unit = "unit";
    public const string Integer = "integer";
    public const string Decimals = "decimals";
    public const string Negative = "negative";
    public const string Range = "range";
    public const string Sum = "sum";
    public const string Part = "part";
    public const string PartWithoutWhole = "part-without-whole";
    public const string TooManyValues = "too-many-values";
}
