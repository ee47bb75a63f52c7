namespace Disclosure.Catalogue.Tests;

/// <summary>Built-in catalogues are fixed; loaded ones are added once and found through the fallback on a miss.</summary>
public sealed class RegistryTests
{
    private static Catalogue Loaded(string id, string title = "loaded") => Catalogue.Compile(new CatalogueDocument
    {
        Id = id, Title = title, TitleEn = title,
        Periods = new() { FromYear = 2021, Granularities = [Granularity.Year] },
        Units = [new() { Code = "件", NameEn = "cases" }],
        Tables = [new() { Id = "1", Title = "t", Rows = [new() { Code = "1", Role = RowRole.Value, Unit = "件", OverTime = OverTime.Flow, Name = "x" }] }],
    });

    [Theory]
    [InlineData("tables[0].title")]
    [InlineData("tables[0].rows[0].name")]
    [InlineData("units[0].nameEn")]
    [InlineData("rules[0].whyEn")]
    public void A_Document_Holding_Null_Where_It_Declares_Text_Is_Not_Loaded(string at)
    {
        // The text every export prints: a built-in file or a stored document with null there must fail here, not in an export.
        var doc = System.Text.Json.Nodes.JsonNode.Parse(CatalogueRegistry.Serialize(CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2021"].Document))!;
        var parts = at.Split('.');
        var owner = doc;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            owner = owner[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
        owner[parts[^1]] = null;

        var refused = Assert.Throws<System.Text.Json.JsonException>(() => CatalogueRegistry.Load(doc.ToJsonString()));

        Assert.Equal("$." + at, refused.Path);
    }

    [Fact]
    public void A_Built_In_Catalogue_Cannot_Be_Replaced()
    {
        var registry = CatalogueRegistry.LoadEmbedded();
        var before = registry["gov-info-disclosure-2014"];

        Assert.False(registry.Add(Loaded("gov-info-disclosure-2014")));
        Assert.Same(before, registry["gov-info-disclosure-2014"]);
        Assert.True(registry.IsBuiltIn("gov-info-disclosure-2014"));
    }

    [Fact]
    public void An_Added_Catalogue_Is_Listed_In_Id_Order_And_The_First_Under_An_Id_Stays()
    {
        var registry = CatalogueRegistry.LoadEmbedded();
        var first = Loaded("aaa-loaded", "first");

        Assert.True(registry.Add(first));
        Assert.False(registry.Add(Loaded("aaa-loaded", "second")));

        Assert.Same(first, registry["aaa-loaded"]);
        Assert.Equal("aaa-loaded", registry.All[0].Id);
        Assert.False(registry.IsBuiltIn("aaa-loaded"));
    }

    [Fact]
    public void A_Miss_Asks_The_Fallback_Once_And_Keeps_What_It_Found()
    {
        var asked = new List<string>();
        var registry = CatalogueRegistry.LoadEmbedded(id => { asked.Add(id); return id == "from-elsewhere" ? Loaded(id) : null; });

        Assert.True(registry.TryGet("from-elsewhere", out var found));
        Assert.True(registry.TryGet("from-elsewhere", out var again));
        Assert.False(registry.TryGet("nowhere", out _));

        Assert.Same(found, again);
        Assert.Equal(["from-elsewhere", "nowhere"], asked);
        Assert.Contains(registry.All, c => c.Id == "from-elsewhere");
    }

    private sealed class ManualClock : TimeProvider
    {
        public long Now;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Now;
        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    [Fact]
    public void An_Unknown_Id_Is_Not_Looked_Up_Again_Until_Its_Miss_Expires()
    {
        var clock = new ManualClock();
        var stored = new HashSet<string>();
        var asked = 0;
        var registry = CatalogueRegistry.LoadEmbedded(id => { asked++; return stored.Contains(id) ? Loaded(id) : null; }, clock);

        Assert.False(registry.TryGet("unknown-catalogue", out _));
        Assert.False(registry.TryGet("unknown-catalogue", out _));
        Assert.Equal(1, asked);

        // Another instance stores it meanwhile: this one sees it once the miss has expired, not before.
        stored.Add("unknown-catalogue");
        clock.Advance(CatalogueRegistry.MissLifetime - TimeSpan.FromSeconds(1));
        Assert.False(registry.TryGet("unknown-catalogue", out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(registry.TryGet("unknown-catalogue", out var found));
        Assert.Equal("unknown-catalogue", found.Id);
        Assert.Equal(2, asked);
    }

    [Fact]
    public void Adding_A_Catalogue_Here_Forgets_Its_Miss_At_Once()
    {
        var asked = 0;
        var registry = CatalogueRegistry.LoadEmbedded(_ => { asked++; return null; }, new ManualClock());
        Assert.False(registry.TryGet("posted-later", out _));

        var posted = Loaded("posted-later");
        Assert.True(registry.Add(posted));

        Assert.True(registry.TryGet("posted-later", out var found));
        Assert.Same(posted, found);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void Misses_Are_Bounded_And_Forgotten_Past_The_Bound()
    {
        var asked = 0;
        var registry = CatalogueRegistry.LoadEmbedded(_ => { asked++; return null; }, new ManualClock());
        for (var i = 0; i <= CatalogueRegistry.MaxMisses; i++) registry.TryGet($"missing-{i}", out _);
        Assert.Equal(CatalogueRegistry.MaxMisses + 1, asked);

        registry.TryGet("missing-0", out _); // forgotten when the bound was reached, so asked again
        registry.TryGet($"missing-{CatalogueRegistry.MaxMisses}", out _); // remembered after the reset
        Assert.Equal(CatalogueRegistry.MaxMisses + 2, asked);
    }

    [Fact]
    public void A_Catalogue_Round_Trips_Through_Its_Canonical_Text()
    {
        var shipped = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-fujian-2008"];
        var text = CatalogueRegistry.Serialize(shipped.Document);

        var again = CatalogueRegistry.Load(text);

        Assert.Equal(text, CatalogueRegistry.Serialize(again.Document));
        Assert.Equal(shipped.Cells.Select(c => c.Code), again.Cells.Select(c => c.Code));
    }
}
