using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Periods;

/// <summary>
/// A write of a period's settings that may name the version it replaces with If-Match: the PUT, the close and the reopening. Each
/// moves the version (the ETag of <c>GET /v1/periods/{catalogue}/{period}</c>), so each refuses a stale one alike (409
/// <c>settings-conflict</c>, nothing stored).
/// </summary>
public interface ISettingsPrecondition
{
    /// <summary>The If-Match header as sent; null without one.</summary>
    string? IfMatch { get; }
}

public static class SettingsPrecondition
{
    /// <summary>What sending a settings write again does, for the person who reads a 503 (<see cref="Infrastructure.RetryAdvice"/>).</summary>
    public const string RetryZh = "可原样重发，结果与发送一次相同；带 If-Match 重发时若得到 409 settings-conflict，可能是上次已保存，请重新读取设置查看。";

    /// <summary>The version If-Match names; null without it, or for <c>*</c>.</summary>
    public static int? ExpectedVersion(this ISettingsPrecondition request) =>
        Submissions.SubmissionJudge.TryParseIfMatch(request.IfMatch, out var version) ? version : null;

    /// <summary>
    /// Applies <paramref name="change"/> to the settings stored (null: nothing to change, and nothing is written) and stores the result
    /// on the version read, or on the one If-Match names. The store compares the version in the write itself: a read here and a write
    /// after it would let a write made between them through, and be erased by this one (a deadline set while a close was on its way).
    /// Without If-Match, a write that another came before is made again on what that one stored. <see cref="SettingsWrite.Version"/> is
    /// null when If-Match names settings changed since: nothing was stored. Settings changed since that already hold what this write
    /// would store are its own, sent again after an answer that was lost (a 503 once the write was made), or the same change made by
    /// another: the store answers their version, and the write is answered as made (a 200 with that ETag), not refused.
    /// With <paramref name="holding"/> <see cref="Storage.Holding.SameClosed"/> (a close, a reopening), settings already as asked hold whatever else changed, and
    /// a change that finds nothing to do is answered as it stands on any version If-Match names: a close retried after its answer
    /// was lost finds the period closed by its first attempt, on the version that attempt wrote, and is not told someone else
    /// changed the settings. Without it, nothing to change on another version than If-Match names is refused.
    /// </summary>
    public static async Task<SettingsWrite> WriteAsync(Storage.IPeriodStore periods, string catalogueId, string period, ISettingsPrecondition request,
        Func<Storage.PeriodSettings, Storage.PeriodSettings?> change, Storage.Holding holding, CancellationToken ct)
    {
        var named = request.ExpectedVersion();
        while (true)
        {
            var current = await periods.GetPeriodAsync(catalogueId, period, ct);
            if (change(current) is not { } updated)
                return new(current, current, holding == Storage.Holding.SameClosed || named is not { } expected || expected == current.Version ? current.Version : null, Stored: false);
            var saved = await periods.SavePeriodAsync(updated, named ?? current.Version, holding, ct);
            // Settings that held: this write stored nothing, and they are what is answered (a close's time is the first close's).
            if (saved is { Held: { } held }) return new(held, held, saved.Version, Stored: false);
            if (saved is not null) return new(current, updated, saved.Version, Stored: true);
            if (named is not null) return new(current, current, null, Stored: false);
        }
    }

    /// <summary>The 409 of a write whose If-Match names settings changed since; nothing was stored, as the audit entry says.</summary>
    public static IResult Conflict(Disclosure.Catalogue.Period period, HttpContext context)
    {
        Infrastructure.AuditLog.Record(context, "未改动：页面读取设置之后，其他人已修改了本统计期的设置（截止时间、应报单位名单，或关闭、重新开放），本次操作没有执行");
        return ConflictProblem(period, context);
    }

    private static IResult ConflictProblem(Disclosure.Catalogue.Period period, HttpContext context) => Infrastructure.Problems.Conflict(Infrastructure.ProblemTypes.SettingsConflict,
        $"其他人已修改了本统计期（{Infrastructure.AuditText.Period(period.ToString())}）的设置（截止时间、应报单位名单，或关闭、重新开放），本次修改没有保存：请重新读取后再保存。" +
        $"The settings of period {period} were changed since the ETag given in If-Match was read (deadline, expected reporters, closed or " +
        "reopened); nothing was stored. Read them again, check them, and save again with the new ETag.", context);

    /// <summary>
    /// If-Match as RFC 9110 has it for one version: <c>*</c> or one strong tag as given. Sent empty, it is refused before binding
    /// (Infrastructure.Retries.UnreadWriteHeaders).
    /// </summary>
    public abstract class Validator<T> : FastEndpoints.Validator<T> where T : class, ISettingsPrecondition
    {
        /// <summary>The rule, added where the request's other rules leave it, so that a 400 lists If-Match after the body's members.</summary>
        protected void RuleForIfMatch()
        {
            RuleFor(r => r.IfMatch).Must(tag => Submissions.SubmissionJudge.TryParseIfMatch(tag, out _) || Submissions.SubmissionBody.IsAnyRevision(tag))
                .When(r => r.IfMatch is { Length: > 0 }).OverridePropertyName(Submissions.SubmissionBody.IfMatchHeader)
                .WithMessage("请求头 If-Match 须为读取统计期设置时得到的 ETag，原样发送，如 \"3\"（带英文双引号），或为 *；不加引号的 3、弱标签 W/\"3\"、" +
                      "多个标签都不接受，因为 If-Match 按强比较（RFC 9110）。" +
                      "The If-Match header must be the ETag a read of the settings gave, as given, such as \"3\" (in double quotes), or *: 3 unquoted, " +
                      "a weak tag (W/\"3\") or a list of tags is not taken, since If-Match compares strongly (RFC 9110).");
        }
    }
}

/// <summary>The route of a close or reopening, and the settings it replaces (If-Match).</summary>
public class PeriodWriteRoute : PeriodRoute, ISettingsPrecondition
{
    /// <summary>
    /// Optional: the settings this close or reopening replaces, as the ETag of a read of them (<c>GET /v1/periods/{catalogue}/{period}</c>,
    /// or an earlier write's answer), e.g. <c>"3"</c>. Settings changed since by anyone (set, closed, reopened) are 409
    /// <c>settings-conflict</c> and nothing is stored, so a clerk's page that read the settings before another clerk changed them does
    /// not act blind to that change; but a period already closed (to a close) or open (to a reopening) is answered as it stands, with
    /// its current ETag, since that is what was asked: a close sent again after its answer was lost is not refused for its own write.
    /// Compared strongly, as the PUT's is: one quoted tag as given; a weak tag, an unquoted number, a list
    /// or an empty header is a 400. <c>*</c> takes whatever is stored, as a request without it does.
    /// </summary>
    /// <example>"3"</example>
    [FromHeader(Submissions.SubmissionBody.IfMatchHeader, IsRequired = false), DontBind(Source.All)]
    public string? IfMatch { get; set; }
}

/// <summary>
/// What a write of a period's settings did: the settings it replaced and those now stored (the same when it stored nothing), their
/// version (null: If-Match named settings changed since, nothing stored), and whether it stored anything.
/// </summary>
public sealed record SettingsWrite(Storage.PeriodSettings Before, Storage.PeriodSettings Now, int? Version, bool Stored);
