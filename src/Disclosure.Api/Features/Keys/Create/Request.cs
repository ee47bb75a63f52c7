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
            RuleFor(r => r.Role).NotNull().IsInEnum();
            RuleFor(r => r.Reporter).NotEmpty().Matches(Reporters.ReporterIds.Regex()).When(r => r.Role == KeyRole.Reporter)
                .WithMessage("reporter is required for a reporter key and must be a reporter id.");
            RuleFor(r => r.Reporter).Null().When(r => r.Role is KeyRole.Viewer or KeyRole.Admin)
                .WithMessage("only a reporter key is bound to a reporter: leave reporter out.");
            RuleFor(r => r.Label).NotNull().When(r => r.Role == KeyRole.Admin)
                .WithMessage("label is required for an admin key: the name of the clerk who will hold it, which the audit log writes beside each change made with it.");
            RuleFor(r => r.ExpiresAt).Custom((expires, context) =>
            {
                if (expires is { } at && at <= Resolve<TimeProvider>().GetUtcNow())
                    context.AddFailure("expiresAt", $"expiresAt is {at:O}, which has passed: give a time to come, or leave it out for a key without an end.");
            });
            RuleFor(r => r.Label).OneLineOrNull(100)
                .WithMessage("label is who holds the key or what it is for, one line of 1 to 100 characters, without control characters or invisible format characters (leave it out for none).");
        }
    }
}
