using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

public sealed partial class SqliteStore : IStoreBackup
{
    /// <summary>
    /// <c>VACUUM INTO</c> on a connection of its own: a read transaction, so the writer and the checkpointer go on, and the
    /// copy is the snapshot that transaction saw (every commit acknowledged before it began). It is written under a
    /// temporary name, checked, flushed to disk and only then renamed, so a file under the final name is always whole.
    /// </summary>
    public async Task<BackupResult> BackupAsync(string name, CancellationToken ct)
    {
        if (writer is null) throw new InvalidOperationException("The SQLite store is not initialised.");
        if (name.Length == 0 || name != Path.GetFileName(name) || name.StartsWith('.'))
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        var beside = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource))!;
        var directory = string.IsNullOrWhiteSpace(settings.BackupDirectory) ? Path.Combine(beside, "backups") : Path.GetFullPath(settings.BackupDirectory, beside);
        var target = Path.Combine(directory, name);
        var partial = Path.Combine(directory, $".{name}.partial");
        try
        {
            Directory.CreateDirectory(directory);
            File.Delete(partial);
            // Made empty first, as VACUUM INTO allows, so that the copy is the owner's only, as the store's file is.
            new FileStream(partial, SqliteFileGuard.Private(FileMode.CreateNew, FileAccess.Write)).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupDirectoryException(directory, e);
        }
        if (File.Exists(target)) throw new IOException($"The backup '{target}' exists already.");
        try
        {
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString()))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await using var vacuum = Sql.Create(connection, "VACUUM INTO $target", partial);
                await vacuum.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            long submissions;
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString()))
            {
                await copy.OpenAsync(ct).ConfigureAwait(false);
                SqliteFileGuard.CheckIntact(copy, partial);
                await using var count = Sql.Create(copy, "SELECT count(*) FROM submissions");
                submissions = (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
            // VACUUM INTO writes without syncing; the copy is on disk before anyone is told it exists.
            await using (var file = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) file.Flush(flushToDisk: true);
            File.Move(partial, target);
            return new BackupResult(target, new FileInfo(target).Length, submissions);
        }
        catch (Exception e)
        {
            File.Delete(partial);
            throw StoreFaultException.From(e) ?? e;
        }
    }
}
