using System.Net;
using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// 限制非法登录次数 (GB/T 22239): once an address has sent <see cref="AuthSettings.FailedKeyLimit"/> refused keys (unknown, revoked,
/// expired: each a 401) within one <see cref="AuthSettings.FailedKeyWindow"/>, a fixed window that begins with its first, its unknown
/// keys are refused (429) until the window ends, and the audit log records the address as it reaches the limit. A valid key, and the
/// 401 of a revoked or expired one, are served from it as from any address (<see cref="ApiKeyAuthenticationHandler"/>): what defeats
/// guessing is the key itself (256 random bits, <see cref="ApiKeys"/>); the limit marks the address and tells the office.
/// </summary>
/// <remarks>
/// Counted on the service's <see cref="TimeProvider"/> (<see cref="FixedWindows{TKey}"/>): System.Threading.RateLimiting's fixed-window
/// limiter keeps a clock of its own, and its RetryAfter is the whole window, not what is left of it (dotnet/runtime#92557), so that
/// Retry-After would tell a client to wait longer than it has to.
/// </remarks>
public sealed class FailedKeys
{
    private readonly int limit;
    private readonly FixedWindows<IPAddress> windows;

    /// <summary>What the audit log says of an address that has just reached the limit.</summary>
    public string BlockedDetail { get; }

    public FailedKeys(IOptions<AuthSettings> auth, TimeProvider clock)
    {
        (limit, windows) = (auth.Value.FailedKeyLimit, new FixedWindows<IPAddress>(auth.Value.FailedKeyWindow, clock));
        BlockedDetail = $"该地址已 {limit} 次使用无效、已吊销或已过期的密钥，{auth.Value.FailedKeyWindow.TotalMinutes:0.#} 分钟内其无效密钥一律拒绝（有效密钥照常使用）";
        // A negative limit, or a window of nothing while the limit is on, is refused at start (Program.cs's options validation).
    }

    /// <summary>How long unknown keys from this address are still refused with a 429 (what is left of its window); null when they are answered 401.</summary>
    public TimeSpan? Blocked(IPAddress? address) =>
        limit > 0 && windows.Current(Partition(address)) is { } current && current.Count >= limit ? current.Left : null;

    /// <summary>Counts a refused key against the address it came from; true when it was the last the limit allows.</summary>
    public bool Failed(IPAddress? address) => limit > 0 && windows.Add(Partition(address)) == limit;

    /// <summary>
    /// The address a refused key counts against: an IPv6 address by its /64 network, which one client is given whole and can send
    /// each key from another address of (as an IPv4 office behind one NAT shares one address); an IPv4-mapped one as IPv4. A
    /// request without an address (an in-process test host) counts under one of its own.
    /// </summary>
    private static IPAddress Partition(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address;
        var network = address.GetAddressBytes();
        Array.Clear(network, 8, 8);
        return new IPAddress(network);
    }
}

/// <summary>The authentication's failure for a request from an address that sent too many refused keys: answered 429.</summary>
public sealed class TooManyFailedKeysException(TimeSpan wait)
    : Exception($"该地址被拒绝的密钥次数过多：{Math.Ceiling(wait.TotalSeconds)} 秒内其无效密钥一律拒绝，有效密钥照常使用。Too many refused API keys came from this address: for {Math.Ceiling(wait.TotalSeconds)} seconds its wrong keys are refused with 429; a valid key is still served.")
{
    public TimeSpan Wait { get; } = wait;
}
