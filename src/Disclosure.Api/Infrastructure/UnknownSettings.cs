using System.Reflection;
using Disclosure.Storage;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A key under the service's own sections that no setting reads, warned about at start: configuration takes any key, so a misspelt
/// one (<c>ConnectionStrings__MongoDB</c>, <c>Storage__Sqlite__KeepBackup</c>) was ignored without a word and the default ran instead.
/// A warning, not a refusal: a key a later build reads, left in place on a rollback, must not stop the service.
/// </summary>
internal static partial class UnknownSettings
{
    /// <summary>The sections whose every key is one of this service's settings.</summary>
    private static readonly string[] Roots = [StorageSettings.Section, "Storage", AuthSettings.Section, PageSettings.Section];

    /// <summary>Each settings class and its section: the settings are their properties a binder can set.</summary>
    private static readonly (string Section, Type Settings)[] Classes =
    [
        (StorageSettings.Section, typeof(StorageSettings)),
        (SqliteSettings.Section, typeof(SqliteSettings)),
        (MongoSettings.Section, typeof(MongoSettings)),
        (AuthSettings.Section, typeof(AuthSettings)),
        (PageSettings.Section, typeof(PageSettings)),
    ];

    private static readonly string[] Known = [.. Classes.SelectMany(c => c.Settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true }).Select(p => $"{c.Section}:{p.Name}"))];

    public static void Log(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Disclosure.Settings");
        foreach (var root in Roots)
        {
            var known = Known.Where(k => k.StartsWith(root + ":", StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var (key, value) in app.Configuration.GetSection(root).AsEnumerable().OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase))
                // The section's own entry (a value some providers give it) is no setting under it.
                if (value is not null && !key.Equals(root, StringComparison.OrdinalIgnoreCase) && !known.Contains(key, StringComparer.OrdinalIgnoreCase))
                    Ignored(logger, key, root, string.Join(", ", known));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "The setting {Key} is not one this service reads, and is ignored (a misspelling?); the settings under {Section} are {Known}")]
    private static partial void Ignored(ILogger logger, string key, string section, string known);
}
