using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Ids of what the service creates: RFC 9562 version 7 UUIDs, the creation time's Unix milliseconds first, so that ids
/// sort by time, and 74 random bits. <see cref="Guid.CreateVersion7(DateTimeOffset)"/> builds the same layout, but on
/// Linux it reads <c>/dev/urandom</c> for every id, a system call per submission; here the random bits come from the
/// cryptographic generator a buffer at a time, one buffer per thread.
/// </summary>
public static class Ids
{
    private const int IdsPerRefill = 32;
    private const int RandomBytesPerId = 10;

    [ThreadStatic] private static byte[]? buffer;
    [ThreadStatic] private static int used;

    public static Guid NewVersion7(DateTimeOffset time)
    {
        var pool = buffer ??= new byte[IdsPerRefill * RandomBytesPerId];
        if (used == 0 || used == pool.Length)
        {
            RandomNumberGenerator.Fill(pool);
            used = 0;
        }
        var random = pool.AsSpan(used, RandomBytesPerId);
        used += RandomBytesPerId;

        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = time.ToUnixTimeMilliseconds();
        if (milliseconds < 0) throw new ArgumentOutOfRangeException(nameof(time), time, "A version 7 id holds times from 1970 on.");
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], milliseconds << 16);
        random.CopyTo(bytes[6..]);
        random.Clear();
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true);
    }
}
