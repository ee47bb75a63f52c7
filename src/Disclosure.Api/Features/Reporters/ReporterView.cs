using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FluentValidation;

namespace Disclosure.Api.Features.Reporters;

/// <summary>A reporter as the API shows it.</summary>
public sealed class ReporterView
{
    /// <summary>Lower-case id, <c>[a-z0-9-]{2,64}</c>, e.g. <c>yicheng-edu</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Name as printed, e.g. 峄城区教育局.</summary>
    public required string Name { get; init; }
    /// <summary><c>government</c> 区政府本级, <c>department</c> 区直部门, <c>town</c> 乡镇街道.</summary>
    public required ReporterKind Kind { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// 撤并/停用: the first period the reporter no longer reports (a town merged or abolished, a department reorganised),
    /// e.g. <c>2020</c> or <c>2020Q3</c>; absent while it reports. It is not expected, and may not submit, for any period
    /// that begins on or after the day this period begins: retired from <c>2020</c>, neither the year 2020 nor its quarters;
    /// retired from <c>2020Q3</c>, not 2020Q3, 2020Q4 or 2021 on, while 2020Q1, 2020Q2 and the year 2020 — which began
    /// while it still existed — are still its to report. Its tables of earlier periods stay and add up as before.
    /// </summary>
    public string? RetiredFrom { get; init; }
    /// <summary>
    /// 联系人及电话: whom the district office calls about the reporter's tables — to chase one not yet sent, or to ask about a
    /// figure — as the office wrote it, e.g. <c>王芳 0632-7712345</c>; absent when not known. Shown to the district office and to the
    /// reporter's own key, never to a viewer key: a dashboard has no need of a person's telephone number.
    /// </summary>
    public string? Contact { get; init; }

    public static ReporterView From(Reporter r, bool withContact = true) =>
        new() { Id = r.Id, Name = r.Name, Kind = r.Kind, CreatedAt = r.CreatedAt, RetiredFrom = r.RetiredFrom, Contact = withContact ? r.Contact : null };

    /// <summary>The reporter as <paramref name="reader"/> may see it: without its contact for a viewer key.</summary>
    public static ReporterView For(Reporter r, System.Security.Claims.ClaimsPrincipal reader) => From(r, withContact: !reader.IsInRole(Roles.Viewer));
}

/// <summary>A reporter kind as the district's printed tables and their messages name it.</summary>
public static class ReporterKinds
{
    public static string Printed(this ReporterKind kind) => kind switch
    {
        ReporterKind.Government => "区政府本级",
        ReporterKind.Department => "区直部门",
        _ => "乡镇街道",
    };
}

/// <summary>A reporter's retirement as the registry's refusals name it.</summary>
public static class Retirements
{
    public const string Rule = Infrastructure.RegistryRuleIds.ReporterRetired;

    /// <summary>
    /// The refusal of a table of a reporter for a period it is retired for: <c>expected</c> is the reporter's
    /// <c>retiredFrom</c> (a table's period must begin before it), <c>actual</c> the table's period.
    /// </summary>
    public static Violation Violation(string reporter, string retiredFrom, string period) =>
        Problems.RegistryViolation(Rule, reporter,
            $"Reporter '{reporter}' is retired from {retiredFrom} (retiredFrom: merged, abolished or reorganised): it reports no period that begins " +
            $"on or after {retiredFrom}, so it has no table for {period}. The district office can reinstate it, or move its retirement later.",
            $"填报单位“{reporter}”已自{Infrastructure.AuditText.Period(retiredFrom)}起撤并（停用）（retiredFrom），不再报送{Infrastructure.AuditText.Period(retiredFrom)}" +
            $"及以后开始的统计期，没有{Infrastructure.AuditText.Period(period)}的报表。如需恢复，请联系区政务公开办。") with { Expected = retiredFrom, Actual = period };
}

/// <summary>What a reporter id looks like, wherever a request names one.</summary>
public static partial class ReporterIds
{
    /// <summary>
    /// The whole id, to its very end (<c>\z</c>: <c>$</c> would let a final line feed through). Source-generated, not
    /// interpreted: every submission is checked with it.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]{2,64}\z")]
    public static partial System.Text.RegularExpressions.Regex Regex();

    public static bool IsValid(string id) => Regex().IsMatch(id);

    /// <summary>What an id must be, said in Chinese (<see cref="ShapeZh"/>) before English (<see cref="ShapeEn"/>) by each refusal of one.</summary>
    public const string ShapeZh = "由 2 至 64 个小写英文字母、数字或“-”组成（如 gushao-town）";
    public const string ShapeEn = "2 to 64 characters of lower-case letters, digits and '-'";

