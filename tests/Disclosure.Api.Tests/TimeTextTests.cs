using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Disclosure.Api.Tests;

/// <summary>
/// Every time the API gives is to the millisecond, in the body and in a message's English text alike: a backup's <c>createdAt</c>
/// had seven fraction digits, and an expired key's text said <c>…T15:02:15.0000000+00:00</c> where its <c>expiredAt</c> said
/// <c>…T15:02:15+00:00</c> (s44-ops L11).
/// </summary>
public sealed class TimeTextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A time as the body writes one kept to the millisecond: no fraction, or one of one to three digits.</summary>
    private const string Milliseconds = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?[+-]\d\d:\d\d$";

    /// <summary>Moves the host's clock to a time with ten-millionths, as the system clock gives.</summary>
    private static void BetweenMilliseconds(ApiFactory factory) =>
        factory.Clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - factory.Clock.GetUtcNow().Ticks % TimeSpan.TicksPerMillisecond + 1234));

    [Fact]
    public async Task A_Backups_CreatedAt_Is_To_The_Millisecond()
    {
        var backups = Path.Combine(Path.GetTempPath(), $"disclosure-backups-{Guid.NewGuid():N}");
        await using var factory = new ApiFactory();
        try
        {
            await using var host = factory.WithWebHostBuilder(b => b.UseSetting("Storage:Sqlite:BackupDirectory", backups));
            using var admin = host.CreateClient();
            admin.DefaultRequestHeaders.Add(Disclosure.Api.Infrastructure.ApiKeys.Header, ApiFactory.AdminKey);
            BetweenMilliseconds(factory);

            var answer = await admin.PostAsync("/v1/admin/backup", null, Ct);

            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
            var createdAt = (await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("createdAt");
            Assert.Matches(Milliseconds, createdAt.GetString());
            Assert.Equal(Disclosure.Storage.StoredTime.Of(factory.Clock.GetUtcNow()), createdAt.GetDateTimeOffset());
        }
        finally
        {
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }

    [Fact]
    public async Task An_Expired_Keys_Text_Gives_The_Time_As_Its_ExpiredAt_Does()
    {
        await using var factory = new ApiFactory();
        using var admin = factory.Admin();
        var reporter = $"r-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = reporter, name = "古邵镇", kind = "town" }, Ct)).StatusCode);
        // On the second, as a clerk picks it on the page: "O" wrote it with seven zeros.
        var expires = new DateTimeOffset(factory.Clock.GetUtcNow().UtcDateTime.Date.AddDays(2).AddHours(15).AddSeconds(15), TimeSpan.Zero);
        var issued = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "reporter", reporter, expiresAt = expires }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var client = factory.Client(issued.GetProperty("key").GetString()!);
        factory.Clock.Advance(TimeSpan.FromDays(3));

        var response = await client.GetAsync($"/v1/reporters/{reporter}", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var expiredAt = problem.GetProperty("expiredAt").GetString();
        Assert.Equal($"{expires.UtcDateTime:yyyy-MM-dd}T15:00:15+00:00", expiredAt);
        Assert.Contains($"The API key expired at {expiredAt}: ask the district office", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SentAt_In_The_Future_Is_Told_With_Both_Times_As_The_Body_Writes_Them()
    {
        await using var factory = new ApiFactory();
        using var admin = factory.Admin();
        BetweenMilliseconds(factory);
        const string table = """{"reporter":"gushao-town","catalogue":"gov-info-disclosure-2014","period":"2014","values":[]}""";

        var response = await admin.PostAsync("/v1/submissions/validate?sentAt=2099-01-01T00:00:00.5%2B08:00",
            new StringContent(table, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "sentAt").GetProperty("reason").GetString()!;
        var now = System.Text.RegularExpressions.Regex.Match(detail, @"sentAt is 2099-01-01T00:00:00\.5\+08:00, which is in the future \(it is now ([^ )]+)\)");
        Assert.True(now.Success, detail);
        Assert.Matches(Milliseconds, now.Groups[1].Value);
    }
}
