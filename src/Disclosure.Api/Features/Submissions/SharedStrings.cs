using System.Text;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// Strings that every submission repeats (cell codes, units), made once from their UTF-8 bytes and shared instead of
/// allocated again per request. Bounded, because they are whatever clients send: past the bound, or past a few
/// colliding slots, a string is simply made anew each time.
/// </summary>
internal sealed class SharedStrings
{
    /// <summary>The one table of the submission body readers.</summary>
    public static readonly SharedStrings Codes = new(4096);

    private const int MaxBytes = 32;
    private const int MaxProbes = 8;
    private static readonly uint Seed = (uint)Random.Shared.Next();
    private readonly int maxCount;
    // Open addressing over at least twice as many slots as strings. A slot is filled once (compare-and-swap) and never
    // emptied, so readers need no lock. A string is looked for in at most MaxProbes slots from its hash: strings that
    // collide, by chance or by a client's design, cost at most that before they are simply allocated.
    private readonly Entry?[] slots;
    private int count;

    public SharedStrings(int maxCount)
    {
        this.maxCount = maxCount;
        slots = new Entry?[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(MaxProbes, 2 * maxCount))];
    }

    internal sealed class Entry(byte[] utf8, string value)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Value = value;
        // The entry asked for right after this one the last time it was not guessed. Written by any thread at any time:
        // whatever a reader sees is a whole entry, and a guess is taken only when its bytes are the ones asked for.
        public Entry? Next;
    }

    /// <summary>
    /// Where a reader of strings one after another is (a table's codes come in table order, nearly always the same):
    /// the string that followed the last one the previous time is tried before the hash. One per sequence; default to start.
    /// </summary>
    public struct Cursor
    {
        internal Entry? Last;
    }

    /// <summary>The string of <paramref name="utf8"/>, which must be valid UTF-8.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        var cursor = default(Cursor);
        return Get(utf8, ref cursor);
    }

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8), the next of a sequence read with <paramref name="cursor"/>.</summary>
    public string Get(ReadOnlySpan<byte> utf8, ref Cursor cursor)
    {
        var last = cursor.Last;
        if (last?.Next is { } guess && utf8.SequenceEqual(guess.Utf8))
        {
            cursor.Last = guess;
            return guess.Value;
        }
        var entry = Find(utf8, out var value);
        if (last is not null && entry is not null) last.Next = entry;
        cursor.Last = entry;
        return value;
    }

    // The table's entry of the string, if it has (or now takes) one, and the string.
    private Entry? Find(ReadOnlySpan<byte> utf8, out string value)
    {
        if (utf8.Length > MaxBytes)
        {
            value = Encoding.UTF8.GetString(utf8);
            return null;
        }
        var mask = slots.Length - 1;
        var start = (int)Hash(utf8) & mask;
        Entry? added = null;
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            ref var slot = ref slots[(start + probe) & mask];
            var entry = Volatile.Read(ref slot);
            if (entry is null)
            {
                if (added is null)
                {
                    value = Encoding.UTF8.GetString(utf8);
                    if (Volatile.Read(ref count) >= maxCount || Interlocked.Increment(ref count) > maxCount) return null;
                    added = new Entry(utf8.ToArray(), value);
                }
                // Another thread may fill the slot first, perhaps with this very string: then look on from it.
                entry = Interlocked.CompareExchange(ref slot, added, null);
                if (entry is null)
                {
                    value = added.Value;
                    return added;
                }
            }
            if (utf8.SequenceEqual(entry.Utf8))
            {
                value = entry.Value;
                return entry;
            }
        }
        value = added?.Value ?? Encoding.UTF8.GetString(utf8);
        return null;
    }

    // FNV-1a from a per-process seed: a few bytes long, these strings need a fast hash more than a strong one.
    private static uint Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = Seed;
        foreach (var b in utf8) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
