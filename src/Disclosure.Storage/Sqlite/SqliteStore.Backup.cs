using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

public sealed partial class SqliteStore : IStoreBackup
{
    /// <summary>
    /// <c>VACUUM INTO</c> on a connection of its own: a read transaction, so the writer and the checkpointer go on, and the
    /// copy is the snapshot that transaction saw (every commit acknowledged before it began). It is written under a
    /// temporary name, checked, flushed to disk and only then renamed, so a file under the final name is always whole.
    /// </summary>
    public async Task<BackupResult> BackupAsync(DateTimeOffset at, CancellationToken ct)
    {
        if (writer is null) throw new InvalidOperationException("The SQLite store is not initialised.");
        var name = $"disclosure-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}.db";
        var directory = BackupDirectory;
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
            return new BackupResult(target, new FileInfo(target).Length, submissions, RemoveBeyondKept(name));
        }
        catch (Exception e)
        {
            File.Delete(partial);
            throw StoreFaultException.From(e) ?? e;
        }
    }

    /// <summary>Where backups go: <c>Storage:Sqlite:BackupDirectory</c>, relative to the database file's directory; unset, <c>backups</c> beside it.</summary>
    private string BackupDirectory
    {
        get
        {
            var beside = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource))!;
            return string.IsNullOrWhiteSpace(settings.BackupDirectory) ? Path.Combine(beside, "backups") : Path.GetFullPath(settings.BackupDirectory, beside);
        }
    }

    public IReadOnlyList<BackupFile> ListBackups()
    {
        var directory = new DirectoryInfo(BackupDirectory);
        try
        {
            if (!directory.Exists) return [];
            // Only the names this store gives its copies, and never the store's own file: a backup directory set to the file's
            // own folder, beside a store named like a backup, must not list the live file, nor delete it under KeepBackups.
            var own = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
            return directory.EnumerateFiles("disclosure-*.db")
                .Where(f => BackupName().IsMatch(f.Name) && !string.Equals(f.FullName, own, StringComparison.Ordinal))
                .Select(f => new BackupFile(f.Name, f.Length, StoredTime.Of(new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))) // to the millisecond, as every time the API gives
                .OrderByDescending(f => f.WrittenAt).ThenByDescending(f => f.File, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupDirectoryException(directory.FullName, e);
        }
    }

    public string? CheckBackupDirectory()
    {
        var directory = BackupDirectory;
        try
        {
            Directory.CreateDirectory(directory);
            SqliteFileGuard.ProbeWrite(directory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"The backup directory '{directory}' cannot be made or written ({e.Message.TrimEnd('.')}): set Storage__Sqlite__BackupDirectory " +
                "to a directory this service may write, or mend its permissions.";
        }
    }

    /// <summary>The names <see cref="BackupAsync"/> gives its copies (<c>disclosure-20150114T080000Z-1a2b3c4d.db</c>): only these are listed, and deleted under <c>KeepBackups</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\Adisclosure-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\.db\z")]
    private static partial System.Text.RegularExpressions.Regex BackupName();

    /// <summary>
    /// Under <c>Storage:Sqlite:KeepBackups</c>, deletes the oldest backups beyond that many, never <paramref name="written"/> (the one
    /// just written). The backup stands whatever happens here: a file that cannot be deleted is left, to be tried at the next.
    /// </summary>
    private List<string> RemoveBeyondKept(string written)
    {
        var removed = new List<string>();
        if (settings.KeepBackups <= 0) return removed;
        IReadOnlyList<BackupFile> all;
        try
        {
            all = ListBackups();
        }
        catch (BackupDirectoryException)
        {
            return removed;
        }
        foreach (var old in all.Where(b => b.File != written).Skip(settings.KeepBackups - 1).Reverse())
        {
            try
            {
                File.Delete(Path.Combine(BackupDirectory, old.File));
                removed.Add(old.File);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // left for the next backup
            }
        }
        return removed;
    }
}
