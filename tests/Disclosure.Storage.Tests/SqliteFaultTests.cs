using Disclosure.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Disclosure.Storage.Tests;

/// <summary>The embedded store's file as an unlucky operator meets it: a second owner by another path, a damaged file, a full disk.</summary>
public sealed class SqliteFaultTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "disclosure-faults-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, TimeSpan.Zero);
    private string File1 => Path.Combine(directory, "disclosure.db");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static async Task<SqliteStore> OpenAsync(string path)
    {
        var store = new SqliteStore($"Data Source={path}", new SqliteSettings());
        await store.InitialiseAsync(Ct);
        return store;
    }

    private static async Task<StoreStartException> RefusedAsync(string path)
    {
        var store = new SqliteStore($"Data Source={path}", new SqliteSettings());
        try
        {
            return await Assert.ThrowsAsync<StoreStartException>(() => store.InitialiseAsync(Ct));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("symlink")]
    [InlineData("hardlink")]
    public async Task A_Second_Store_Reaching_The_Same_File_By_Another_Path_Is_Refused_Naming_The_Holder(string link)
    {
        await using var first = await OpenAsync(File1);
        await first.CreateReporterAsync(new Reporter("owner", "o", ReporterKind.Town, Noon), Ct);
        var other = Path.Combine(directory, "other.db");
        if (link == "symlink") File.CreateSymbolicLink(other, File1);
        else Assert.Equal(0, Ln(File1, other));

        var refused = await RefusedAsync(other);

        Assert.Contains("in use by another process", refused.Message);
        Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.NotNull(await first.GetReporterAsync("owner", Ct));
    }

    private static int Ln(string from, string to)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [from, to]);
        ln.WaitForExit();
        return ln.ExitCode;
    }

    [Fact]
    public async Task An_Existing_Empty_File_Is_Refused_Rather_Than_Taken_For_A_New_Store()
    {
        await File.WriteAllBytesAsync(File1, [], Ct);
        var refused = await RefusedAsync(File1);
        Assert.Contains("empty (0 bytes)", refused.Message);
        Assert.Equal(0, new FileInfo(File1).Length);
    }

    [Fact]
    public async Task A_File_That_Is_Not_A_Database_Is_Refused()
    {
        await File.WriteAllTextAsync(File1, "reporter,period\nyicheng,2014\n" + new string('x', 4096), Ct);
        var refused = await RefusedAsync(File1);
        Assert.Contains("not a SQLite database", refused.Message);
    }

    [Fact]
    public async Task A_Truncated_Database_Is_Refused()
    {
        await using (var store = await OpenAsync(File1))
            for (var i = 0; i < 40; i++)
            {
                await store.CreateReporterAsync(new Reporter($"r{i}", i + new string('n', 2000), ReporterKind.Town, Noon), Ct);
            }
        SqliteConnection.ClearAllPools();
        var length = new FileInfo(File1).Length;
        Assert.True(length > 8192, $"the file is {length} bytes");
        await using (var f = new FileStream(File1, FileMode.Open, FileAccess.ReadWrite)) f.SetLength(length / 2);

        var refused = await RefusedAsync(File1);
        Assert.Matches("damaged|quick_check", refused.Message);
        Assert.EndsWith("Restore a backup.", refused.Message);

        // As after a restore without its rm: a WAL beside the file is named, since it is read as part of the file, and reached
        // through a symbolic link, the one beside the file it leads to.
        await File.WriteAllBytesAsync(File1 + "-wal", new byte[4096], Ct);
        refused = await RefusedAsync(File1);
        Assert.Contains($"remove '{File1}-wal' and '{File1}-shm'", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        var link = Path.Combine(directory, "link.db");
        File.CreateSymbolicLink(link, File1);
        await File.WriteAllBytesAsync(File1 + "-wal", new byte[4096], Ct); // SQLite removed the empty one as it closed the file
        var viaLink = (await RefusedAsync(link)).Message;
        Assert.True(viaLink.Contains($"remove '{File1}-wal' and '{File1}-shm'", StringComparison.Ordinal), viaLink);
    }

    [Fact]
    public async Task A_Symbolic_Link_Whose_Target_Is_Missing_Is_Refused_Naming_The_Link_And_The_Target_Not_As_Not_Writable()
    {
        var target = Path.Combine(directory, "unmounted", "disclosure.db");
        var link = Path.Combine(directory, "link.db");
        File.CreateSymbolicLink(link, target);

        var refused = (await RefusedAsync(link)).Message;

        Assert.Contains($"'{link}' is a symbolic link to '{target}', which does not exist", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("not writable", refused, StringComparison.Ordinal);
        Assert.False(File.Exists(target)); // nothing made in its place
    }

    [Theory]
    [InlineData(13, 13, StoreFaultKind.Full)]
    [InlineData(10, 10 | (3 << 8), StoreFaultKind.Unavailable)]   // SQLITE_IOERR_WRITE
    [InlineData(10, 10 | (4 << 8), StoreFaultKind.Unavailable)]   // SQLITE_IOERR_FSYNC
    [InlineData(8, 8, StoreFaultKind.Unavailable)]                // SQLITE_READONLY
    public void SQLite_Errors_Of_The_Machine_Are_Faults(int code, int extended, StoreFaultKind kind)
    {
        var fault = StoreFaultException.From(new SqliteException("SQLite Error", code, extended));
        Assert.NotNull(fault);
        Assert.Equal(kind, fault.Kind);
    }

    [Theory]
    [InlineData(19)] // SQLITE_CONSTRAINT: the request's, not the machine's
    [InlineData(1)]  // SQLITE_ERROR: a bug
    public void SQLite_Errors_Of_The_Request_Or_The_Code_Are_Not_Faults(int code) =>
        Assert.Null(StoreFaultException.From(new SqliteException("SQLite Error", code, code)));

    [Fact]
    public async Task A_Missing_File_Still_Starts_A_New_Store()
    {
        await using var store = await OpenAsync(File1);
        Assert.True(await store.PingAsync(Ct));
        Assert.Null(store.Fault);
    }

    [Fact]
    public async Task A_Full_Disk_Fails_The_Write_As_A_Fault_Keeps_What_Was_Stored_And_Recovers_When_Space_Returns()
    {
        await using var store = await OpenAsync(File1);
        await store.CreateReporterAsync(new Reporter("kept", "k", ReporterKind.Town, Noon), Ct);
        await store.CapPagesAsync(capped: true, Ct);

        var fault = await Assert.ThrowsAsync<StoreFaultException>(async () =>
        {
            for (var i = 0; i < 200; i++)
                await store.CreateReporterAsync(new Reporter($"big{i}", i + new string('n', 4000), ReporterKind.Town, Noon), Ct);
        });
        Assert.Equal(StoreFaultKind.Full, fault.Kind);
        Assert.Same(fault, store.Fault);
        Assert.False(await store.ProbeWriteAsync(Ct));
        Assert.NotNull(await store.GetReporterAsync("kept", Ct));

        await store.CapPagesAsync(capped: false, Ct);
        Assert.True(await store.ProbeWriteAsync(Ct));
        Assert.Null(store.Fault);
        Assert.Equal(CreateStatus.Created, (await store.CreateReporterAsync(new Reporter("after", new string('n', 4000), ReporterKind.Town, Noon), Ct)).Status);
    }

    [Fact]
    public async Task A_New_Store_Its_Wal_And_Its_Backups_Are_Read_And_Written_By_Their_Owner_Only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes.");
        await using var store = await OpenAsync(File1);
        await store.CreateReporterAsync(new Reporter("kept", "k", ReporterKind.Town, Noon), Ct);

        var backup = await store.BackupAsync(Noon, Ct);

        foreach (var file in new[] { File1, File1 + "-wal", backup.Path })
            if (!OperatingSystem.IsWindows()) Assert.Equal((file, SqliteFileGuard.OwnerOnly), (file, File.GetUnixFileMode(file)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_Store_File_Other_Users_May_Read_Is_Named_At_Start_With_The_Command_That_Mends_It_And_Left_As_It_Is()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes.");
        await using (var made = await OpenAsync(File1))
            Assert.Empty(made.Cautions);
        const UnixFileMode Shared = SqliteFileGuard.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(File1, Shared);

        await using (var reopened = await OpenAsync(File1))
        {
            var caution = Assert.Single(reopened.Cautions);
            Assert.Contains("mode 644", caution, StringComparison.Ordinal);
            Assert.Contains($"chmod 600 '{Path.GetFullPath(File1)}'", caution, StringComparison.Ordinal);
        }
        Assert.Equal(Shared, File.GetUnixFileMode(File1));

        File.SetUnixFileMode(File1, SqliteFileGuard.OwnerOnly);
        await using var mended = await OpenAsync(File1);
        Assert.Empty(mended.Cautions);
    }

    [Fact]
    public async Task A_Log_Without_Its_Database_Is_Not_Taken_Over_By_A_New_Empty_Store()
    {
        await File.WriteAllBytesAsync(File1 + "-wal", new byte[4096], Ct);
        var refused = await RefusedAsync(File1);
        Assert.Contains($"The SQLite file '{File1}' is missing, but its write-ahead log '{File1}-wal' is there", refused.Message);
        Assert.False(File.Exists(File1));
        Assert.Equal(4096, new FileInfo(File1 + "-wal").Length);
    }

    [Theory]
    [InlineData("Data Source={0};Password=secret", null)] // refused by SQLite once the file is made: no encryption in this build
    [InlineData("Data Source={0};Mode=ReadOnly", "ConnectionStrings:Sqlite sets Mode=ReadOnly, but the store writes its file: leave Mode out.")]
    [InlineData("Data Source=", "ConnectionStrings:Sqlite names no file: set it to \"Data Source=<path>\", or leave it out for disclosure.db beside the service.")]
    public async Task A_First_Start_That_Fails_Leaves_No_File_To_Refuse_The_Next_And_Names_What_Was_Asked(string connection, string? said)
    {
        var store = new SqliteStore(string.Format(System.Globalization.CultureInfo.InvariantCulture, connection, File1), new SqliteSettings());
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => store.InitialiseAsync(Ct));
        await store.DisposeAsync();
        if (said is not null) Assert.Equal(said, refused.Message);
        Assert.Empty(Directory.EnumerateFiles(directory));
        await using var next = await OpenAsync(File1);
        Assert.Contains("(created new)", next.Opened);
    }

    [Theory]
    [InlineData("disclosure-yicheng.db")]
    [InlineData("disclosure-20150101T000000Z-0123abcd.db")]
    public async Task Backups_Into_The_Stores_Own_Folder_Never_List_Nor_Delete_The_Store_Whatever_It_Is_Named(string named)
    {
        var live = Path.Combine(directory, named);
        var operators = Path.Combine(directory, "disclosure-old.db");
        await File.WriteAllTextAsync(operators, "the operator's own", Ct);
        await using var store = new SqliteStore($"Data Source={live}", new SqliteSettings { BackupDirectory = ".", KeepBackups = 1 });
        await store.InitialiseAsync(Ct);
        await store.CreateReporterAsync(new Reporter("kept", "k", ReporterKind.Town, Noon), Ct);

        var first = await store.BackupAsync(Noon, Ct);
        var second = await store.BackupAsync(Noon.AddMinutes(1), Ct);

        Assert.Equal([Path.GetFileName(first.Path)], second.Removed);
        Assert.Equal([Path.GetFileName(second.Path)], store.ListBackups().Select(b => b.File));
        Assert.Matches(@"\Adisclosure-20150120T120100Z-[0-9a-f]{8}\.db\z", Path.GetFileName(second.Path));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(operators));
        Assert.NotNull(await store.GetReporterAsync("kept", Ct));
        Assert.True(await store.PingAsync(Ct));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("moved away")]
    [InlineData("replaced")]
    public async Task A_File_Deleted_Or_Replaced_Under_The_Store_Fails_Every_Write_As_A_Fault_Until_It_Is_Back(string what)
    {
        await using var store = await OpenAsync(File1);
        await store.CreateReporterAsync(new Reporter("kept", "k", ReporterKind.Town, Noon), Ct);
        var aside = Path.Combine(directory, "aside.db");
        File.Move(File1, aside);
        if (what == "deleted") File.Delete(aside);
        if (what == "replaced") File.WriteAllBytes(File1, "another file"u8.ToArray());
        Assert.False(await store.PingAsync(Ct)); // readiness knows before any write

        // SQLite would write on into the inode it holds, where no restart finds it: nothing may be acknowledged.
        var fault = await Assert.ThrowsAsync<StoreFaultException>(() => store.CreateReporterAsync(new Reporter("lost", "l", ReporterKind.Town, Noon), Ct));
        Assert.Equal(StoreFaultKind.Unavailable, fault.Kind);
        Assert.Contains(what == "replaced" ? "was replaced by another file" : "was deleted or moved away", fault.Message);
        Assert.Contains("put the file (or a backup) back", fault.Message);
        Assert.Same(fault, store.Fault);
        Assert.False(await store.ProbeWriteAsync(Ct));

        if (what != "moved away") return;
        File.Move(aside, File1);
        Assert.True(await store.PingAsync(Ct));
        Assert.True(await store.ProbeWriteAsync(Ct));
        Assert.Equal(CreateStatus.Created, (await store.CreateReporterAsync(new Reporter("after", "a", ReporterKind.Town, Noon), Ct)).Status);
        Assert.Null(await store.GetReporterAsync("lost", Ct));
    }

    [Fact]
    public async Task A_File_That_Cannot_Be_Examined_Is_Said_So_Not_Taken_For_A_Deleted_One_And_Serves_Again_Once_Reached()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "stat(2) and symbolic links.");
        var folder = Path.Combine(directory, "store");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "disclosure.db");
        await using var store = await OpenAsync(file);
        await store.CreateReporterAsync(new Reporter("kept", "k", ReporterKind.Town, Noon), Ct);
        // The folder's path made a link to itself: stat fails with ELOOP, as it fails with EACCES when the folder's permissions
        // are taken away from the service (which a test run as root cannot show), while the file itself is untouched.
        var aside = Path.Combine(directory, "store-aside");
        Directory.Move(folder, aside);
        File.CreateSymbolicLink(folder, folder);

        Assert.False(await store.PingAsync(Ct));
        var fault = await Assert.ThrowsAsync<StoreFaultException>(() => store.CreateReporterAsync(new Reporter("lost", "l", ReporterKind.Town, Noon), Ct));
        Assert.Equal(StoreFaultKind.Unavailable, fault.Kind);
        Assert.Contains($"The store's file '{file}' cannot be examined (", fault.Message);
        Assert.Contains("do not put a backup in its place", fault.Message);
        Assert.DoesNotContain("deleted", fault.Message);

        File.Delete(folder);
        Directory.Move(aside, folder);
        Assert.True(await store.PingAsync(Ct));
        Assert.Equal(CreateStatus.Created, (await store.CreateReporterAsync(new Reporter("after", "a", ReporterKind.Town, Noon), Ct)).Status);
    }
}

