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
/// <item>the principal is an <see cref="ApiKeyPrincipal"/>: the key handler makes one per key record, nothing can change
/// it, and a revoked key gets none;</item>
/// <item>every requirement is one of the framework's own that look at the principal alone (an authenticated user, roles,
/// claims, a name), so the resource (the request) cannot change the answer;</item>
/// <item>the only authorization handler registered is the framework's pass-through one, which lets those requirements
/// judge themselves: a handler of the application's own could look at anything.</item>
/// </list>
/// Answers are kept on their principal, and go with it.
/// </remarks>
public sealed class AuthorizationDecisions(IAuthorizationService inner, IEnumerable<IAuthorizationHandler> handlers) : IAuthorizationService
{
    // An endpoint's policy (and so its list of requirements) is made once and kept, so a principal is asked about a few
    // lists; a caller that builds a new list each time is answered correctly but not helped, and the bound keeps it so.
    private const int MaxAnswersPerPrincipal = 64;
    private readonly bool onlyPassThrough = handlers.All(h => h.GetType() == typeof(PassThroughAuthorizationHandler));

    public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, IEnumerable<IAuthorizationRequirement> requirements)
    {
        if (!onlyPassThrough || user is not ApiKeyPrincipal key) return inner.AuthorizeAsync(user, resource, requirements);
        if (key.Answer(requirements) is { } known) return known;
        var answer = inner.AuthorizeAsync(user, resource, requirements);
        // Kept only once answered: a failed or cancelled task is not an answer.
        if (answer.IsCompletedSuccessfully && LookOnlyAtThePrincipal(requirements)) key.Remember(requirements, answer, MaxAnswersPerPrincipal);
        return answer;
    }

    // Named policies are resolved by the inner service (a policy provider may build them anew); it is not on a request's path.
    public Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, object? resource, string policyName) =>
        inner.AuthorizeAsync(user, resource, policyName);

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
