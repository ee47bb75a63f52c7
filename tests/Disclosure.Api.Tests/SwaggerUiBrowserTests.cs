using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The Swagger UI works for a person: the real service (Kestrel, Production, its own process) serves it to headless
/// Chromium, which lists every operation, authorises with a key through the Authorize dialog and executes calls.
/// Chromium is driven through the DevTools protocol over a WebSocket; everything is bounded in time.
/// </summary>
public sealed class SwaggerUiBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_Swagger_Ui_Lists_Every_Operation_Authorises_And_Executes_Calls()
    {
        if (!File.Exists(Chromium))
            Assert.Skip($"{Chromium} is absent: install Debian's chromium (openapi/ci-setup.sh does) to run the Swagger UI browser test.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Budget);
        var ct = timeout.Token;

        var database = TestDatabase.NewPath("browser");
        try
        {
            await using var service = await ServiceProcess.StartAsync(database, AdminKey, ct);
            await RunAsync(service, ct);
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    private const string AdminKey = "browser-test-admin-key-0123456789";

    private static async Task RunAsync(ServiceProcess service, CancellationToken ct)
    {
        using var http = service.Client();
        await using var browser = await Browser.StartAsync(ct);
        try
        {
            var document = JsonNode.Parse(await http.GetStringAsync(OpenApi.DocumentPath, ct))!;
            var operationIds = document["paths"]!.AsObject()
                .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["operationId"]!.GetValue<string>()))
                .Order(StringComparer.Ordinal).ToList();

            await browser.NavigateAsync($"{service.BaseAddress}swagger/index.html", ct);
            await browser.WaitForAsync($"document.querySelectorAll('.opblock').length === {operationIds.Count}", ct);
            var shown = await browser.EvaluateAsync(
                "JSON.stringify([...document.querySelectorAll('.opblock-summary-operation-id')].map(e => e.textContent.trim()).sort())", ct);
            Assert.Equal(operationIds, JsonSerializer.Deserialize<string[]>(shown.GetValue<string>())!.Order(StringComparer.Ordinal));

            // The Authorize dialog, as a person uses it: open, type the key, authorise, close.
            await browser.ClickAsync(".auth-wrapper .authorize", ct);
            await browser.WaitForAsync("!!document.querySelector('.modal-ux input')", ct);
            await browser.EvaluateAsync($$"""
                (() => {
                  const input = document.querySelector('.modal-ux input');
                  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, '{{AdminKey}}');
                  input.dispatchEvent(new Event('input', { bubbles: true }));
                  return true;
                })()
                """, ct);
            await browser.ClickAsync(".modal-ux .auth-btn-wrapper .authorize", ct);
            await browser.WaitForAsync("[...document.querySelectorAll('.modal-ux button')].some(b => b.textContent.trim() === 'Logout')", ct);
            await browser.ClickAsync(".modal-ux .btn-done", ct);
            await browser.WaitForAsync("!document.querySelector('.modal-ux')", ct);

            var catalogues = await ExecuteAsync(browser, "operations-Catalogues-Catalogues_List", ct);
            Assert.Equal("200", catalogues.Status);
            Assert.Contains("gov-info-disclosure-2014", catalogues.Body);

            // Reporters need a key: a 200 here shows the key from the dialog went with the request.
            var reporters = await ExecuteAsync(browser, "operations-Reporters-Reporters_List", ct);
            Assert.Equal("200", reporters.Status);
            Assert.Contains(ApiKeys.Header, reporters.Curl);
        }
        catch (Exception e) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var shot = await browser.TryScreenshotAsync();
            throw new InvalidOperationException($"The Swagger UI check failed: {e.Message}\nScreenshot of the page: {shot}\nService output:\n{service.Output}", e);
        }
    }

    private static async Task<(string Status, string Body, string Curl)> ExecuteAsync(Browser browser, string blockId, CancellationToken ct)
    {
        var block = $"document.getElementById('{blockId}')";
        await browser.WaitForAsync($"!!{block}", ct);
        // Newer Swagger UI expands on its summary button, older on the summary row itself.
        var expander = (await browser.EvaluateAsync($"!!{block}.querySelector('.opblock-summary-control')", ct)).GetValue<bool>()
            ? ".opblock-summary-control" : ".opblock-summary";
        await browser.ClickAsync($"#{blockId} {expander}", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.try-out__btn')", ct);
        await browser.ClickAsync($"#{blockId} .try-out__btn", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.execute')", ct);
        await browser.ClickAsync($"#{blockId} .execute", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.live-responses-table tr.response .response-col_status')", ct);
        var result = await browser.EvaluateAsync($$"""
            JSON.stringify({
              status: {{block}}.querySelector('.live-responses-table tr.response .response-col_status').textContent.trim(),
              body: ({{block}}.querySelector('.live-responses-table tr.response .response-col_description pre') || {}).textContent || '',
              curl: ({{block}}.querySelector('.curl-command') || {}).textContent || ''
            })
            """, ct);
        var parsed = JsonNode.Parse(result.GetValue<string>())!;
        return (parsed["status"]!.GetValue<string>(), parsed["body"]!.GetValue<string>(), parsed["curl"]!.GetValue<string>());
    }


    /// <summary>Headless Chromium with one page, driven over the DevTools protocol.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly Process process;
        private readonly string profile;
        private readonly ClientWebSocket socket = new();
        private int nextId;

        private Browser(Process process, string profile)
        {
            this.process = process;
            this.profile = profile;
        }

        public static async Task<Browser> StartAsync(CancellationToken ct)
        {
            var profile = Directory.CreateTempSubdirectory("disclosure-chromium-").FullName;
            var start = new ProcessStartInfo(Chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--window-size=1280,2000", $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
            })
                start.ArgumentList.Add(arg);
            var browser = new Browser(Process.Start(start)!, profile);
            var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            browser.process.ErrorDataReceived += (_, e) =>
            {
                const string marker = "DevTools listening on ";
                if (e.Data?.StartsWith(marker, StringComparison.Ordinal) == true) endpoint.TrySetResult(e.Data[marker.Length..].Trim());
            };
            browser.process.OutputDataReceived += (_, _) => { };
            browser.process.BeginErrorReadLine();
            browser.process.BeginOutputReadLine();
            var browserSocket = new Uri(await endpoint.Task.WaitAsync(ct));

            // The page's own socket, from the DevTools HTTP endpoint on the same port.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string? pageSocket = null;
            while (pageSocket is null)
            {
                var targets = JsonNode.Parse(await http.GetStringAsync($"http://{browserSocket.Authority}/json/list", ct))!.AsArray();
                pageSocket = targets.FirstOrDefault(t => t!["type"]!.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (pageSocket is null) await Task.Delay(100, ct);
            }
            await browser.socket.ConnectAsync(new Uri(pageSocket), ct);
            await browser.SendAsync("Page.enable", null, ct);
            await browser.SendAsync("Runtime.enable", null, ct);
            return browser;
        }

        public async Task NavigateAsync(string url, CancellationToken ct)
        {
            await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, ct);
            await WaitForAsync("document.readyState === 'complete'", ct);
        }

        public async Task<JsonNode> EvaluateAsync(string expression, CancellationToken ct)
        {
            var result = await SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = expression,
                ["returnByValue"] = true,
                ["awaitPromise"] = true,
            }, ct);
            if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"Script failed: {expression}\n{error.ToJsonString()}");
            return result["result"]!["value"] ?? JsonValue.Create(false);
        }

        /// <summary>Polls a script until it is true; the caller's token bounds the wait.</summary>
        public async Task WaitForAsync(string condition, CancellationToken ct)
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var value = await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }})()", ct);
                if (value.GetValue<bool>()) return;
                await Task.Delay(100, ct);
            }
        }

        public async Task ClickAsync(string selector, CancellationToken ct)
        {
            var clicked = await EvaluateAsync($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); if (!e) return false; e.scrollIntoView(); e.click(); return true; }})()", ct);
            Assert.True(clicked.GetValue<bool>(), $"Nothing to click at {selector}");
        }

        public async Task<string> TryScreenshotAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, timeout.Token);
                var path = Path.Combine(Path.GetTempPath(), $"disclosure-swagger-ui-{Guid.NewGuid():N}.png");
                await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()), timeout.Token);
                return path;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                return $"(none: {e.Message})";
            }
        }

        private async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
        {
            var id = Interlocked.Increment(ref nextId);
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                using var received = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct);
                    if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("Chromium closed the DevTools connection.");
                    received.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                var reply = JsonNode.Parse(received.ToArray())!;
                if (reply["id"]?.GetValue<int>() != id) continue; // an event, or a late reply
                if (reply["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
                return reply["result"]!;
            }
        }

        public async ValueTask DisposeAsync()
        {
            socket.Dispose();
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(wait.Token); } catch (OperationCanceledException) { }
            process.Dispose();
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
