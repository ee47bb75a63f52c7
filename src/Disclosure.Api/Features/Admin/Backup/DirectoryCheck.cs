using Disclosure.Storage;

namespace Disclosure.Api.Features.Admin.Backup;

/// <summary>
/// The backup directory, checked once at start: one that cannot be made or written is told then, as a Warning naming it and the
/// setting, rather than first at the backup that needs it. The start goes on: submissions do not need it.
/// </summary>
internal static partial class DirectoryCheck
{
    public static void Log(WebApplication app)
    {
        if (app.Services.GetRequiredService<StoreBackups>().Backup?.CheckBackupDirectory() is { } problem)
            Unwritable(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Disclosure.Backup"), problem);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Problem} Backups (POST /v1/admin/backup) fail until then; the service starts and serves.")]
    private static partial void Unwritable(ILogger logger, string problem);
}
