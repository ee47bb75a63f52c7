namespace Disclosure.Api.Tests;

/// <summary>
/// A refused key is one log line, the audit log's: the authentication handler's own two Information lines ("was not authenticated",
/// "was challenged") said nothing more and doubled what a district's log rotation had to keep (s44-ops M3).
/// </summary>
public sealed class RefusedKeyLogTests
{
    private const string AdminKey = "refused-key-log-admin-key-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Refused_Key_Is_Logged_By_The_Audit_Line_Alone_At_The_Default_Level()
    {
        var db = TestDatabase.NewPath("refused-key-log");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct,
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" });
            using var client = service.Client("dk_not-a-key-of-this-service");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);

            // The handler writes before the audit line, which is written as the answer goes out.
            var output = await service.WaitForOutputAsync("answered 401", Ct);
            Assert.Contains("\"Category\":\"Disclosure.Audit\"", output, StringComparison.Ordinal);
            Assert.DoesNotContain("ApiKeyAuthenticationHandler", output, StringComparison.Ordinal);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }
}
