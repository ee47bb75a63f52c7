using Disclosure.Api.Infrastructure;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>
/// Who submitted a revision, so that one the district office entered or corrected on a reporter's behalf is told apart from
/// one the reporter sent itself: <c>keyId</c>, the API key that sent it, and <c>role</c>, that key's role — <c>admin</c>
/// for the district office, <c>reporter</c> for the reporter's own key. A key revoked since still names its role.
/// </summary>
public sealed class SubmitterView
{
    /// <summary>
    /// The API key that sent the revision, as <c>GET /v1/keys</c> lists it; <c>00000000-0000-0000-0000-000000000000</c> is
    /// the admin key the service is configured with (<c>Auth:AdminKey</c>), which has no entry there.
    /// </summary>
    public required Guid KeyId { get; init; }

    /// <summary>
    /// <c>admin</c>: the district office entered or corrected the table on the reporter's behalf; <c>reporter</c>: the
    /// reporter's own key. A key's role never changes, so a key revoked since still names it. Absent only when the key is not
    /// in this service's key store.
    /// </summary>
    public KeyRole? Role { get; init; }

    /// <summary>Who holds that key (its label, such as the clerk's name), where the office gave one when it issued it.</summary>
    public string? Label { get; init; }
}

/// <summary>Who sent the revisions one read lists, each key read once from the key store (a reporter's come from a key or two).</summary>
public sealed class Submitters(IKeyStore keys)
{
    private readonly Dictionary<Guid, ApiKeyRecord?> read = [];

    /// <summary>Who sent a revision whose key id is <paramref name="keyId"/>; null when the revision recorded no key.</summary>
    public async ValueTask<SubmitterView?> OfAsync(Guid? keyId, CancellationToken ct)
    {
        if (keyId is not { } id) return null;
        if (id == ApiKeys.ConfiguredAdminKeyId) return new() { KeyId = id, Role = KeyRole.Admin };
        if (!read.TryGetValue(id, out var key)) read[id] = key = await keys.GetKeyAsync(id, ct);
        return new() { KeyId = id, Role = key?.Role, Label = key?.Label };
    }

    /// <summary>The review as the API shows it, naming the clerk who made it; null when there is none.</summary>
    public async ValueTask<ReviewView?> ReviewOfAsync(Storage.Review? review, CancellationToken ct) =>
        review is null ? null : ReviewView.From(review, (await OfAsync(review.ReviewedByKey ?? ApiKeys.ConfiguredAdminKeyId, ct))!.Label);
}
