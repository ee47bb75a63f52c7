using System.Text.Json;

namespace Disclosure.Api.Tests;

/// <summary>
/// The runtime options the service's build carries (perf/README.md, "Runtime settings"): they are what the load test
/// measured, and they must reach every way of starting the service, so they live in the build's runtime configuration,
/// which the test output holds a copy of.
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
    public void The_Service_Runs_Server_GC_Without_Dynamic_Adaptation()
    {
        var properties = ConfigProperties();
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
    }

    [Fact]
    public void The_Thread_Pool_Does_Not_Spin_Before_It_Waits()
    {
        Assert.Equal(0, ConfigProperties().GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
