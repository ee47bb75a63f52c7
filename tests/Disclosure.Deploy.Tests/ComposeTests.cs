using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Disclosure.Deploy.Tests;

/// <summary>deploy/compose.yaml: accepted by the compose CLI where there is one, and its promises read from the file.</summary>
public sealed class ComposeTests
{
    static readonly string ComposeFile = Path.Combine(Repository.Deploy, "compose.yaml");
    static readonly JsonNode Compose = Yaml.Single(ComposeFile);
    static JsonObject Services => Compose["services"]!.AsObject();

    static readonly string[] SecretFiles = ["admin_key", "mongo_uri", "mongo_root_password", "mongo_app_password", "mongo_keyfile"];

    [Fact]
    public void Compose_Cli_Accepts_The_File()
    {
        var cli = ComposeCli() ?? throw SkipNoCli();

        var (exit, output) = RunConfig(cli, ComposeFile);

        Assert.True(exit == 0, $"{string.Join(' ', cli)} config -q exited {exit}:\n{output}");
    }

    [Fact]
    public void Compose_Cli_Refuses_A_Broken_File()
    {
        var cli = ComposeCli() ?? throw SkipNoCli();
        var broken = Path.Combine(Directory.CreateTempSubdirectory("compose-").FullName, "compose.yaml");
        File.WriteAllText(broken, File.ReadAllText(ComposeFile).Replace("    healthcheck: *mongo-healthcheck\n", "    healthcheck: every-10s\n", StringComparison.Ordinal));

        var (exit, _) = RunConfig(cli, broken);

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public void Three_Members_Form_One_Replica_Set_With_A_Key_File()
    {
        var members = Services.Where(s => s.Key.StartsWith("mongo", StringComparison.Ordinal) && s.Key != "mongo-init").ToList();

        Assert.Equal(3, members.Count);
        Assert.All(members, m =>
        {
            Assert.Equal("rs0", m.Value!["environment"]!["MONGO_REPLICA_SET"]!.GetValue<string>());
            Assert.StartsWith("mongo:8", m.Value["image"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("mongo_keyfile", m.Value["secrets"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.NotNull(m.Value["healthcheck"]!["test"]);
            var dataVolume = m.Value["volumes"]!.AsArray().Select(v => v!.GetValue<string>()).Single(v => v.EndsWith(":/data/db", StringComparison.Ordinal));
            Assert.True(Compose["volumes"]!.AsObject().ContainsKey(dataVolume.Split(':')[0]), $"{m.Key} keeps data on a named volume");
        });
        var script = File.ReadAllText(Path.Combine(Repository.Deploy, "mongo", "mongod.sh"));
        Assert.Contains("--replSet \"${MONGO_REPLICA_SET:?}\"", script, StringComparison.Ordinal);
        Assert.Contains("--keyFile", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_Set_Is_Initiated_Once_Healthy_And_Only_Then_Does_The_Api_Start()
    {
        var init = Services["mongo-init"]!;
        var initDependsOn = init["depends_on"]!.AsObject();
        Assert.Equal(["mongo1", "mongo2", "mongo3"], initDependsOn.Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.All(initDependsOn, d => Assert.Equal("service_healthy", d.Value!["condition"]!.GetValue<string>()));
        Assert.Equal("no", init["restart"]!.GetValue<string>());

        var api = Services["api"]!;
        Assert.Equal("service_completed_successfully", api["depends_on"]!["mongo-init"]!["condition"]!.GetValue<string>());
        var initiate = File.ReadAllText(Path.Combine(Repository.Deploy, "mongo", "rs-initiate.js"));
        Assert.Contains("NotYetInitialized", initiate, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_Is_Locked_Down_And_Reads_Its_Secrets_From_Files()
    {
        var api = Services["api"]!;

        Assert.True(api["read_only"]!.GetValue<bool>());
        Assert.Equal(["/tmp"], api["tmpfs"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["ALL"], api["cap_drop"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("deploy/Dockerfile", api["build"]!["dockerfile"]!.GetValue<string>());
        var targets = api["secrets"]!.AsArray().Select(s => s!["target"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["Auth__AdminKey", "ConnectionStrings__Mongo"], targets);
        Assert.Contains("/health/ready", api["healthcheck"]!["test"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_Service_Has_A_Memory_And_Cpu_Limit_And_Each_Member_Holds_Its_Cache()
    {
        foreach (var (name, service) in Services)
        {
            Assert.True(service!["mem_limit"] is not null, $"{name} has no mem_limit");
            Assert.True(service["cpus"] is not null, $"{name} has no cpus");
            Assert.InRange(double.Parse(Default(service["cpus"]!), System.Globalization.CultureInfo.InvariantCulture), 0.25, 4);
        }
        // As the Kubernetes Deployment's limit (512Mi): .NET sizes its heap from it.
        Assert.Equal(512L << 20, Bytes(Default(Services["api"]!["mem_limit"]!)));
        // A member's limit leaves room beside its WiredTiger cache (--wiredTigerCacheSizeGB) for connections and the rest.
        foreach (var member in new[] { "mongo1", "mongo2", "mongo3" })
        {
            var command = Services[member]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            var cacheGb = double.Parse(Default(command[command.IndexOf("--wiredTigerCacheSizeGB") + 1]), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Bytes(Default(Services[member]!["mem_limit"]!)) >= (long)(cacheGb * (1L << 30)) + (512L << 20), $"{member}: the limit does not hold a {cacheGb} GB cache");
        }
    }

    /// <summary>A value as compose reads it when its variable is unset: <c>${NAME:-default}</c> gives its default.</summary>
    static string Default(JsonNode value) => Default(value.ToString());

    static string Default(string value) =>
        System.Text.RegularExpressions.Regex.Match(value, @"^\$\{[A-Z_]+:-(?<d>[^}]+)\}$") is { Success: true } m ? m.Groups["d"].Value : value;

    /// <summary>A compose byte value (<c>512m</c>, <c>2g</c>) in bytes.</summary>
    static long Bytes(string value) => long.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) * (char.ToLowerInvariant(value[^1]) switch
    {
        'k' => 1L << 10,
        'm' => 1L << 20,
        'g' => 1L << 30,
        var unit => throw new FormatException($"'{value}': unit {unit}"),
    });

    [Fact]
    public void No_Secret_Value_Is_Written_In_The_File()
    {
        var secrets = Compose["secrets"]!.AsObject();
        Assert.Equal(SecretFiles.Order(StringComparer.Ordinal), secrets.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.All(secrets, s => Assert.StartsWith("${DISCLOSURE_SECRETS_DIR:-./secrets}/", s.Value!["file"]!.GetValue<string>(), StringComparison.Ordinal));

        var environment = Services.SelectMany(s => s.Value!["environment"]?.AsObject() ?? []);
        Assert.All(environment.Where(e => e.Key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || e.Key.Contains("KEY", StringComparison.OrdinalIgnoreCase)),
            e => Assert.EndsWith("_FILE", e.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(environment, e => e.Key.StartsWith("ConnectionStrings", StringComparison.Ordinal) || e.Key.StartsWith("Auth", StringComparison.Ordinal));
    }

    /// <summary>"docker compose" (v2 plugin) if present, else Debian's "docker-compose"; null when neither runs.</summary>
    static string[]? ComposeCli()
    {
        foreach (var cli in new[] { new[] { "docker", "compose" }, ["docker-compose"] })
        {
            try
            {
                if (Run([.. cli, "version"], null).Exit == 0)
                {
                    return cli;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next one.
            }
        }
        return null;
    }

    static Exception SkipNoCli()
    {
        const string reason = "no compose CLI: neither `docker compose` nor `docker-compose` runs here (deploy/ci-setup.sh installs Debian's docker-compose)";
        Console.WriteLine(reason);
        Assert.Skip(reason);
        return new UnreachableException();
    }

    // A dump of one database is not of one moment: it can hold two latest revisions of a table, and its restore then fails the unique head index.
    [Fact]
    public void The_Backup_The_Readmes_Show_Dumps_The_Whole_Replica_Set_With_Its_Oplog_And_Restores_By_Replaying_It()
    {
        var lines = new[] { Path.Combine(Repository.Deploy, "README.md"), Path.Combine(Repository.Root, "README.md") }
            .SelectMany(File.ReadLines).ToList();
        // Each command from the tool's name on (the line starts with the docker compose exec that runs it).
        static List<string> Commands(IEnumerable<string> lines, string tool) =>
            [.. lines.Where(l => l.Contains(tool + " --uri", StringComparison.Ordinal)).Select(l => l[l.IndexOf(tool, StringComparison.Ordinal)..])];
        var dumps = Commands(lines, "mongodump");
        var restores = Commands(lines, "mongorestore");

        Assert.NotEmpty(dumps);
        Assert.NotEmpty(restores);
        Assert.All(dumps, l => Assert.Matches(@"\s--oplog\s", l));
        Assert.All(dumps, l => Assert.DoesNotMatch(@"\s(--db|-d|--collection|-c)[\s=]", l));
        Assert.All(restores, l => Assert.Matches(@"\s--oplogReplay\s", l));
        Assert.All(restores, l => Assert.Matches(@"\s--drop\s", l));
        Assert.All(restores, l => Assert.DoesNotContain("--nsInclude", l, StringComparison.Ordinal));
    }

    static (int Exit, string Output) RunConfig(string[] cli, string file)
    {
        // Secrets are files that exist only where the stack runs; give the CLI throwaway ones.
        var secrets = Directory.CreateTempSubdirectory("compose-secrets-").FullName;
        foreach (var name in SecretFiles)
        {
            File.WriteAllText(Path.Combine(secrets, name), "placeholder");
        }
        return Run([.. cli, "-f", file, "config", "-q"], new Dictionary<string, string> { ["DISCLOSURE_SECRETS_DIR"] = secrets });
    }

    static (int Exit, string Output) Run(string[] command, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 60 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
