using System.Security.Claims;
using Disclosure.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// The authorization service answers an API-key principal's requests against a policy of roles from its earlier answer,
/// and asks the framework's service whenever the answer could depend on something else.
/// </summary>
public sealed class AuthorizationDecisionsTests
{
    private static IAuthorizationService Service(Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddLogging().AddAuthorization();
        more?.Invoke(services);
        // As Program registers them.
        services.AsSingletons(typeof(IAuthorizationService), typeof(IPolicyEvaluator), typeof(IAuthorizationHandlerProvider),
            typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationEvaluator));
        services.DecorateSingleton<IAuthorizationService>((sp, inner) => new AuthorizationDecisions(inner, sp.GetServices<IAuthorizationHandler>()));
        var service = services.BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        Assert.IsType<AuthorizationDecisions>(service);
        return service;
    }

    private static Claim[] Claims(string role) => [new Claim(ClaimTypes.Role, role), new Claim(DisclosureClaims.KeyId, Guid.NewGuid().ToString())];

    // As the key handler makes them.
    private static ApiKeyPrincipal Key(string role) => new(new ApiKeyIdentity(Claims(role)));

    private static readonly AuthorizationPolicy Writers = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Reporter).Build();

    [Fact]
    public async Task A_Key_Principal_Against_A_Policy_Of_Roles_Gets_Its_First_Answer_Again_Allowed_Or_Refused()
    {
        var service = Service();
        var reporter = Key(Roles.Reporter);
        var viewer = Key(Roles.Viewer);

        var first = service.AuthorizeAsync(reporter, null, Writers);
        Assert.True((await first).Succeeded);
        Assert.Same(first, service.AuthorizeAsync(reporter, "another resource", Writers));
        var refused = service.AuthorizeAsync(viewer, null, Writers);
        Assert.False((await refused).Succeeded);
        Assert.Same(refused, service.AuthorizeAsync(viewer, null, Writers));
        // Another principal with the same role is answered on its own, the same way.
        Assert.True((await service.AuthorizeAsync(Key(Roles.Reporter), null, Writers)).Succeeded);
        Assert.False((await service.AuthorizeAsync(Key(Roles.Viewer), null, Writers)).Succeeded);
        Assert.False((await service.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), null, Writers)).Succeeded);
    }

    [Fact]
    public async Task A_Requirement_That_Looks_At_The_Resource_Is_Asked_Every_Time()
    {
        var service = Service();
        var policy = new AuthorizationPolicyBuilder().RequireRole(Roles.Admin).RequireAssertion(c => c.Resource is "mine").Build();
        var admin = Key(Roles.Admin);
        Assert.True((await service.AuthorizeAsync(admin, "mine", policy)).Succeeded);
        Assert.False((await service.AuthorizeAsync(admin, "theirs", policy)).Succeeded);
        Assert.True((await service.AuthorizeAsync(admin, "mine", policy)).Succeeded);
    }

    [Fact]
    public async Task Any_Other_Principal_Is_Asked_Every_Time_Even_One_Of_The_Key_Scheme()
    {
        var service = Service();
        foreach (var other in new[] { new ClaimsPrincipal(new ClaimsIdentity(Claims(Roles.Admin), "Cookies")), new ClaimsPrincipal(new ClaimsIdentity(Claims(Roles.Admin), ApiKeys.Scheme)) })
        {
            var first = service.AuthorizeAsync(other, null, Writers);
            Assert.True((await first).Succeeded);
            Assert.NotSame(first, service.AuthorizeAsync(other, null, Writers));
        }
    }

    [Fact]
    public void A_Key_Principal_Cannot_Be_Changed()
    {
        var key = Key(Roles.Viewer);
        Assert.Throws<NotSupportedException>(() => key.AddIdentity(new ClaimsIdentity(Claims(Roles.Admin), "Elsewhere")));
        Assert.Throws<NotSupportedException>(() => key.AddIdentities([new ClaimsIdentity(Claims(Roles.Admin), "Elsewhere")]));
        var identity = Assert.IsType<ApiKeyIdentity>(key.Identity);
        Assert.Throws<NotSupportedException>(() => identity.AddClaim(new Claim(ClaimTypes.Role, Roles.Admin)));
        Assert.Throws<NotSupportedException>(() => identity.AddClaims([new Claim(ClaimTypes.Role, Roles.Admin)]));
        Assert.Throws<NotSupportedException>(() => identity.RemoveClaim(identity.FindFirst(ClaimTypes.Role)));
        Assert.Throws<NotSupportedException>(() => identity.TryRemoveClaim(identity.FindFirst(ClaimTypes.Role)));
        Assert.Equal([Roles.Viewer], key.FindAll(ClaimTypes.Role).Select(c => c.Value));
        Assert.Equal(ApiKeys.Scheme, identity.AuthenticationType);
        Assert.True(identity.IsAuthenticated);
    }

    private sealed class OnlyMine : AuthorizationHandler<RolesAuthorizationRequirement, string>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RolesAuthorizationRequirement requirement, string resource)
        {
            if (resource != "mine") context.Fail();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task With_An_Authorization_Handler_Of_The_Applications_Own_Every_Request_Is_Asked()
    {
        var service = Service(s => s.AddSingleton<IAuthorizationHandler, OnlyMine>());
        var reporter = Key(Roles.Reporter);
        Assert.True((await service.AuthorizeAsync(reporter, "mine", Writers)).Succeeded);
        Assert.False((await service.AuthorizeAsync(reporter, "theirs", Writers)).Succeeded);
    }
}
