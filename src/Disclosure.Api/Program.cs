using Disclosure.Api.Features.Catalogues;
using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

// Bodies sent as GBK, GB2312 or GB18030 (as older Chinese systems do, saying so in the Content-Type charset) are read too:
// .NET itself knows only the Unicode encodings, the code pages come with this provider.
System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

// Everything up to listening is one step that either starts the service or stops the process with one line (StartFailure) and
// exit code 1: a setting out of range, a store that cannot be opened or reached, the port in use. What fails once it listens
// surfaces as it is.
WebApplication? app = null;
string? mongo = null;
IServiceCollection? services = null; // what the failure line reads the settings' rules from, built or not
try
{
    // The content root is the folder of the binaries, so appsettings*.json beside them (the build and publish outputs both hold
    // them) and the pages (wwwroot/) are read whatever the working directory; a relative SQLite path still names a file in the
    // working directory (SQLite opens it relative to the process's).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
        WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
    });
    services = builder.Services;

    // Secrets may arrive as files (Docker/Kubernetes secrets), one file per key, e.g. /run/secrets/Auth__AdminKey.
    SecretsFolder.Add(builder.Configuration);
    // Read after the secrets, where the connection string (with its password) usually comes from: a failure names its hosts.
    mongo = builder.Configuration.GetConnectionString("Mongo") is { Length: > 0 } configured ? configured : null;
    WrittenSettings.Check(builder.Configuration); // log levels, CORS origins, the OTLP endpoint, forwarded headers

    builder.AddDisclosureTelemetry();
    // Settings are checked at start (ValidateOnStart, run below before the store opens): out of range is one line naming the
    // setting, its value and what is allowed.
    builder.Services.AddOptions<ShutdownSettings>().Bind(builder.Configuration)
        .ValidateRange(nameof(ShutdownSettings.ShutdownTimeoutSeconds), s => s.ShutdownTimeoutSeconds, 1, 86_400).ValidateOnStart();
    builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownSettings>>((o, s) => o.ShutdownTimeout = TimeSpan.FromSeconds(s.Value.ShutdownTimeoutSeconds));
    builder.Services.AddOptions<AuthSettings>().BindConfiguration(AuthSettings.Section)
        .ValidateRange("Auth:FailedKeyLimit", a => a.FailedKeyLimit, 0, note: "0 turns the limit off")
        .ValidateWith(a => a.WindowFailure(builder.Configuration[$"{AuthSettings.Section}:{nameof(AuthSettings.FailedKeyWindow)}"]))
        .ValidateOnStart();
    builder.Services.AddSingleton<FailedKeys>();
    builder.Services.AddOptions<PageSettings>().BindConfiguration(PageSettings.Section)
        .ValidateRange("Pages:LockAfterIdleSeconds", p => p.LockAfterIdleSeconds, 0, note: "0 never locks").ValidateOnStart();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddCatalogueRegistry();
    // Initialised below, before Kestrel listens, so a store that cannot start stops the process with one line.
    builder.Services.AddDisclosureStorage(builder.Configuration, initialiseWithHost: false);
    builder.Services.AddSingleton<Disclosure.Api.Features.Submissions.SubmissionJudge>();
    builder.Services.AddSingleton<Disclosure.Api.Features.Aggregates.AggregateService>();
    builder.Services.AddSingleton<Disclosure.Api.Features.Aggregates.AggregateCache>();

    builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // before the framework's: tried first
    builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemShape.Complete);
    builder.Services.AddExceptionHandler<Faults>();
    builder.Services
        .AddAuthentication(ApiKeys.Scheme)
        .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, null);
    builder.Services.AddAuthorization();
    // A page on another origin (a dashboard, 大屏) may call the API from the browser: only the origins the district lists
    // (Cors:AllowedOrigins), none by default. Preflights are answered before authentication, as they carry no key.
    builder.Services.AddCors(o => o.AddDefaultPolicy(policy => policy
        .WithOrigins(builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
        .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        .WithHeaders(ApiKeys.Header, "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key")
        .WithExposedHeaders("ETag", "Location", "Retry-After", "X-Request-Id", "Idempotent-Replayed", "Content-Disposition")
        .SetPreflightMaxAge(TimeSpan.FromHours(1))));
    // FluentValidation's own messages name a member as it is written in JSON ('expectedRevision'), not split into words ('Expected Revision').
    FluentValidation.ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
        member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
    FluentValidation.ValidatorOptions.Global.LanguageManager = new BilingualMessages();
    builder.Services.AddFastEndpoints();
    builder.Services.AddDisclosureCompression();
    builder.Services.AddDisclosureOpenApi();
    builder.WebHost.ConfigureKestrel(k => RequestLimits.Configure(k.Limits));

    DataProtectionAtStart.NotResolved(builder.Services); // unused here; its hosted service warned at every start without a writable HOME
    app = builder.Build();
    app.Services.GetService<IStartupValidator>()?.Validate(); // what the host would check when it starts, before the store opens
    UnknownSettings.Log(app);

    AdminKey.EnsureConfigured(app);
    await app.Services.GetRequiredService<IStoreLifecycle>().InitialiseAsync(app.Lifetime.ApplicationStopping);
    StoreStart.Log(app);
    Disclosure.Api.Features.Admin.Backup.DirectoryCheck.Log(app);
    await app.Services.LoadStoredCataloguesAsync(app.Lifetime.ApplicationStopping);

    // HEAD is GET without the body (RFC 9110 9.3.2), which monitors and `curl -I` rely on: routed as the GET it stands for,
    // while Kestrel, which keeps the method of the request line, still sends no body. Before routing, so the GET is found.
    app.Use((context, next) =>
    {
        if (HttpMethods.IsHead(context.Request.Method)) context.Request.Method = HttpMethods.Get;
        return next(context);
    });
    app.UseMiddleware<ResponseHeaders>(); // nosniff everywhere, no-store on /v1, the pages' policy on /swagger
    app.UseRouting();
    app.UseRequestId();
    app.UseCors();
    app.UseResponseCompression(); // before the pages and the API: both answer text (Infrastructure/Compression)
    // Outside the static files, so that their bodiless refusals (412 for an If-Match that does not hold, 416 for a Range past
    // the end) are problems as every other refusal is.
    app.UseStatusCodePages();
    // The browser front end (wwwroot/): static files a person opens at /, using only the public API with their key. The default
    // file's rewrite (/ to /index.html) is the service's own: a problem names the path the client asked for (Problems.Instance).
    app.Use((context, next) =>
    {
        if (context.Request.Path.Value is { } path && path.EndsWith('/')) Problems.AskedFor(context);
        return next(context);
    });
    app.UseDefaultFiles();
    app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = PageHeaders.Apply });
    app.UseExceptionHandler();
    app.UseMiddleware<RequestLimits>();
    app.UseMiddleware<AuditLog>(); // outside authentication, so that its 401s are recorded too
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseMiddleware<Disclosure.Api.Features.Templates.WorkbookBodies>();
    app.UseMiddleware<ContentTypeRequired>();
    app.UseMiddleware<KnownQuery>();
    app.UseMiddleware<Retries.UnreadWriteHeaders>();
    app.UseMiddleware<NoBodyMembers>();
    app.UseFastEndpoints(c =>
    {
        Json.Configure(c.Serializer.Options);
        JsonBodies.Use(c.Serializer);
        c.Endpoints.Configurator = RequestBodies.Configure;
        c.Errors.UseProblemDetails();
        c.Errors.ResponseBuilder = Problems.Validation;
        c.Binding.FailureMessage = Problems.BindingFailure;
        // A date-time in a query (?sentAt=) by the JSON body's rule: RFC 3339 with its offset, given once.
        c.Binding.ValueParserFor<DateTimeOffset>(values => values.Count == 1 && OffsetDateTimeConverter.TryParse(values[0], out var time)
            ? new ParseResult(true, time) : new ParseResult(false, null));
        // A reporter kind (?kind=) by its name alone, given once, as in a body: the framework's enum parsing also takes numbers and
        // comma lists (flags), so ?kind=2 or ?kind=town&kind=government would be read as some kind rather than refused.
        c.Binding.ValueParserFor<Disclosure.Storage.ReporterKind>(values => values.Count == 1
            && EnumNameConverter.TryParse<Disclosure.Storage.ReporterKind>(values[0], out var kind)
                ? new ParseResult(true, kind) : new ParseResult(false, null));
        c.Binding.JsonExceptionTransformer = Json.Failure;
    });
    app.UseDisclosureOpenApi();

    // Listening last, once the store is ready: a port in use stops the start here, after the store was opened (and a new
    // SQLite file created).
    await app.StartAsync();
}
catch (Exception e) when (e is not HostAbortedException) // HostAbortedException: the test host took the built app and stops this entry point
{
    await Console.Error.WriteLineAsync($"Disclosure cannot start: {StartFailure.Describe(e, mongo, services)}");
    if (app is not null) await app.DisposeAsync();
    return 1;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

/// <summary>Entry point; public so that the in-process test host can reach it.</summary>
public partial class Program;
