using Disclosure.Storage;

namespace Disclosure.Api.Infrastructure;

/// <summary>What the service logs once its store has started: which store it is, each reporter the start renamed, and what the operator should mend.</summary>
internal static partial class StoreStart
{
    public static void Log(WebApplication app)
    {
        if (app.Services.GetRequiredService<IStoreLifecycle>() is not IStoreStartReport report) return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Disclosure.Store");
        StoreStarted(logger, report.Opened);
        foreach (var r in report.RenamedReporters) ReporterRenamed(logger, r.Id, r.OldName, r.NewName);
        foreach (var caution in report.Cautions) StoreCaution(logger, caution);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Store}")]
    private static partial void StoreStarted(ILogger logger, string store);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Reporter {ReporterId} renamed from {OldName} to {NewName}: another reporter has that name, which this build no longer allows; correct it in the list of reporters if another name is meant")]
    private static partial void ReporterRenamed(ILogger logger, string reporterId, string oldName, string newName);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Caution}")]
    private static partial void StoreCaution(ILogger logger, string caution);
}
