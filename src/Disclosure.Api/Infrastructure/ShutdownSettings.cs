namespace Disclosure.Api.Infrastructure;

/// <summary>The top-level setting <c>ShutdownTimeoutSeconds</c>: how long a stopping instance drains requests in flight.</summary>
public sealed class ShutdownSettings
{
    /// <summary>Seconds, 1 to 86 400; default 30. The host's <see cref="HostOptions.ShutdownTimeout"/>.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
