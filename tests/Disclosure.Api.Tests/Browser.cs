using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disclosure.Api.Tests;

/// <summary>Headless Chromium (Debian's package) driven through the DevTools protocol over a WebSocket; every wait is bounded by the caller's token.</summary>
internal sealed class Browser : IAsyncDisposable
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

    public const string Path = "/usr/bin/chromium";

    /// <summary>
    /// A page test's frame: skipped without Chromium; otherwise the real service on a fresh database and a browser at a
    /// laptop's size, the steps run within <paramref name="budget"/>, and on a failure a screenshot and what the page said
    /// (with <paramref name="where"/>, the step it was at) for whoever reads it.
    /// </summary>
    public static async Task RunPageTestAsync(string name, string adminKey, TimeSpan budget, Func<ServiceProcess, Browser, CancellationToken, Task> steps, Func<string>? where = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Path))
            Assert.Skip($"{Path} is absent: install Debian's chromium (openapi/ci-setup.sh does) to run the browser tests.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(budget);
        var ct = timeout.Token;
        var database = TestDatabase.NewPath(name);
        try
        {
            await using var service = await ServiceProcess.StartAsync(database, adminKey, ct, environment);
            await using var browser = await StartAsync(ct, "1366,768");
            try
            {
                await steps(service, browser, ct);
            }
            catch (HttpRequestException e)
            {
                // The test's own call to the service failed (once: a connection reset right after the service was ready): what the
                // service printed, and whether it is still running, say why.
                var output = service.Output;
                throw new InvalidOperationException($"A request of the test failed; the service {(service.HasExited ? "had exited" : "was running")}. " +
                    $"Its last output: {output[Math.Max(0, output.Length - 4000)..]}", e);
            }
            catch (Exception e) when (e is OperationCanceledException or Xunit.Sdk.XunitException)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {await browser.ScreenshotAsync($"{name}-failed", fullPage: true)}");
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var page = await browser.EvaluateAsync("document.querySelector('main').innerText.slice(0, 2000) + ' | ' + document.querySelector('#status').textContent", quick.Token);
                throw new InvalidOperationException($"{(where is null ? "" : $"The browser test stopped at: {where()}. ")}The page said: {page}", e);
            }
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    public static async Task<Browser> StartAsync(CancellationToken ct, string windowSize = "1280,2000")
    {
        var profile = Directory.CreateTempSubdirectory("disclosure-chromium-").FullName;
        var start = new ProcessStartInfo(Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            $"--window-size={windowSize}", $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
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
        // The system's print dialog is not the page's: printing counts on the top page (window.__printed) instead, in every
        // frame, the printable page's frame included, so that a test asserts the page asked to print without meeting a dialog.
        await browser.SendAsync("Page.addScriptToEvaluateOnNewDocument", new JsonObject
        {
            ["source"] = "window.print = () => { window.top.__printed = (window.top.__printed || 0) + 1; };",
        }, ct);
        return browser;
    }

    /// <summary>Opens the pages at <paramref name="baseAddress"/> and signs in as a person does: the key typed, the button pressed.</summary>
    public async Task SignInAsync(Uri baseAddress, string key, CancellationToken ct)
    {
        await NavigateAsync(baseAddress.ToString(), ct);
        await WaitForAsync("document.querySelector('#keyInput')", ct);
        await TypeAsync("#keyInput", key, ct);
        await ClickAsync("#signin button[type=submit]", ct);
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

    /// <summary>
    /// From now on counts each time the page rewrites the element at <paramref name="selector"/> (its text, its children or an
    /// attribute, as when a check writes 校验通过 again or a list is drawn anew), so that a wait after the next step can ask for
    /// the page's answer to it (<see cref="Rewritten"/>) where the element may already show what that answer shows.
    /// </summary>
    public async Task WatchAsync(string selector, CancellationToken ct)
    {
        var watching = await EvaluateAsync($$"""
            (s => {
              const e = document.querySelector(s);
              if (!e) return false;
              window.watched ??= {};
              window.watched[s]?.observer.disconnect();
              const w = window.watched[s] = { writes: 0, observer: new MutationObserver(() => { w.writes++; }) };
              w.observer.observe(e, { childList: true, subtree: true, characterData: true, attributes: true });
              return true;
            })({{JsonSerializer.Serialize(selector)}})
            """, ct);
        Assert.True(watching.GetValue<bool>(), $"Nothing to watch at {selector}");
    }

    /// <summary>A condition for <see cref="WaitForAsync"/>: the page has rewritten the element <see cref="WatchAsync"/> watches since it began to.</summary>
    public static string Rewritten(string selector) => $"(window.watched?.[{JsonSerializer.Serialize(selector)}]?.writes ?? 0) > 0";

    public async Task ClickAsync(string selector, CancellationToken ct)
    {
        var clicked = await EvaluateAsync($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); if (!e) return false; e.scrollIntoView(); e.click(); return true; }})()", ct);
        Assert.True(clicked.GetValue<bool>(), $"Nothing to click at {selector}");
    }

    /// <summary>Chooses <paramref name="value"/> in the select at <paramref name="selector"/>, as a person picking it from the list does (a change event).</summary>
    public async Task SelectAsync(string selector, string value, CancellationToken ct)
    {
        var chosen = await EvaluateAsync($"(s => {{ if (!s) return false; s.value = {JsonSerializer.Serialize(value)}; s.dispatchEvent(new Event('change')); return true; }})(document.querySelector({JsonSerializer.Serialize(selector)}))", ct);
        Assert.True(chosen.GetValue<bool>(), $"Nothing to choose from at {selector}");
    }

    /// <summary>Types into the focused element as a keyboard would (Input.insertText), after focusing <paramref name="selector"/>.</summary>
    public async Task TypeAsync(string selector, string text, CancellationToken ct)
    {
        var found = await EvaluateAsync($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); if (!e) return false; e.scrollIntoView(); e.focus(); e.select?.(); return true; }})()", ct);
        Assert.True(found.GetValue<bool>(), $"Nothing to type into at {selector}");
        await SendAsync("Input.insertText", new JsonObject { ["text"] = text }, ct);
    }

    /// <summary>Chooses a file in a file input, as a person does in the file dialog.</summary>
    public async Task ChooseFileAsync(string selector, string path, CancellationToken ct)
    {
        var document = await SendAsync("DOM.getDocument", null, ct);
        var node = await SendAsync("DOM.querySelector", new JsonObject { ["nodeId"] = document["root"]!["nodeId"]!.GetValue<int>(), ["selector"] = selector }, ct);
        await SendAsync("DOM.setFileInputFiles", new JsonObject { ["nodeId"] = node["nodeId"]!.GetValue<int>(), ["files"] = new JsonArray(path) }, ct);
    }

    /// <summary>Presses a key as the keyboard does (<c>Tab</c>, <c>Enter</c>, <c>Escape</c>): down, then up, on whatever has the focus.</summary>
    public async Task PressKeyAsync(string key, CancellationToken ct)
    {
        var (code, text) = key switch { "Tab" => (9, ""), "Enter" => (13, "\r"), "Backspace" => (8, ""), "Escape" => (27, ""), _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Tab, Enter, Backspace or Escape.") };
        var down = new JsonObject { ["type"] = "keyDown", ["key"] = key, ["code"] = key, ["windowsVirtualKeyCode"] = code, ["nativeVirtualKeyCode"] = code };
        if (text.Length > 0) down["text"] = text;
        await SendAsync("Input.dispatchKeyEvent", down, ct);
        await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyUp", ["key"] = key, ["code"] = key, ["windowsVirtualKeyCode"] = code, ["nativeVirtualKeyCode"] = code }, ct);
    }

    /// <summary>Lays the page out as a screen of this size (a phone when <paramref name="mobile"/>); null gives the window back.</summary>
    public async Task SetViewportAsync((int Width, int Height, bool Mobile)? size, CancellationToken ct)
    {
        if (size is not { } s) { await SendAsync("Emulation.clearDeviceMetricsOverride", null, ct); return; }
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = s.Width, ["height"] = s.Height, ["deviceScaleFactor"] = 1, ["mobile"] = s.Mobile,
        }, ct);
    }

    /// <summary>Runs the page's clock in the IANA zone <paramref name="timezoneId"/> (<c>Asia/Kolkata</c>), as a computer set to it would.</summary>
    public Task SetTimezoneAsync(string timezoneId, CancellationToken ct) =>
        SendAsync("Emulation.setTimezoneOverride", new JsonObject { ["timezoneId"] = timezoneId }, ct);

    /// <summary>Cuts the page off the network, as a dropped connection does (every request fails), or gives it back.</summary>
    public Task SetOfflineAsync(bool offline, CancellationToken ct) => SetNetworkAsync(offline, 0, ct);

    /// <summary>A slow line: every request waits <paramref name="latencyMilliseconds"/> before it is answered (0 gives the line back).</summary>
    public Task SetLatencyAsync(int latencyMilliseconds, CancellationToken ct) => SetNetworkAsync(false, latencyMilliseconds, ct);

    private async Task SetNetworkAsync(bool offline, int latency, CancellationToken ct)
    {
        await SendAsync("Network.enable", null, ct);
        await SendAsync("Network.emulateNetworkConditions", new JsonObject
        {
            ["offline"] = offline, ["latency"] = latency, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        }, ct);
    }

    /// <summary>Saves what the page downloads into <paramref name="folder"/> under the name the page gives it, as a person's browser does.</summary>
    public Task AllowDownloadsAsync(string folder, CancellationToken ct) =>
        SendAsync("Browser.setDownloadBehavior", new JsonObject { ["behavior"] = "allow", ["downloadPath"] = folder }, ct);

    /// <summary>Applies the style sheet's rules for <paramref name="media"/> (<c>print</c>), or the screen's again for the empty string.</summary>
    public Task EmulateMediaAsync(string media, CancellationToken ct) =>
        SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = media }, ct);

    /// <summary>A PNG of the page as it is now, in the test output's screenshots folder; its path, or why there is none.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = false)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var parameters = new JsonObject { ["format"] = "png" };
            if (fullPage)
            {
                // The whole document, not the window: a table page is many screens long.
                var size = (await SendAsync("Page.getLayoutMetrics", null, timeout.Token))["cssContentSize"]!;
                parameters["captureBeyondViewport"] = true;
                parameters["clip"] = new JsonObject
                {
                    ["x"] = 0, ["y"] = 0, ["scale"] = 1,
                    ["width"] = size["width"]!.GetValue<double>(), ["height"] = Math.Min(size["height"]!.GetValue<double>(), 8000),
                };
            }
            var shot = await SendAsync("Page.captureScreenshot", parameters, timeout.Token);
            var folder = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
            var path = System.IO.Path.Combine(folder, $"{name}.png");
            await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()), timeout.Token);
            return path;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            return $"(none: {e.Message})";
        }
    }

    public async Task<string> TryScreenshotAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, timeout.Token);
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"disclosure-swagger-ui-{Guid.NewGuid():N}.png");
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
