using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Disclosure.Catalogue;

/// <summary>
/// The catalogues the service judges against: those shipped with the code (embedded <c>Catalogues/*.json</c>), compiled
/// once at start-up and never replaced, and those an office loaded, added as they are found. A loaded catalogue never
/// changes under its id (a change is a new id), so what was added once stays right for good.
/// An id looked for and not found is remembered as missing for a while (<see cref="MissLifetime"/>), so that requests
/// naming an unknown catalogue do not each wait for the store; adding the catalogue here forgets the miss at once, and
/// one added through another instance is found here once the miss has expired.
/// </summary>
public sealed class CatalogueRegistry
{
    public static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NullOnlyForDeclaredText } },
    };

    /// <summary>
    /// With <see cref="JsonSerializerOptions.RespectNullableAnnotations"/>, refuses JSON null for a string a catalogue document
    /// declares non-nullable — a title, a name, a code, a rule's reason — as the serializer's own error naming its path: the
    /// text is printed in every export and template, and a stored catalogue never changes. A list or an object given as null
    /// is read, for <see cref="CatalogueChecker"/> to list with the others (and to say whether it may be left out); a type of
    /// another assembly is read as without the option; and nothing written is refused for a null.
    /// </summary>
    public static void NullOnlyForDeclaredText(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        var catalogue = type.Type.Assembly == typeof(CatalogueDocument).Assembly;
        foreach (var property in type.Properties)
        {
            if (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null) continue;
            property.IsGetNullable = true;
            if (!catalogue || property.PropertyType != typeof(string)) property.IsSetNullable = true;
        }
    }

    private readonly FrozenDictionary<string, Catalogue> builtIn;
    private readonly ConcurrentDictionary<string, Catalogue> loaded = new(StringComparer.Ordinal);
    private readonly Func<string, Catalogue?>? onMiss;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, long> misses = new(StringComparer.Ordinal);
    private readonly Lock adding = new();
    private IReadOnlyList<Catalogue> all;

    /// <summary>How long an id that was not found is taken as missing before the fallback is asked again.</summary>
    public static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(30);

    // Ids come from requests, so the ids remembered as missing are bounded; past the bound they are all forgotten, which
    // costs only a second look in the store for each.
    internal const int MaxMisses = 4096;

    /// <param name="catalogues">The built-in catalogues.</param>
    /// <param name="onMiss">
    /// Where to look for an id that is neither built in nor added yet (the store, so that a catalogue loaded through
    /// another instance is found here too); what it finds is added.
    /// </param>
    /// <param name="clock">Times how long a miss is remembered; the system clock when null.</param>
    public CatalogueRegistry(IEnumerable<Catalogue> catalogues, Func<string, Catalogue?>? onMiss, TimeProvider? clock = null)
    {
        builtIn = catalogues.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        this.onMiss = onMiss;
        this.clock = clock ?? TimeProvider.System;
        all = [.. builtIn.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every catalogue known here, built-in and added, ordered by id.</summary>
    public IReadOnlyList<Catalogue> All => Volatile.Read(ref all);

    public bool IsBuiltIn(string id) => builtIn.ContainsKey(id);

    public bool TryGet(string id, out Catalogue catalogue)
    {
        if (builtIn.TryGetValue(id, out catalogue!) || loaded.TryGetValue(id, out catalogue!)) return true;
        if (onMiss is null) return false;
        var now = clock.GetTimestamp();
        if (misses.TryGetValue(id, out var until) && now < until) return false;

        if (onMiss(id) is { } found && string.Equals(found.Id, id, StringComparison.Ordinal))
        {
            Add(found);
            return loaded.TryGetValue(id, out catalogue!);
        }
        if (misses.Count >= MaxMisses) misses.Clear();
        misses[id] = now + (long)(MissLifetime.TotalSeconds * clock.TimestampFrequency);
        // An Add that ran while the fallback was asked must not be hidden by this miss.
        if (loaded.TryGetValue(id, out catalogue!))
        {
            misses.TryRemove(id, out _);
            return true;
        }
        return false;
    }

    public Catalogue this[string id] => TryGet(id, out var c) ? c : throw new KeyNotFoundException($"There is no catalogue '{id}'.");

    /// <summary>Adds a loaded catalogue; false when its id is taken (built in, or added before: the first stays).</summary>
    public bool Add(Catalogue catalogue)
    {
        if (builtIn.ContainsKey(catalogue.Id)) return false;
        lock (adding)
        {
            if (!loaded.TryAdd(catalogue.Id, catalogue)) return false;
            misses.TryRemove(catalogue.Id, out _);
            Volatile.Write(ref all, [.. all.Append(catalogue).OrderBy(c => c.Id, StringComparer.Ordinal)]);
            return true;
        }
    }

    /// <summary>Loads every catalogue embedded in this assembly.</summary>
    public static CatalogueRegistry LoadEmbedded(Func<string, Catalogue?>? onMiss = null, TimeProvider? clock = null)
    {
        var assembly = typeof(CatalogueRegistry).Assembly;
        const string prefix = "Disclosure.Catalogue.Catalogues.";
        var catalogues = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return Load(reader.ReadToEnd());
            });
        return new CatalogueRegistry(catalogues, onMiss, clock);
    }

    /// <summary>A catalogue from the text of its document (an embedded file, or as a store keeps it).</summary>
    public static Catalogue Load(string json)
    {
        var doc = JsonSerializer.Deserialize<CatalogueDocument>(json, FileOptions)
            ?? throw new CatalogueException("The catalogue document is empty.");
        return Catalogue.Compile(doc);
    }

    /// <summary>The canonical text of a document, as it is stored: the same document always gives the same text.</summary>
    public static string Serialize(CatalogueDocument document) => JsonSerializer.Serialize(document, FileOptions);
}
