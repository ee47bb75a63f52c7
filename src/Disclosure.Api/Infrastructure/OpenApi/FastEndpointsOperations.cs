using FastEndpoints;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>Names that the document derives from an endpoint's place in <c>Features/</c>, so they stay stable as code moves inside a slice.</summary>
public static class FastEndpointsOperations
{
    /// <summary>The resources in the order the document lists them, with the tag descriptions.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        ("Me", "当前密钥 · Who the caller's API key is."),
        ("Catalogues", "统计表目录 · The indicator catalogues: tables, rows, cells, units and rules. Readable without a key."),
        ("Reporters", "填报单位 · The bodies that report: the district government itself, district departments, towns and street offices."),
        ("Keys", "API 密钥 · API keys and their roles. Admin only; a key's secret is shown once, when it is issued."),
        ("Submissions", "报送 · A reporter's whole table for a catalogue and period, kept as numbered revisions."),
        ("Templates", "填报模板 · The Excel template of a table, filled in with a reporter's latest revision; sent back as a submission body."),
        ("Periods", "统计期 · Closing and reopening a period, its deadline and its expected reporters."),
        ("Aggregates", "汇总 · The district table, computed live from the latest revisions, as JSON, CSV, xlsx or a printable page."),
        ("Admin", "运维 · The district office's operations on the service itself: an online backup of the embedded store."),
        ("Audit", "操作日志 · Who changed what through the API, and which keys were refused: kept in the store, read by the district office."),
        ("Health", "健康检查 · Liveness and readiness probes for the orchestrator."),
    ];

    public static EndpointDefinition? Definition(ApiDescription api) =>
        api.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();

    /// <summary>
    /// <c>Disclosure.Api.Features.Submissions.Submit.Endpoint</c> → (<c>Submissions</c>, <c>Submit</c>); an endpoint class not
    /// named <c>Endpoint</c> gives its own name as the use case (<c>Features.Health.Live</c> → (<c>Health</c>, <c>Live</c>)).
    /// </summary>
    public static (string Resource, string UseCase) Slice(Type endpointType)
    {
        var ns = endpointType.Namespace ?? "";
        var at = ns.IndexOf(".Features.", StringComparison.Ordinal);
        var parts = at < 0 ? [] : ns[(at + 10)..].Split('.');
        var resource = parts.Length > 0 ? parts[0] : endpointType.Name;
        var useCase = endpointType.Name == "Endpoint" && parts.Length > 1 ? string.Join("", parts[1..]) : endpointType.Name;
        return (resource, useCase);
    }

    /// <summary><c>Resource_UseCase</c>: generators that split on the underscore get a client per resource (<c>SubmissionsClient.SubmitAsync</c>).</summary>
    public static string OperationId(ApiDescription api) =>
        Definition(api) is { } d ? OperationId(d) : $"{api.HttpMethod}_{api.RelativePath}";

    public static string OperationId(EndpointDefinition endpoint)
    {
        var (resource, useCase) = Slice(endpoint.EndpointType);
        return $"{resource}_{useCase}";
    }

    public static string Tag(ApiDescription api) => Definition(api) is { } d ? Slice(d.EndpointType).Resource : "Other";

    public static int TagOrder(ApiDescription api) =>
        Tags.Select(t => t.Name).ToList().IndexOf(Tag(api)) is var i and >= 0 ? i : Tags.Count;
}
