using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Disclosure.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";
    public const string Reporter = "reporter";
}

public static class DisclosureClaims
{
    public const string KeyId = "disclosure:key";
    public const string Reporter = "disclosure:reporter";
}

public static class ApiKeys
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    /// <summary>The id under which the configured admin key acts (it has no row in the key store).</summary>
    public static readonly Guid ConfiguredAdminKeyId = Guid.Empty;

    public static string Hash(string key)
    {
        // On the stack: every authenticated request hashes its key. Keys are at most 256 characters (the handler refuses longer).
        var utf8 = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetByteCount(key)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // One hash object per thread, reset by each use (so it keeps nothing of a key): SHA256.HashData makes and frees
        // OpenSSL's digest context on every call, which cost half as much again as the hashing.
        var hasher = Hasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(utf8[..Encoding.UTF8.GetBytes(key, utf8)]);
        hasher.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    [ThreadStatic] private static IncrementalHash? Hasher;

    public static string NewSecret() => "dk_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid KeyId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(DisclosureClaims.KeyId), out var id) ? id : Guid.Empty;

    /// <summary>The reporter a reporter key is bound to; null for admin and viewer keys.</summary>
    public static string? BoundReporter(this ClaimsPrincipal user) => user.FindFirstValue(DisclosureClaims.Reporter);

    /// <summary>True when the caller's key is a reporter key bound to <paramref name="reporterId"/>.</summary>
    public static bool IsBoundTo(this ClaimsPrincipal user, string reporterId) => user.BoundReporter() == reporterId;

    /// <summary>True when the caller may act for <paramref name="reporterId"/>: admin always, a reporter key only for its own.</summary>
    public static bool MayWriteFor(this ClaimsPrincipal user, string reporterId) =>
        user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.Reporter) && user.BoundReporter() == reporterId);

    /// <summary>True when the caller may read <paramref name="reporterId"/>'s data: admin and viewer always, a reporter key only its own.</summary>
    public static bool MayReadFor(this ClaimsPrincipal user, string reporterId) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Viewer) || (user.IsInRole(Roles.Reporter) && user.BoundReporter() == reporterId);
}

/// <summary>
/// The hash of <c>Auth:AdminKey</c>, made once: the authentication handler is made anew for every request, keyed or not.
/// Made at first use, after <see cref="AdminKey.EnsureConfigured"/> has settled the key.
/// </summary>
public sealed class ConfiguredAdminKey(IOptions<AuthSettings> auth)
{
    private readonly Lazy<string?> hash = new(() => auth.Value.AdminKey is { Length: > 0 } k ? ApiKeys.Hash(k) : null);

