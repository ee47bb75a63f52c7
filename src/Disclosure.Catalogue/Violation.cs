using System.Text.Json.Serialization;

namespace Disclosure.Catalogue;

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}

/// <summary>
/// One broken rule. <see cref="Rule"/> is the rule's id (<c>sum</c>, <c>part</c>, <c>unit</c>, … each listed where the document
/// describes <c>rule</c>, or a catalogue rule id such as <c>C2</c>); <see cref="Codes"/> names the indicator cells involved, the
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

/// <summary>
/// The rule ids the engine itself raises; catalogue rules bring their own ids. Each one's summary is what the OpenAPI document says
/// of it, for integrators who switch on <c>rule</c>.
/// </summary>
public static class RuleIds
{
    /// <summary>The period is malformed, or one the catalogue does not take (<c>expected</c> says which it takes).</summary>
    public const string Period = "period";
    /// <summary>A code the catalogue does not have.</summary>
    public const string UnknownCode = "unknown-code";
    /// <summary>A value for a heading row or column, which carries none.</summary>
    public const string HeaderValue = "header-value";
    /// <summary>A value for <c>row:column</c> where a ragged row does not have that column.</summary>
    public const string AbsentCell = "absent-cell";
    /// <summary>A code given twice in <c>values</c>.</summary>
    public const string DuplicateCode = "duplicate-code";
    /// <summary>A unit the cell does not take (<c>expected</c>: the cell's unit).</summary>
    public const string Unit = "unit";
    /// <summary>A fraction where the unit counts whole things (件, 人次, …).</summary>
    public const string Integer = "integer";
    /// <summary>More decimal places than the cell's unit keeps.</summary>
    public const string Decimals = "decimals";
    /// <summary>A figure below zero.</summary>
    public const string Negative = "negative";
    /// <summary>A figure above the largest the service keeps (<c>expected</c>).</summary>
    public const string Range = "range";
    /// <summary>A parent that is not the sum of its children (<c>codes</c>: the parent, then its children).</summary>
    public const string Sum = "sum";
    /// <summary>A “其中” part above its whole (<c>codes</c>: the part, then the whole).</summary>
    public const string Part = "part";
    /// <summary>A “其中” part given while its whole is blank.</summary>
    public const string PartWithoutWhole = "part-without-whole";
    /// <summary>More values than the catalogue has cells (<c>expected</c>: that many).</summary>
    public const string TooManyValues = "too-many-values";
}
