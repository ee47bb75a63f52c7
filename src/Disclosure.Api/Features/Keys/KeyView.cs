using Disclosure.Storage;

namespace Disclosure.Api.Features.Keys;

/// <summary>An API key as listed: never the secret.</summary>
public sealed class KeyView
{
    public required Guid Id { get; init; }
    /// <summary><c>admin</c>, <c>viewer</c> or <c>reporter</c>.</summary>
    public required KeyRole Role { get; init; }
    /// <summary>The reporter a reporter key is bound to.</summary>
    public string? Reporter { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    /// <summary>Who holds the key or what it is for (持有人或用途), as the office wrote it when it issued the key.</summary>
    public string? Label { get; init; }
    /// <summary>When the key stops working (有效期至); absent for a key without an end. A key past it is refused with a 401.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public static KeyView From(ApiKeyRecord k) =>
        new() { Id = k.Id, Role = k.Role, Reporter = k.ReporterId, CreatedAt = k.CreatedAt, RevokedAt = k.RevokedAt, Label = k.Label, ExpiresAt = k.ExpiresAt };

    /// <summary>
    /// A key as its audit entry names it, its reporter by <paramref name="reporterName"/> as the office knows it (its id where it has
    /// none): <c>填报单位密钥 0193…，属 阴平镇，持有人 张三</c>.
    /// </summary>
    public static string Audited(ApiKeyRecord k, string? reporterName) =>
        $"{Infrastructure.AuditText.Role(k.Role)}密钥 {k.Id}" + (k.ReporterId is null ? "" : $"，属 {reporterName ?? $"'{k.ReporterId}'"}") + (k.Label is null ? "" : $"，持有人 {k.Label}")
        + (k.ExpiresAt is { } at ? $"，有效期至 {Infrastructure.AuditText.Time(at)}" : "");
}
