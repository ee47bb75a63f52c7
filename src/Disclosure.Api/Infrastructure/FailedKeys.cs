using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// 限制非法登录次数 (GB/T 22239): once an address has sent <see cref="AuthSettings.FailedKeyLimit"/> keys that were refused
/// (unknown, revoked, expired: each a 401 from an endpoint that needs a key) within one <see cref="AuthSettings.FailedKeyWindow"/>,
/// every request from it with a key is refused (429) until that window ends, valid keys included, so that guessing gets
/// nowhere. The counting is System.Threading.RateLimiting's: a fixed window per address.
/// </summary>
public sealed class FailedKeys : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? limiter;
    private readonly TimeSpan window;

    /// <summary>What the audit log says of an address that has just reached the limit.</summary>
    public string BlockedDetail { get; }

    public FailedKeys(IOptions<AuthSettings> auth)
    {
        window = auth.Value.FailedKeyWindow;
        BlockedDetail = $"该地址已 {auth.Value.FailedKeyLimit} 次使用无效、已吊销或已过期的密钥，{window.TotalMinutes:0.#} 分钟内不再接受其任何密钥";
        if (auth.Value.FailedKeyLimit == 0) return; // off; a negative limit or a window of nothing is refused at start (Program.cs)
        var options = new FixedWindowRateLimiterOptions { PermitLimit = auth.Value.FailedKeyLimit, Window = window, QueueLimit = 0 };
        limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => options));
    }

    /// <summary>How long requests with a key from this address are refused; null when its keys are looked at.</summary>
    public TimeSpan? Blocked(IPAddress? address)
    {
        if (limiter is null) return null;
        using var lease = limiter.AttemptAcquire(Partition(address), 0); // 0 permits: only asks whether any are left
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
    }

    /// <summary>Counts a refused key against the address it came from; true when it was the last the limit allows.</summary>
    public bool Failed(IPAddress? address)
    {
        if (limiter is null) return false;
        using var lease = limiter.AttemptAcquire(Partition(address));
        return lease.IsAcquired && limiter.GetStatistics(Partition(address))?.CurrentAvailablePermits == 0;
    }

    /// <summary>A request without an address (an in-process test host) counts under one of its own.</summary>
    private static IPAddress Partition(IPAddress? address) => address ?? IPAddress.None;

    public void Dispose() => limiter?.Dispose();
}

/// <summary>The authentication's failure for a request from an address that sent too many refused keys: answered 429.</summary>
public sealed class TooManyFailedKeysException(TimeSpan wait)
    : Exception($"Too many refused API keys came from this address: no key is looked at from it for {Math.Ceiling(wait.TotalSeconds)} seconds.")
{
    public TimeSpan Wait { get; } = wait;
}
