using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

public sealed class IdsTests
{
    [Fact]
    public void An_Id_Is_A_Version_7_Uuid_That_Starts_With_Its_Time()
    {
        var time = new DateTimeOffset(2015, 1, 20, 20, 0, 0, 123, TimeSpan.FromHours(8));
        var id = Ids.NewVersion7(time);
        var reference = Guid.CreateVersion7(time);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2); // RFC 9562 variant: the top two bits are 10
        // The first 48 bits are the Unix milliseconds, as Guid.CreateVersion7 writes them.
        Assert.Equal(reference.ToString("N")[..12], id.ToString("N")[..12]);
        Assert.Equal(time.ToUnixTimeMilliseconds(), Convert.ToInt64(id.ToString("N")[..12], 16));
    }

    [Fact]
    public void Ids_Are_Unique_Across_Threads_And_Sort_By_Time()
    {
        var start = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var ids = new System.Collections.Concurrent.ConcurrentBag<(int Tick, Guid Id)>();
        Parallel.For(0, 20_000, i => ids.Add((i, Ids.NewVersion7(start.AddMilliseconds(i / 100)))));

        Assert.Equal(20_000, ids.Select(x => x.Id).Distinct().Count());
        var byTime = ids.OrderBy(x => x.Tick / 100).Select(x => x.Tick / 100).ToList();
        var byId = ids.OrderBy(x => x.Id.ToString("N"), StringComparer.Ordinal).Select(x => x.Tick / 100).ToList();
        Assert.Equal(byTime, byId);
        // 74 random bits: across 20 000 ids every bit position of the random part takes both values.
        var randomHex = ids.Select(x => x.Id.ToString("N")[13..]).ToList();
        for (var position = 0; position < randomHex[0].Length; position++)
            Assert.True(randomHex.Select(h => h[position]).Distinct().Count() > 1, $"random part position {position} never changes");
    }

    [Fact]
    public void A_Time_Before_1970_Has_No_Version_7_Id() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Ids.NewVersion7(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero)));
}
