using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The runtime options the service's build carries: what the load test measured, in the build's runtime configuration
/// so that every way of starting the service has them (the test output holds a copy of it).
/// </summary>
public sealed class RuntimeConfigurationTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Disclosure.Api.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void The_Service_Runs_Server_GC()
    {
        // Measured against Workstation GC in perf/README.md ("The ordinary ingest path"): 7 479 against 4 394 submissions/s.
        Assert.True(ConfigProperties().GetProperty("System.GC.Server").GetBoolean());
    }
}
