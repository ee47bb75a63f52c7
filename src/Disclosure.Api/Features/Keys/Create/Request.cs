using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Keys.Create;

sealed class Request
{
    /// <summary>
    /// <c>reporter</c> (bound to one reporter), <c>viewer</c> (reads everything, writes nothing) or <c>admin</c> (a clerk of the
    /// district office: everything the configured admin key may do, under a key of the clerk's own, so that the audit log says who).
    /// </summary>
    public KeyRole? Role { get; set; }
    /// <summary>The reporter id, required for and only for a reporter key.</summary>
    public string? Reporter { get; set; }
    /// <summary>
    /// Who holds the key or what it is for (持有人或用途: <c>张三</c>, <c>区政府网站大屏</c>), one line of up to 100 characters, listed
    /// with the key so that the office knows which key to revoke when a person leaves or a system is retired, and written in the
    /// audit log's lines of the changes made with it. Required for an admin key (the clerk who holds it); optional otherwise.
    /// </summary>
    public string? Label { get; set; }
    /// <summary>
    /// 有效期至: when the key stops working, an RFC 3339 date-time with its offset, later than now; leave it out for a key
    /// without an end. After it every request with the key is a 401 that says it expired, so that keys are renewed as the
    /// rules ask (定期更换): issue the holder a new key before then.
    /// </summary>
    /// <example>2027-12-31T23:59:59+08:00</example>
    public DateTimeOffset? ExpiresAt { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            // In Chinese first, as every refusal a departmental system shows its users: the English after it is for the integrator.
            const string roles = "role must be one of reporter, viewer, admin.";
            RuleFor(r => r.Role).NotNull().WithMessage("请填写密钥的角色（role）：reporter（填报单位）、viewer（只读查看）或 admin（区政务公开办工作人员）。" + roles)
                .IsInEnum().WithMessage("密钥的角色（role）须为 reporter（填报单位）、viewer（只读查看）或 admin（区政务公开办工作人员）。" + roles);
            const string reporterRequired = "填报单位密钥须填写所属填报单位的代码（reporter），代码" + Reporters.ReporterIds.ShapeZh + "。" +
                "reporter is required for a reporter key and must be a reporter id.";
            RuleFor(r => r.Reporter).NotEmpty().WithMessage(reporterRequired).Matches(Reporters.ReporterIds.Regex()).WithMessage(reporterRequired)
                .When(r => r.Role == KeyRole.Reporter);
            RuleFor(r => r.Reporter).Null().When(r => r.Role is KeyRole.Viewer or KeyRole.Admin)
                .WithMessage("只有填报单位密钥属于某个填报单位：查看或管理员密钥请不要填写 reporter。only a reporter key is bound to a reporter: leave reporter out.");
            RuleFor(r => r.Label).NotNull().When(r => r.Role == KeyRole.Admin)
                .WithMessage("管理员密钥须填写持有人（label）：持有该密钥的工作人员姓名，操作日志会记在其每项更改旁。" +
                    "label is required for an admin key: the name of the clerk who will hold it, which the audit log writes beside each change made with it.");
            RuleFor(r => r.ExpiresAt).Custom((expires, context) =>
            {
                if (expires is { } at && at <= Resolve<TimeProvider>().GetUtcNow())
                    context.AddFailure("expiresAt", $"有效期至（expiresAt）{AuditText.Time(at)}已过：请填写将来的时间，长期有效的密钥不填即可。" +
                        $"expiresAt is {AuditText.TimeInEnglish(at)}, which has passed: give a time to come, or leave it out for a key without an end.");
            });
            RuleFor(r => r.Label).OneLineOrNull(100)
                .WithMessage("持有人或用途（label）须为一行、1 至 100 个字，不能含控制字符或不可见的格式字符（没有可不填）。" +
                    "label is who holds the key or what it is for, one line of 1 to 100 characters, without control characters or invisible format characters (leave it out for none).");
        }
    }
}
