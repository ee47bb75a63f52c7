using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Sqlite;

/// <summary>
/// Takes the database file for this process and checks that it is one before SQLite writes to it.
/// The lock is <c>flock(LOCK_EX)</c> on the database file itself (what .NET takes for <see cref="FileShare.None"/>): it
/// belongs to the inode, so a symlink or a hard link to the same file meets it, unlike a lock file found by name. flock
/// and SQLite's own fcntl locks do not interact on Linux, and closing SQLite's descriptors does not drop a flock held
/// by another descriptor (it would drop an fcntl lock of this process).
/// </summary>
internal static class SqliteFileGuard
{
    private const int SharingViolation = unchecked((int)0x80070020);

    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    /// <summary>
    /// Read and written by the service's own user only: the file holds keys' hashes and reporters' contacts. SQLite gives its
    /// WAL and shared-memory files the database file's mode; a backup is made with it too.
    /// </summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A caution for a store file other users may read or write: made by a build before <see cref="OwnerOnly"/>, or given
    /// another mode since. Left as it is (an operator may mean it, for a backup group), but said at every start.
    /// </summary>
    public static IReadOnlyList<string> Exposed(string path)
    {
        if (OperatingSystem.IsWindows()) return [];
        var mode = File.GetUnixFileMode(path);
        var others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        return (mode & others) == 0 ? [] :
        [
            $"The SQLite file '{path}' has mode {Convert.ToString((int)mode, 8)}: other users of this machine may read the keys' hashes and the " +
            $"reporters' contacts in it. Stop the service and run: chmod 600 '{path}' '{path}-wal' '{path}-shm'",
        ];
    }

    /// <summary>How to open a file that, if this makes it, is the owner's only (<see cref="OwnerOnly"/>), shared with no other opener.</summary>
    public static FileStreamOptions Private(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, BufferSize = 1 };
        if (mode != FileMode.Open && !OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }

    /// <summary>
    /// Opens and locks the file, creating it only if it is missing. An existing file must be non-empty and start with
    /// SQLite's header: an empty or foreign file is refused rather than taken for a new store.
    /// </summary>
    public static FileStream Take(string dataSource, out bool created)
    {
        var path = Path.GetFullPath(dataSource);
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
            throw new StoreStartException($"The SQLite file's directory '{directory}' does not exist.");
        // A symbolic link whose target is gone (a volume not mounted, a file moved away) would otherwise be met below as 'not writable'.
        if (new FileInfo(path) is { LinkTarget: { } } link && link.ResolveLinkTarget(returnFinalTarget: true) is { Exists: false } target)
            throw new StoreStartException($"The SQLite file '{path}' is a symbolic link to '{target.FullName}', which does not exist: " +
                "mount or restore the file it leads to, or point ConnectionStrings__Sqlite at the database file itself.");
        created = !File.Exists(path);
        // A write-ahead log without its database: the file was deleted or moved away, and what was committed since its last
        // checkpoint may be in the log alone. A new store made here would take that log over and lose it.
        if (created && new FileInfo(path + "-wal") is { Exists: true, Length: > 0 })
            throw new StoreStartException($"The SQLite file '{path}' is missing, but its write-ahead log '{path}-wal' is there: the file was deleted " +
                "or moved away, and the log may hold its latest writes. Put the file back beside the log; or, to start from a backup, copy it to that " +
                "path and delete the -wal and -shm files; or delete them to start a new, empty store.");
        FileStream file;
        try
        {
            file = new FileStream(path, Private(created ? FileMode.CreateNew : FileMode.Open, FileAccess.ReadWrite));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StoreStartException(File.Exists(path)
                ? $"The SQLite file '{path}' is not writable by this process (permissions)."
                : $"The SQLite file's directory '{directory}' is not writable by this process: the store cannot be created there.", e);
        }
        catch (IOException e) when (File.Exists(path))
        {
            // flock's EWOULDBLOCK, which .NET reports as a sharing violation; /proc/locks names the holder where there is one.
            var pid = Holder(path);
            if (pid is not null || e.HResult == SharingViolation || e.Message.Contains("used by another process", StringComparison.Ordinal))
                throw new StoreStartException(
                    $"The SQLite file '{path}' is in use by another process ({(pid is { } p ? $"pid {p}" : "a process")} holds its lock). The embedded store belongs to one " +
                    "process: run one instance on it, or use MongoDB (ConnectionStrings__Mongo) for more.", e);
            throw new StoreStartException($"The SQLite file '{path}' is not writable by this process ({e.Message}).", e);
        }
        catch (IOException e)
        {
            throw new StoreStartException($"The SQLite file's directory '{directory}' is not writable by this process ({e.Message}): the store cannot be created there.", e);
        }
        try
        {
            if (!created) CheckHeader(file, path);
            CheckDirectoryWritable(directory);
            return file;
        }
        catch
        {
            file.Dispose();
            if (created) File.Delete(path);
            throw;
        }
    }

