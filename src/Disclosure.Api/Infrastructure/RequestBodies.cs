using System.Reflection;
using FastEndpoints;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Which operations take a request body, decided once for the binding and for the OpenAPI document: one that is not a
/// GET, HEAD or DELETE, with a request property that neither its route nor its query names. Every other endpoint binds
/// without reading a body, so a client that sends <c>Content-Type: application/json</c> on every request (with an empty
/// body) is not refused for it.
/// </summary>
public static class RequestBodies
{
    public static bool Taken(IEnumerable<string> verbs, Type? dto, string route) =>
        !verbs.All(Bodyless) && Unrouted(dto, route).Any(p => p.GetCustomAttribute<QueryParamAttribute>() is null);

    /// <summary>
    /// The request properties an operation binds from its query: on a GET, HEAD or DELETE every one that its route does not
    /// name and no header carries, on any other verb those marked <c>[QueryParam]</c>. Decided once for the OpenAPI document
    /// and for the refusal of parameters an operation does not take (<see cref="KnownQuery"/>).
    /// </summary>
    public static IEnumerable<PropertyInfo> QueryProperties(string verb, Type? dto, string route) =>
        Unrouted(dto, route).Where(p => p.GetCustomAttribute<FromHeaderAttribute>() is null
            && (Bodyless(verb) || p.GetCustomAttribute<QueryParamAttribute>() is not null));

    /// <summary>
    /// Whether an operation takes no body although its verb may carry one: a POST whose request is its route alone (closing or
    /// reopening a period) or that has none (a backup), and whose body is not a workbook read by the endpoint itself. Such an
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

    /// <summary>
    /// FastEndpoints' own binder with every source but the body. A query value that cannot be bound (<c>?kind=village</c>,
    /// <c>?from=yesterday</c>) stops FastEndpoints before the request's validator runs, so that the rest of the query
    /// (<c>?reporters=a,,b</c>) would be refused only once the first is mended: here the request is bound again without the
    /// values that failed and the validator told of the rest, and the one 400 names every error. Only a query value is left
    /// out: a route value that cannot be bound (an id that is no id) leaves no request to check, and its 400 stands alone.
    /// </summary>
    public sealed class WithoutBody<TRequest>() : RequestBinder<TRequest>(Sources) where TRequest : notnull
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, FluentValidation.IValidator> Validators = new();

        private const BindingSource Sources = BindingSource.RouteValues | BindingSource.QueryParams | BindingSource.Headers |
            BindingSource.UserClaims | BindingSource.Permissions | BindingSource.Cookies;

        public override async ValueTask<TRequest> BindAsync(BinderContext ctx, CancellationToken ct)
        {
            try
            {
                return await base.BindAsync(ctx, ct);
            }
            catch (ValidationFailureException) when (ctx.ValidationFailures.Count > 0
                && ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.ValidatorType is { } validatorType
                && ctx.ValidationFailures.All(f => ctx.HttpContext.Request.Query.ContainsKey(f.PropertyName)))
            {
                var failed = ctx.ValidationFailures.Select(f => f.PropertyName).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var features = ctx.HttpContext.Features;
                var query = features.Get<Microsoft.AspNetCore.Http.Features.IQueryFeature>();
                features.Set<Microsoft.AspNetCore.Http.Features.IQueryFeature>(new Microsoft.AspNetCore.Http.Features.QueryFeature(new QueryCollection(
                    ctx.HttpContext.Request.Query.Where(q => !failed.Contains(q.Key)).ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase))));
                TRequest rest;
                try
                {
                    rest = await base.BindAsync(new BinderContext(ctx.HttpContext, [], ctx.JsonSerializerContext, ctx.DontAutoBindForms, []), ct);
                }
                finally
                {
                    features.Set(query);
                }
                var validator = Validators.GetOrAdd(validatorType, type => (FluentValidation.IValidator)ActivatorUtilities.CreateInstance(ctx.HttpContext.RequestServices, type));
                var checkedRest = await validator.ValidateAsync(new FluentValidation.ValidationContext<TRequest>(rest), ct);
                // A value that could not be bound is said once, as it was given, not again as the absent value the rest was checked with.
                ctx.ValidationFailures.AddRange(checkedRest.Errors.Where(e => !failed.Contains(e.PropertyName)));
                throw new ValidationFailureException(ctx.ValidationFailures, "Model binding failed!");
            }
        }
    }
}
