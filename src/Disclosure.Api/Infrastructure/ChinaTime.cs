namespace Disclosure.Api.Infrastructure;

/// <summary>China Standard Time (UTC+8, no daylight saving): the district's, in which the office reads and prints times.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>
    /// The same instant in China time. The last eight hours of 9999 (UTC), which have no China time, stay in UTC rather
    /// than overflow: an integrator's "never" (<c>9999-12-31T23:59:59Z</c>) is a valid deadline or key expiry.
    /// </summary>
    public static DateTimeOffset Of(DateTimeOffset time) =>
        time.UtcDateTime <= DateTime.MaxValue - Offset ? time.ToOffset(Offset) : time.ToUniversalTime();
}
