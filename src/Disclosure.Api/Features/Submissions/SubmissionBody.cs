using Disclosure.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Submissions;

/// <summary>One cell as sent and as returned: <c>value</c> null (or absent) is a blank cell, never zero.</summary>
public sealed class ValueItem
{
    /// <summary>The cell's code from the catalogue, e.g. <c>3.1</c>.</summary>
    // Nullable to the serializer, so that a value without a code is the validator's 400 naming values[i].code among every other
    // field's; required and never null on the wire (DisallowNull and Required are what the schema says).
    [System.ComponentModel.DataAnnotations.Required, System.Diagnostics.CodeAnalysis.DisallowNull]
    public string? Code { get; set; }
    /// <summary>A JSON number, or null for blank. Counts are whole numbers; amounts keep up to 6 decimals in the catalogue's unit.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.ExactDecimalConverter))]
    public decimal? Value { get; set; }
    /// <summary>Optional; must be the catalogue's unit or one that converts to it (元 → 万元).</summary>
    public string? Unit { get; set; }
}

/// <summary>The body of <c>POST /v1/submissions</c> and <c>POST /v1/submissions/validate</c>.</summary>
public class SubmissionBody
{
    /// <summary>The reporter whose whole table this is.</summary>
    public string? Reporter { get; set; }
    /// <summary><c>2014</c> or <c>2014Q1</c>..<c>2014Q4</c>.</summary>
    public string? Period { get; set; }
    /// <summary>Catalogue id, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public string? Catalogue { get; set; }
    /// <summary>
    /// The whole table: cells left out are blank, and each code is given once. A row header's code (a heading without a cell of
    /// its own) is taken with a null value, the blank it always is, as a form may post every row it drew; so at most as many values
    /// as the catalogue has cells and headers together (more is 422 <c>too-many-values</c>), and never more than 2 000 (400).
    /// </summary>
    public List<ValueItem?>? Values { get; set; }
    /// <summary>Optional optimistic check: the revision this submission replaces (0 for the first). A mismatch is 409, unless the table is the current revision over again (200, nothing stored).</summary>
    public int? ExpectedRevision { get; set; }
    /// <summary>
    /// 填报说明 · Optional: what the reporter tells the district office with this revision — why a figure moved from last year,
    /// what was corrected after a return. Up to 500 characters, line breaks allowed, no other control characters nor
    /// invisible format characters; kept trimmed with the revision (blank: none).
    /// </summary>
    /// <example>依申请公开数量比上年增加较多，系因征地拆迁项目集中。</example>
    public string? Note { get; set; }

    public const int MaxNote = 500;

    /// <summary>The note as stored: trimmed, and null when blank.</summary>
    public string? StoredNote() => TextRules.TrimmedOrNull(Note);

    public const string IdempotencyHeader = "Idempotency-Key";
    public const string IfMatchHeader = "If-Match";

    /// <summary>
    /// Makes a retry safe: a repeat of the same request with the same key returns the first response (header
    /// <c>Idempotent-Replayed: true</c>; a 200 when the first stored nothing, its table being the revision over again) and stores
    /// nothing, even once the period is closed or a later revision stored; the same key
    /// with a different body is 422. 1 to 200 visible ASCII characters other than a comma. The dry run reads it as the submission
    /// does: it names the revision such a repeat would answer with (<c>replays</c>), or refuses the other body alike.
    /// </summary>
    /// <example>yicheng-district-2014-0001</example>
    [FromHeader(IdempotencyHeader, IsRequired = false), DontBind(Source.All)]
    public string? IdempotencyKey { get; set; }

