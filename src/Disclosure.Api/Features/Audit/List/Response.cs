using Disclosure.Storage;

namespace Disclosure.Api.Features.Audit.List;

sealed class Response
{
    /// <summary>Newest first.</summary>
    public required IReadOnlyList<Entry> Items { get; init; }

    /// <summary>When there may be older entries: give it as <c>before</c> for the next page. Absent on the last page.</summary>
    public Guid? Next { get; init; }

    /// <summary>One change made with a key (or tried: <c>status</c> says how it was answered), a request refused for its key (403) or with an expired or revoked key (401), or a sign-in (<c>GET /v1/me</c>).</summary>
    public sealed class Entry
    {
        public required Guid Id { get; init; }
        /// <summary>When the service answered; for a review, when the store dated it (its `reviewedAt`, a millisecond after the review it replaced at the earliest).</summary>
        public required DateTimeOffset At { get; init; }
        /// <example>PATCH</example>
        public required string Method { get; init; }
        /// <example>/v1/reporters/gushao-town</example>
        public required string Path { get; init; }
        /// <summary>The endpoint's route pattern, which names the kind of change whatever the ids in the path.</summary>
        /// <example>v1/reporters/{id}</example>
        public string? Route { get; init; }
        /// <summary>The HTTP status of the answer.</summary>
        /// <example>200</example>
        public required int Status { get; init; }
        /// <summary>
        /// The key that made the request, as <c>GET /v1/keys</c> lists it, and its role. Both absent from the one entry that has no
        /// key: an address's refusal after which its wrong keys are refused (429), for too many of them (<c>remoteIp</c> says which).
        /// </summary>
        public Guid? KeyId { get; init; }
        public KeyRole? Role { get; init; }
        /// <summary>The reporter a reporter key is bound to.</summary>
        public string? Reporter { get; init; }
        /// <summary>Who holds the key (its <c>label</c> when it was issued).</summary>
        /// <example>张三</example>
        public string? Holder { get; init; }
        /// <summary>The address the request came from, as the service saw it.</summary>
        public string? RemoteIp { get; init; }
        /// <summary>What the change did where the path does not say it: a name before and after, the key issued and to whom, a review's decision and comment.</summary>
        /// <example>'gushao-town'：名称 古邵镇 → 古邵镇人民政府</example>
        public string? Detail { get; init; }

        /// <summary>
        /// What the request acted on (对象), in words, where its path names it: a reporter by its name as it is now, a period by its
        /// table's heading, a key by its role, reporter and holder, a reviewed table by its reporter, heading and revision. Absent
        /// where the path names nothing (a reporter registered, a key issued, a backup, a sign-in) or names what is not found. A name
        /// that <c>detail</c>, written at the time, does not hold (the reporter renamed since) is followed by （现名）, the name now:
        /// <c>detail</c> keeps the name it had then.
        /// </summary>
        /// <example>古邵镇人民政府</example>
        public string? Target { get; init; }

        public static Entry From(AuditEntry e, string? target = null) => new()
        {
            Id = e.Id, At = e.At, Method = e.Method, Path = e.Path, Route = e.Route, Status = e.Status, KeyId = e.KeyId, Role = e.Role,
            Reporter = e.ReporterId, Holder = e.Holder, RemoteIp = e.RemoteIp, Detail = e.Detail, Target = target,
        };
    }
}
