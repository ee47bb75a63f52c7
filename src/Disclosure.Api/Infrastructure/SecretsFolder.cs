namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The folder read as key-per-file configuration (Docker and Kubernetes secrets: <c>/run/secrets/Auth__AdminKey</c>). The default
/// may be missing, as it is outside a container; one the administrator named must be there, since a mistyped one was read as no
/// secrets at all, and the refusal that followed ("Auth:AdminKey is not configured") did not say where it had looked.
/// </summary>
internal static class SecretsFolder
{
    public const string Key = "SecretsDirectory";
    public const string Default = "/run/secrets";

    /// <summary>Adds the folder to <paramref name="configuration"/>, read last; throws, naming it, when one set cannot be read as such.</summary>
    public static void Add(ConfigurationManager configuration)
    {
        configuration.AddKeyPerFile(Checked(configuration[Key]), optional: true, reloadOnChange: false);
    }

    /// <summary>The folder <paramref name="configuration"/> names, as it is read: a relative one from the working directory.</summary>
    public static string Of(IConfiguration configuration) => configuration[Key] is { } set && !string.IsNullOrWhiteSpace(set) ? Path.GetFullPath(set) : Default;

    private static string Checked(string? set)
    {
        if (set is null) return Default;
        const string wanted = "a folder holding one file per setting (such as Auth__AdminKey), or unset to read " + Default + " where it exists";
        if (string.IsNullOrWhiteSpace(set)) throw new InvalidOperationException($"{Key} is set but empty; it must be {wanted}.");
        var full = Path.GetFullPath(set);
        if (File.Exists(full)) throw new InvalidOperationException($"{Key} is '{set}', which is a file; it must be {wanted}.");
        if (!Directory.Exists(full)) throw new InvalidOperationException($"{Key} is '{set}', which does not exist; it must be {wanted}.");
        return full;
    }
}