    /// <summary>The kinds, in Chinese then English, for the refusals of a kind.</summary>
    public const string KindsZh = "government（区政府本级）、department（区直部门）或 town（乡镇街道）";
    public const string KindsEn = "one of government, department, town";
}

/// <summary>What a reporter's name must be, wherever a request gives one (registering, correcting): it is printed in the district's tables.</summary>
public static class ReporterNames
{
    /// <summary>The rule, as the API's descriptions state it.</summary>
    public const string Unique =
        "A name is kept in Unicode normalisation form C without the white space around it, and is no other reporter's, a retired one's included " +
        "(409 `duplicate-reporter-name`): the missing list, the reminder and the exports name reporters by it, and a reporter has no first period, " +
        "so a new one is listed beside a retired one in the periods before its retirement. To give a merged town's name to a new body, rename the retired " +
        "reporter first (古邵镇（已撤并）).";

    /// <summary>
    /// 409 <c>duplicate-reporter-name</c>: <paramref name="name"/> (normalised) is <paramref name="holder"/>'s, which is named as
    /// <c>heldBy</c> (left out only when the holder was renamed in the meantime).
    /// </summary>
    public static IResult Taken(string name, Reporter? holder, HttpContext context) =>
        Problems.Conflict(ProblemTypes.DuplicateReporterName,
            $"名称“{name}”已是{(holder is null ? "另一填报单位" : $"填报单位 {holder.Id} ")}{(holder?.RetiredFrom is { } retired ? $"（自{Infrastructure.AuditText.Period(retired)}起撤并）" : "")}的名称，没有保存：" +
            "两个单位不能同名（已撤并的单位也保留名称）；新单位沿用其名称前，请先把原单位更名，如“" + name + "（已撤并）”。" +
            $"The name '{name}' is {(holder is null ? "another reporter's" : $"reporter '{holder.Id}''s")}{(holder?.RetiredFrom is { } from ? $" (retired from {from})" : "")}, " +
            "and two reporters cannot share one, retired ones included; nothing was changed. To give a retired reporter's name to a new one, rename the retired one first.",
            context, p =>
            {
                p.Extensions["name"] = name;
                if (holder is not null) p.Extensions["heldBy"] = holder.Id;
            });

    /// <summary>The audit log's words for a name refused as another reporter's.</summary>
    public static string HeldBy(string name, Reporter? holder) => $"名称 {name} 已属 '{holder?.Id ?? "另一填报单位"}'";

    /// <summary>The rule that keeps ids and names apart, as the API's descriptions state it.</summary>
    public const string ApartFromIds =
        "Nor is a name another reporter's id, or an id another reporter's name, as a workbook's 填报单位 cell reads them (an id in capitals or " +
        "full-width letters is that id): the cell takes either, and could not tell them apart (409 `reporter-id-name-clash`, with `field`, `value` and `heldBy`).";

    /// <summary>
    /// Text as a workbook's 填报单位 cell reads it as an id (<see cref="Templates.ReportersWorkbook.Meant"/>): the id itself, or
    /// written in capitals or full-width letters.
    /// </summary>
    public static string AsId(string text) => text.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToLowerInvariant();

    /// <summary>
    /// The reporter other than <paramref name="self"/> whose id <paramref name="name"/> reads as in a 填报单位 cell, if any. The check
    /// is made before the write, not held by the store: a registration of that id at the same instant can pass it, and the cell
    /// then reads the text as the id, as it reads names registered before the rule.
    /// </summary>
    public static async Task<Reporter?> IdReadAsAsync(IReporterStore reporters, string name, string self, CancellationToken ct) =>
        AsId(name) is var id && id != self && ReporterIds.IsValid(id) ? await reporters.GetReporterAsync(id, ct) : null;

    /// <summary>The reporter other than <paramref name="id"/>'s whose name a 填报单位 cell reads as <paramref name="id"/>, if any (checked as above).</summary>
    public static async Task<Reporter?> NameReadAsAsync(IReporterStore reporters, string id, CancellationToken ct) =>
        (await reporters.ListReportersAsync(ct)).FirstOrDefault(r => r.Id != id && AsId(r.Name) == id);

