using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Disclosure.Catalogue;

/// <summary>A reporting period: a calendar year (<c>2014</c>) or one of its quarters (<c>2014Q3</c>).</summary>
public readonly partial record struct Period(int Year, int? Quarter) : IComparable<Period>
{
    public bool IsYear => Quarter is null;

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null || (text.Length != 4 && text.Length != 6)) return false;
        for (var i = 0; i < 4; i++)
            if (text[i] is < '0' or > '9') return false;
        var year = int.Parse(text.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
        if (year < 1900) return false;
        if (text.Length == 4) { period = new Period(year, null); return true; }
        if (text[4] != 'Q' || text[5] is < '1' or > '4') return false;
        period = new Period(year, text[5] - '0');
        return true;
    }

    /// <summary>
    /// A period as a person types it in a workbook's period cell: what <see cref="TryParse"/> takes, and also full-width digits
    /// (<c>２０１４</c>), spaces around it, <c>q</c> for <c>Q</c>, a year followed by 年 or 年度 (<c>2014年</c>), or a quarter as the
    /// printed form writes it (<c>2014年第3季度</c>, <c>2014年第三季度</c>) or as people shorten it (<c>2014年3季度</c>, <c>2014年三季度</c>,
    /// <c>2014-Q3</c>, <c>2014 Q3</c>). A month-like <c>2014.3</c> or a two-digit year is not guessed at. The pages read their period fields by the same rule
    /// (<c>typedPeriod</c> in wwwroot/app.js), so a period the office types there is one a town may type in Excel. The JSON API
    /// takes <see cref="TryParse"/>'s form only: its clients are programs, and the pages send that form.
    /// </summary>
    public static bool TryParseTyped([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null) return false;
        var typed = text.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToUpperInvariant();
        var quarter = TypedQuarter().Match(typed) is { Success: true } chinese ? chinese : CodedQuarter().Match(typed);
        return TryParse(quarter.Success ? $"{quarter.Groups[1].Value}Q{"1234一二三四".IndexOf(quarter.Groups[2].Value, StringComparison.Ordinal) % 4 + 1}"
            : TypedYear().Replace(typed, ""), out period);
    }

    [GeneratedRegex(@"^([0-9]{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度$")]
    private static partial Regex TypedQuarter();

    [GeneratedRegex(@"^([0-9]{4})\s*(?:年|-)?\s*Q\s*([1-4])$")]
    private static partial Regex CodedQuarter();

    [GeneratedRegex(@"\s*年度?$")]
    private static partial Regex TypedYear();

    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (expected YYYY or YYYYQ1..YYYYQ4).");

    /// <summary>The four quarters of this period's year, in order.</summary>
    public IReadOnlyList<Period> QuartersOfYear() =>
        [new(Year, 1), new(Year, 2), new(Year, 3), new(Year, 4)];

    /// <summary>
    /// True when this period begins on or after the day <paramref name="other"/> begins: a year begins with its first
    /// quarter, so <c>2020</c> and <c>2020Q1</c> begin together, and the year <c>2020</c> begins before <c>2020Q3</c>. What a
    /// reporter's retirement covers: retired from <c>2020Q3</c>, it still owes the year 2020, which began while it existed.
    /// </summary>
    public bool BeginsOnOrAfter(Period other) =>
        Year != other.Year ? Year > other.Year : (Quarter ?? 1) >= (other.Quarter ?? 1);

    /// <summary>The same period a year before: <c>2013</c> for <c>2014</c>, <c>2013Q3</c> for <c>2014Q3</c>.</summary>
    public Period YearBefore() => this with { Year = Year - 1 };

    public int CompareTo(Period other) =>
        Year != other.Year ? Year.CompareTo(other.Year) : (Quarter ?? 5).CompareTo(other.Quarter ?? 5);

    /// <summary>The period as the printed form names it: <c>2014年</c>, <c>2014年第3季度</c>.</summary>
    internal string Printed() => Quarter is { } q ? $"{Year}年第{q}季度" : $"{Year}年";

    public override string ToString() => Quarter is { } q ? $"{Year}Q{q}" : Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
