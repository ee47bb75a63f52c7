using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disclosure.Catalogue;

/// <summary>The catalogues shipped with the code (embedded <c>Catalogues/*.json</c>), compiled once at start-up.</summary>
public sealed class CatalogueRegistry
{
    public static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, Catalogue> byId;

    public CatalogueRegistry(IEnumerable<Catalogue> catalogues)
    {
        byId = catalogues.ToDictionary(c => c.Id, StringComparer.Ordinal);
        All = [.. byId.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];
    }

    public IReadOnlyList<Catalogue> All { get; }

    public bool TryGet(string id, out Catalogue catalogue) => byId.TryGetValue(id, out catalogue!);

    public Catalogue this[string id] => byId[id];

    /// <summary>Loads every catalogue embedded in this assembly.</summary>
    public static CatalogueRegistry LoadEmbedded()
    {
        var assembly = typeof(CatalogueRegistry).Assembly;
        const string prefix = "Disclosure.Catalogue.Catalogues.";
        var catalogues = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                return Load(stream);
            });
        return new CatalogueRegistry(catalogues);
    }

    public static Catalogue Load(Stream json)
    {
        var doc = JsonSerializer.Deserialize<CatalogueDocument>(json, FileOptions)
            ?? throw new CatalogueException("The catalogue file is empty.");
        return Catalogue.Compile(doc);
    }
}