    /// <summary>
    /// The revision this submission replaces, as the ETag of the current revision (<c>"3"</c>; <c>"0"</c> for the first).
    /// Another current revision is 409, unless the table is that revision over again (200, nothing stored). <c>*</c> replaces whichever revision is current, and is 409 while there is none (RFC 9110).
    /// If-Match compares tags strongly (RFC 9110 13.1.1): a weak tag (<c>W/"3"</c>), which would match no revision, is a 400
    /// saying to send the strong one the service gave; so is anything but <c>*</c> or that tag as given, quoted (an unquoted <c>3</c>,
    /// <c>"3</c> missing a quote), a list of tags (<c>"5", "6"</c>): one revision is replaced, named by one tag; and the header sent
    /// empty, which names none (leave it out instead).
    /// Given with the body's <c>expectedRevision</c>, it must name the same revision: two different ones, or <c>*</c> beside one,
    /// are a 400 naming both, since either could be the one the client meant.
    /// </summary>
    /// <example>"1"</example>
    [FromHeader(IfMatchHeader, IsRequired = false), DontBind(Source.All)]
    public string? IfMatch { get; set; }

    /// <summary><c>If-Match: *</c>: whichever revision is current, as long as there is one.</summary>
    public static bool IsAnyRevision(string? ifMatch) => ifMatch?.Trim() == "*";

    /// <summary>
    /// 来件时间 · Admin key only: when the reporter sent the table the district office is entering on its behalf — the time on
    /// its e-mail or letter — as an RFC 3339 date-time with its offset (write the <c>+</c> as <c>%2B</c> in a URL). The deadline is
    /// then judged on it instead of on when the service received the table, so a table sent in time and keyed in after the
    /// deadline is on time (<c>onTime</c>). Stored with the revision (<c>sentAt</c>) and part of what an Idempotency-Key replays.
    /// 400 when it has no offset, is more than 5 minutes in the future or before the period began; 403 from a reporter key (a
    /// reporter's own table is dated when the service receives it).
    /// </summary>
    /// <example>2015-01-18T09:30:00+08:00</example>
    [QueryParam]
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The 403 of a submission and its dry run: another reporter's table, or <c>sentAt</c> from a reporter's key; else null.</summary>
    public static IResult? Forbidden(SubmissionBody body, HttpContext context) =>
        !context.User.MayWriteFor(body.Reporter!)
            ? Problems.Forbidden($"此密钥不能为填报单位“{body.Reporter}”报送报表。This key may not submit for reporter '{body.Reporter}'.", context)
            : body.SentAt is not null && !context.User.IsInRole(Roles.Admin)
                ? Problems.Forbidden("报送时间（sentAt）只供区政务公开办代填报单位录入报表时填写；填报单位自己报送的报表以服务收到的时间为准，请不填 sentAt 再报送。" +
                    "sentAt is for the district office entering a table on a reporter's behalf; a reporter's own table is dated " +
                    "when the service receives it. Send it without sentAt.", context)
                : null;

