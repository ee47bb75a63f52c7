using System.Net;
using System.Net.Sockets;

namespace Disclosure.Api.Tests;

/// <summary>
/// Whatever stops the built service before it listens is one line on stderr naming what to fix, and exit code 1 — not an
/// unhandled exception's stack trace and SIGABRT (134), as a port in use, an unreachable or malformed MongoDB connection string and
/// a setting that is not a number were (QA10).
/// </summary>
public sealed class StartFailureTests
{
    private const string AdminKey = "start-failure-admin-key-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts the service where it must refuse; asserts exit 1 and one line on stderr, and returns that line. The log (stdout) may
    /// hold the host's own record of a failed start, one JSON line.
    /// </summary>
    internal static async Task<string> RefusedLineAsync(IReadOnlyDictionary<string, string> environment, int? port = null, string adminKey = AdminKey)
    {
        var db = TestDatabase.NewPath("start-failure");
        try
        {
            var (exit, output, errors) = await ServiceProcess.StartRefusedWithErrorsAsync(db, adminKey, Ct, environment, port);
            Assert.True(exit == 1, $"exit code {exit}:\n{output}");
            var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("Disclosure cannot start: ", line, StringComparison.Ordinal);
            return line;
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task A_Port_In_Use_Is_One_Line_And_Exit_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var line = await RefusedLineAsync(new Dictionary<string, string>(), port);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongo://alice:s3cret-pw@nothing", "nothing")]
    [InlineData("mongodb://alice:s3cret-pw@[bad/disclosure", "[bad")]
    public async Task A_Malformed_MongoDB_Connection_String_Is_One_Line_Without_Its_Password(string connection, string hosts)
    {
        var line = await RefusedLineAsync(new Dictionary<string, string> { ["ConnectionStrings__Mongo"] = connection });
        Assert.Contains($"ConnectionStrings:Mongo ({hosts}) is not a valid MongoDB connection string", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Unreachable_MongoDB_Server_Is_One_Line_Naming_The_Host_Without_The_Password()
    {
        var line = await RefusedLineAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Mongo"] = "mongodb://alice:s3cret-pw@127.0.0.1:1/disclosure?replicaSet=rs0&serverSelectionTimeoutMS=1000",
        });
        Assert.Contains("the MongoDB server at 127.0.0.1:1 (ConnectionStrings:Mongo) could not be reached within 1 s", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Shutdown_Timeout_That_Is_Not_A_Number_Is_One_Line_Naming_It()
    {
        var line = await RefusedLineAsync(new Dictionary<string, string> { ["ShutdownTimeoutSeconds"] = "abc" });
        Assert.Contains("ShutdownTimeoutSeconds", line, StringComparison.Ordinal);
        Assert.Contains("abc", line, StringComparison.Ordinal);
    }
}

/// <summary>
/// A setting out of its range stops the start in one line naming the setting, the value and what is allowed; each was taken and
/// broke later (QA10): a checkpoint interval of 0 killed the checkpointer and SIGTERM then exited 134, -1 never checkpointed, a
/// shutdown timeout of -1 exited 134 at SIGTERM, an idle lock of abc made every GET /v1/me a 500, a failed-key limit of -5 was
/// silently off.
/// </summary>
public sealed class SettingRangeTests
{
    [Theory]
    [InlineData("Storage__Sqlite__CheckpointIntervalMilliseconds", "0", "Storage:Sqlite:CheckpointIntervalMilliseconds is 0; it must be a whole number 1 or more.")]
    [InlineData("Storage__Sqlite__CheckpointIntervalMilliseconds", "-1", "Storage:Sqlite:CheckpointIntervalMilliseconds is -1; it must be a whole number 1 or more.")]
    [InlineData("Storage__Sqlite__MaxBatch", "0", "Storage:Sqlite:MaxBatch is 0; it must be a whole number from 1 to 100000.")]
    [InlineData("Storage__Sqlite__MaxBatch", "-1", "Storage:Sqlite:MaxBatch is -1; it must be a whole number from 1 to 100000.")]
    [InlineData("Storage__Sqlite__WalLimitMegabytes", "-1", "Storage:Sqlite:WalLimitMegabytes is -1; it must be a whole number 1 or more.")]
    [InlineData("Storage__Sqlite__KeepBackups", "-1", "Storage:Sqlite:KeepBackups is -1; it must be a whole number 0 or more (0 keeps every backup).")]
    [InlineData("Storage__Mongo__AppendTimeoutSeconds", "0", "Storage:Mongo:AppendTimeoutSeconds is 0; it must be a whole number from 1 to 120 (the driver retries a transaction for 120 s at most).")]
    [InlineData("Storage__Mongo__AppendTimeoutSeconds", "121", "Storage:Mongo:AppendTimeoutSeconds is 121; it must be a whole number from 1 to 120 (the driver retries a transaction for 120 s at most).")]
    [InlineData("ShutdownTimeoutSeconds", "-1", "ShutdownTimeoutSeconds is -1; it must be a whole number from 1 to 86400.")]
    [InlineData("Auth__FailedKeyLimit", "-5", "Auth:FailedKeyLimit is -5; it must be a whole number 0 or more (0 turns the limit off).")]
    [InlineData("Pages__LockAfterIdleSeconds", "-1", "Pages:LockAfterIdleSeconds is -1; it must be a whole number 0 or more (0 never locks).")]
    [InlineData("ConnectionStrings__Sqlite", "Data Source=x.db;Mode=Bogus", "ConnectionStrings:Sqlite is not a SQLite connection string the driver can read (Requested value 'Bogus' was not found.); it is Data Source=<file>.")]
    public async Task Is_Refused_At_Start_In_One_Line(string key, string value, string expected)
    {
        var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { [key] = value });
        Assert.Equal($"Disclosure cannot start: {expected}", line);
    }

    /// <summary>
    /// A value the binder cannot read as the setting's type is told with what the setting allows, as its range check says it: it was
    /// "Failed to convert configuration value 'abc' at 'Auth:FailedKeyLimit' to a whole number.", without the range.
    /// </summary>
    [Theory]
    [InlineData("Auth__FailedKeyLimit", "abc", "Auth:FailedKeyLimit is 'abc'; it must be a whole number 0 or more (0 turns the limit off).")]
    [InlineData("Pages__LockAfterIdleSeconds", "abc", "Pages:LockAfterIdleSeconds is 'abc'; it must be a whole number 0 or more (0 never locks).")]
    [InlineData("ShutdownTimeoutSeconds", "abc", "ShutdownTimeoutSeconds is 'abc'; it must be a whole number from 1 to 86400.")]
    [InlineData("Storage__Sqlite__MaxBatch", "many", "Storage:Sqlite:MaxBatch is 'many'; it must be a whole number from 1 to 100000.")]
    [InlineData("Storage__Sqlite__MaxBatch", "99999999999", "Storage:Sqlite:MaxBatch is '99999999999'; it must be a whole number from 1 to 100000.")]
    [InlineData("Storage__Sqlite__CheckpointIntervalMilliseconds", "0.5", "Storage:Sqlite:CheckpointIntervalMilliseconds is '0.5'; it must be a whole number 1 or more.")]
    [InlineData("Storage__Sqlite__WalLimitMegabytes", "64MB", "Storage:Sqlite:WalLimitMegabytes is '64MB'; it must be a whole number 1 or more.")]
    [InlineData("Storage__Sqlite__KeepBackups", "all", "Storage:Sqlite:KeepBackups is 'all'; it must be a whole number 0 or more (0 keeps every backup).")]
    [InlineData("Storage__Mongo__AppendTimeoutSeconds", "1.5", "Storage:Mongo:AppendTimeoutSeconds is '1.5'; it must be a whole number from 1 to 120 (the driver retries a transaction for 120 s at most).")]
    [InlineData("Auth__FailedKeyWindow", "abc", "Auth:FailedKeyWindow is 'abc'; it must be a time span written hh:mm:ss (such as 00:05:00).")]
    public async Task A_Value_That_Is_Not_Of_The_Settings_Type_Is_Refused_Naming_What_It_Allows(string key, string value, string expected)
    {
        var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string> { [key] = value });
        Assert.Equal($"Disclosure cannot start: {expected}", line);
    }
}

/// <summary>
/// Settings the framework reads from their text, checked as it reads them: a CORS origin that is no origin, an OTLP endpoint that is
/// no URI and forwarded headers neither true nor false were taken silently (the dashboard refused, telemetry sent to localhost, the
/// proxy's addresses taken for the clients'), and a log level that is none stopped the start without naming the setting.
/// </summary>
public sealed class WrittenSettingTests
{
    private const string Origin = "it must be an origin as browsers send it, http(s)://host[:port] with no path, no closing / and no default port (such as https://dashboard.example.gov.cn), or * alone for any origin.";
    private const string Levels = "it must be one of Trace, Debug, Information, Warning, Error, Critical, None.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Cors__AllowedOrigins__0", "not a url", $"Cors:AllowedOrigins:0 is 'not a url'; {Origin}")]
    [InlineData("Cors__AllowedOrigins__0", "https://dashboard.example.gov.cn/", $"Cors:AllowedOrigins:0 is 'https://dashboard.example.gov.cn/'; {Origin}")]
    [InlineData("Cors__AllowedOrigins__1", "https://dashboard.example.gov.cn/screen", $"Cors:AllowedOrigins:1 is 'https://dashboard.example.gov.cn/screen'; {Origin}")]
    [InlineData("Cors__AllowedOrigins__0", "https://dashboard.example.gov.cn:443", $"Cors:AllowedOrigins:0 is 'https://dashboard.example.gov.cn:443'; {Origin}")]
    [InlineData("Cors__AllowedOrigins__0", "dashboard.example.gov.cn", $"Cors:AllowedOrigins:0 is 'dashboard.example.gov.cn'; {Origin}")]
    [InlineData("Cors__AllowedOrigins__1", "*", $"Cors:AllowedOrigins:1 is '*'; {Origin}")]
    [InlineData("Cors__AllowedOrigins", "https://dashboard.example.gov.cn", "Cors:AllowedOrigins is 'https://dashboard.example.gov.cn'; it must be a list, written Cors__AllowedOrigins__0, Cors__AllowedOrigins__1, … (one origin each).")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "::bad", "OTEL_EXPORTER_OTLP_ENDPOINT is '::bad'; it must be an absolute http or https URI (such as http://collector:4317), or unset.")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT is 'collector:4317'; it must be an absolute http or https URI (such as http://collector:4317), or unset.")]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "maybe", "ASPNETCORE_FORWARDEDHEADERS_ENABLED is 'maybe'; it must be true or false.")]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "1", "ASPNETCORE_FORWARDEDHEADERS_ENABLED is '1'; it must be true or false.")]
    [InlineData("Logging__LogLevel__Default", "Loud", $"Logging:LogLevel:Default is 'Loud'; {Levels}")]
    [InlineData("Logging__LogLevel__Disclosure.Audit", "Warning,Error", $"Logging:LogLevel:Disclosure.Audit is 'Warning,Error'; {Levels}")]
    [InlineData("Logging__Console__LogLevel__Default", "verbose", $"Logging:Console:LogLevel:Default is 'verbose'; {Levels}")]
    public async Task Is_Refused_At_Start_In_One_Line(string key, string value, string expected)
    {
        var environment = new Dictionary<string, string> { [key] = value };
        if (key == "Cors__AllowedOrigins__1") environment["Cors__AllowedOrigins__0"] = "https://ok.example.gov.cn";
        var line = await StartFailureTests.RefusedLineAsync(environment);
        Assert.Equal($"Disclosure cannot start: {expected}", line);
    }

    [Fact]
    public async Task A_Lone_Star_Starts_And_Lets_Any_Origin_In() =>
        Assert.Equal("*", await AllowedOriginAsync("written-star", new Dictionary<string, string> { ["Cors__AllowedOrigins__0"] = "*" }, "https://anywhere.example.org"));

    [Fact]
    public async Task Values_Written_As_The_Framework_Reads_Them_Start_And_An_Origin_Is_Compared_As_Browsers_Send_It() =>
        Assert.Equal("https://dashboard.example.gov.cn", await AllowedOriginAsync("written-settings", new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins__0"] = "https://Dashboard.Example.gov.cn", // the framework lower-cases it, as browsers send it
            ["Cors__AllowedOrigins__1"] = "http://[::1]:8080",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "TRUE",
            ["Logging__LogLevel__Default"] = "warning",
            ["Logging__Console__LogLevel__Microsoft.AspNetCore"] = "Error",
        }, "https://dashboard.example.gov.cn"));