    public string? Hash => hash.Value;
}

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the configured admin key and the key store. Keys are
/// asked of the store on every request (by hash), so a revoked key stops working at once on every instance: MongoDB
/// reads the key each time; the embedded store, whose file one process owns, answers from memory and forgets its
/// cached keys whenever one is revoked.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IKeyStore keys,
    ConfiguredAdminKey admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // The result for a key is made once per key record and shared by the requests that present that key: the embedded
    // store hands out the same record for a valid key until a revocation empties its cache; MongoDB reads a new record
    // each time, and its results go with it. Shared means read-only: nothing here changes a principal once it is made
    // (no claims transformation is registered), and nothing can (an ApiKeyPrincipal refuses another identity or claim).
    private static readonly ConditionalWeakTable<ApiKeyRecord, Task<AuthenticateResult>> Results = new();
    private static readonly Task<AuthenticateResult> ConfiguredAdmin = Task.FromResult(Success(ApiKeys.ConfiguredAdminKeyId, KeyRole.Admin, null));
    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());

    // Not an async method: a key found at once (the embedded store's valid keys are in memory) is answered with its
    // record's finished task, without a task made per request.
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var values)) return NoKey;
        var key = values.ToString();
        if (key.Length is 0 or > AdminKey.MaxLength) return Task.FromResult(Invalid());
        var hash = ApiKeys.Hash(key);
        if (admin.Hash is { } adminHash
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(adminHash.AsSpan()), MemoryMarshal.AsBytes(hash.AsSpan())))
            return ConfiguredAdmin;
        var lookup = keys.FindKeyByHashAsync(hash, Context.RequestAborted);
        return lookup.IsCompletedSuccessfully ? Result(lookup.Result) : Awaited(lookup);

        static async Task<AuthenticateResult> Awaited(Task<ApiKeyRecord?> lookup) => await Result(await lookup);
    }

    private static Task<AuthenticateResult> Result(ApiKeyRecord? record) =>
        record is null || record.RevokedAt is not null
            ? Task.FromResult(Invalid())
            : Results.GetValue(record, static r => Task.FromResult(Success(r.Id, r.Role, r.ReporterId)));

    private static AuthenticateResult Invalid() => AuthenticateResult.Fail("The API key is not valid.");

    private static AuthenticateResult Success(Guid keyId, KeyRole role, string? reporter)
    {
        var claims = new List<Claim>
        {
            new(DisclosureClaims.KeyId, keyId.ToString()),
            new(ClaimTypes.Role, role switch { KeyRole.Admin => Roles.Admin, KeyRole.Viewer => Roles.Viewer, _ => Roles.Reporter }),
        };
        if (reporter is not null) claims.Add(new(DisclosureClaims.Reporter, reporter));
        var principal = new ApiKeyPrincipal(new ApiKeyIdentity(claims));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeys.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiKeys.Scheme} header=\"{ApiKeys.Header}\"";
        var detail = Request.Headers.ContainsKey(ApiKeys.Header)
            ? "The X-Api-Key header does not hold a valid, unrevoked key."
            : "This endpoint needs an API key in the X-Api-Key header.";
        await Problems.Result(401, "unauthorized", "Unauthorized", detail, Context).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Problems.Forbidden("This API key's role may not use this endpoint.", Context).ExecuteAsync(Context);
    }
}

/// <summary>
/// The identity of an API key, which no one may change: one is made per key record and shared by every request that
/// presents the key, and what was decided for it (<see cref="AuthorizationDecisions"/>) is kept with its principal.
/// </summary>
public sealed class ApiKeyIdentity(IEnumerable<Claim> claims) : ClaimsIdentity(claims, ApiKeys.Scheme)
{
    public override void AddClaim(Claim claim) => throw Unchangeable();
    public override void AddClaims(IEnumerable<Claim?> claims) => throw Unchangeable();
    public override void RemoveClaim(Claim? claim) => throw Unchangeable();
    public override bool TryRemoveClaim(Claim? claim) => throw Unchangeable();

    internal static NotSupportedException Unchangeable() =>
        new("An API key's principal is shared by every request with that key and cannot be changed.");
}

/// <summary>The principal of an API key: its one <see cref="ApiKeyIdentity"/>, and no other can be added.</summary>
public sealed class ApiKeyPrincipal(ApiKeyIdentity identity) : ClaimsPrincipal(identity)
{
    public override void AddIdentity(ClaimsIdentity identity) => throw ApiKeyIdentity.Unchangeable();
    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) => throw ApiKeyIdentity.Unchangeable();

    // The authorization answers given to this principal, by the list of requirements asked about (an endpoint's policy
    // keeps its list). Replaced whole when one is added, so a reader needs no lock.
    private (object Requirements, Task<AuthorizationResult> Answer)[] answers = [];

    internal Task<AuthorizationResult>? Answer(object requirements)
    {
        foreach (var (asked, answer) in Volatile.Read(ref answers))
            if (ReferenceEquals(asked, requirements)) return answer;
        return null;
    }

    internal void Remember(object requirements, Task<AuthorizationResult> answer, int bound)
    {
        while (true)
        {
            var known = Volatile.Read(ref answers);
            if (known.Length >= bound) return;
            if (Interlocked.CompareExchange(ref answers, [.. known, (requirements, answer)], known) == known) return;
        }
    }
}
