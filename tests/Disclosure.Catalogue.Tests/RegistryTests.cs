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
