// Exit code 0 when the API in this container answers 2xx on the path (default /health/ready), 1 otherwise.
// Docker runs it as the image's HEALTHCHECK; Kubernetes uses its own HTTP probes instead.
// The port is the API's: the first http:// URL of ASPNETCORE_URLS when set (it wins over the ports, as in ASP.NET Core), else
// the first of ASPNETCORE_HTTP_PORTS, else 8080.
var path = args.Length > 0 ? args[0] : "/health/ready";
var port = Port(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));

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

static string Port(string? urls, string? ports)
{
    // http://+:8080, http://*:8080, http://0.0.0.0:8080, http://localhost:8080/ ; a URL without a port is port 80.
    foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) continue;
        var authority = url["http://".Length..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && !authority.EndsWith(']') ? authority[(colon + 1)..] : "80";
    }
    return (ports ?? "8080").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var first, ..] ? first : "8080";
}