    private static void CheckHeader(FileStream file, string path)
    {
        if (file.Length == 0)
            throw new StoreStartException(
                $"The SQLite file '{path}' is empty (0 bytes), not a store: only a missing file starts a new store. Delete it to start afresh, or restore a backup.");
        Span<byte> header = stackalloc byte[100];
        file.Position = 0;
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (read < header.Length || !header[..Header.Length].SequenceEqual(Header))
            throw new StoreStartException($"The file '{path}' is not a SQLite database ({file.Length} bytes, no SQLite header). Restore a backup.");
    }

    /// <summary>SQLite writes its WAL and shared-memory files beside the database: a directory it cannot write is named here, not met later.</summary>
    private static void CheckDirectoryWritable(string directory)
    {
        try
        {
            ProbeWrite(directory);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new StoreStartException($"The SQLite file's directory '{directory}' is not writable by this process ({e.Message}); the store keeps its WAL there.", e);
        }
    }

    /// <summary>Creates and deletes a file in <paramref name="directory"/>; throws as the file system refuses it.</summary>
    public static void ProbeWrite(string directory) =>
        new FileStream(Path.Combine(directory, $".disclosure-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"),
            FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();

    /// <summary>
    /// Checks, on the writer's connection once it is open, that the file reads as a whole database: a truncated or damaged
    /// file is refused at start instead of failing the first request that meets the damage.
    /// </summary>
    public static void CheckIntact(SqliteConnection connection, string path, bool walLeft = false)
    {
        string verdict;
        try
        {
            using var command = Sql.Create(connection, "PRAGMA quick_check(1)");
            verdict = command.ExecuteScalar() as string ?? "no answer";
        }
        catch (SqliteException e)
        {
            throw new StoreStartException($"The SQLite file '{Path.GetFullPath(path)}' is damaged ({e.Message.TrimEnd('.')}). {Remedy(path, walLeft)}", e);
        }
        if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            throw new StoreStartException($"The SQLite file '{Path.GetFullPath(path)}' fails SQLite's quick_check ({verdict}). {Remedy(path, walLeft)}");
    }

    /// <summary>A start-up refusal for a SQLite error met while opening the file that says the file is not a database; null for any other error.</summary>
    public static StoreStartException? Explain(Exception e, string path, bool walLeft) => e is SqliteException { SqliteErrorCode: 11 or 26 } sqlite
        ? new StoreStartException($"The SQLite file '{Path.GetFullPath(path)}' is damaged or not a database ({sqlite.Message.TrimEnd('.')}). {Remedy(path, walLeft)}", e)
        : null;

    /// <summary>
    /// What to do about a damaged file. A WAL left beside it (<paramref name="walLeft"/>: there before the store opened the file;
    /// a clean stop removes it) is read as part of it: after a backup is put in place, the replaced file's WAL replays over
    /// it, which the restore steps' <c>rm</c> prevents; that WAL is named first.
    /// </summary>
    private static string Remedy(string path, bool walLeft) => walLeft
        ? $"If a backup was just put in its place, remove '{RealPath(path)}-wal' and '{RealPath(path)}-shm' (they belong to the file it replaced) and start again; otherwise restore a backup."
        : "Restore a backup.";

    /// <summary>Whether a WAL with frames lies beside <paramref name="path"/> before the store opens it: a stop that was not clean, or a file put in place of another.</summary>
    public static bool WalLeft(string path) => new FileInfo(RealPath(path) + "-wal") is { Exists: true, Length: > 0 };

    /// <summary>Deletes a database file this process made, with the WAL and shared-memory files SQLite may have made beside it.</summary>
    public static void Remove(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // left as it is: the next start names it
            }
    }

