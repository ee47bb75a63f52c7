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

    public static string? Summary(PropertyInfo property) => Element(property, "summary");

    /// <summary>A field's summary: what a constant the document lists (a rule id) means.</summary>
    public static string? Summary(FieldInfo field) => Element(field, "summary");

    /// <summary>The property's <c>&lt;example&gt;</c>, as Swashbuckle reads it for a body's members.</summary>
    public static string? Example(PropertyInfo property) => Element(property, "example");

    private static string? Element(MemberInfo member, string element)
    {
        var type = member.DeclaringType!;
        var docs = Files.GetOrAdd(type.Assembly, Load);
        var kind = member is FieldInfo ? 'F' : 'P';
        return docs.TryGetValue($"{kind}:{type.FullName!.Replace('+', '.')}.{member.Name}#{element}", out var text) ? text : null;
    }

    private static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return new Dictionary<string, string>();
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .SelectMany(m => m.Elements().Where(e => e.Name.LocalName is "summary" or "example")
                .Select(e => (Key: $"{m.Attribute("name")!.Value}#{e.Name.LocalName}", Text: Text(e))))
            .DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.Text, StringComparer.Ordinal);
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