    /// <summary>When a period began, China time (the district's): 1 January of a year, the first day of a quarter.</summary>
    public static DateTimeOffset PeriodStart(Disclosure.Catalogue.Period period) =>
        new(period.Year, period.Quarter is { } q ? (q - 1) * 3 + 1 : 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Shape only: the catalogue and the registry judge the content. Shared by the submit and validate requests.</summary>
    public abstract class ShapeValidator<T> : Validator<T> where T : SubmissionBody
    {
        public const int MaxValues = Disclosure.Catalogue.CatalogueChecker.MaxCells;
        /// <summary>How far ahead of the service's clock a stated sentAt may be: the office's PC clock, or a rounded minute.</summary>
        public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
        private const int MaxPeriodLength = 16;
        private const int MaxCatalogueLength = 64;
        private const int MaxCodeLength = 64;
        private const int MaxUnitLength = 16;

        protected ShapeValidator()
        {
            RuleFor(r => r.Reporter).NotEmpty().Matches(Reporters.ReporterIds.Regex()).WithMessage($"填报单位代码（reporter）须{Reporters.ReporterIds.ShapeZh}。reporter must be a reporter id: {Reporters.ReporterIds.ShapeEn}.");
            RuleFor(r => r.Period).NotEmpty().MaximumLength(MaxPeriodLength).Must(Printable).WithMessage(Unprintable("period"));
            RuleFor(r => r.Catalogue).NotEmpty().MaximumLength(MaxCatalogueLength).Must(Printable).WithMessage(Unprintable("catalogue"));
            RuleFor(r => r.Values).NotNull().WithMessage("请填写数值（values）：各项数值的列表（空列表即全部留空的报表）。values is required (an empty list is an all-blank table).");
            RuleFor(r => r.Values!.Count).LessThanOrEqualTo(MaxValues).When(r => r.Values is not null).OverridePropertyName("values")
                .WithMessage($"数值（values）最多 {MaxValues} 项。values may hold at most {MaxValues} items.");
            // One loop rather than RuleForEach/ChildRules: the messages name each cell by its index, as the serializer's do.
            RuleFor(r => r.Values).Custom(CheckCells);
            RuleFor(r => r.ExpectedRevision).GreaterThanOrEqualTo(0);
            RuleFor(r => r.SentAt).Custom((sentAt, context) =>
            {
                if (sentAt is not { } sent) return;
                var now = Resolve<TimeProvider>().GetUtcNow();
                if (sent > now + ClockSkew)
                    context.AddFailure("sentAt", $"报送时间（sentAt）{AuditText.Time(sent)}晚于现在（{AuditText.Time(now)}）：请填写填报单位实际报送报表的时间。" +
                        $"sentAt is {OffsetDateTimeConverter.Text(sent)}, which is in the future (it is now {OffsetDateTimeConverter.Text(now)}): give the time the reporter sent the table.");
                else if (Disclosure.Catalogue.Period.TryParse(context.InstanceToValidate.Period, out var period) && sent < PeriodStart(period))
                    context.AddFailure("sentAt", $"报送时间（sentAt）{AuditText.Time(sent)}早于 {period} 统计期开始：报表不能在其所统计的时期开始前报送。" +
                        $"sentAt is {OffsetDateTimeConverter.Text(sent)}, before period {period} began: a table cannot be sent before the period it counts.");
            });
            RuleFor(r => r.Note).ParagraphOrNull(MaxNote)
                .WithMessage($"备注（note）最多 {MaxNote} 个字，可以分行，但不能含其他控制字符或不可见的格式字符（如从右向左覆盖符 U+202E）。" +
                $"note may hold up to {MaxNote} characters and line breaks, but no other control characters nor invisible format characters.");
            // No comma: a header sent twice reaches the binder as its values joined by commas, as HTTP combines repeated fields.
            RuleFor(r => r.IdempotencyKey).Matches(@"^[\x21-\x2B\x2D-\x7E]{1,200}$").When(r => r.IdempotencyKey is not null).OverridePropertyName(IdempotencyHeader)
                .WithMessage("请求头 Idempotency-Key 只能发送一次，须为 1 至 200 个可见的 ASCII 字符，不能含逗号。" +
                "The Idempotency-Key header must be sent once, as 1 to 200 visible ASCII characters other than a comma.");
            // Sent empty, it is refused before binding (Infrastructure.Retries.UnreadWriteHeaders): the binder passes it over.
            RuleFor(r => r.IfMatch).Must(tag => SubmissionJudge.TryParseIfMatch(tag, out _) || IsAnyRevision(tag)).When(r => r.IfMatch is { Length: > 0 })
                .OverridePropertyName("If-Match").WithMessage(r => r.IfMatch!.Contains(',', StringComparison.Ordinal)
                    ? "请求头 If-Match 只能指明一个版本，如 \"3\"，或为 *：报表只能从一个版本更新，不接受多个实体标签。" +
                      "The If-Match header must name one revision, such as \"3\", or be *: a list of entity tags is not taken, since a table is replaced from one revision."
                    : "请求头 If-Match 须为版本号，加英文双引号，如 \"3\"（即服务给出的 ETag），或为 *；不加引号的 3、缺一个引号的 \"3 都不是实体标签，" +
                      "弱标签（W/\"3\"）不匹配任何版本，因为 If-Match 按强比较（RFC 9110）。" +
                      "The If-Match header must be a revision number in double quotes, such as \"3\" (the ETag the service gave), or *: 3 unquoted or \"3 " +
                      "missing a quote is no entity tag, and a weak tag (W/\"3\") matches no revision, since If-Match compares strongly (RFC 9110).");
            // Two statements of the revision replaced that disagree are refused rather than one silently preferred: a client that
            // sends both meant one of them, and storing over the other revision is the overwrite the check is there to prevent.
            // `*` beside a number is refused too: "whichever is current" and "only this one" cannot both be what was meant.
            RuleFor(r => r.ExpectedRevision).Custom((expected, context) =>
            {
                var tag = context.InstanceToValidate.IfMatch;
                if (expected is not { } body || string.IsNullOrWhiteSpace(tag)) return;
                if (IsAnyRevision(tag))
                    context.AddFailure("If-Match", $"expectedRevision 为 {body}，而 If-Match 为 *（更新当前的任何版本）：两者只能发送其一" +
                        $"（If-Match: \"{body}\"，或只发送 expectedRevision，以只更新第 {body} 版）。" +
                        $"expectedRevision is {body} but If-Match is *, which replaces whichever revision is current: send one of them " +
                        $"(If-Match: \"{body}\", or expectedRevision alone, to replace revision {body} only).");
                else if (SubmissionJudge.TryParseIfMatch(tag, out var header) && header != body)
                    context.AddFailure("If-Match", $"expectedRevision 为 {body}，而 If-Match 指明第 {header} 版：请只发送其一，或两者指明同一版本。" +
                        $"expectedRevision is {body} but If-Match names revision {header}: send one of them, or both naming the same revision.");
            });
        }

        /// <summary>
        /// No id, period, code or unit holds a control or invisible format character: refused as such, rather than echoed in the 422's
        /// words (a right-to-left override U+202E would make them read other than they are in a log or on a page).
        /// </summary>
        private static bool Printable(string? text) => text is null || Disclosure.Catalogue.PrintableText.IsPrintable(text);

        private static string Unprintable(string field) =>
            $"{field} 含有控制字符或不可见的格式字符（如从右向左覆盖符 U+202E）：请只填写可见的字符。{field} holds a control character or an invisible format character (such as the right-to-left override U+202E): send visible characters only.";

        private static void CheckCells(List<ValueItem?>? values, FluentValidation.ValidationContext<T> context)
        {
            if (values is null) return;
            for (var i = 0; i < values.Count; i++)
            {
                var item = values[i];
                if (item is null)
                {
                    context.AddFailure($"values[{i}]", $"values[{i}] 须为带指标代码（code）的对象：留空的格写作 {{\"code\": \"…\", \"value\": null}}，或不写。" +
                        $"values[{i}] must be an object with a code: a blank cell is {{\"code\": \"…\", \"value\": null}}, or simply left out.");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(item.Code))
                    context.AddFailure($"values[{i}].code", $"values[{i}].code 不能为空：请填写指标代码。values[{i}].code must not be empty.");
                else if (item.Code.Length > MaxCodeLength)
                    context.AddFailure($"values[{i}].code", $"values[{i}].code 最多 {MaxCodeLength} 个字符。values[{i}].code must be {MaxCodeLength} characters or fewer.");
                else if (!Printable(item.Code)) context.AddFailure($"values[{i}].code", Unprintable($"values[{i}].code"));
                if (item.Unit is { Length: > MaxUnitLength })
                    context.AddFailure($"values[{i}].unit", $"values[{i}].unit 最多 {MaxUnitLength} 个字符。values[{i}].unit must be {MaxUnitLength} characters or fewer.");
                else if (!Printable(item.Unit)) context.AddFailure($"values[{i}].unit", Unprintable($"values[{i}].unit"));
            }
        }
    }
}

/// <summary>The body of <c>POST /v1/submissions</c>; <c>sentAt</c> comes in the query, <c>Idempotency-Key</c> and <c>If-Match</c> as headers.</summary>
// FastEndpoints binds the three beside the body, for a JSON body and a workbook alike; Json keeps them out of the JSON body.
public sealed class SubmitRequest : SubmissionBody
{
    internal sealed class Validator : ShapeValidator<SubmitRequest>;
}
