using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.Get;

/// <summary>A read of a table that prints a form: its layout (<c>?layout=</c>) and 报出日期 (<c>?reportDate=</c>), checked alike wherever a form is printed.</summary>
interface IPrintRequest
{
    string Period { get; }
    string? Layout { get; }
    string? ReportDate { get; }
}

// Not sealed: the breakdown reads the same query, with a rule of its own (Breakdown.Request).
class Request : IPrintRequest
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
    /// <summary>Comma-separated reporter ids, each once: aggregate only these.</summary>
    [QueryParam] public string? Reporters { get; set; }
    /// <summary>Aggregate only reporters of this kind.</summary>
    [QueryParam] public ReporterKind? Kind { get; set; }
    /// <summary>Alternative to the Accept header: <c>json</c>, <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }
    /// <summary>
    /// The layout of the CSV, xlsx and printable page (any case): <c>form</c> (the default), the statistical form the office
    /// signs, with 序号, 代码, the split by kind, the completeness line and the signature lines; or <c>publication</c>, the table
    /// as the annual report publishes it in its appendix: the title (2014年度政府信息公开工作情况统计表), the government in
    /// brackets under it, and 统计指标 | 单位 | 统计数 alone. The JSON is the same either way. The district table's alone: the
    /// breakdown (which reads this request too) refuses <c>publication</c>.
    /// </summary>
    [QueryParam] public string? Layout { get; set; }
    /// <summary>
    /// 报出日期 of the form, as <c>yyyy-MM-dd</c>: the day the office dates its signed table, not before the period's last day
    /// nor after today (Beijing time).
    /// Without it the form is dated the day the office closed the period, or while it is open the day the latest table used
    /// arrived. A publication prints it right under the government, as the report dates its appendix, and no date without it.
    /// </summary>
    [QueryParam] public string? ReportDate { get; set; }
    /// <summary>
    /// 按时点 · The district table as it stood at this moment, an ISO 8601 time with its offset (<c>2015-01-20T10:00:00+08:00</c>,
    /// the <c>+</c> written <c>%2B</c>, or <c>Z</c>): each reporter's latest revision received by then, stored revisions never
    /// changing, and the reporters registered by then expected. A period's <c>firstClosedAt</c> gives the table as it was first
    /// closed and published, each close's time in the audit log the table as that close published it; the breakdown so read shows
    /// which reporter's figures made up that total. A review made after it is left out (the one it replaced is not kept).
    /// </summary>
    /// <example>2015-01-20T10:00:00+08:00</example>
    [QueryParam] public string? AsAt { get; set; }

    /// <summary>
    /// The moment a <c>?asAt=</c> gives, if any, by every date-time's rule (RFC 3339 with its offset, as <c>?from=</c> and
    /// <c>?sentAt=</c>); a <c>+</c> sent unencoded arrives as a space, and is read as the <c>+</c> it was.
    /// </summary>
    internal static DateTimeOffset? MomentOf(string? asAt) =>
        asAt is { Length: > 0 } text && Infrastructure.OffsetDateTimeConverter.TryParse(text.Replace(' ', '+'), out var at) ? at : null;

    /// <summary>
    /// The rules of <c>?asAt=</c>, for each read of a table as it stood (<see cref="MomentOf"/>): a time with its offset, and not
    /// ahead of now (by <paramref name="clock"/>): a slip of the year (2105 for 2015) would print the table now as at a moment to come.
    /// </summary>
    internal static void AsAtRule<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> asAt, Func<TimeProvider> clock) =>
        validator.RuleFor(asAt).Cascade(CascadeMode.Stop).Must(a => string.IsNullOrEmpty(a) || MomentOf(a) is not null)
            .WithMessage("时点（asAt）须为带时区的时间，如 2015-01-20T10:00:00+08:00（+ 写作 %2B）或 2015-01-20T02:00:00Z。" +
                "asAt must be an ISO 8601 time with its offset, such as 2015-01-20T10:00:00+08:00 (the + written %2B) or 2015-01-20T02:00:00Z.")
            .Must(a => !(MomentOf(a) > clock().GetUtcNow()))
            .WithMessage("时点（asAt）晚于现在：按时点读取的是已经过去的某一时刻的汇总表。asAt is after now: a table is read as it stood at a moment past.");

    /// <summary>The layout a <c>?layout=</c> asks for, the form without one.</summary>
    internal static PrintLayout LayoutOf(string? layout) =>
        string.Equals(layout, "publication", StringComparison.OrdinalIgnoreCase) ? PrintLayout.Publication : PrintLayout.Form;

    /// <summary>The 报出日期 a <c>?reportDate=</c> gives, if any.</summary>
    internal static DateOnly? DayOf(string? reportDate) => reportDate is { Length: > 0 } day && DateOnly.TryParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.None, out var date) ? date : null;

    private static DateOnly LastDay(Disclosure.Catalogue.Period period) =>
        new DateOnly(period.Year, period.Quarter is { } q ? 3 * q : 12, 1).AddMonths(1).AddDays(-1);

    /// <summary>
    /// The rules of <c>?layout=</c> and <c>?reportDate=</c>, for each request that prints a form: the layout one of two, the
    /// 报出日期 a day from the period's last day to today (Beijing time, by <paramref name="clock"/>): a table is reported once
    /// its period is over, and is not dated ahead.
    /// </summary>
    internal static void PrintRules<T>(AbstractValidator<T> validator, Func<TimeProvider> clock) where T : IPrintRequest
    {
        validator.RuleFor(r => r.Layout).Must(l => string.IsNullOrEmpty(l) || l.Equals("form", StringComparison.OrdinalIgnoreCase) || l.Equals("publication", StringComparison.OrdinalIgnoreCase))
            .WithMessage("版式（layout）须为 form（报表，盖章用）或 publication（发布版，年报附表）。layout must be form or publication.");
        validator.RuleFor(r => r.ReportDate).Must(d => string.IsNullOrEmpty(d) || DayOf(d) is { Year: >= 1990 })
            .WithMessage("报出日期（reportDate）须为日期，如 2015-01-14。reportDate must be a date as yyyy-MM-dd, such as 2015-01-14.");
        // A table is reported once its period is over: a date before its last day is a slip of the year or month.
        validator.RuleFor(r => r.ReportDate).Must((r, _) => DayOf(r.ReportDate) is not { } day || !Disclosure.Catalogue.Period.TryParse(r.Period, out var period) || day >= LastDay(period))
            .WithMessage(r => $"报出日期（reportDate）{r.ReportDate} 早于{Infrastructure.AuditText.Period(r.Period)}的最后一天：统计表在统计期结束后报出。" +
                $"reportDate {r.ReportDate} is before the last day of {r.Period}: a table is reported once its period is over.");
        // Nor is it dated ahead: a day after today (2099 for 2015, a slip of the year) would print a day that has not come.
        validator.RuleFor(r => r.ReportDate).Custom((given, context) =>
        {
            if (DayOf(given) is not { } day) return;
            var today = DateOnly.FromDateTime(Infrastructure.ChinaTime.Of(clock().GetUtcNow()).DateTime);
            if (day <= today) return;
            var shown = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            context.AddFailure($"报出日期（reportDate）{given} 晚于今天（北京时间 {shown}）：报出日期不能是还没到的日子。" +
                $"reportDate {given} is after today ({shown}, Beijing time): a table is not dated ahead.");
        });
    }

    public IReadOnlyList<string>? ReporterList() => ListOf(Reporters);

    /// <summary>The ids of a <c>?reporters=</c> filter (each once, as <see cref="ReportersRules"/> has it); null without one.</summary>
    public static IReadOnlyList<string>? ListOf(string? reporters) => reporters is null ? null : Ids(reporters).ToList();

    /// <summary>The 422 for a <c>?reporters=</c> that names reporters that are not registered; null when it names none.</summary>
    public static async Task<IResult?> RefuseUnknownAsync(IReadOnlyList<string>? reporters, IReporterStore registry, HttpContext context, CancellationToken ct)
    {
        if (reporters is null) return null;
        var known = (await registry.ListReportersAsync(ct)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = reporters.Where(r => !known.Contains(r)).ToList();
        return unknown.Count == 0 ? null : Infrastructure.Problems.Unprocessable(
            $"所选范围（reporters）中有 {unknown.Count} 个单位未登记。The reporters filter names {unknown.Count} reporter(s) that are not registered.", [.. unknown.Select(Infrastructure.Problems.UnknownReporter)], context, "The request was refused");
    }

    private static string[] Ids(string reporters) => reporters.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>
    /// The rules of a <c>?reporters=</c> filter, for each request that takes one: reporter ids separated by commas, each once.
    /// An empty item (<c>a,,b</c>, <c>a,</c>) or a repeat is refused rather than passed over, as the office's list with a
    /// slip in it is worth telling; each item wrong is named by its place (1 for the first), a repeat by its id.
    /// </summary>
    // Stopped at the length: a list of more than 100 000 characters is not walked item by item (its items are not told).
    internal static void ReportersRules<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> reporters) =>
        validator.RuleFor(reporters).Cascade(CascadeMode.Stop).MaximumLength(100_000).Custom((list, context) =>
        {
            if (list is null) return;
            var ids = Ids(list);
            if (ids.All(id => id.Length == 0))
            {
                context.AddFailure("所选范围（reporters）须至少列出一个填报单位代码。reporters must name at least one reporter id.");
                return;
            }
            var (seen, said) = (new HashSet<string>(StringComparer.Ordinal), 0);
            // The first ten are enough to mend a list by; a query of 100 000 commas is not answered with as many errors.
            for (var i = 0; i < ids.Length && said < 10; i++)
            {
                var wrong = ids[i].Length == 0 ? $"所选范围（reporters）的第 {i + 1} 项是空的（两个逗号相连，或逗号在头尾）：各代码之间只用一个逗号分隔。reporters item {i + 1} is empty (two commas together, or one at an end): separate reporter ids with single commas."
                    : !Features.Reporters.ReporterIds.IsValid(ids[i]) ? $"所选范围（reporters）的第 {i + 1} 项不是填报单位代码：代码{Features.Reporters.ReporterIds.ShapeZh}。reporters item {i + 1} is not a reporter id: {Features.Reporters.ReporterIds.ShapeEn}."
                    : !seen.Add(ids[i]) ? $"所选范围（reporters）中“{ids[i]}”列出不止一次（第 {i + 1} 项）：每个单位只列一次。reporters names '{ids[i]}' more than once (item {i + 1}): name each reporter once."
                    : null;
                if (wrong is null) continue;
                context.AddFailure(wrong);
                said++;
            }
        });

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            ReportersRules(this, r => r.Reporters);
            RuleFor(r => r.Kind).IsInEnum();
            RuleFor(r => r.Format).AnyFormat();
            PrintRules(this, Resolve<TimeProvider>);
            AsAtRule(this, r => r.AsAt, Resolve<TimeProvider>);
        }
    }
}
