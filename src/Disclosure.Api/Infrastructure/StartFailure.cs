using System.Text.RegularExpressions;
using Disclosure.Storage;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// Whatever stops the service before it listens, told in one line that names what to fix: a setting out of range, a store that
/// cannot be opened or reached, a port in use. Printed as <c>Disclosure cannot start: …</c> on stderr, and the process exits 1.
/// </summary>
internal static partial class StartFailure
{
    /// <summary>
    /// One line for <paramref name="e"/>; <paramref name="mongo"/> is <c>ConnectionStrings:Mongo</c>, named without its credentials;
    /// <paramref name="services"/> hold the <see cref="SettingRule"/>s, what the range-checked settings allow (some are bound while
    /// the host is built, so before there is a provider to ask).
    /// </summary>
    public static string Describe(Exception e, string? mongo, IServiceCollection? services = null) => OneLine(e switch
    {
        AggregateException a => string.Join(" ", a.Flatten().InnerExceptions.Select(inner => Describe(inner, mongo, services)).Distinct()),
        OptionsValidationException v => string.Join(" ", v.Failures),
        // The binder's refusal of a value it cannot convert names the setting and the value, and only the type's .NET name.
        InvalidOperationException when NotConverted().Match(e.Message) is { Success: true } m =>
            $"{m.Groups["key"].Value} is '{m.Groups["value"].Value}'; it must be {Allowed(m.Groups["key"].Value, m.Groups["type"].Value, services)}.",
        // The driver refuses some strings as ArgumentExceptions of its own ('[bad' is not a valid host).
        MongoConfigurationException or ArgumentException when mongo is not null && e.TargetSite?.DeclaringType?.Namespace?.StartsWith("MongoDB", StringComparison.Ordinal) == true =>
            $"ConnectionStrings:Mongo ({Hosts(mongo)}) is not a valid MongoDB connection string " +
            $"(mongodb://host:port/database?replicaSet=name, or mongodb+srv://…): {e.Message}",
        // Before the connection failures: the driver's MongoAuthenticationException is a MongoConnectionException.
        MongoAuthenticationException when mongo is not null =>
            $"the MongoDB server at {Hosts(mongo)} refused the user and password of ConnectionStrings:Mongo: {e.Message}",
        TimeoutException or MongoConnectionException when mongo is not null =>
            $"the MongoDB server at {Hosts(mongo)} (ConnectionStrings:Mongo) could not be reached{Within(e.Message)}: check that it runs, that this machine can reach it, and the replica set's name in the connection string.",
        IOException when e.Message.StartsWith("Failed to bind", StringComparison.Ordinal) =>
            $"{e.Message} Another process listens on that port: stop it, or give this service another port (ASPNETCORE_HTTP_PORTS, ASPNETCORE_URLS or --urls).",
        InvalidOperationException => e.Message, // the admin key's and the store's own refusals (StoreStartException, a newer schema)
        _ => $"{e.Message} ({e.GetType().Name})",
    });

    /// <summary>What <paramref name="key"/> allows: as its range check says it, or else its type in words.</summary>
    private static string Allowed(string key, string type, IServiceCollection? services) =>
        services?.Where(d => d.ServiceType == typeof(SettingRule)).Select(d => (SettingRule)d.ImplementationInstance!)
            .FirstOrDefault(r => r.Key.Equals(key, StringComparison.OrdinalIgnoreCase))?.Allowed ?? type switch
        {
            "System.Int32" => "a whole number",
            "System.TimeSpan" => "a time span written hh:mm:ss (such as 00:05:00)",
            _ => $"a value of type {type}",
        };

    /// <summary>The hosts of a MongoDB connection string, without the user and password before them.</summary>
    internal static string Hosts(string? connectionString) =>
        connectionString is null ? "(none)" : MongoHosts().Match(connectionString) is { Success: true } m && m.Groups["hosts"].Length > 0
            ? m.Groups["hosts"].Value : "(no host)";

    private static string Within(string message) =>
        TimeoutAfter().Match(message) is { Success: true } m ? $" within {int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / 1000.0:0.#} s" : "";

    /// <summary>Lines joined, and any user:password@ in a URL taken out.</summary>
    private static string OneLine(string text) => UserInfo().Replace(string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), "://");

    [GeneratedRegex(@"^\s*[A-Za-z0-9+.-]*://(?:[^@/?]*@)?(?<hosts>[^/?]*)")]
    private static partial Regex MongoHosts();

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex NotConverted();

    [GeneratedRegex(@"timeout occurred after (\d+)ms")]
    private static partial Regex TimeoutAfter();

    [GeneratedRegex(@"://[^@/\s'""]*@")]
    private static partial Regex UserInfo();
}
