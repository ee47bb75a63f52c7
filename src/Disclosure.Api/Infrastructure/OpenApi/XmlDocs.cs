using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Reads property summaries from the XML documentation files built next to the assemblies
/// (<c>GenerateDocumentationFile</c>), for the parameters that the operation filter adds itself.
/// </summary>
public static partial class XmlDocs
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, string>> Files = new();

    public static string? Summary(PropertyInfo property)
    {
        var type = property.DeclaringType!;
        var docs = Files.GetOrAdd(type.Assembly, Load);
        return docs.TryGetValue($"P:{type.FullName!.Replace('+', '.')}.{property.Name}", out var text) ? text : null;
    }

    private static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return new Dictionary<string, string>();
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Text(m.Element("summary")!), StringComparer.Ordinal);
    }

    /// <summary>The summary as one line of Markdown: <c>&lt;c&gt;x&lt;/c&gt;</c> becomes <c>`x`</c>, cross-references their member name.</summary>
    private static string Text(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
            XElement { Name.LocalName: "see" } s => s.Attribute("cref")?.Value.Split('.').Last() ?? s.Value,
            XElement e => e.Value,
            _ => "",
        });
        return Spaces().Replace(string.Concat(parts), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
