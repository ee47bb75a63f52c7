using System.Security.Claims;
using Disclosure.Api.Features.Reporters;
using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Me.Get;

/// <summary>Who the caller's key is: what a page shows after sign-in, and what it may offer.</summary>
sealed class Response
{
    /// <summary><c>admin</c>, <c>viewer</c> or <c>reporter</c>.</summary>
    public required string Role { get; init; }
    /// <summary>The key's id (the configured admin key has the empty id).</summary>
    public required Guid KeyId { get; init; }
    /// <summary>The reporter a reporter key belongs to; absent for admin and viewer keys.</summary>
    public ReporterView? Reporter { get; init; }
    /// <summary>Who holds this key or what it is for, as the office wrote it when it issued the key; absent when it wrote none.</summary>
    public string? Label { get; init; }
    /// <summary>When this key stops working (有效期至); absent for a key without an end. A page warns its holder as the day nears.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>
    /// A page signed in with this key locks itself after this many seconds without a key press, click or touch, and asks for the
    /// key again (what was typed stays); 0 never. The service's setting <c>Pages:LockAfterIdleSeconds</c>.
    /// </summary>
    public required int LockAfterIdleSeconds { get; init; }
}

sealed class Endpoint(IReporterStore reporters, Microsoft.Extensions.Options.IOptions<PageSettings> pages) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("v1/me");
        // A page calls it as it signs in or is unlocked: the audit log's record of who used the service when (登录日志).
        Options(b => b.WithMetadata(AuditLog.Audited));
        Roles(Infrastructure.Roles.Admin, Infrastructure.Roles.Viewer, Infrastructure.Roles.Reporter);
        Summary(s =>
        {
            s.Summary = "当前密钥 · Who this API key is: its role and, for a reporter key, its reporter";
            s.Description = "A page calls it as it signs in: each call is recorded in the audit log (`GET /v1/audit`, 登录日志). A program that only needs to know its key works need not call it more than once.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var role = User.IsInRole(Infrastructure.Roles.Admin) ? Infrastructure.Roles.Admin
            : User.IsInRole(Infrastructure.Roles.Viewer) ? Infrastructure.Roles.Viewer : Infrastructure.Roles.Reporter;
        var reporter = User.BoundReporter() is { } id ? await reporters.GetReporterAsync(id, ct) : null;
        await Send.OkAsync(new Response { Role = role, KeyId = User.KeyId(), Reporter = reporter is null ? null : ReporterView.From(reporter),
            Label = User.FindFirstValue(DisclosureClaims.Holder),
            ExpiresAt = User.FindFirstValue(DisclosureClaims.ExpiresAt) is { } expires ? DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) : null,
            LockAfterIdleSeconds = Math.Max(0, pages.Value.LockAfterIdleSeconds),
        }, ct);
    }
}