    /// <summary>The file a path leads to, through any symbolic links: SQLite keeps its WAL beside that file, not beside the link.</summary>
    private static string RealPath(string path) => new FileInfo(Path.GetFullPath(path)).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    /// <summary>The process holding a flock on <paramref name="path"/>'s inode, from <c>/proc/locks</c> (Linux); null when not found.</summary>
    internal static int? Holder(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/locks")) return null;
        if (Inode(path) is not { Error: 0, Id: var (device, inode) }) return null;
        var major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffUL);
        var minor = (device & 0xff) | ((device >> 12) & ~0xffUL);
        var id = string.Create(CultureInfo.InvariantCulture, $"{major:x2}:{minor:x2}:{inode}");
        foreach (var line in File.ReadLines("/proc/locks"))
        {
            // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF"; a waiter's line carries "->" and is skipped.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 6 && fields[1] == "FLOCK" && fields[5] == id
                && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return pid;
        }
        return null;
    }

    /// <summary>
    /// A check that <paramref name="path"/> still names the file taken now: null while it does, else why not, in a sentence for
    /// the log. SQLite goes on writing to a file deleted or moved away under it (its inode), where no restart finds what it
    /// wrote; so a write is acknowledged only while the path still leads to the same inode (to an existing file, where
    /// <c>stat</c> cannot be called). A path that cannot be examined (its folder's permissions taken away, a network volume's
    /// error) is said so, with the system's reason: the file may be intact, and putting a backup in its place would lose what
    /// was stored since.
    /// </summary>
    public static Func<string?> StillAt(string path)
    {
        path = Path.GetFullPath(path);
        const string PutBack = " Stop the service, put the file (or a backup) back in place, and start it again.";
        if (Inode(path) is not { Error: 0 } taken)
            return () => File.Exists(path) ? null : $"The store's file '{path}' is no longer there." + PutBack;
        return () => Inode(path) switch
        {
            null => File.Exists(path) ? null : $"The store's file '{path}' is no longer there." + PutBack,
            { Error: 0 } now when now.Id == taken.Id => null,
            { Error: 0 } => $"The store's file '{path}' was replaced by another file while the service had it open." + PutBack,
            { Error: NoSuchFile or NotADirectory } => $"The store's file '{path}' was deleted or moved away while the service had it open." + PutBack,
            { Error: var error } => $"The store's file '{path}' cannot be examined ({new System.ComponentModel.Win32Exception(error).Message}): mend the " +
                "permissions of its folder, or the volume it is on. The file may well be intact: do not put a backup in its place, which would lose " +
                "what was stored since. The store serves again, without a restart, once the file can be reached.",
        };
    }

    private const int NoSuchFile = 2, NotADirectory = 20; // ENOENT, ENOTDIR

    /// <summary>The file's device and inode, or the <c>errno</c> of a <c>stat</c> that failed; null where <c>stat</c> cannot be called.</summary>
    private static (int Error, (ulong Device, ulong Inode) Id)? Inode(string path)
    {
        // struct stat begins with st_dev and st_ino, 8 bytes each, on Linux x64 and arm64 alike; the buffer covers the rest.
        var buffer = new byte[256];
        try
        {
            if (Stat(path, buffer) != 0) return (Marshal.GetLastPInvokeError(), default);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return (0, (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)));
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, and a byte array is passed pinned as is.
    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);
}