    /// <summary>Starts the service with <paramref name="environment"/> and answers the Access-Control-Allow-Origin of a preflight from <paramref name="origin"/>.</summary>
    private static async Task<string> AllowedOriginAsync(string name, Dictionary<string, string> environment, string origin)
    {
        var db = TestDatabase.NewPath(name);
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, "written-settings-admin-key-0123456789", Ct, environment);
            using var client = service.Client();
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/me");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var answer = await client.SendAsync(preflight, Ct);
            return Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin"));
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }
}

/// <summary>
/// The Kubernetes Secret template's placeholder admin key (deploy/k8s/templates/secret.yaml) was long enough to be accepted, so a
/// Secret applied from the template unchanged gave everyone who can read the repository the admin key (QA10).
/// </summary>
public sealed class PlaceholderSecretTests
{
    [Theory]
    [InlineData("REPLACE_ME-admin-key-at-least-32-random-characters")]
    [InlineData("my-own-replace_me-key-0123456789")]
    public async Task An_Admin_Key_Holding_The_Placeholder_Is_Refused_At_Start(string key)
    {
        var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string>(), adminKey: key);
        Assert.StartsWith("Disclosure cannot start: Auth:AdminKey still holds the template's placeholder (REPLACE_ME)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(key, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Templates_Admin_Key_Is_The_One_Refused()
    {
        var template = File.ReadAllText(Path.Combine(RepositoryFile.Root, "deploy", "k8s", "templates", "secret.yaml"));
        var key = System.Text.RegularExpressions.Regex.Match(template, @"Auth__AdminKey:\s*(\S+)").Groups[1].Value;
        var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string>(), adminKey: key);
        Assert.Contains("Auth:AdminKey still holds the template's placeholder", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_MongoDB_Connection_String_Holding_The_Placeholder_Is_Refused_At_Start()
    {
        var line = await StartFailureTests.RefusedLineAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Mongo"] = "mongodb://disclosure:REPLACE_ME-password@127.0.0.1:1/disclosure?replicaSet=rs0",
        });
        Assert.Equal("Disclosure cannot start: ConnectionStrings:Mongo still holds the template's placeholder (REPLACE_ME, deploy/k8s/templates/secret.yaml): set the real user's password.", line);
    }
}

