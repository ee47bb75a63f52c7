namespace Disclosure.Deploy.Tests;

/// <summary>Paths in the repository under test, found from the test binary upwards.</summary>
static class Repository
{
    public static readonly string Root = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string K8s => Path.Combine(Deploy, "k8s");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Disclosure.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Disclosure.sln above {AppContext.BaseDirectory}");
    }
}
