// Exit code 0 when the API in this container answers 2xx on the path (default /health/ready), 1 otherwise.
// Docker runs it as the image's HEALTHCHECK; Kubernetes uses its own HTTP probes instead.
var path = args.Length > 0 ? args[0] : "/health/ready";
var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080";
var port = ports.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
try
{
    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
    if (response.IsSuccessStatusCode)
    {
        return 0;
    }
    await Console.Error.WriteLineAsync($"{path}: HTTP {(int)response.StatusCode}");
    return 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
{
    await Console.Error.WriteLineAsync($"{path}: {e.Message}");
    return 1;
}
