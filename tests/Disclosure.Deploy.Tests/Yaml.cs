using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disclosure.Deploy.Tests;

/// <summary>
/// YAML to JSON the way Kubernetes reads it (sigs.k8s.io/yaml, YAML 1.1 scalars): an unquoted
/// <c>yes</c> is a boolean and <c>0440</c> is octal, so the schema sees what the API server would.
/// </summary>
static partial class Yaml
{
    /// <summary>Every non-empty document of a multi-document stream.</summary>
    public static IReadOnlyList<JsonNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => ToJson(d.RootNode) ?? throw new InvalidDataException("null document"))
            .ToList();
    }

    public static IReadOnlyList<JsonNode> DocumentsOf(string path) => Documents(File.ReadAllText(path));

    public static JsonNode Single(string path) => DocumentsOf(path) switch
    {
        [var only] => only,
        var all => throw new InvalidDataException($"{path}: expected one document, found {all.Count}"),
    };

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node at {node.Start}"),
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: "tag:yaml.org,2002:str" })
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (TrueWords.Contains(text))
        {
            return JsonValue.Create(true);
        }
        if (FalseWords.Contains(text))
        {
            return JsonValue.Create(false);
        }
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (Decimal().IsMatch(plain))
        {
            return JsonValue.Create(long.Parse(plain, CultureInfo.InvariantCulture));
        }
        if (Octal().IsMatch(plain))
        {
            return JsonValue.Create(Convert.ToInt64(plain.TrimStart('+'), 8));
        }
        if (Hex().IsMatch(plain))
        {
            return JsonValue.Create(Convert.ToInt64(plain[2..], 16));
        }
        if (Float().IsMatch(plain))
        {
            return JsonValue.Create(double.Parse(plain, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }

    static readonly HashSet<string> TrueWords = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    static readonly HashSet<string> FalseWords = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Decimal();

    [GeneratedRegex("^[+]?0[0-7]+$")]
    private static partial Regex Octal();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
