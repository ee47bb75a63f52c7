using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Admin.Backup.List;

sealed class Response
{
    /// <summary>The backups, newest first.</summary>
    public required IReadOnlyList<Item> Items { get; init; }

    public sealed class Item
    {
        /// <summary>The backup's file name in the backup directory, as <c>POST /v1/admin/backup</c> answered it.</summary>
        public required string File { get; init; }
        /// <summary>Its size in bytes.</summary>
        public required long Bytes { get; init; }
        /// <summary>When it was written (the file's last write time).</summary>
        public required DateTimeOffset WrittenAt { get; init; }
    }
}

sealed class Endpoint(StoreBackups backups) : EndpointWithoutRequest<Response>
{
    public const string Route = "/v1/admin/backups";

    public override void Configure()
    {
        Get(Route[1..]);
        Roles(Infrastructure.Roles.Admin);
        Summary(s =>
        {
            s.Summary = "列出备份 · List the backups of the embedded store";
            s.Description = "The backups in the backup directory (`Storage__Sqlite__BackupDirectory`): the files named as `POST /v1/admin/backup` names " +
                "them (`disclosure-20150114T080000Z-1a2b3c4d.db`), never the store's own file, newest first; none while no backup was taken.";
            s.Responses[200] = "The backups, newest first.";
            s.Responses[501] = "The store is MongoDB: back it up with mongodump or the replica set's own means.";
            s.Responses[503] = "The backup directory cannot be read (`store-unavailable`, its `detail` naming the directory and `Storage__Sqlite__BackupDirectory`).";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (backups.Backup is not { } backup)
        {
            await Send.ResultAsync(Backup.Endpoint.NotEmbedded(HttpContext));
            return;
        }
        IReadOnlyList<BackupFile> files;
        try
        {
            files = backup.ListBackups();
        }
        catch (BackupDirectoryException e)
        {
            await Send.ResultAsync(Backup.Endpoint.DirectoryUnwritable(HttpContext, e));
            return;
        }
        await Send.OkAsync(new Response
        {
            Items = [.. files.Select(f => new Response.Item { File = f.File, Bytes = f.Bytes, WrittenAt = f.WrittenAt })],
        }, ct);
    }
}