    /// <summary>
    /// 409 <c>reporter-id-name-clash</c>: the <paramref name="field"/> (<c>name</c> or <c>id</c>) given as <paramref name="value"/> is
    /// <paramref name="other"/>'s id (for a name) or name (for an id).
    /// </summary>
    public static IResult Clash(string field, string value, Reporter other, HttpContext context)
    {
        var (zh, en) = field == "name"
            ? ($"名称“{value}”是填报单位 {other.Id}（{other.Name}）的代码，没有保存：Excel 表的“填报单位”格填代码或名称都可以，同一文字不能既是一个单位的名称、又是另一个单位的代码。请换一个名称（如报表上印的单位全称）。",
               $"The name '{value}' is the id of reporter '{other.Id}' ({other.Name}): a workbook's 填报单位 cell takes either, and could not tell them apart; nothing was changed. Choose another name.")
            : ($"代码“{value}”是填报单位 {other.Id} 的名称，没有保存：Excel 表的“填报单位”格填代码或名称都可以，同一文字不能既是一个单位的代码、又是另一个单位的名称。请换一个代码，或先把 {other.Id} 更名。",
               $"The id '{value}' is the name of reporter '{other.Id}': a workbook's 填报单位 cell takes either, and could not tell them apart; nothing was stored. Choose another id, or rename '{other.Id}' first.");
        return Problems.Conflict(ProblemTypes.ReporterIdNameClash, zh + en, context, p =>
        {
            p.Extensions["field"] = field;
            p.Extensions["value"] = value;
            p.Extensions["heldBy"] = other.Id;
        });
    }

    /// <summary>The audit log's words for a name or id refused as another reporter's id or name.</summary>
    public static string Clashes(string field, string value, Reporter other) =>
        field == "name" ? $"名称 {value} 是 '{other.Id}' 的代码" : $"代码 {value} 是 '{other.Id}' 的名称";

    public static IRuleBuilderOptions<T, string?> ReporterName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("请填写名称（name）：即报表上印的单位名称。name is required: the name printed in the district's tables.")
            .MaximumLength(200).WithMessage((_, name) => $"名称最多 200 个字，现有 {name!.Length} 个：请改短。name may hold up to 200 characters; it has {name.Length}.")
            .Must(name => name is null || Disclosure.Catalogue.PrintableText.IsPrintable(name))
            .WithMessage("名称将印在全区报表上：只能是一行文字，不能含控制字符或不可见的格式字符（如从右向左覆盖符 U+202E），请删去后重新填写。" +
                "name is printed in the district's tables: one line, without control characters or invisible format characters (such as the right-to-left override U+202E).");

    /// <summary>A contact (联系人及电话) as the office writes it: one line of up to 100 characters; null where the request allows none.</summary>
    public static IRuleBuilderOptions<T, string?> ReporterContact<T>(this IRuleBuilder<T, string?> rule) =>
        rule.OneLineOrNull(100)
            .WithMessage("联系人及电话（contact）须为一行、1 至 100 个字，不能含控制字符或不可见的格式字符（如“王芳 0632-7712345”；null 表示删除）。" +
                "contact is a name and telephone number on one line of 1 to 100 characters, without control characters or invisible format characters (null removes it).");
}

/// <summary>
/// One district government (区政府本级) reports at a time: the district table's exports print it as 填报单位. A successor
/// (the government's office reorganised) is registered once its predecessor is retired, from the first period it no longer reports.
/// </summary>
public static class DistrictGovernment
{
    /// <summary>The rule, as the API's descriptions state it.</summary>
    public const string One =
        "There is one district government (`government`, 区政府本级) at a time: another while one is not retired is 409 `duplicate-government`, " +
        "with `heldBy`, the id of the one registered (retire it first, from the first period its successor reports).";

    /// <summary>
    /// The government other than <paramref name="id"/> that is not retired, if any. Read here, before the store's write, rather
    /// than kept by the store: registering or reinstating a government is a rare act of the district office, so two such requests
    /// racing past this check are not worth a store constraint, and what they would leave (two governments, the exports' 填报单位
    /// blank) shows in the list of reporters and is undone by retiring one.
    /// </summary>
    public static async Task<Reporter?> OtherReportingAsync(IReporterStore reporters, string id, CancellationToken ct) =>
        (await reporters.ListReportersAsync(ct)).FirstOrDefault(r => r.Kind == ReporterKind.Government && r.RetiredFrom is null && r.Id != id);

    /// <summary>409 <c>duplicate-government</c>: <paramref name="holder"/> is the government reporting now, named as <c>heldBy</c>.</summary>
    public static IResult Taken(Reporter holder, HttpContext context) =>
        Problems.Conflict(ProblemTypes.DuplicateGovernment,
            $"{holder.Name}（{holder.Id}）已登记为区政府本级，同一时间只能有一个，没有保存：如区政府办公室改组，请先将 {holder.Id} 撤并（自新单位开始报送的统计期起），再登记新单位。" +
            $"Reporter '{holder.Id}' ({holder.Name}) is the district government, and there is one at a time; nothing was changed. " +
            $"If the government's office was reorganised, retire '{holder.Id}' first (retiredFrom: the first period the new one reports).",
            context, p => p.Extensions["heldBy"] = holder.Id);

    /// <summary>The audit log's words for a government refused as a second one.</summary>
    public static string HeldBy(Reporter holder) => $"区政府本级已是 '{holder.Id}' {holder.Name}";
}
