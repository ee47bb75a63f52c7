namespace Disclosure.Api.Infrastructure;

/// <summary>Settings of the <c>Pages</c> section: how the browser front end behaves, which the pages read from <c>GET /v1/me</c>.</summary>
public sealed class PageSettings
{
    public const string Section = "Pages";

    /// <summary>
    /// After this many seconds without a key press, click or touch, a signed-in page locks itself: it forgets the key and asks
    /// for it again, keeping what was typed (GB/T 22239's "登录连接超时自动退出"). 0 never locks. Default 30 minutes.
    /// </summary>
    public int LockAfterIdleSeconds { get; set; } = 1800;
}
