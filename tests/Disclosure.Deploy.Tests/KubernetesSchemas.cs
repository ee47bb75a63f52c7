using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Disclosure.Deploy.Tests;

/// <summary>
/// The strict JSON Schemas in deploy/schemas/k8s-1.30 (generated from the Kubernetes API types by
/// deploy/schemas/generate.mjs, committed so that validation needs no network and no Node.js),
/// keyed by apiVersion and kind.
/// </summary>
sealed class KubernetesSchemas
{
    public const string Version = "1.30";

    public static readonly KubernetesSchemas Instance = new(Path.Combine(Repository.Deploy, "schemas", $"k8s-{Version}"));

    readonly Dictionary<(string ApiVersion, string Kind), JsonSchema> schemas = [];

    KubernetesSchemas(string directory)
    {
        foreach (var file in Directory.GetFiles(directory, "*.json"))
        {
            var text = File.ReadAllText(file);
            var root = JsonNode.Parse(text)!;
            var name = root["$ref"]!.GetValue<string>().Split('/')[^1];
            var properties = root["definitions"]![name]!["properties"]!;
            var key = (properties["apiVersion"]!["const"]!.GetValue<string>(), properties["kind"]!["const"]!.GetValue<string>());
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            schemas[key] = JsonSchema.FromText(text, options, new Uri(file));
        }
    }

    /// <summary>Every schema violation in one manifest, as "instance-path: message"; empty when valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode manifest)
    {
        var apiVersion = (manifest["apiVersion"] as JsonValue)?.ToString();
        var kind = (manifest["kind"] as JsonValue)?.ToString();
        if (apiVersion is null || kind is null)
        {
            return ["manifest has no apiVersion or kind"];
        }
        if (!schemas.TryGetValue((apiVersion, kind), out var schema))
        {
            return [$"no Kubernetes {Version} schema for {apiVersion} {kind}: add it to deploy/schemas/generate.mjs, or use a served apiVersion"];
        }

        using var document = JsonDocument.Parse(manifest.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }
        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => e.Key == ""
                ? $"{d.InstanceLocation}: unknown field"
                : $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Distinct()
            .ToList();
    }
}
