using System.Collections.Concurrent;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>
/// Rendered district tables, each kept with the store version it was built at and reused only while the
/// store still reports that version. Every acknowledged write changes the version before its 201 goes out,
/// so the next read rebuilds: the table stays live, and between writes a dashboard's reads cost a lookup
/// instead of a build. Concurrent reads of one version share one build. While the store answers no version
/// (null), every read builds.
/// </summary>
public sealed class AggregateCache(IStoreVersion store)
{
    // Keys are catalogue, period, filters and format; arbitrary ?reporters= lists must not grow it without bound.
    private const int MaxEntries = 64;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private sealed record Entry(long Version, Lazy<Task<RenderedAggregate>> Render);

    /// <summary>The key of the read <paramref name="name"/> of a period's tables, narrowed by <c>?reporters=</c> and <c>?kind=</c>.</summary>
    public static string Key(string name, Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporters, ReporterKind? kind, ExportFormat format = ExportFormat.Json) =>
        $"{name}|{catalogue.Id}|{period}|{(reporters is null ? "*" : string.Join(',', reporters))}|{kind}|{format}";

    /// <summary>
    /// The response to <paramref name="context"/>'s request from the rendering of <paramref name="key"/>. The build is shared by every
    /// read of this version, so <paramref name="render"/> must not take any one caller's cancellation.
    /// </summary>
    public async Task<IResult> RespondAsync(HttpContext context, string key, Func<Task<RenderedAggregate>> render, CancellationToken ct) =>
        AggregateResponder.Respond(context, await GetAsync(key, render, ct));

    private async Task<RenderedAggregate> GetAsync(string key, Func<Task<RenderedAggregate>> render, CancellationToken ct)
    {
        if (await store.GetVersionAsync(ct) is not { } version) return await render();

        if (!entries.TryGetValue(key, out var entry) || entry.Version != version)
        {
            if (entries.Count >= MaxEntries) entries.Clear();
            var fresh = new Entry(version, new Lazy<Task<RenderedAggregate>>(render));
            entry = entries.AddOrUpdate(key, fresh, (_, old) => old.Version == version ? old : fresh);
        }
        try
        {
            return await entry.Render.Value.WaitAsync(ct);
        }
        catch when (!ct.IsCancellationRequested)
        {
            // A failed build is not kept: the next read tries again.
            entries.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }
}
