using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Disclosure.Api.Tests;

public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readiness_Turns_Unready_When_The_Store_Is_Unreachable_And_Ready_When_It_Returns()
    {
        var volume = Path.Combine(Path.GetTempPath(), $"disclosure-volume-{Guid.NewGuid():N}");
        var away = volume + "-unmounted";
        Directory.CreateDirectory(volume);
        try
        {
            await using var factory = new ApiFactory().WithWebHostBuilder(b =>
                b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(volume, "disclosure.db")}"));
            var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);

            Directory.Move(volume, away); // the volume goes away under the running service
            var unready = await client.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Equal("application/problem+json", unready.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);

            Directory.Move(away, volume); // and comes back
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);
        }
        finally
        {
            if (Directory.Exists(away)) Directory.Move(away, volume);
            Directory.Delete(volume, recursive: true);
        }
    }
}
