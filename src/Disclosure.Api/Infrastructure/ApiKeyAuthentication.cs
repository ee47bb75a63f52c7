using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Disclosure.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

/// <summary>Settings of the <c>Auth</c> section.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>
    /// The district office's first admin key (env <c>Auth__AdminKey</c>, or a file <c>Auth__AdminKey</c> in the
    /// secrets directory). Required in Production; in Development one is generated and logged once.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// How many refused keys one address may send within <see cref="FailedKeyWindow"/> before its unknown keys are
    /// refused (429) for the rest of that window (限制非法登录次数). 0 turns the limit off.
    /// </summary>
    public int FailedKeyLimit { get; set; } = 20;

    /// <summary>The window <see cref="FailedKeyLimit"/> counts in, as <c>hh:mm:ss</c> (<c>00:05:00</c>). Default 5 minutes.</summary>
    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// What stops the start in the window, given <paramref name="written"/>, <c>Auth:FailedKeyWindow</c> as configured: none,
    /// or a bare number, which TimeSpan reads as days (<c>1</c> is a day, where one meant a minute or a second), or a window of
    /// nothing while the limit is on; null when it is fine.
    /// </summary>
    public string? WindowFailure(string? written)
    {
        if (written?.Trim() is { Length: > 0 } bare && bare.All(c => char.IsAsciiDigit(c) || c == '.'))
            return $"Auth:FailedKeyWindow is '{bare}', a bare number, which reads as {FailedKeyWindow.TotalDays.ToString(System.Globalization.CultureInfo.InvariantCulture)} day(s) ({FailedKeyWindow:c}): " +
                "write the window as hh:mm:ss, such as 00:05:00 for five minutes.";
        return FailedKeyLimit > 0 && FailedKeyWindow <= TimeSpan.Zero
            ? $"Auth:FailedKeyWindow must be a time span longer than zero (such as 00:05:00); it is {FailedKeyWindow}. Auth:FailedKeyLimit 0 turns the limit off."
            : null;
    }
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";
    public const string Reporter = "reporter";

    /// <summary>The role claim of a key of this role.</summary>
    public static string Of(KeyRole role) => role switch { KeyRole.Admin => Admin, KeyRole.Viewer => Viewer, _ => Reporter };
}

public static class DisclosureClaims
{
    public const string KeyId = "disclosure:key";
    public const string Reporter = "disclosure:reporter";
    /// <summary>Who holds the key (its label, 持有人), where the office gave one.</summary>
    public const string Holder = "disclosure:holder";
    /// <summary>When the key stops working (有效期至, RFC 3339), where the office set an end.</summary>
    public const string ExpiresAt = "disclosure:expires";
}

