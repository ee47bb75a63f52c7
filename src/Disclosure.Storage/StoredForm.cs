using Disclosure.Catalogue;

namespace Disclosure.Storage;

/// <summary>One non-blank cell of a stored table: its code and exact value.</summary>
public readonly record struct StoredCell(string Code, decimal Value);

/// <summary>
/// Time as both stores keep it: UTC, to the millisecond (BSON dates do), so that both adapters return the same instant.
/// A caller that answers with a time it has just stored answers this, which is what every later read returns.
/// </summary>
public static class StoredTime
{
    public static DateTimeOffset Of(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}

/// <summary>The form values and times take in either store, shared so that both adapters return identical data.</summary>
internal static class StoredForm
{
    /// <summary>The same number without trailing zeros (12.30 → 12.3, 120.00 → 120, −0 → 0), so both stores agree on the representation.</summary>
    public static decimal Normalise(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        if (mantissa == 0) return 0m;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, scale);
    }

    /// <summary>
    /// <paramref name="submission"/> as either store keeps it: values with <see cref="Normalise(decimal)"/> applied,
    /// <c>ReceivedAt</c> and <c>SentAt</c> in UTC to the millisecond. Throws when a value has more than <see cref="TableValidator.MaxDecimals"/>
    /// places or a code is given twice, which the catalogue engine refuses before a table reaches a store.
    /// </summary>
    public static Submission ForStore(Submission submission)
    {
        var values = submission.Values.Select(v => v with { Value = Normalise(v.Value) }).ToList();
        if (values.FindIndex(v => v.Value.Scale > TableValidator.MaxDecimals) is >= 0 and var at && values[at] is var fine)
            throw new ArgumentException($"{fine.Code} is {fine.Value}: a store keeps at most {TableValidator.MaxDecimals} decimals; the catalogue engine should have refused it.", nameof(submission));
        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (values.FirstOrDefault(v => !codes.Add(v.Code)).Code is { } repeated)
            throw new InvalidOperationException($"Code '{repeated}' is given twice in the table of '{submission.ReporterId}', {submission.CatalogueId}, {submission.Period}.");
        return submission with
        {
            ReceivedAt = StoredTime.Of(submission.ReceivedAt),
            SentAt = submission.SentAt is { } sent ? StoredTime.Of(sent) : null,
            Values = values,
        };
    }

    /// <summary>
    /// Whether <paramref name="next"/> (as <see cref="ForStore(Submission)"/> made it) is <paramref name="head"/> over again: the same
    /// figures, derived where they were, the same note and, when it says one, the same time the office said it was sent
    /// (<see cref="SameSentAt"/>). Such an append would store a revision that changes nothing but its review (待审核 again) and,
    /// after the deadline, the table's standing (逾期).
    /// </summary>
    public static bool SameTable(Submission head, Submission next) =>
        SameNote(head.Note, next.Note) && SameSentAt(head.SentAt, next.SentAt) && SameCells(head.Values, next.Values);

    /// <summary>
    /// Whether a table sent at <paramref name="next"/> leaves the head's <paramref name="head"/> as it is: a request that says no
    /// time (every reporter's: only the office gives sentAt) does, so that a town confirming the figures the office entered for it
    /// is not stored again as revised late; a time given is a change unless it is the head's.
    /// </summary>
    public static bool SameSentAt(DateTimeOffset? head, DateTimeOffset? next) => next is null || head == next;

    /// <summary>Whether two notes read the same, their line breaks taken as one \n (a browser sends \r\n, Excel gives back \n).</summary>
    public static bool SameNote(string? a, string? b) => string.Equals(Lines(a), Lines(b), StringComparison.Ordinal);

    private static string? Lines(string? note) => note?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>Whether two tables hold the same values, derived alike, whatever their order.</summary>
    public static bool SameCells(IReadOnlyList<StoredValue> a, IReadOnlyList<StoredValue> b)
    {
        if (a.Count != b.Count) return false;
        var first = a.ToDictionary(v => v.Code, StringComparer.Ordinal);
        return b.All(v => first.TryGetValue(v.Code, out var same) && same.Value == v.Value && same.Derived == v.Derived);
    }

    /// <summary>Whether two tables hold the same figures, whatever their order (the embedded store's heads keep no derived flags).</summary>
    public static bool SameCells(IReadOnlyList<StoredCell> a, IReadOnlyList<StoredCell> b)
    {
        if (a.Count != b.Count) return false;
        // The embedded store's writer asks this of every append: a table sent in its head's order (the form's, the template's)
        // is told apart at its first changed figure, without a lookup; codes are unique, so a code's other figure settles it.
        var same = 0;
        for (; same < a.Count && a[same].Code == b[same].Code; same++)
            if (a[same].Value != b[same].Value) return false;
        if (same == a.Count) return true;
        var first = a.ToDictionary(v => v.Code, v => v.Value, StringComparer.Ordinal);
        return b.All(v => first.TryGetValue(v.Code, out var same) && same == v.Value);
    }

