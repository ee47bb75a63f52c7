using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

internal static class AdminKey
{
    /// <summary>
    /// Production refuses to start without <c>Auth:AdminKey</c>: a district's data must never sit behind no key or a
    /// guessable one. Development generates one and logs it once so that a developer can start with one command.
    /// </summary>
    public static void EnsureConfigured(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<AuthSettings>>().Value;
        if (!string.IsNullOrWhiteSpace(settings.AdminKey)) return;
        if (!app.Environment.IsDevelopment())
            throw new InvalidOperationException(
                "Auth:AdminKey is not configured. Set the environment variable Auth__AdminKey (or the secret file Auth__AdminKey) to a long random value.");
        settings.AdminKey = ApiKeys.NewSecret();
        app.Logger.LogWarning("No Auth:AdminKey configured; generated a Development admin key for this run: {AdminKey}", settings.AdminKey);
    }
}