public static class ApiKeys
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    /// <summary>The id under which the configured admin key acts (it has no row in the key store).</summary>
    public static readonly Guid ConfiguredAdminKeyId = Guid.Empty;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string NewSecret() => "dk_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static Guid KeyId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(DisclosureClaims.KeyId), out var id) ? id : Guid.Empty;

    /// <summary>The reporter a reporter key is bound to; null for admin and viewer keys.</summary>
    public static string? BoundReporter(this ClaimsPrincipal user) => user.FindFirstValue(DisclosureClaims.Reporter);

    /// <summary>True when the caller's key is a reporter key bound to <paramref name="reporterId"/>.</summary>
    public static bool IsBoundTo(this ClaimsPrincipal user, string reporterId) => user.BoundReporter() == reporterId;

    /// <summary>True when the caller may act for <paramref name="reporterId"/>: admin always, a reporter key only for its own.</summary>
    public static bool MayWriteFor(this ClaimsPrincipal user, string reporterId) =>
        user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.Reporter) && user.IsBoundTo(reporterId));

    /// <summary>True when the caller may read <paramref name="reporterId"/>'s data: admin and viewer always, a reporter key only its own.</summary>
    public static bool MayReadFor(this ClaimsPrincipal user, string reporterId) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Viewer) || (user.IsInRole(Roles.Reporter) && user.IsBoundTo(reporterId));
}

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the configured admin key and the key store. Keys are asked of the
/// store by hash on every request, so a revoked key stops working at once, and one past its expiry (有效期至) at that moment.
/// A refused key counts against the address it came from (<see cref="FailedKeys"/>, which says what an address over the limit is told).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IKeyStore keys,
    IOptions<AuthSettings> auth,
    TimeProvider clock,
    FailedKeys failedKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var values)) return AuthenticateResult.NoResult();
        // A valid key is looked up first and always served: an address over the limit (a whole office behind one NAT, where
        // anyone may have sent the wrong keys) is refused only its wrong keys, which are what guessing sends.
        var key = values.ToString();
        if (key.Length is 0 or > AdminKey.MaxLength) return Unknown();
        var hash = ApiKeys.Hash(key);
        if (auth.Value.AdminKey is { Length: > 0 } adminKey
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(ApiKeys.Hash(adminKey)), Encoding.UTF8.GetBytes(hash)))
            return Success(ApiKeys.ConfiguredAdminKeyId, KeyRole.Admin, null, null, null);
        var record = await keys.FindKeyByHashAsync(hash, Context.RequestAborted);
        // A key the store holds was not guessed (256 random bits): its holder is told that it was revoked or has expired, from
        // an address over the limit as from any other, rather than to wait and send it again; and the refusal is recorded under
        // the key, so that the office sees which holder (a departmental system polling) still sends it, not only from where.
        if (record is null)
        {
            if (await keys.FindRevokedKeyAsync(hash, Context.RequestAborted) is not { } revoked) return Unknown();
            AuditLog.RefusedKey(Context, revoked, $"密钥已于 {AuditText.Time(revoked.RevokedAt)} 吊销");
            return Invalid();
        }
        if (record.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            AuditLog.RefusedKey(Context, record, $"密钥已于 {AuditText.Time(expires)} 过期");
            return AuthenticateResult.Fail(new ExpiredKeyException(expires));
        }
        return Success(record.Id, record.Role, record.ReporterId, record.Label, record.ExpiresAt);
    }

    private const string NotValid = "X-Api-Key 请求头中的密钥无效或已吊销：请核对密钥，或向区政务公开办申请新的密钥。The X-Api-Key header does not hold a valid, unrevoked key.";

    private static AuthenticateResult Invalid() => AuthenticateResult.Fail(NotValid);

    /// <summary>An unknown key's refusal: a 401, or a 429 while its address is over the limit of refused keys (<see cref="FailedKeys"/>).</summary>
    private AuthenticateResult Unknown() =>
        failedKeys.Blocked(Context.Connection.RemoteIpAddress) is { } wait ? AuthenticateResult.Fail(new TooManyFailedKeysException(wait)) : Invalid();

    private static AuthenticateResult Success(Guid keyId, KeyRole role, string? reporter, string? holder, DateTimeOffset? expiresAt)
    {
        var claims = new List<Claim>
        {
            new(DisclosureClaims.KeyId, keyId.ToString()),
            new(ClaimTypes.Role, Roles.Of(role)),
        };
        if (reporter is not null) claims.Add(new(DisclosureClaims.Reporter, reporter));
        if (holder is not null) claims.Add(new(DisclosureClaims.Holder, holder));
        if (expiresAt is { } at) claims.Add(new(DisclosureClaims.ExpiresAt, at.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeys.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeys.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var sent = Request.Headers.ContainsKey(ApiKeys.Header);
        var failure = sent ? (await HandleAuthenticateOnceSafeAsync()).Failure : null;
        if (failure is TooManyFailedKeysException tooMany)
        {
            Response.Headers.RetryAfter = Math.Ceiling(tooMany.Wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Result(ProblemTypes.TooManyFailedKeys, tooMany.Message, Context).ExecuteAsync(Context);
            return;
        }
        // A key refused where one is needed; the one that reaches the limit is kept in the audit log, with the address.
        if (failure is not null && failedKeys.Failed(Context.Connection.RemoteIpAddress)) AuditLog.BlockedAddress(Context, failedKeys.BlockedDetail);
        Response.Headers.WWWAuthenticate = $"{ApiKeys.Scheme} header=\"{ApiKeys.Header}\"";
        if (failure is ExpiredKeyException expired)
        {
            // A type of its own, with the time, so that a client (the pages' sign-in) tells an expired key from any other 401
            // without reading the wording of its detail.
            var problem = Problems.Create(ProblemTypes.KeyExpired, expired.Message, Context);
            problem.Extensions["expiredAt"] = expired.ExpiredAt;
            await TypedResults.Problem(problem).ExecuteAsync(Context);
            return;
        }
        var detail = failure?.Message ?? (sent ? NotValid : "本接口须在 X-Api-Key 请求头中提供密钥。This endpoint needs an API key in the X-Api-Key header.");
        await Problems.Result(ProblemTypes.Unauthorized, detail, Context).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden("此密钥的角色不能使用本接口。This API key's role may not use this endpoint.", Context).ExecuteAsync(Context);
}

/// <summary>The refusal of a key the store holds but whose <c>expiresAt</c> has passed: a 401 of its own type (<see cref="ProblemTypes.KeyExpired"/>).</summary>
public sealed class ExpiredKeyException(DateTimeOffset expiredAt)
    : Exception($"该密钥已于 {AuditText.Time(expiredAt)}过期：请向区政务公开办申请新的密钥。The API key expired at {OffsetDateTimeConverter.Text(expiredAt)}: ask the district office for a new one.")
{
    public DateTimeOffset ExpiredAt { get; } = expiredAt;
}
