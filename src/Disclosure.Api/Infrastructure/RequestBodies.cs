using System.Reflection;
using FastEndpoints;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Which operations take a request body, decided once for the binding and for the OpenAPI document: one that is not a
/// GET, HEAD or DELETE, with a request property that neither its route, its query nor a header names. Every other endpoint binds
/// without reading a body, so a client that sends <c>Content-Type: application/json</c> on every request (with an empty
/// body) is not refused for it.
/// </summary>
public static class RequestBodies
{
    public static bool Taken(IEnumerable<string> verbs, Type? dto, string route) =>
        !verbs.All(Bodyless) && Unrouted(dto, route).Any(p => p.GetCustomAttribute<QueryParamAttribute>() is null && p.GetCustomAttribute<FromHeaderAttribute>() is null);

    /// <summary>
    /// The request properties an operation binds from its query: on a GET, HEAD or DELETE every one that its route does not
    /// name and no header carries, on any other verb those marked <c>[QueryParam]</c>. Decided once for the OpenAPI document
    /// and for the refusal of parameters an operation does not take (<see cref="KnownQuery"/>).
    /// </summary>
    public static IEnumerable<PropertyInfo> QueryProperties(string verb, Type? dto, string route) =>
        Unrouted(dto, route).Where(p => p.GetCustomAttribute<FromHeaderAttribute>() is null
            && (Bodyless(verb) || p.GetCustomAttribute<QueryParamAttribute>() is not null));

    /// <summary>
    /// Whether an operation takes no body although its verb may carry one: a POST whose request is its route alone, or its route
    /// and headers (closing or reopening a period, with If-Match) or that has none (a backup), and whose body is not a workbook read by the endpoint itself. Such an
    /// operation takes no body or an empty JSON object, as its OpenAPI document says (<see cref="NoBodyMembers"/>).
    /// </summary>
    public static bool TakesNone(IEnumerable<string> verbs, Type? dto, string route, IEnumerable<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata> accepts) =>
        !verbs.All(Bodyless) && !Taken(verbs, dto, route)
        && !accepts.Any(a => a.ContentTypes.Contains(Features.Templates.SubmissionWorkbook.MediaType));

    private static bool Bodyless(string verb) => verb.ToUpperInvariant() is "GET" or "HEAD" or "DELETE";

    /// <summary>The request's settable properties that its route does not name (none without a request).</summary>
    private static IEnumerable<PropertyInfo> Unrouted(Type? dto, string route)
    {
        if (dto is null || dto == typeof(EmptyRequest)) return [];
        var routeNames = RoutePatternFactory.Parse(route).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return dto.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && !routeNames.Contains(p.Name));
    }

    /// <summary>FastEndpoints' configurator for every endpoint: one that takes no body is bound by <see cref="WithoutBody{TRequest}"/>.</summary>
    public static void Configure(EndpointDefinition endpoint)
    {
        if (endpoint.ReqDtoType != typeof(EmptyRequest) && !endpoint.Routes.Any(route => Taken(endpoint.Verbs, endpoint.ReqDtoType, route)))
            endpoint.RequestBinder(typeof(WithoutBody<>));
    }

    /// <summary>FastEndpoints' own binder with every source but the body.</summary>
    public sealed class WithoutBody<TRequest>() : RequestBinder<TRequest>(
        BindingSource.RouteValues | BindingSource.QueryParams | BindingSource.Headers | BindingSource.UserClaims |
        BindingSource.Permissions | BindingSource.Cookies) where TRequest : notnull;
}