/// <summary>
/// appsettings.json is read from beside the binaries, not from the working directory: started as <c>dotnet /srv/pub/Disclosure.Api.dll</c>
/// from elsewhere, the service ran without it, so the audit log's own level (Information under a quieter default) was lost (QA10).
/// </summary>
public sealed class ContentRootTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Started_From_Another_Directory_The_Service_Reads_Its_AppSettings_And_Keeps_Its_Database_In_The_Working_Directory()
    {
        const string adminKey = "content-root-admin-key-0123456789";
        var elsewhere = Directory.CreateTempSubdirectory("disclosure-cwd-").FullName;
        try
        {
            // A relative Data Source, as the default disclosure.db is: a file in the working directory.
            await using (var service = await ServiceProcess.StartAsync("relative.db", adminKey, Ct, workingDirectory: elsewhere))
            {
                using var client = service.Client("dk_not-a-key-0123456789");
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/me", Ct)).StatusCode);
                // The default level is Warning (ServiceProcess); appsettings.json keeps Disclosure.Audit at Information.
                await service.WaitForOutputAsync("\"Category\":\"Disclosure.Audit\"", Ct);
            }
            Assert.True(File.Exists(Path.Combine(elsewhere, "relative.db")));
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "relative.db")));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}

/// <summary>The service says at start which store it uses and where; it said nothing (QA10).</summary>
public sealed class StoreStartLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_Start_Names_The_SQLite_File_Whether_It_Is_New_And_Its_Schema_Version()
    {
        const string adminKey = "store-log-admin-key-0123456789";
        var db = TestDatabase.NewPath("store-log");
        var information = new Dictionary<string, string> { ["Logging__LogLevel__Disclosure.Store"] = "Information" };
        try
        {
            await using (var first = await ServiceProcess.StartAsync(db, adminKey, Ct, information))
                Assert.Contains($"Store: SQLite file {db} (created new), schema version 15", first.Output, StringComparison.Ordinal);
            await using var again = await ServiceProcess.StartAsync(db, adminKey, Ct, information);
            Assert.Contains($"Store: SQLite file {db} (existing), schema version 15", again.Output, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public void A_MongoDB_Server_Refusing_The_Password_Is_Said_So_Not_Taken_For_One_Out_Of_Reach()
    {
        // What the driver throws when the server refuses the credentials; a server cannot be had here to refuse them.
        var refused = new MongoDB.Driver.MongoAuthenticationException(
            new MongoDB.Driver.Core.Connections.ConnectionId(new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(1),
                new System.Net.DnsEndPoint("mongo1", 27017))),
            "Unable to authenticate using sasl protocol mechanism SCRAM-SHA-256.");
        var line = Disclosure.Api.Infrastructure.StartFailure.Describe(refused,
            "mongodb://disclosure:wrong-pw@mongo1:27017,mongo2:27017/disclosure?replicaSet=rs0");
        Assert.StartsWith("the MongoDB server at mongo1:27017,mongo2:27017 refused the user and password of ConnectionStrings:Mongo: Unable to authenticate", line, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_MongoDB_Store_Is_Named_By_Its_Hosts_And_Database_Without_The_Password()
    {
        const string connection = "mongodb://disclosure:s3cret-pw@mongo1:27017,mongo2:27017/disclosure?replicaSet=rs0&authSource=disclosure";
        var settings = new Disclosure.Storage.MongoSettings();
        var line = new Disclosure.Storage.Mongo.MongoStore(Disclosure.Storage.Mongo.MongoStore.CreateClient(connection),
            Disclosure.Storage.Mongo.MongoStore.DatabaseName(connection, settings), settings).Opened;
        Assert.Equal("Store: MongoDB at mongo1:27017,mongo2:27017 (replica set rs0), database disclosure, schema version 4", line);
    }
}
