using Microsoft.Extensions.Options;

namespace Disclosure.Api.Infrastructure;

internal static class AdminKey
{
    /// <summary>The shortest configured admin key accepted: shorter is guessable.</summary>
    public const int MinLength = 16;

    /// <summary>The longest key authentication reads (a longer X-Api-Key header is refused unread), so the longest configurable.</summary>
    public const int MaxLength = 256;

    /// <summary>What the deployment templates put where a secret belongs; a configured secret holding it was never replaced.</summary>
    public const string Placeholder = "REPLACE_ME";

    /// <summary>
    /// Production refuses to start without <c>Auth:AdminKey</c>: a district's data must never sit behind no key or a
    /// guessable one. Development generates one and logs it once so that a developer can start with one command.
    /// </summary>
    public static void EnsureConfigured(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<AuthSettings>>().Value;
        if (!string.IsNullOrWhiteSpace(settings.AdminKey))
        {
            // Checked against what authentication accepts, so a configured key can always be used.
            if (settings.AdminKey.Length is < MinLength or > MaxLength || !settings.AdminKey.All(c => c is > ' ' and < (char)0x7F))
                throw new InvalidOperationException(
                    $"Auth:AdminKey must be {MinLength}–{MaxLength} visible ASCII characters (an X-Api-Key header carries it); the configured one has {settings.AdminKey.Length} characters.");
            // The Kubernetes Secret template's value (deploy/k8s/templates/secret.yaml) is long enough to pass, and public.
            if (settings.AdminKey.Contains(Placeholder, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"Auth:AdminKey still holds the template's placeholder ({Placeholder}), which anyone can read in the repository: set a long random value of your own (such as `head -c 32 /dev/urandom | base64`).");
            return;
        }
        if (!app.Environment.IsDevelopment())
        {
            // Named where it was looked for: a key put in another folder than the one read was "not configured" with no word of where.
            var folder = SecretsFolder.Of(app.Configuration);
            throw new InvalidOperationException(
                $"Auth:AdminKey is not configured. Set the environment variable Auth__AdminKey, or the secret file Auth__AdminKey in {folder} " +
                $"(SecretsDirectory{(Directory.Exists(folder) ? "" : "; that folder does not exist")}), to a long random value.");
        }
        settings.AdminKey = ApiKeys.NewSecret();
        app.Logger.LogWarning("No Auth:AdminKey configured; generated a Development admin key for this run: {AdminKey}", settings.AdminKey);
    }
}
