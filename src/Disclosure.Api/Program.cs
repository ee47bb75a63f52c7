using Disclosure.Api.Features.Catalogues;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

var builder = WebApplication.CreateBuilder(args);

// Secrets may arrive as files (Docker/Kubernetes secrets), one file per key, e.g. /run/secrets/Auth__AdminKey.
builder.Configuration.AddKeyPerFile(
    builder.Configuration["SecretsDirectory"] ?? "/run/secrets", optional: true, reloadOnChange: false);

builder.AddDisclosureTelemetry();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("ShutdownTimeoutSeconds", 30)));
builder.Services.AddOptions<AuthSettings>().BindConfiguration(AuthSettings.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCatalogueRegistry();
builder.Services.AddDisclosureStorage(builder.Configuration);
builder.Services.AddSingleton<Disclosure.Api.Features.Submissions.SubmissionJudge>();
builder.Services.AddSingleton<Disclosure.Api.Features.Aggregates.AggregateService>();
builder.Services.AddSingleton<Disclosure.Api.Features.Aggregates.AggregateCache>();

builder.Services.AddProblemDetails();
builder.Services.AddSingleton<ConfiguredAdminKey>();
builder.Services
    .AddAuthentication(ApiKeys.Scheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, null);
builder.Services.AddAuthorization();
// Stateless, yet registered transient: every authorized request made its own authorization service and policy evaluator,
// and their dependencies (the service alone was 4 % of a submission's sampled allocations). No authorization handler
// here needs a request's scope, so one of each serves every request.
builder.Services.AsSingletons(typeof(IAuthorizationService), typeof(IPolicyEvaluator), typeof(IAuthorizationHandlerProvider),
    typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationEvaluator));
// And a key's answer against an endpoint's policy of roles is given again rather than worked out again (see there).
builder.Services.DecorateSingleton<IAuthorizationService>((sp, inner) => new AuthorizationDecisions(inner, sp.GetServices<IAuthorizationHandler>()));
builder.Services.AddFastEndpoints();
builder.Services.AddDisclosureOpenApi();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);

var app = builder.Build();

AdminKey.EnsureConfigured(app);
await app.Services.GetRequiredService<IStoreLifecycle>().InitialiseAsync(app.Lifetime.ApplicationStopping);
await app.Services.LoadStoredCataloguesAsync(app.Lifetime.ApplicationStopping);

app.UseRequestId();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestLimits>();
app.UseAuthentication();
app.UseAuthorization();
app.UseFastEndpoints(c =>
{
    Json.Configure(c.Serializer.Options);
    JsonBodies.Use(c.Serializer,
        [Disclosure.Api.Features.Submissions.SubmissionBodyReader.TryRead],
        [Disclosure.Api.Features.Submissions.SubmissionViewWriter.TryWrite]);
    c.Errors.UseProblemDetails();
    c.Binding.JsonExceptionTransformer = ex => new FluentValidation.Results.ValidationFailure(Json.FieldName(ex.Path), Json.Describe(ex));
});
app.UseDisclosureOpenApi();

await app.RunAsync();

/// <summary>Entry point; public so that the in-process test host can reach it.</summary>
public partial class Program;
