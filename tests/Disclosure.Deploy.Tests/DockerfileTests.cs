using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Disclosure.Deploy.Tests;

/// <summary>deploy/Dockerfile read as instructions; no Docker engine needed.</summary>
public sealed partial class DockerfileTests
{
    sealed record Instruction(string Keyword, string Arguments);

    static readonly IReadOnlyList<Instruction> Instructions = Parse(File.ReadAllText(Path.Combine(Repository.Deploy, "Dockerfile")));

    static IReadOnlyList<Instruction> Parse(string text)
    {
        var joined = LineContinuation().Replace(text, " ");
        return joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .Select(p => new Instruction(p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))
            .ToList();
    }

    static IReadOnlyList<Instruction> FinalStage =>
        Instructions.Skip(Instructions.Select((i, n) => (i, n)).Last(x => x.i.Keyword == "FROM").n).ToList();

    [Fact]
    public void Builds_With_The_Sdk_And_Runs_On_The_AspNet_Runtime()
    {
        var stages = Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();

        Assert.True(stages.Count >= 2, "multi-stage: the SDK never ships");
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:", stages[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(FinalStage, i => i.Keyword == "RUN");
    }

    [Fact]
    public void Runs_As_A_Numeric_Non_Root_User()
    {
        var user = FinalStage.Last(i => i.Keyword == "USER").Arguments;

        Assert.Matches("^[0-9]+(:[0-9]+)?$", user);
        Assert.NotEqual("0", user.Split(':')[0]);
        Assert.True(FinalStage.ToList().FindLastIndex(i => i.Keyword == "USER") < FinalStage.ToList().FindIndex(i => i.Keyword == "ENTRYPOINT"));
    }

    [Fact]
    public void Checks_Health_On_The_Ready_Endpoint_Without_A_Shell()
    {
        var healthcheck = Assert.Single(FinalStage, i => i.Keyword == "HEALTHCHECK").Arguments;

        Assert.Matches(@"CMD \[", healthcheck);
        Assert.Contains("/health/ready", healthcheck, StringComparison.Ordinal);
        var probe = Regex.Match(healthcheck, @"""(/app/healthprobe/[^""]+)\.dll""").Groups[1].Value;
        Assert.Equal("/app/healthprobe/Disclosure.HealthProbe", probe);
        Assert.True(File.Exists(Path.Combine(Repository.Deploy, "healthprobe", "Disclosure.HealthProbe.csproj")));
    }

    [Fact]
    public void Embedded_Store_Lives_On_Data_Owned_By_The_App_User()
    {
        Assert.Contains(FinalStage, i => i.Keyword == "ENV" && i.Arguments.Contains("ConnectionStrings__Sqlite=\"Data Source=/data/disclosure.db\"", StringComparison.Ordinal));
        Assert.Contains(FinalStage, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build --chown=1654:1654", StringComparison.Ordinal) && i.Arguments.EndsWith(" /data/", StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_Layer_Copies_Every_Project_The_Api_Depends_On()
    {
        var copied = Instructions.Where(i => i.Keyword == "COPY" && i.Arguments.EndsWith('/'))
            .Select(i => i.Arguments.Split(' ')[0])
            .Where(a => a.EndsWith(".csproj", StringComparison.Ordinal))
            .ToHashSet();

        var needed = ProjectClosure(Path.Combine(Repository.Root, "src", "Disclosure.Api", "Disclosure.Api.csproj"));

        Assert.Subset(copied, needed.Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/')).ToHashSet());
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.Contains(Instructions, i => i.Keyword == "COPY" && i.Arguments.Split(' ').Contains(file));
        }
    }

    [Fact]
    public void Docker_Context_Leaves_Out_Build_Output_And_Secrets()
    {
        var rules = File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")).Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", rules);
        Assert.Contains("**/obj/", rules);
        Assert.Contains("deploy/*", rules);
        Assert.DoesNotContain("!deploy/secrets/", rules);
        Assert.DoesNotContain(rules, r => r is "src/" or "src" or "src/*");
    }

    static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex LineContinuation();
}
