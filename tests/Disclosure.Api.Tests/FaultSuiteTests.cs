using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The real process tried from outside as an unlucky operator and a careless client would: a second owner of its file
/// by another path, a damaged file, a full disk, a body that never finishes, and the framework's own refusals.
/// </summary>
public sealed partial class FaultSuiteTests
{
    private const string AdminKey = "fault-suite-admin-key-0123456789";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("symlink")]
    [InlineData("hardlink")]
    public async Task A_Second_Process_On_The_Same_File_By_Another_Path_Is_Refused_Naming_The_Holder(string link)
    {
        var db = TestDatabase.NewPath("owner");
        var other = TestDatabase.NewPath("owner-" + link);
        try
        {
            await using var first = await ServiceProcess.StartAsync(db, AdminKey, Ct);
            using var admin = first.Client(AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = "owner", name = "o", kind = "town" }, Ct)).StatusCode);
            if (link == "symlink") File.CreateSymbolicLink(other, db);
            else Run("ln", db, other);

            var (exit, output) = await ServiceProcess.StartRefusedAsync(other, AdminKey, Ct);

            Assert.NotEqual(0, exit);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                l => l.Contains("in use by another process", StringComparison.Ordinal));
            Assert.Contains($"pid {first.Id}", line);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/reporters/owner", Ct)).StatusCode);
        }
        finally
        {
            TestDatabase.Delete(other);
            TestDatabase.Delete(db);
        }
    }

    [Theory]
    [InlineData("empty", "empty (0 bytes)")]
    [InlineData("text", "not a SQLite database")]
    public async Task A_File_That_Is_Not_A_Store_Is_Refused_In_One_Line(string kind, string expected)
    {
        var db = TestDatabase.NewPath("bad-" + kind);
        try
        {
            await File.WriteAllTextAsync(db, kind == "empty" ? "" : "reporter,period\n" + new string('x', 5000), Ct);
            var (exit, output) = await ServiceProcess.StartRefusedAsync(db, AdminKey, Ct);
            Assert.NotEqual(0, exit);
            Assert.Contains(expected, output);
            Assert.DoesNotContain("   at ", output);
            Assert.Equal(kind == "empty" ? 0 : 5016, new FileInfo(db).Length);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task A_Full_Disk_Is_507_And_Unready_Loses_Nothing_Acknowledged_And_Recovers_When_Space_Returns()
    {
        var volume = Path.Combine(Path.GetTempPath(), $"disclosure-full-{Guid.NewGuid():N}");
        Directory.CreateDirectory(volume);
        var mounted = TryRun("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", volume);
        if (mounted is not null)
        {
            Directory.Delete(volume);
            Assert.Skip($"cannot mount a small tmpfs to fill ({mounted}); run as root, as CI does");
        }
        try
        {
            await using var service = await ServiceProcess.StartAsync(Path.Combine(volume, "disclosure.db"), AdminKey, Ct);
            using var admin = service.Client(AdminKey);
            var reporters = Enumerable.Range(0, 8).Select(i => $"full-{i}").ToArray();
            foreach (var r in reporters)
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/reporters", new { id = r, name = r, kind = "town" }, Ct)).StatusCode);

            var acknowledged = new List<(string Reporter, int Revision, decimal Marker)>();
            HttpResponseMessage? refused = null;
            for (var i = 1; i <= 20_000 && refused is null; i++)
            {
                var reporter = reporters[i % reporters.Length];
                var response = await admin.PostAsJsonAsync("/v1/submissions", Submission(reporter, i), Ct);
                if (response.StatusCode == HttpStatusCode.Created)
                    acknowledged.Add((reporter, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revision").GetInt32(), i));
                else refused = response;
            }

            Assert.NotNull(refused);
            await AssertProblemAsync(refused, HttpStatusCode.InsufficientStorage, "/v1/submissions");
            var unready = await admin.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Contains("disk is full", (await unready.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());

            Run("mount", "-o", "remount,size=64m", volume);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/submissions", Submission(reporters[0], 99_999), Ct)).StatusCode);
            foreach (var r in reporters)
            {
                var list = await admin.GetFromJsonAsync<JsonElement>($"/v1/submissions?reporter={r}&catalogue=gov-info-disclosure-2014&period=2014", Ct);
                var revisions = list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).ToHashSet();
                foreach (var a in acknowledged.Where(a => a.Reporter == r)) Assert.Contains(a.Revision, revisions);
            }
            Assert.DoesNotContain("\"LogLevel\":\"Error\"", service.Output);
        }
        finally
        {
            TryRun("umount", volume);
            Directory.Delete(volume, recursive: true);
        }
    }

    private static object Submission(string reporter, decimal marker) => new
    {
        reporter,
        period = "2014",
        catalogue = "gov-info-disclosure-2014",
        values = SeedTable.Values.Where(v => v.Key != "13.1").Append(new("13.1", marker)).Select(v => new { code = v.Key, value = v.Value }),
    };

    [Fact]
    public async Task A_Body_That_Stops_Coming_Is_408_And_One_Cut_Off_Is_400_Neither_An_Error()
    {
        var db = TestDatabase.NewPath("slow");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct,
                new Dictionary<string, string> { ["Logging__LogLevel__Disclosure"] = "Information" });
            var head = $"POST /v1/reporters HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"id\":";

            var slow = await RawAsync(service.BaseAddress, head, cutOff: false);
            Assert.StartsWith("HTTP/1.1 408", slow);
            Assert.Contains("Content-Type: application/problem+json", slow);

            var printed = await service.WaitForOutputAsync("408", Ct);
            Assert.Contains("\"LogLevel\":\"Information\"", printed);

            // Kestrel takes a client that closes its side mid-body for gone and aborts the request: nobody reads an
            // answer, and it is no error of the service's.
            var cut = await RawAsync(service.BaseAddress, head, cutOff: true);
            Assert.True(cut.Length == 0 || cut.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), cut);
            // A body the server cannot read (a chunk size that is no number) is answered, as the document's 400: errors name the body.
            var garbled = await RawAsync(service.BaseAddress, head.Replace("Content-Length: 1000", "Transfer-Encoding: chunked").Replace("{\"id\":", "zz\r\n{\"id\":"), cutOff: false);
            Assert.StartsWith("HTTP/1.1 400", garbled);
            var problem = JsonDocument.Parse(garbled[garbled.IndexOf('{')..(garbled.LastIndexOf('}') + 1)]).RootElement; // one chunk
            Assert.EndsWith("/bad-request", problem.GetProperty("type").GetString());
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal(("body", problem.GetProperty("detail").GetString()), (error.GetProperty("name").GetString(), error.GetProperty("reason").GetString()));
            using var client = service.Client(AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/reporters", Ct)).StatusCode);

            Assert.DoesNotContain("\"LogLevel\":\"Error\"", service.Output);
            Assert.DoesNotContain("\"LogLevel\":\"Warning\"", service.Output);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    private static async Task<string> RawAsync(Uri address, string head, bool cutOff)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port, Ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), Ct);
        if (cutOff) socket.Shutdown(SocketShutdown.Send);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (answer.ToString().Contains("\"requestId\"", StringComparison.Ordinal)) break;
            }
        }
        catch (SocketException) { }
        return answer.ToString();
    }

    [Fact]
    public async Task The_Framework_Refusals_Are_Problems_Of_The_One_Shape()
    {
        var db = TestDatabase.NewPath("shapes");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct);
            using var admin = service.Client(AdminKey);

            await AssertProblemAsync(await admin.GetAsync("/v1/nothing-here", Ct), HttpStatusCode.NotFound, "/v1/nothing-here");
            var browser = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing-either");
            browser.Headers.Accept.ParseAdd("text/html");
            await AssertProblemAsync(await admin.SendAsync(browser, Ct), HttpStatusCode.NotFound, "/v1/nothing-either");
            await AssertProblemAsync(await admin.DeleteAsync("/health/live", Ct), HttpStatusCode.MethodNotAllowed, "/health/live");
            await AssertProblemAsync(await admin.PostAsync("/v1/reporters", new StringContent("id=x", Encoding.UTF8, "text/plain"), Ct),
                HttpStatusCode.UnsupportedMediaType, "/v1/reporters");
            var malformed = await admin.PostAsync("/v1/reporters", new StringContent("{\"id\": ", Encoding.UTF8, "application/json"), Ct);
            var body = await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "/v1/reporters");
            Assert.NotEmpty(body.GetProperty("errors").EnumerateArray());
            // Refused on its Content-Length, before the body is sent (a client sending it all would meet a closed socket).
            var tooLarge = await RawAsync(service.BaseAddress,
                $"POST /v1/reporters HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n", cutOff: false);
            Assert.StartsWith("HTTP/1.1 413", tooLarge);
            Assert.Contains("Content-Type: application/problem+json", tooLarge);
            Assert.Contains("\"type\":\"https://disclosure.example.gov.cn/problems/payload-too-large\"", tooLarge);
            // A body with neither Content-Length nor chunked framing: HTTP/1.1 reads it as empty (RFC 9112 6.3), and so does Kestrel,
            // so it is the 400 of an empty body, naming the body, not a 411; HTTP/1.0 is refused by Kestrel itself, a 400 with no body.
            var unframed = await RawAsync(service.BaseAddress,
                $"POST /v1/reporters HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {AdminKey}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{{\"id\":\"x\"}}", cutOff: false);
            Assert.StartsWith("HTTP/1.1 400", unframed);
            Assert.Contains("\"type\":\"https://disclosure.example.gov.cn/problems/validation\"", unframed);
            Assert.Contains("\"name\":\"body\"", unframed);
            var http10 = await RawAsync(service.BaseAddress,
                $"POST /v1/reporters HTTP/1.0\r\nHost: localhost\r\nX-Api-Key: {AdminKey}\r\nContent-Type: application/json\r\n\r\n{{\"id\":\"x\"}}", cutOff: false);
            Assert.StartsWith("HTTP/1.1 400", http10);
            Assert.Contains("Content-Length: 0", http10);
            var png = new HttpRequestMessage(HttpMethod.Get, "/v1/aggregates/gov-info-disclosure-2014/2014");
            png.Headers.Accept.ParseAdd("image/png");
            await AssertProblemAsync(await admin.SendAsync(png, Ct), HttpStatusCode.NotAcceptable, "/v1/aggregates/gov-info-disclosure-2014/2014");
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    /// <summary>
    /// Kestrel answers a request line or headers past its limits itself, with an empty body; its limits are set above the service's,
    /// so that a request a little over 8 KiB (a long ?reporters=) or 32 KiB of headers is told, in a problem, which limit it passed.
    /// </summary>
    [Fact]
    public async Task A_Request_Line_Or_Headers_Past_The_Limit_Are_Problems_Naming_It_On_A_Real_Server()
    {
        var db = TestDatabase.NewPath("limits");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct);
            using var admin = service.Client(AdminKey);
            var path = "/v1/reporters/" + new string('a', 9 * 1024);
            var headers = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
            headers.Headers.Add("X-Filler", new string('x', 40 * 1024));

            var longLine = await AssertProblemAsync(await admin.GetAsync(path, Ct), HttpStatusCode.RequestUriTooLong, path);
            var largeHeaders = await AssertProblemAsync(await admin.SendAsync(headers, Ct), HttpStatusCode.RequestHeaderFieldsTooLarge, "/v1/me");

            Assert.Equal("https://disclosure.example.gov.cn/problems/uri-too-long", longLine.GetProperty("type").GetString());
            Assert.Equal("https://disclosure.example.gov.cn/problems/request-header-fields-too-large", largeHeaders.GetProperty("type").GetString());
            // Past Kestrel's own limit, Kestrel answers as before, with nothing to read.
            var pastKestrel = await admin.GetAsync("/v1/reporters/" + new string('a', RequestLimits.MaxRequestLineWireBytes), Ct);
            Assert.Equal(HttpStatusCode.RequestUriTooLong, pastKestrel.StatusCode);
            Assert.Empty(await pastKestrel.Content.ReadAsByteArrayAsync(Ct));
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    [Fact]
    public async Task A_Chunked_Body_Under_1_MiB_In_Small_Chunks_Is_Taken_And_One_Over_It_Is_413()
    {
        var db = TestDatabase.NewPath("chunked");
        try
        {
            await using var service = await ServiceProcess.StartAsync(db, AdminKey, Ct);
            using var admin = service.Client(AdminKey);
            string Reporter(string id) => $"{{\"id\":\"{id}\",\"name\":\"分块 {id}\",\"kind\":\"town\"}}";
            var under = $"chunked-{Guid.NewGuid():N}"[..20];
            var over = $"chunked-{Guid.NewGuid():N}"[..20];

            // 1 040 000 bytes in 100-byte chunks: 10 400 chunks of six bytes' framing each take it past 1 MiB on the wire.
            var taken = await admin.SendAsync(new ChunkedContent(ChunkedContent.Padded(Reporter(under), 1_040_000), 100).Post("/v1/reporters"), Ct);
            var refused = await admin.SendAsync(new ChunkedContent(ChunkedContent.Padded(Reporter(over), 1024 * 1024 + 1), 4096).Post("/v1/reporters"), Ct);

            Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
            var problem = await AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "/v1/reporters");
            Assert.Equal("https://disclosure.example.gov.cn/problems/payload-too-large", problem.GetProperty("type").GetString());
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/reporters/{under}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/reporters/{over}", Ct)).StatusCode);
        }
        finally
        {
            TestDatabase.Delete(db);
        }
    }

    /// <summary>The fields every problem has, wherever it was raised.</summary>
    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string path)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        foreach (var field in new[] { "type", "title", "status", "detail", "instance", "traceId", "requestId" })
            Assert.True(body.TryGetProperty(field, out _), $"{(int)status} has no {field}: {body}");
        Assert.StartsWith("https://disclosure.example.gov.cn/problems/", body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        Assert.Equal(path, body.GetProperty("instance").GetString());
        Assert.Matches(W3CTrace(), body.GetProperty("traceId").GetString()!);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("requestId").GetString());
        return body;
    }

    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")]
    private static partial Regex W3CTrace();

    private static void Run(string file, params string[] args)
    {
        if (TryRun(file, args) is { } failed) throw new InvalidOperationException(failed);
    }

    private static string? TryRun(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var p = Process.Start(info)!;
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
