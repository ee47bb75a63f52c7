using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Admin.Backup;

sealed class Response
{
    /// <summary>The backup's file name in the configured backup directory (<c>Storage__Sqlite__BackupDirectory</c>).</summary>
    public required string File { get; init; }
    /// <summary>Its full path on the server.</summary>
    public required string Path { get; init; }
    /// <summary>Its size in bytes.</summary>
    public required long Bytes { get; init; }
    /// <summary>How many revisions it holds: every one acknowledged before the backup began.</summary>
    public required long Submissions { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// The older backups deleted after this one under <c>Storage__Sqlite__KeepBackups</c>, oldest first; empty when that is 0 (keep all).
    /// </summary>
    public required IReadOnlyList<string> Removed { get; init; }
}

sealed class Endpoint(StoreBackups backups, TimeProvider clock) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Post("v1/admin/backup");
        Options(b => b.WithMetadata(new RetryAdvice("Send it again: each backup is a file of its own, and `GET /v1/admin/backups` lists any the failed attempt left.", "可重发：每次备份是单独的文件，上次可能留下的备份见 GET /v1/admin/backups。")));
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "在线备份 · Back up the embedded store while it serves";
            s.Description = "Writes a consistent copy of the SQLite file (VACUUM INTO, a snapshot of every commit acknowledged before it began) " +
                "into the backup directory, checks it with SQLite's quick_check and flushes it to disk before answering. Submissions go on meanwhile. " +
                "Restore: stop the service, put the copy in place of the database file (removing its -wal and -shm files), start it.";
            s.Responses[201] = "The backup is written, checked and on disk; `Location` is the list of backups (`GET /v1/admin/backups`). " +
                "With `Storage__Sqlite__KeepBackups` set, the oldest beyond that many are deleted after it (`removed`).";
            s.Responses[501] = "The store is MongoDB: back it up with mongodump or the replica set's own means.";
            s.Responses[503] = "The backup directory cannot be written (`store-unavailable`, its `detail` naming the directory and " +
                "`Storage__Sqlite__BackupDirectory`; the store serves on), or the store's disk failed.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (backups.Backup is not { } backup)
        {
            await Send.ResultAsync(NotEmbedded(HttpContext));
            return;
        }
        var now = clock.GetUtcNow();
        BackupResult result;
        try
        {
            result = await backup.BackupAsync(now, ct);
        }
        catch (BackupDirectoryException e)
        {
            // The service's configuration, not the store: said as it is, for the office to pass on to whoever runs the service.
            await Send.ResultAsync(DirectoryUnwritable(HttpContext, e));
            return;
        }
        AuditLog.Record(HttpContext, $"备份 {result.Submissions} 个修订到 {result.Path}" + (result.Removed.Count > 0 ? $"，删除旧备份 {string.Join("、", result.Removed)}" : ""));
        HttpContext.Response.Headers.Location = List.Endpoint.Route;
        await Send.ResponseAsync(new Response
        {
            File = System.IO.Path.GetFileName(result.Path),
            Path = result.Path,
            Bytes = result.Bytes,
            Submissions = result.Submissions,
            CreatedAt = StoredTime.Of(now), // to the millisecond, as every other time the API gives
            Removed = result.Removed,
        }, StatusCodes.Status201Created, ct);
    }

    /// <summary>The answer on MongoDB, which has its own backup tools.</summary>
    internal static IResult NotEmbedded(HttpContext context) => Problems.Result(ProblemTypes.BackupNotEmbedded,
        "本服务使用 MongoDB：请用 mongodump 或副本集自身的方式备份。The service runs on MongoDB; back it up with mongodump or the replica set's own means.", context);

    /// <summary>The backup directory that cannot be written: the service's configuration, said as it is, the store serving on.</summary>
    internal static IResult DirectoryUnwritable(HttpContext context, BackupDirectoryException e)
    {
        context.Response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Result(ProblemTypes.StoreUnavailable,
            "备份目录无法写入，没有备份（存储本身不受影响）：请把 Storage__Sqlite__BackupDirectory 设为本服务可写的目录，或修正其权限。" + e.Message, context);
    }
}