/// <summary>A volume mounted read-only (as root can make one; permission bits do not stop root).</summary>
public sealed class SqliteReadOnlyVolumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_Unwritable_Directory_Or_File_Is_Named_As_Such_Not_As_In_Use()
    {
        var volume = Path.Combine(Path.GetTempPath(), $"disclosure-ro-{Guid.NewGuid():N}");
        Directory.CreateDirectory(volume);
        if (Mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", volume) is { } refused)
        {
            Directory.Delete(volume);
            Assert.Skip($"cannot mount a tmpfs ({refused}); run as root, as CI does");
        }
        try
        {
            var existing = Path.Combine(volume, "disclosure.db");
            await using (var store = new SqliteStore($"Data Source={existing}", new SqliteSettings()))
                await store.InitialiseAsync(Ct);
            SqliteConnection.ClearAllPools();
            Assert.Null(Mount("-o", "remount,ro", volume));

            var file = await RefusedAsync(existing);
            Assert.Contains("is not writable", file.Message);
            Assert.DoesNotContain("in use", file.Message);

            var missing = await RefusedAsync(Path.Combine(volume, "new.db"));
            Assert.Contains("directory", missing.Message);
            Assert.Contains("is not writable", missing.Message);
        }
        finally
        {
            Mount("-o", "remount,rw", volume);
            Umount(volume);
            Directory.Delete(volume, recursive: true);
        }
    }

    private static async Task<StoreStartException> RefusedAsync(string path)
    {
        await using var store = new SqliteStore($"Data Source={path}", new SqliteSettings());
        return await Assert.ThrowsAsync<StoreStartException>(() => store.InitialiseAsync(Ct));
    }

    private static string? Mount(params string[] args) => Run("mount", args);
    private static string? Umount(string path) => Run("umount", path);

    private static string? Run(string file, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var p = System.Diagnostics.Process.Start(info)!;
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"{file} exited with {p.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{file}: {e.Message}";
        }
    }
}
