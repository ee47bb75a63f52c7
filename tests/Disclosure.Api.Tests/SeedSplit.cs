namespace Disclosure.Api.Tests;

/// <summary>
/// Splits the seed's district table across 7 towns, 24 departments and the district government so that every
/// share is a valid table on its own and the shares add up to the seed exactly, blank cells included: a cell
/// blank in the seed is blank in every share.
/// </summary>
public static class SeedSplit
{
    public sealed record Share(string Kind, int Index, Dictionary<string, decimal?> Values);

    public const int Towns = 7, Departments = 24;

    public static IReadOnlyList<Share> Create()
    {
        var shares = new List<Share> { new("government", 0, []) };
        for (var i = 0; i < Departments; i++) shares.Add(new("department", i, []));
        for (var i = 0; i < Towns; i++) shares.Add(new("town", i, []));
        var towns = shares.Where(s => s.Kind == "town").ToList();
        var offices = shares.Where(s => s.Kind != "town").ToList();
        decimal Seed(string code) => SeedTable.Value(code)!.Value;

        // Flow leaves split over everybody; a deterministic, uneven split so that shares differ.
        void Spread(string code, IReadOnlyList<Share> over)
        {
            var parts = Split((int)Seed(code), over.Count);
            for (var i = 0; i < over.Count; i++) over[i].Values[code] = parts[i];
        }

        foreach (var code in new[] { "1.2.1", "1.2.2", "1.2.3", "1.2.4", "2.1", "2.2.2", "2.2.3", "2.2.4", "2.2.5", "7.1", "7.2", "10",
                     "12.1", "12.3.1", "12.3.2", "13.1", "13.2", "13.3", "3.1.1", "3.1.3", "3.1.4", "3.1.5" })
            Spread(code, shares);
        // Websites and reading points: towns run the township ones, offices the district ones.
        Spread("8.1", offices); Spread("9.1", offices);
        Spread("8.2", towns); Spread("9.2", towns);

        foreach (var s in shares)
        {
            var v = s.Values;
            decimal Get(string c) => v.TryGetValue(c, out var x) && x is { } d ? d : 0;
            // C2 holds with equality in the seed, so it must in every share: 1.1 = Σ channels.
            v["1.1"] = Get("1.2.1") + Get("1.2.2") + Get("1.2.3") + Get("1.2.4");
            v["7"] = Get("7.1") + Get("7.2");
            v["8"] = v.ContainsKey("8.1") ? Get("8.1") : Get("8.2");
            if (v.ContainsKey("9.1")) v["9"] = Get("9.1"); else v["9"] = Get("9.2");
            v["12.2"] = v["9"]; // C3
            v["12.3"] = Get("12.3.1") + Get("12.3.2");
            v["3.1"] = Get("3.1.1") + Get("3.1.3") + Get("3.1.4") + Get("3.1.5");
            // Closed and replied equal received in the seed; C4/C5 then force the same per share.
            v["3.2"] = v["3.1"]; v["3.2.1"] = v["3.1"]; v["3.3"] = v["3.1"];
        }
        // 3.3's breakdown: fill each share's replies from the seed's pools of reply kinds.
        var pools = new List<(string Code, decimal Left)> { ("3.3.1", Seed("3.3.1")), ("3.3.2", Seed("3.3.2")), ("3.3.3", Seed("3.3.3")) };
        foreach (var s in shares)
        {
            var need = s.Values["3.3"]!.Value;
            for (var p = 0; p < pools.Count && need > 0; p++)
            {
                var take = Math.Min(need, pools[p].Left);
                if (take == 0) continue;
                s.Values[pools[p].Code] = (s.Values.TryGetValue(pools[p].Code, out var had) ? had ?? 0 : 0) + take;
                pools[p] = (pools[p].Code, pools[p].Left - take);
                need -= take;
            }
        }
        // 其中 parts: three offices published one normative document each.
        for (var i = 0; i < 3; i++) { offices[i].Values["1.1.a"] = 1; offices[i].Values["1.1.b"] = 1; }
        // Zero rows reported without breakdown: by the government only; everyone else leaves them blank.
        shares[0].Values["4"] = 0; shares[0].Values["5"] = 0; shares[0].Values["6"] = 0; shares[0].Values["11"] = 0;
        return shares;
    }

    private static int[] Split(int total, int parts)
    {
        var result = new int[parts];
        var weights = Enumerable.Range(0, parts).Select(i => 1 + (i * 7 + 3) % 5).ToArray();
        var sum = weights.Sum();
        var given = 0;
        for (var i = 0; i < parts; i++) { result[i] = total * weights[i] / sum; given += result[i]; }
        for (var i = 0; given < total; i = (i + 1) % parts) { result[i]++; given++; }
        return result;
    }
}
