using System.Collections.Concurrent;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Counts events by key in fixed windows on the service's <see cref="TimeProvider"/>, each window beginning with its key's
/// first event; windows that have ended are dropped at most once a window, so that a key that stopped is not kept. Written
/// here because System.Threading.RateLimiting keeps its windows on a clock of its own (see <see cref="FailedKeys"/>).
/// </summary>
public sealed class FixedWindows<TKey>(TimeSpan window, TimeProvider clock) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Window> windows = new();
    private long nextSweep;

    /// <summary>A key's window: when its first event came (a timestamp of the clock), and how many have come since.</summary>
    private sealed class Window(long start)
    {
        public long Start { get; } = start;
        public int Count;
    }

    /// <summary>Counts an event of <paramref name="key"/>: how many its window has had, this one included.</summary>
    public int Add(TKey key)
    {
        var now = clock.GetTimestamp();
        Sweep(now);
        var current = windows.AddOrUpdate(key, _ => new Window(now), (_, old) => Ended(old, now) ? new Window(now) : old);
        return Interlocked.Increment(ref current.Count);
    }

    /// <summary>How many events <paramref name="key"/>'s window has had and what is left of it; null when it has none open.</summary>
    public (int Count, TimeSpan Left)? Current(TKey key)
    {
        if (!windows.TryGetValue(key, out var current)) return null;
        var left = window - clock.GetElapsedTime(current.Start);
        return left > TimeSpan.Zero ? (Volatile.Read(ref current.Count), left) : null;
    }

    private bool Ended(Window w, long now) => clock.GetElapsedTime(w.Start, now) >= window;

    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + (long)(window.TotalSeconds * clock.TimestampFrequency), due) != due) return;
        foreach (var (key, w) in windows)
            if (Ended(w, now)) windows.TryRemove(KeyValuePair.Create(key, w));
    }
}
