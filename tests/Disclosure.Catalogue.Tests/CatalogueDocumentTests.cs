namespace Disclosure.Catalogue.Tests;

/// <summary>The catalogue document as it is stored: what <see cref="CatalogueDocument.WithoutCells"/> keeps.</summary>
public sealed class CatalogueDocumentTests
{
    [Fact]
    public void Without_Cells_Keeps_Every_Other_Member_Of_The_Document()
    {
        // Fujian's edition sets every member, its edition and source among them.
        var catalogue = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-fujian-2008"];
        var sent = catalogue.Document with { Cells = [.. catalogue.Cells.Select(CellDocument.From)] };
        var members = typeof(CatalogueDocument).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);
        Assert.All(members, m => Assert.NotNull(m.GetValue(sent)));

        var stored = sent.WithoutCells();

        Assert.Null(stored.Cells);
        Assert.All(members.Where(m => m.Name != nameof(CatalogueDocument.Cells)), m => Assert.Same(m.GetValue(sent), m.GetValue(stored)));
    }
}