    /// <summary>A value as text that reads back exactly (<c>totals.amount</c>).</summary>
    public static string Text(decimal value) => Normalise(value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A year from a reporter's quarterly tables by the catalogue's rule (<see cref="Rollup.YearFromQuarterCells"/>): flow codes
    /// summed over the quarters that gave a value, codes in <paramref name="stockCodes"/> from the latest quarter that gave a value
    /// to their group (<paramref name="groups"/>), codes in <paramref name="openingCodes"/> (an opening balance such as 上年结转)
    /// from the earliest.
    /// </summary>
    public static IEnumerable<StoredCell> YearFromQuarters(IEnumerable<(string Period, IReadOnlyList<StoredCell> Cells)> quarters,
        IReadOnlySet<string> stockCodes, IReadOnlySet<string> openingCodes, IReadOnlyDictionary<string, string> groups)
    {
        var year = Rollup.YearFromQuarterCells(
            quarters.Select(q => (Period.Parse(q.Period).Quarter ?? throw new ArgumentException($"{q.Period} is not a quarter.", nameof(quarters)),
                q.Cells.Select(c => (c.Code, c.Value)))),
            code => stockCodes.Contains(code) ? OverTime.Stock : openingCodes.Contains(code) ? OverTime.Opening : OverTime.Flow,
            code => groups.GetValueOrDefault(code, code));
        // Normalised as the stores keep values (0.35 + 0.15 is 0.50 in decimal arithmetic), so a reporter's year prints as its aggregate does.
        return year.Select(c => new StoredCell(c.Key, Normalise(c.Value.Value)));
    }

    public static string Name(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Accepted => "accepted",
        ReviewDecision.Returned => "returned",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    public static ReviewDecision ParseDecision(string name) => name switch
    {
        "accepted" => ReviewDecision.Accepted,
        "returned" => ReviewDecision.Returned,
        _ => throw new InvalidOperationException($"Unknown review decision '{name}' in the store."),
    };

    /// <summary>
    /// <paramref name="review"/> as it replaces <paramref name="replaced"/>: made a millisecond after it at the earliest, so that each
    /// review of a revision has a time of its own, later than the one it replaced, even from a clock that has not moved since or that
    /// lags another instance's. Its time is what names it to a review that replaces it in turn (<see cref="ExpectedReview"/>).
    /// </summary>
    public static Review Replacing(Review review, Review? replaced) =>
        replaced is not null && review.ReviewedAt <= replaced.ReviewedAt ? review with { ReviewedAt = replaced.ReviewedAt.AddMilliseconds(1) } : review;

    /// <summary>
    /// <paramref name="review"/> as either store keeps it: the time in UTC to the millisecond. Throws for a returned table without a
    /// reason, which the API refuses before a review reaches a store.
    /// </summary>
    public static Review ForStore(Review review)
    {
        _ = Name(review.Decision);
        if (review.Decision == ReviewDecision.Returned && string.IsNullOrWhiteSpace(review.Comment))
            throw new ArgumentException("A returned table needs the reason the reporter must act on; the API should have refused it.", nameof(review));
        return review with { ReviewedAt = StoredTime.Of(review.ReviewedAt), Comment = string.IsNullOrEmpty(review.Comment) ? null : review.Comment };
    }

    public static string Name(ReporterKind kind) => kind switch
    {
        ReporterKind.Government => "government",
        ReporterKind.Department => "department",
        ReporterKind.Town => "town",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ReporterKind ParseKind(string name) => name switch
    {
        "government" => ReporterKind.Government,
        "department" => ReporterKind.Department,
        "town" => ReporterKind.Town,
        _ => throw new FormatException($"'{name}' is not a stored reporter kind."),
    };

    public static string Name(KeyRole role) => role switch
    {
        KeyRole.Admin => "admin",
        KeyRole.Viewer => "viewer",
        KeyRole.Reporter => "reporter",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static KeyRole ParseRole(string name) => name switch
    {
        "admin" => KeyRole.Admin,
        "viewer" => KeyRole.Viewer,
        "reporter" => KeyRole.Reporter,
        _ => throw new FormatException($"'{name}' is not a stored key role."),
    };

    /// <summary>
    /// Who contributed what to an aggregate, from the heads in scope: a reporter with a head for the period
    /// itself contributes that submission; any other contributes the quarters it has heads for.
    /// </summary>
    public static IReadOnlyList<Contribution> Contributions(string period, IEnumerable<(ReporterKind Kind, RevisionInfo Head)> heads) =>
    [
        .. heads.GroupBy(h => h.Head.ReporterId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var own = g.FirstOrDefault(h => h.Head.Period == period);
                return own.Head is not null
                    ? new Contribution(g.Key, own.Kind, [own.Head], false)
                    : new Contribution(g.Key, g.First().Kind, [.. g.Select(h => h.Head).OrderBy(h => h.Period, StringComparer.Ordinal)], true);
            }),
    ];

    /// <summary>
    /// Each contribution of the heads in scope with the values it contributes: its own table's, or the year its quarters
    /// give (<see cref="YearFromQuarters"/>). <paramref name="heads"/> carry their cells.
    /// </summary>
    public static IReadOnlyList<ContributedTable> ContributedTables(AggregateQuery query,
        IReadOnlyList<(ReporterKind Kind, RevisionInfo Head, IReadOnlyList<StoredCell> Cells)> heads)
    {
        var cells = heads.ToDictionary(h => h.Head.Id, h => h.Cells);
        return
        [
            .. Contributions(query.Period, heads.Select(h => (h.Kind, h.Head))).Select(c => new ContributedTable(c, c.FromQuarters
                ? [.. YearFromQuarters(c.Submissions.Select(s => (s.Period, cells[s.Id])), query.StockCodes, query.OpeningCodes, query.Groups)]
                : cells[c.Submissions[0].Id])),
        ];
    }
}

/// <summary>An aggregate's cells as either adapter adds them up: per code and reporter kind, the sum and how many reporters gave it.</summary>
internal sealed class AggregateSums
{
    private readonly Dictionary<(string Code, ReporterKind Kind), (decimal Sum, int Reporters)> sums = [];

    public void Add(string code, ReporterKind kind, decimal value, int reporters)
    {
        var before = sums.GetValueOrDefault((code, kind));
        sums[(code, kind)] = (before.Sum + value, before.Reporters + reporters);
    }

    /// <summary>The cells, sorted the same way by both adapters so that results compare equal.</summary>
    public IReadOnlyList<AggregateCell> Cells() =>
    [
        .. sums.Select(c => new AggregateCell(c.Key.Code, c.Key.Kind, StoredForm.Normalise(c.Value.Sum), c.Value.Reporters))
            .OrderBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.Kind),
    ];
}

/// <summary>
/// Reporters' names as a store moved from a build that let two reporters share one (before names were normalised and unique)
/// keeps them, decided once for both adapters so that they agree. Each name is normalised (<see cref="Reporter.NormaliseName"/>);
/// of the reporters that then share one, a reporting one keeps it before a retired one, and an earlier registered before a later
/// (then the lesser id), and each other is renamed <c>名称（id）</c>, such as 古邵镇（gushao-old）, which the district office can see
/// in its list of reporters and correct.
/// </summary>
internal static class UniqueNames
{
    /// <summary>As <see cref="Renames"/>, with each reporter's name before, for the log.</summary>
    public static IReadOnlyList<ReporterRename> Renamed(IReadOnlyCollection<Reporter> reporters)
    {
        var before = reporters.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        return [.. Renames(reporters).Select(r => new ReporterRename(r.Id, before[r.Id], r.Name))];
    }

    /// <summary>The reporters whose stored name must change, with the name each is to have; empty when every name is kept.</summary>
    public static IReadOnlyList<(string Id, string Name)> Renames(IEnumerable<Reporter> reporters)
    {
        var groups = reporters.GroupBy(r => Reporter.NormaliseName(r.Name), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var taken = groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        // Those moved aside to a name of their own come first, so that a store that keeps its unique index while renaming
        // (MongoDB) never holds two of one name between two renames.
        var (aside, normalised) = (new List<(string Id, string Name)>(), new List<(string Id, string Name)>());
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(r => r.RetiredFrom is not null).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var name = group.Key;
                if (i > 0)
                {
                    name = $"{group.Key}（{ordered[i].Id}）";
                    for (var n = 2; !taken.Add(name); n++) name = $"{group.Key}（{ordered[i].Id}-{n}）";
                }
                if (!string.Equals(name, ordered[i].Name, StringComparison.Ordinal)) (i > 0 ? aside : normalised).Add((ordered[i].Id, name));
            }
        }
        return [.. aside, .. normalised];
    }
}
