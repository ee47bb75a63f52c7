using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The authorization service, answering again what it answered before for the same API-key principal and the same
/// policy, when that answer can depend on nothing else. Every request with a key is authorized against its endpoint's
/// policy, and the framework builds a context, a set of pending requirements, the handlers' state machines and their
/// enumerators each time (about 1 µs a request) to reach the same answer.
/// </summary>
/// <remarks>
/// The answer is taken again only when all of these hold, and asked of <paramref name="inner"/> otherwise:
/// <list type="bullet">
/// <item>the principal is one the API key handler made (<see cref="ApiKeys.Scheme"/>): it makes one per key record and
/// never changes it, and a revoked key gets no principal at all;</item>
/// <item>every requirement is one of the framework's own that look at the principal alone (an authenticated user, roles,
/// claims, a name), so the resource (the request) cannot change the answer;</item>
/// <item>the only authorization handler registered is the framework's pass-through one, which lets those requirements
/// judge themselves: a handler of the application's own could look at anything.</item>
/// </list>
/// Answers are kept with their principal (a weak table): they go when the principal does.
/// </remarks>
public sealed class AuthorizationDecisions(IAuthorizationService inner, IEnumerable<IAuthorizationHandler> handlers) : IAuthorizationService
{
    private readonly bool onlyPassThrough = handlers.All(h => h.GetType() == typeof(PassThroughAuthorizationHandler));
    private readonly ConditionalWeakTable<ClaimsPrincipal, ConcurrentDictionary<object, Task<AuthorizationResult>>> answers = new();

    public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, IEnumerable<IAuthorizationRequirement> requirements)
    {
        if (!onlyPassThrough || user.Identity?.AuthenticationType != ApiKeys.Scheme || user.Identities.Count() != 1)
            return inner.AuthorizeAsync(user, resource, requirements);
        var known = answers.GetValue(user, static _ => new ConcurrentDictionary<object, Task<AuthorizationResult>>(ReferenceEqualityComparer.Instance));
        if (known.TryGetValue(requirements, out var answer)) return answer;
        if (!LookOnlyAtThePrincipal(requirements)) return inner.AuthorizeAsync(user, resource, requirements);
        return Remember(known, requirements, inner.AuthorizeAsync(user, resource, requirements));
    }

    // Named policies are resolved by the inner service (a policy provider may build them anew); it is not on a request's path.
    public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, string policyName) =>
        inner.AuthorizeAsync(user, resource, policyName);

    private static Task<AuthorizationResult> Remember(ConcurrentDictionary<object, Task<AuthorizationResult>> known, object requirements,
        Task<AuthorizationResult> answer)
    {
        // Kept only once answered: a failed or cancelled task is not an answer. An endpoint's policy (and so its list of
        // requirements) is made once and kept, so the lists are few; a caller that builds a new list each time is
        // answered correctly but not helped, and the bound keeps it from filling the table.
        if (answer.IsCompletedSuccessfully && known.Count < 256) known.TryAdd(requirements, answer);
        return answer;
    }

    private static bool LookOnlyAtThePrincipal(IEnumerable<IAuthorizationRequirement> requirements)
    {
        foreach (var requirement in requirements)
        {
            var type = requirement.GetType();
            if (type != typeof(DenyAnonymousAuthorizationRequirement) && type != typeof(RolesAuthorizationRequirement)
                && type != typeof(ClaimsAuthorizationRequirement) && type != typeof(NameAuthorizationRequirement))
                return false;
        }
        return true;
    }
}
