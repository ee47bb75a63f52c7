using System.Diagnostics;
using System.Net;
using System.Text;

namespace Disclosure.Api.Tests;

/// <summary>The built service as a real child process on loopback, for tests that need a real server or a real crash.</summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();
    /// <summary>Where the service listens: known once it is ready (it binds a port of the system's choosing and prints it).</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>What the service printed so far, for failure messages.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public bool HasExited => process.HasExited;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The service's process id, as a refused second owner should name it.</summary>
    public int Id => process.Id;

    /// <summary>Starts the service and waits until it is ready; <paramref name="workingDirectory"/> defaults to the folder of its binaries.</summary>
    public static async Task<ServiceProcess> StartAsync(string databasePath, string adminKey, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var service = Launch(databasePath, adminKey, environment, workingDirectory: workingDirectory);
        await service.WaitUntilReadyAsync(ct);
        return service;
    }

    /// <summary>Starts the service where it should refuse to start; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> StartRefusedAsync(string databasePath, string adminKey, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var (exitCode, output, _) = await StartRefusedWithErrorsAsync(databasePath, adminKey, ct, environment, port);
        return (exitCode, output);
    }

    /// <summary>As <see cref="StartRefusedAsync"/>, with what it printed on stderr alone besides.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> StartRefusedWithErrorsAsync(string databasePath, string adminKey,
        CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        await using var service = Launch(databasePath, adminKey, environment, port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await service.process.WaitForExitAsync(timeout.Token);
        service.process.WaitForExit(); // the redirected output is read to its end
        lock (service.errors) return (service.process.ExitCode, service.Output, service.errors.ToString());
    }

    /// <summary>
    /// Starts the process on <paramref name="port"/>, or on port 0: the service binds a port the system chooses and prints it, so no
    /// other test's service can take it between a choice here and the bind (which had a readiness check answered by another service).
    /// </summary>
    private static ServiceProcess Launch(string databasePath, string adminKey, IReadOnlyDictionary<string, string>? environment = null,
        int? port = null, string? workingDirectory = null)
    {
        port ??= 0;
        var dll = Path.Combine(AppContext.BaseDirectory, "Disclosure.Api.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Auth__AdminKey"] = adminKey;
        info.Environment["ConnectionStrings__Sqlite"] = $"Data Source={databasePath}";
        info.Environment["SecretsDirectory"] = NoSecrets.Folder;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__Console__LogLevel__Microsoft.Hosting.Lifetime"] = "Information"; // "Now listening on: …"
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the service");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            service.Append(e.Data);
            if (e.Data is not null) lock (service.errors) service.errors.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Add(Infrastructure.ApiKeys.Header, key);
        return client;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        if (BaseAddress.Port == 0) BaseAddress = await ListeningAddressAsync(deadline, ct);
        using var client = Client();
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the service exited with code {process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException("the service did not become ready within 60 s");
    }

    /// <summary>The address the framework prints once Kestrel has bound the port.</summary>
    private async Task<Uri> ListeningAddressAsync(DateTime deadline, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(deadline - DateTime.UtcNow);
        while (true)
        {
            Task next;
            lock (output)
            {
                if (Listening().Match(output.ToString()) is { Success: true } printed) return new Uri(printed.Groups[1].Value);
                next = nextLine.Task;
            }
            if (process.HasExited) throw new InvalidOperationException($"the service exited with code {process.ExitCode}:\n{Output}");
            try { await Task.WhenAny(next, process.WaitForExitAsync(limit.Token)).WaitAsync(limit.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"the service did not say where it listens within 60 s:\n{Output}");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial System.Text.RegularExpressions.Regex Listening();

    private TaskCompletionSource nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Append(string? line)
    {
        if (line is null) return;
        TaskCompletionSource arrived;
        lock (output)
        {
            output.AppendLine(line);
            (arrived, nextLine) = (nextLine, new(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        arrived.SetResult();
    }

    /// <summary>
    /// What the service printed, once it holds <paramref name="text"/>: a log line is written as its answer goes out, and read
    /// from the pipe after the client has the answer. Fails after 30 s without it.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (output)
            {
                if (output.ToString() is var printed && printed.Contains(text, StringComparison.Ordinal)) return printed;
                next = nextLine.Task;
            }
            try { await next.WaitAsync(limit.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"the service did not print \"{text}\" within 30 s:\n{Output}");
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly what a power cut or an OOM kill does to the process.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGTERM, as Docker and Kubernetes stop a container; returns the exit code once the process has drained and exited.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }


    public ValueTask DisposeAsync()
    {
        if (!process.HasExited) Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
