using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>Builds the district table from the store's sums; every build reflects every acknowledged write (reuse between writes is <see cref="AggregateCache"/>'s).</summary>
public sealed class AggregateService(ISubmissionStore submissions, IReporterStore reporters, IPeriodStore periods, IKeyStore keys, CatalogueRegistry catalogues)
{
    /// <summary>
    /// The store's sums by cell index, in all and by kind (null where no reporter gave the cell), how many gave each, and whose
    /// tables; <c>StocksLeftOut</c>, the reporters whose stock cells are not in them (<see cref="GoneBeforeItsEnd"/>).
    /// </summary>
    private sealed record Sums(decimal?[] Total, decimal?[][] ByKind, int[] Giving, IReadOnlyList<Contribution> Contributions)
    {
        public IReadOnlySet<string> StocksLeftOut { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    }

    private async Task<Sums> SumAsync(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind,
        Task<(PeriodSettings Settings, IReadOnlyList<Reporter> Registered)> read, CancellationToken ct, DateTimeOffset? asAt = null)
    {
        var query = Query(catalogue, period, reporterFilter, kind);
        var gone = GoneBeforeItsEnd(catalogue, period, reporterFilter, (await read).Registered);
        if (gone.Count == 0 && asAt is null)
        {
            var result = await submissions.AggregateAsync(query, ct);
            return Fold(catalogue, result.Cells, result.Contributions);
        }
        // Rare (a reporter retired during the year, a table as it stood): added up here from its tables, read once, leaving out the stocks of those gone.
        return FoldTables(catalogue, WithoutStocksOf(catalogue, await TablesAsync(query, asAt, read, ct), gone)) with { StocksLeftOut = gone };
    }

    /// <summary>
    /// The tables <paramref name="query"/> adds up: each reporter's latest, or with <paramref name="asAt"/> its latest revision received
    /// by then (a stored revision never changes), read revision by revision, as only a table corrected since needs its history.
    /// </summary>
    private async Task<IReadOnlyList<ContributedTable>> TablesAsync(AggregateQuery query, DateTimeOffset? asAt,
        Task<(PeriodSettings Settings, IReadOnlyList<Reporter> Registered)> read, CancellationToken ct)
    {
        if (asAt is not { } at) return await submissions.ListContributedTablesAsync(query, ct);
        var kinds = (await read).Registered.ToDictionary(r => r.Id, r => r.Kind, StringComparer.Ordinal);
        var heads = new List<RevisionInfo>();
        foreach (var head in await submissions.ListLatestAsync(query.CatalogueId, [query.Period, .. query.QuarterPeriods], ct))
        {
            if (!kinds.TryGetValue(head.ReporterId, out var its) || query.Kind is { } kind && its != kind || query.Reporters?.Contains(head.ReporterId) == false) continue;
            if ((head.ReceivedAt <= at ? head : (await submissions.ListRevisionsAsync(head.ReporterId, query.CatalogueId, head.Period, ct)).LastOrDefault(r => r.ReceivedAt <= at)) is { } then)
                heads.Add(then);
        }
        var stored = await submissions.GetSubmissionsAsync([.. heads.Select(h => h.Id)], ct);
        return Contributions.Of(query, [.. heads.Where(h => stored.ContainsKey(h.Id))
            .Select(h => (kinds[h.ReporterId], h, (IReadOnlyList<StoredCell>)[.. stored[h.Id].Values.Select(v => new StoredCell(v.Code, v.Value))]))]);
    }

    /// <summary>
    /// The reporters whose stocks the district table of <paramref name="period"/> leaves out: for a year of a catalogue with quarterly
    /// tables, those retired during it (for its fourth quarter, not for the year). A year's stock is its fourth quarter's: what such a
    /// reporter held when it went (a merged town's staff) is its successor's at the year's end, and would be counted twice. A catalogue
    /// of years only may balance a stock against flows (2021's C1, 一 + 二 = 三 + 四), so its year tables add up whole; so does one
    /// reporter's own table (<paramref name="reporterFilter"/> naming one), which says what it held when it went, as its paper form does.
    /// </summary>
    private static HashSet<string> GoneBeforeItsEnd(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, IEnumerable<Reporter> registered)
    {
        if (!period.IsYear || reporterFilter is [_] || !catalogue.Document.Periods.Granularities.Contains(Granularity.Quarter)) return [];
        var end = period with { Quarter = 4 };
        return registered.Where(r => !r.IsRetiredFor(period) && r.IsRetiredFor(end)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The tables with the stock cells of the reporters in <paramref name="gone"/> left out (<see cref="GoneBeforeItsEnd"/>).</summary>
    private static IReadOnlyList<ContributedTable> WithoutStocksOf(Catalogue.Catalogue catalogue, IReadOnlyList<ContributedTable> tables, IReadOnlySet<string> gone) =>
        gone.Count == 0 ? tables : [.. tables.Select(t => gone.Contains(t.Contribution.ReporterId)
            ? t with { Cells = [.. t.Cells.Where(c => !catalogue.TryGetCell(c.Code, out var cell) || cell.OverTime != OverTime.Stock)] }
            : t)];

    /// <summary>The district sums of reporters' tables, summed by code and kind and each sum normalised as the stores add them up, so that the figures are the district table's to the digit.</summary>
    private static Sums FoldTables(Catalogue.Catalogue catalogue, IReadOnlyList<ContributedTable> tables)
    {
        var cells = tables.SelectMany(t => t.Cells.Select(c => (c.Code, t.Contribution.Kind, c.Value)))
            .GroupBy(c => (c.Code, c.Kind))
            .Select(g => new AggregateCell(g.Key.Code, g.Key.Kind, TableValidator.Normalise(g.Sum(c => c.Value)), g.Count()));
        return Fold(catalogue, cells, [.. tables.Select(t => t.Contribution)]);
    }

    private static AggregateQuery Query(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind)
    {
        var stock = catalogue.Cells.Where(c => c.OverTime == OverTime.Stock).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var quarters = period.IsYear ? period.QuartersOfYear().Select(q => q.ToString()).ToList() : [];
        return new AggregateQuery(catalogue.Id, period.ToString(), quarters, stock, reporterFilter, kind)
        {
            OpeningCodes = catalogue.Cells.Where(c => c.OverTime == OverTime.Opening).Select(c => c.Code).ToHashSet(StringComparer.Ordinal),
            Groups = catalogue.Cells.Where(c => c.OverTime != OverTime.Flow)
                .ToDictionary(c => c.Code, c => catalogue.Cells[catalogue.OverTimeGroups[c.Index]].Code, StringComparer.Ordinal),
        };
    }

    /// <summary>The store's sums by code and kind laid out by cell index, the total being the sum of the kinds.</summary>
    private static Sums Fold(Catalogue.Catalogue catalogue, IEnumerable<AggregateCell> cells, IReadOnlyList<Contribution> contributions)
    {
        var n = catalogue.Cells.Count;
        var total = new decimal?[n];
        var byKind = new decimal?[3][] { new decimal?[n], new decimal?[n], new decimal?[n] };
        var giving = new int[n];
        foreach (var cell in cells)
        {
            if (!catalogue.TryGetCell(cell.Code, out var c)) continue;
            total[c.Index] = (total[c.Index] ?? 0) + cell.Sum;
            byKind[(int)cell.Kind][c.Index] = (byKind[(int)cell.Kind][c.Index] ?? 0) + cell.Sum;
            giving[c.Index] += cell.Reporters;
        }
        return new Sums(total, byKind, giving, contributions);
    }

    /// <summary>
    /// One reporter's figures in a breakdown: its contribution and its values by cell index (null = blank); <c>StocksLeftOut</c> when
    /// it was retired during the year (<see cref="GoneBeforeItsEnd"/>), whose stock cells are blank here.
    /// </summary>
    public sealed record ReporterFigures(Reporter Reporter, Contribution Contribution, decimal?[] Values, bool StocksLeftOut = false)
    {
        public ContributionSource Source => Contribution.FromQuarters ? ContributionSource.Quarters : ContributionSource.Submission;
    }

    /// <summary>
    /// The district table and, beside it, each contributing reporter's figures, from one read of the same latest revisions
    /// (<see cref="ISubmissionStore.ListContributedTablesAsync"/>), so that the reporters' figures add up to the district's.
    /// Reporters come grouped by kind (government, departments, towns), in the order they were registered within a kind.
    /// </summary>
    public async Task<(AggregateTable District, IReadOnlyList<ReporterFigures> Reporters)> BreakdownAsync(
        Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct, DateTimeOffset? asAt = null)
    {
        var read = ReadPeriodAsync(catalogue.Id, period, ct);
        var contributed = await TablesAsync(Query(catalogue, period, reporterFilter, kind), asAt, read, ct);
        // A reporter retired during the year shows no stocks in its column, as the district table leaves them out.
        var gone = GoneBeforeItsEnd(catalogue, period, reporterFilter, (await read).Registered);
        var tables = WithoutStocksOf(catalogue, contributed, gone);
        var district = await AssembleAsync(catalogue, period, reporterFilter, kind, Task.FromResult(FoldTables(catalogue, tables) with { StocksLeftOut = gone }), read, ct, asAt: asAt);
        return (district, Figures(catalogue, tables, (await read).Registered, gone));
    }

    /// <summary>
    /// The breakdown's columns without the district table (<see cref="BreakdownAsync"/>), against one reading of the
    /// <paramref name="registered"/> reporters, so that the lists below can read several periods.
    /// </summary>
    private async Task<IReadOnlyList<ReporterFigures>> FiguresAsync(Catalogue.Catalogue catalogue, Period period,
        IReadOnlyList<string>? reporterFilter, ReporterKind? kind, IReadOnlyList<Reporter> registered, CancellationToken ct) =>
        Figures(catalogue, await submissions.ListContributedTablesAsync(Query(catalogue, period, reporterFilter, kind), ct), registered);

    /// <summary>
    /// Each reporter's whole figures of <paramref name="period"/> (<see cref="IsWhole"/>) beside its whole figures of
    /// <paramref name="earlier"/>, in the order of <see cref="BreakdownAsync"/>; a reporter without both is left out.
    /// </summary>
    private async Task<IEnumerable<(ReporterFigures Now, decimal?[] Before)>> WithEarlierAsync(Catalogue.Catalogue catalogue, Period period, Period earlier,
        IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct)
    {
        var (_, registered) = await ReadPeriodAsync(catalogue.Id, period, ct);
        var now = (await FiguresAsync(catalogue, period, reporterFilter, kind, registered, ct)).Where(f => IsWhole(f.Contribution)).ToList();
        if (now.Count == 0) return [];
        var before = new Dictionary<string, decimal?[]>(StringComparer.Ordinal);
        foreach (var source in EarlierCatalogues(catalogue, earlier))
            foreach (var f in (await FiguresAsync(source, earlier, reporterFilter, kind, registered, ct)).Where(f => IsWhole(f.Contribution)))
                before.TryAdd(f.Reporter.Id, InLayoutOf(source, catalogue, f.Values));
        return now.Where(f => before.ContainsKey(f.Reporter.Id)).Select(f => (f, before[f.Reporter.Id]));
    }

    /// <summary>A figure far from the same reporter's figure of the same period a year before (<see cref="YearOnYear"/>).</summary>
    public sealed record FarFigure(ReporterFigures Reporter, Cell Cell, decimal Before, decimal Now);

    /// <summary>
    /// Every reporter's figures that are far from its own a year before, reporters in the order of <see cref="BreakdownAsync"/>
    /// and each one's cells in table order; a reporter without a whole table in either year (<see cref="IsWhole"/>) has none.
    /// </summary>
    public async Task<IReadOnlyList<FarFigure>> FarFromYearBeforeAsync(
        Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct) =>
        [.. (await WithEarlierAsync(catalogue, period, period.YearBefore(), reporterFilter, kind, ct)).SelectMany(p => YearOnYear.Far(catalogue, p.Before, p.Now.Values)
            .Select(i => new FarFigure(p.Now, catalogue.Cells[i], p.Before[i]!.Value, p.Now.Values[i]!.Value)))];

    /// <summary>A year's table that differs from the same reporter's four quarters of that year (<see cref="YearAndQuarters"/>).</summary>
    public sealed record Differing(ReporterFigures Reporter, Cell Cell, decimal FromQuarters, decimal Value);

    /// <summary>
    /// 年报与季报衔接: every reporter that sent both a table for the year <paramref name="year"/> and all four of its quarters, with
    /// the year's figures that differ from the year its quarters give; reporters in the order of <see cref="BreakdownAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<Differing>> DifferingFromQuartersAsync(
        Catalogue.Catalogue catalogue, Period year, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct)
    {
        var (_, registered) = await ReadPeriodAsync(catalogue.Id, year, ct);
        var years = (await FiguresAsync(catalogue, year, reporterFilter, kind, registered, ct)).Where(f => !f.Contribution.FromQuarters).ToList();
        if (years.Count == 0) return [];
        var quarters = new List<(int Quarter, ReporterFigures Figures)>();
        foreach (var quarter in year.QuartersOfYear())
            quarters.AddRange((await FiguresAsync(catalogue, quarter, reporterFilter, kind, registered, ct)).Select(f => (quarter.Quarter!.Value, f)));
        var owed = await Periods.QuarterlyYears.OwedAsync(periods, catalogue.Id, year, ct);
        var fromQuarters = quarters.GroupBy(q => q.Figures.Reporter.Id, StringComparer.Ordinal).Where(g => g.Count() == owed(g.First().Figures.Reporter).Count)
            .ToDictionary(g => g.Key, g => Rollup.YearFromQuarters(catalogue, g.Select(q => (q.Quarter, q.Figures.Values))), StringComparer.Ordinal);
        return [.. years.Where(y => fromQuarters.ContainsKey(y.Reporter.Id)).SelectMany(y => YearAndQuarters.Differing(catalogue, y.Values, fromQuarters[y.Reporter.Id])
            .Select(i => new Differing(y, catalogue.Cells[i], fromQuarters[y.Reporter.Id][i]!.Value, y.Values[i]!.Value)))];
    }

    /// <summary>A balance carried in that is not what the same reporter's table of the period before carried forward (<see cref="CarriedOver"/>).</summary>
    public sealed record CarriedDiffering(ReporterFigures Reporter, Cell Opening, Cell Stock, decimal Before, decimal Value);

    /// <summary>
    /// 上年结转与上年结转下年度衔接: every reporter whose balances carried into <paramref name="period"/> are not what its own table of
    /// the period before (<see cref="CarriedOver.PeriodBefore"/>: the year before for a year or a first quarter, the quarter before
    /// for a later one) carried forward, column by column; reporters in the order of <see cref="BreakdownAsync"/>, each one's cells
    /// in table order. Both are the latest tables, or a year from all four quarters (<see cref="IsWhole"/>), as the dry run reads
    /// them; a reporter without a whole table in either has none, and so does a cell blank on either side.
    /// </summary>
    public async Task<IReadOnlyList<CarriedDiffering>> DifferingFromLastYearCarriedAsync(
        Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct) =>
        [.. (await WithEarlierAsync(catalogue, period, CarriedOver.PeriodBefore(period), reporterFilter, kind, ct)).SelectMany(p => CarriedOver.Differing(catalogue, p.Before, p.Now.Values)
            .Select(c => new CarriedDiffering(p.Now, catalogue.Cells[c.Opening], catalogue.Cells[c.Stock], p.Before[c.Stock]!.Value, p.Now.Values[c.Opening]!.Value)))];

    /// <summary>
    /// The year <paramref name="year"/> as one reporter's quarterly tables give it, with the quarter each stock or opening figure was
    /// taken from (<see cref="Rollup.TracedYearFromQuarters"/>) and how many quarters it adds up, once it sent all it owes (four, or
    /// those before its retirement during the year); while it owes some, the quarters still to come instead (<c>Year</c> null).
    /// Null when it sent none.
    /// </summary>
    public async Task<YearFromQuarters?> YearFromQuartersOfAsync(Catalogue.Catalogue catalogue, Period year, string reporter, CancellationToken ct)
    {
        var quarters = new List<(int, decimal?[])>(4);
        var missing = new List<Period>();
        foreach (var quarter in year.QuartersOfYear())
            if (await FiguresOfAsync(catalogue, quarter, reporter, ct) is { } values) quarters.Add((quarter.Quarter!.Value, values));
            else missing.Add(quarter);
        if (quarters.Count == 0) return null;
        // A quarter missing is owed, unless the reporter was retired from it (and so from those after it) or registered after it closed.
        if (missing.Count > 0 && (await Periods.QuarterlyYears.OwedAsync(periods, catalogue.Id, year, ct))(await reporters.GetReporterAsync(reporter, ct)) is var owed
            && missing.Where(owed.Contains).Select(q => q.Quarter!.Value).ToList() is { Count: > 0 } toCome)
            return new(null, quarters.Count, toCome);
        return new(Rollup.TracedYearFromQuarters(catalogue, quarters), quarters.Count, []);
    }

    /// <summary>One reporter's figures from its latest table of <paramref name="period"/>, as the lists have them (no registry read); null when it has no whole one (<see cref="IsWhole"/>).</summary>
    public async Task<decimal?[]?> FiguresOfAsync(Catalogue.Catalogue catalogue, Period period, string reporter, CancellationToken ct) =>
        await submissions.ListContributedTablesAsync(Query(catalogue, period, [reporter], null), ct) is [var table] && IsWhole(table.Contribution) ? Values(catalogue, table) : null;

    /// <summary>
    /// The catalogues whose tables of <paramref name="earlier"/> a table of <paramref name="catalogue"/> is compared with (与上年比较,
    /// 上年结转), each reporter's read from the first it has one on: itself from its first year on; before it, those that cover it and
    /// declare this one their national catalogue (<c>edition.national</c>: a format the office loaded, mapped to this table's cells),
    /// the latest-beginning first (a revised copy of a format, which must be a new id, beside the one reporters sent on); none, as
    /// from one edition to the next, whose items differ.
    /// </summary>
    private IEnumerable<Catalogue.Catalogue> EarlierCatalogues(Catalogue.Catalogue catalogue, Period earlier) =>
        earlier.Year >= catalogue.Document.Periods.FromYear ? [catalogue]
        : catalogues.All.Where(c => c.Document.Edition?.National == catalogue.Id && c.AllowsPeriod(earlier)).OrderByDescending(c => c.Document.Periods.FromYear);

    /// <summary>The first of <see cref="EarlierCatalogues"/>, named as where the period before is read; null when there is none.</summary>
    public Catalogue.Catalogue? EarlierCatalogue(Catalogue.Catalogue catalogue, Period earlier) => EarlierCatalogues(catalogue, earlier).FirstOrDefault();

    /// <summary>
    /// One reporter's figures of <paramref name="earlier"/> as a table of <paramref name="catalogue"/> is compared with them
    /// (<see cref="EarlierCatalogue"/>), in its layout; a cell the mapping cannot read is blank, and so not compared. Null when it has none.
    /// <c>From</c>: the catalogue they were read from where it is another (a format mapped to this one), to be named beside them.
    /// </summary>
    public async Task<(decimal?[] Figures, Catalogue.Catalogue? From)?> EarlierFiguresOfAsync(Catalogue.Catalogue catalogue, Period earlier, string reporter, CancellationToken ct)
    {
        foreach (var source in EarlierCatalogues(catalogue, earlier))
            if (await FiguresOfAsync(source, earlier, reporter, ct) is { } values) return (InLayoutOf(source, catalogue, values), source == catalogue ? null : source);
        return null;
    }

    /// <summary>Figures of <paramref name="source"/> in the layout of <paramref name="catalogue"/>, through its edition mapping where it is another (<see cref="Editions.ToNational"/>).</summary>
    private static decimal?[] InLayoutOf(Catalogue.Catalogue source, Catalogue.Catalogue catalogue, decimal?[] values) =>
        source == catalogue ? values : Editions.ToNational(source, catalogue, values).Result.Values;

    /// <summary>
    /// A year's table, or a year from all four of its quarters: a year from its first quarters alone is not yet a year to set
    /// against another (its flows are a fraction of one), though it adds up into the district table as far as it goes. (Whether
    /// it is a year reported is another question, <see cref="Completeness.Incomplete"/>: a reporter retired mid-year owes fewer.)
    /// </summary>
    private static bool IsWhole(Contribution contribution) => !contribution.FromQuarters || contribution.Submissions.Count == 4;

    /// <summary>A contributed table's values by cell index (null = blank).</summary>
    private static decimal?[] Values(Catalogue.Catalogue catalogue, ContributedTable table)
    {
        var values = new decimal?[catalogue.Cells.Count];
        foreach (var (code, value) in table.Cells)
            if (catalogue.TryGetCell(code, out var c)) values[c.Index] = value;
        return values;
    }

    /// <summary>
    /// Where a reporter no longer (or never) in the registry sorts among its kind: after every registered one, in the breakdown and in
    /// the completeness lists alike, so that the two read side by side line up.
    /// </summary>
    private static readonly DateTimeOffset Unregistered = DateTimeOffset.MaxValue;

    private static IReadOnlyList<ReporterFigures> Figures(Catalogue.Catalogue catalogue, IReadOnlyList<ContributedTable> tables, IReadOnlyList<Reporter> registered,
        IReadOnlySet<string>? gone = null)
    {
        var byId = registered.ToDictionary(r => r.Id, StringComparer.Ordinal);
        return [.. tables.Select(t => new ReporterFigures(
                byId.GetValueOrDefault(t.Contribution.ReporterId) ?? new Reporter(t.Contribution.ReporterId, t.Contribution.ReporterId, t.Contribution.Kind, Unregistered),
                t.Contribution, Values(catalogue, t), gone?.Contains(t.Contribution.ReporterId) == true))
            .OrderBy(f => f.Contribution.Kind).ThenBy(f => f.Reporter.CreatedAt).ThenBy(f => f.Reporter.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The settings of <paramref name="period"/> of catalogue <paramref name="catalogueId"/>, and every registered reporter named as
    /// that period prints it: a closed period as it was closed (<see cref="PeriodSettings.NamesOf"/>), an open one as named now.
    /// </summary>
    private async Task<(PeriodSettings Settings, IReadOnlyList<Reporter> Registered)> ReadPeriodAsync(string catalogueId, Period period, CancellationToken ct)
    {
        var listed = reporters.ListReportersAsync(ct);
        var settings = await periods.GetPeriodAsync(catalogueId, period.ToString(), ct);
        return (settings, settings.NamesOf(await listed));
    }

    /// <summary>
    /// The district table; with <paramref name="asAt"/>, as it stood at that moment (such as when the period was first closed, and
    /// published): each reporter's latest revision received by then, expecting the reporters registered by then, a review made
    /// since left out (<see cref="AssembleAsync"/>).
    /// </summary>
    public Task<AggregateTable> BuildAsync(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind, CancellationToken ct,
        DateTimeOffset? asAt = null)
    {
        var read = ReadPeriodAsync(catalogue.Id, period, ct);
        return AssembleAsync(catalogue, period, reporterFilter, kind, SumAsync(catalogue, period, reporterFilter, kind, read, ct, asAt), read, ct, asAt: asAt);
    }

    /// <summary>
    /// The district table of <paramref name="edition"/> in the layout of <paramref name="national"/>, the catalogue it maps to
    /// (<see cref="Editions.ToNational"/>), each kind's figures mapped on their own (the mapping is a sum), with the edition
    /// period's completeness; and the reading of the total, which says where each national cell came from. The table's
    /// <c>reportersGiving</c> are not known across the mapping (0): it is for the printouts, which do not print them.
    /// </summary>
    public async Task<(AggregateTable Table, NationalReading Reading)> BuildAsNationalAsync(Catalogue.Catalogue edition, Catalogue.Catalogue national, Period period,
        CancellationToken ct, DateTimeOffset? asAt = null)
    {
        var read = ReadPeriodAsync(edition.Id, period, ct);
        var sums = await SumAsync(edition, period, null, null, read, ct, asAt);
        var reading = Editions.ToNational(edition, national, sums.Total);
        var mapped = new Sums(reading.Result.Values, [.. sums.ByKind.Select(v => Editions.ToNational(edition, national, v).Result.Values)],
            new int[national.Cells.Count], sums.Contributions);
        var table = await AssembleAsync(national, period, null, null, Task.FromResult(mapped), read, ct, settingsOf: edition.Id, asAt: asAt);
        return (table, reading);
    }

    /// <summary>
    /// Whether <paramref name="period"/> is closed to a reporter through its year (<see cref="Periods.ClosedPeriods.ClosesItsQuarters"/>):
    /// for a quarter whose year is closed, every reporter without a table of the year; for a year, or a quarter of an open
    /// year, none. Only when the year is closed is the store asked, in one read, which reporters have a table of the year and
    /// which a quarterly table of it (<c>SentQuarters</c>): a reporter that sent nothing of the year has no year added up
    /// from its quarters to speak of, though the closed year closes its quarters to it all the same.
    /// </summary>
    private async Task<(Func<string, bool> Closes, PeriodSettings? Year, Func<string, bool> SentQuarters)> ClosedWithItsYearAsync(string catalogueId, Period period, CancellationToken ct)
    {
        if (period.IsYear) return (_ => false, null, _ => false);
        var year = (period with { Quarter = null }).ToString();
        if (await periods.GetPeriodAsync(catalogueId, year, ct) is not { Closed: true } settings) return (_ => false, null, _ => false);
        var latest = await submissions.ListLatestAsync(catalogueId, [year, .. Enumerable.Range(1, 4).Select(q => $"{year}Q{q}")], ct);
        var withYearTable = latest.Where(r => r.Period == year).Select(r => r.ReporterId).ToHashSet(StringComparer.Ordinal);
        var withQuarters = latest.Where(r => r.Period != year).Select(r => r.ReporterId).ToHashSet(StringComparer.Ordinal);
        return (id => Periods.ClosedPeriods.ClosesItsQuarters(true, withYearTable.Contains(id)), settings, withQuarters.Contains);
    }

    /// <summary>
    /// The district table from its sums: rows in table order, completeness against the period's settings and reporters
    /// (<paramref name="read"/>, of catalogue <paramref name="settingsOf"/> where the table is another's read in this one's layout),
    /// the engine's verdict.
    /// </summary>
    private async Task<AggregateTable> AssembleAsync(Catalogue.Catalogue catalogue, Period period, IReadOnlyList<string>? reporterFilter, ReporterKind? kind,
        Task<Sums> sumsTask, Task<(PeriodSettings Settings, IReadOnlyList<Reporter> Registered)> read, CancellationToken ct, string? settingsOf = null,
        DateTimeOffset? asAt = null)
    {
        var withYearClosedTask = ClosedWithItsYearAsync(settingsOf ?? catalogue.Id, period, ct);
        var sums = await sumsTask;
        var (total, byKind, giving, contributions) = sums;
        var (settings, registered) = await read;
        var (withYearClosed, closedYear, sentQuarters) = await withYearClosedTask;

        // A table in another catalogue's layout has mapped cells, none typed or derived as such.
        var (derived, derivedKinds) = settingsOf is null ? await DerivedAsync(catalogue, sums, ct) : (new bool[total.Length], new IReadOnlyList<ReporterKind>?[total.Length]);

        AggregateCellFigures CellFigures(Cell c) => new()
        {
            Column = c.ColumnCode!, Code = c.Code, Unit = c.Unit,
            Total = total[c.Index], Government = byKind[0][c.Index], Department = byKind[1][c.Index], Town = byKind[2][c.Index],
            ReportersGiving = giving[c.Index], Derived = derived[c.Index], DerivedKinds = derivedKinds[c.Index],
        };

        var rows = new List<AggregateRow>();
        foreach (var table in catalogue.Document.Tables)
            foreach (var row in table.Rows)
                if (row.Role == RowRole.Header || table.Columns.Count > 0)
                    rows.Add(new AggregateRow
                    {
                        Table = table.Id, Code = row.Code, Name = row.Name, Role = row.Role, Unit = row.Unit,
                        Cells = row.Role == RowRole.Header ? null : [.. table.Columns
                            .Select(col => catalogue.TryGetCell(Catalogue.Catalogue.CellCode(row.Code, col.Code), out var c) ? CellFigures(c) : null).OfType<AggregateCellFigures>()],
                    });
                else
                {
                    catalogue.TryGetCell(row.Code, out var cell);
                    var i = cell.Index;
                    rows.Add(new AggregateRow
                    {
                        Table = table.Id, Code = row.Code, Name = row.Name, Role = row.Role, Unit = cell.Unit,
                        Total = total[i], Government = byKind[0][i], Department = byKind[1][i], Town = byKind[2][i], ReportersGiving = giving[i],
                        Derived = derived[i], DerivedKinds = derivedKinds[i],
                    });
                }

        // A reporter retired for this period is expected by no one, whatever the period's list says: the list stays as the
        // office wrote it, so that reinstating the reporter makes it expected again.
        var inScope = registered
            .Where(r => !r.IsRetiredFor(period))
            .Where(r => kind is null || r.Kind == kind)
            .Where(r => reporterFilter is null || reporterFilter.Contains(r.Id))
            .ToList();
        // Without a list of the office's, a closed period (or a quarter closed with its year) expects the reporters registered
        // by the time it was closed.
        var closedSince = Periods.ClosedPeriods.ClosedSince(settings, closedYear) is { } since && !(asAt < since) ? since : asAt;
        var inScopeIds = inScope.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var byId = registered.ToDictionary(r => r.Id, StringComparer.Ordinal);
        // Every list below in the breakdown's order (government, departments, towns, each in registration order), as printed.
        var expected = (settings.ExpectedReporters is { } list
                ? list.Where(inScopeIds.Contains)
                : inScope.Where(r => Periods.ClosedPeriods.RegisteredBy(r, closedSince)).Select(r => r.Id))
            .OrderBy(id => byId[id].Kind).ThenBy(id => byId[id].CreatedAt).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var contributed = contributions.Select(c => c.ReporterId).ToHashSet(StringComparer.Ordinal);
        // A year from quarterly tables lacks those of its quarters the reporter owes and has not sent.
        var owed = contributions.Any(c => c.FromQuarters) ? await Periods.QuarterlyYears.OwedAsync(periods, settingsOf ?? catalogue.Id, period, ct) : null;
        var toCome = contributions.Where(c => c.FromQuarters).ToDictionary(c => c.ReporterId,
            c => Periods.QuarterlyYears.QuartersToCome(owed!(byId.GetValueOrDefault(c.ReporterId)), c.Submissions.Select(s => s.Period)), StringComparer.Ordinal);
        var partial = toCome.Where(c => c.Value.Count > 0).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        // A quarter its closed year closes to a reporter (ClosedPeriods) would be refused if sent: not sent, it is no longer to be
        // asked for, so it is not missing.
        var closedWithYear = expected.Where(id => !contributed.Contains(id) && withYearClosed(id)).ToHashSet(StringComparer.Ordinal);
        var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
        var reporting = new List<ReporterContribution>(contributions.Count);
        var reviewers = new Submissions.Submitters(keys);
        // In the breakdown's order too, so that a list read beside it lines up.
        foreach (var c in contributions.OrderBy(c => c.Kind).ThenBy(c => byId.GetValueOrDefault(c.ReporterId)?.CreatedAt ?? Unregistered).ThenBy(c => c.ReporterId, StringComparer.Ordinal))
        {
            var statuses = new List<Periods.ReportStatus>(c.Submissions.Count);
            foreach (var s in c.Submissions) statuses.Add(await Periods.ReportStatuses.OfAsync(s, settings.Deadline, submissions, ct));
            // A year with quarters still to come is not reported yet, as the reporter's own list says (季报未报齐).
            var status = partial.Contains(c.ReporterId) ? Periods.ReportStatus.NotSubmitted : Periods.ReportStatuses.Worst(statuses);
            var sent = new List<ContributionSubmission>(c.Submissions.Count);
            // A review made after asAt was not the table's then (a return that let in a correction since): left out, as the one it
            // replaced is not kept, rather than shown on the table as it stood (已退回 on the table as published).
            foreach (var s in c.Submissions.OrderBy(s => s.Period, StringComparer.Ordinal))
                sent.Add(new() { Id = s.Id, Period = s.Period, Revision = s.Revision, ReceivedAt = s.ReceivedAt, SentAt = s.SentAt, Note = s.Note,
                    Review = await reviewers.ReviewOfAsync(s.Review?.ReviewedAt > asAt ? null : s.Review, ct) });
            reporting.Add(new ReporterContribution
            {
                Reporter = c.ReporterId,
                Kind = c.Kind,
                Source = c.FromQuarters ? ContributionSource.Quarters : ContributionSource.Submission,
                Submissions = sent,
                QuartersToCome = toCome.GetValueOrDefault(c.ReporterId) is { Count: > 0 } lacking ? lacking : null,
                Late = Periods.ReportStatuses.IsLate(status),
                Status = status,
                Review = c.FromQuarters ? null : sent[0].Review,
            });
        }

        // Named as this period prints them; a reporter the closed year closes this quarter to, as the year was closed with it.
        var names = registered.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        if (!settings.Closed && closedYear?.ReporterNames is { } yearNames)
            foreach (var id in closedWithYear)
                if (yearNames.TryGetValue(id, out var name)) names[id] = name;
        string NameOf(string id) => names.TryGetValue(id, out var name) ? name : id;

        return new AggregateTable
        {
            Catalogue = catalogue.Id,
            Title = catalogue.Document.Title,
            Period = period.ToString(),
            Reporters = reporterFilter,
            Kind = kind,
            Rows = rows,
            Completeness = new Completeness
            {
                Expected = expected.Count,
                Submitted = expectedSet.Count(id => contributed.Contains(id) && !partial.Contains(id)),
                Incomplete = [.. expected.Where(partial.Contains)],
                NotExpected = contributed.Count(id => !expectedSet.Contains(id)),
                Missing = [.. expected.Where(id => !contributed.Contains(id) && !closedWithYear.Contains(id))],
                ClosedWithYear = [.. expected.Where(closedWithYear.Contains)],
                ClosedWithYearNothingSent = [.. expected.Where(id => closedWithYear.Contains(id) && !sentQuarters(id))],
                Deadline = settings.Deadline,
                Closed = settings.Closed,
                ClosedAt = settings.Closed ? settings.ClosedAt : null,
                FirstClosedAt = settings.FirstClosedAt,
                Reporters = reporting,
                Names = reporting.Select(r => r.Reporter).Concat(expected.Where(id => !contributed.Contains(id)))
                    .Distinct(StringComparer.Ordinal).ToDictionary(id => id, NameOf, StringComparer.Ordinal),
            },
            Violations = TableValidator.Check(catalogue, total).Violations,
            ReporterNames = names,
            AsAt = asAt,
            DistrictUnit = DistrictUnitOf(registered, period, settings.Closed ? settings.ClosedAt : null),
        };
    }

    /// <summary>How a stored table gave a cell: not at all, typed, or left blank and derived by the service.</summary>
    private enum Mark : byte { Blank, Typed, Derived }

    /// <summary>How each stored table gave each cell, by its id and cell index: a stored table never changes, so it is read once.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Mark[]> marks = new();

    /// <summary>Tables whose marks are kept at most; past it the memory starts again (a district has some thousands of revisions a year).</summary>
    private const int MaxMarksKept = 100_000;

    /// <summary>
    /// Which of the district's figures are 自动计算 (<see cref="AggregateFigures.Derived"/>), in all and for each kind
    /// (<see cref="AggregateFigures.DerivedKinds"/>): those no reporter whose figure is in them typed. The stores add up values,
    /// not how they came, so each table used is read once for how it gave each cell (<see cref="marks"/>): a build after a
    /// write reads the one new table, not the district's thousand. A reporter's figure is typed as the table it is taken from
    /// has it (<see cref="YearMarks"/> for a year from quarters); a stock left out of the sums (<see cref="Sums.StocksLeftOut"/>)
    /// counts for nothing; a table that cannot be read (removed meanwhile) counts as typing everything of its kind: a typed
    /// figure shown as derived would mislead more than the reverse.
    /// </summary>
    private async Task<(bool[] Total, IReadOnlyList<ReporterKind>?[] Kinds)> DerivedAsync(Catalogue.Catalogue catalogue, Sums sums, CancellationToken ct)
    {
        if (marks.Count > MaxMarksKept) marks.Clear();
        var cells = catalogue.Cells;
        // Marks are by cell index: ones read against another layout of the catalogue (a catalogue changed since) are read again.
        var unread = sums.Contributions.SelectMany(c => c.Submissions).Select(s => s.Id)
            .Where(id => !marks.TryGetValue(id, out var read) || read.Length != cells.Count).ToList();
        foreach (var submission in (await submissions.GetSubmissionsAsync(unread, ct)).Values)
            marks[submission.Id] = MarksOf(catalogue, submission);
        var typed = new bool[3][] { new bool[cells.Count], new bool[cells.Count], new bool[cells.Count] };
        foreach (var contribution in sums.Contributions)
        {
            var ofKind = typed[(int)contribution.Kind];
            var given = contribution.FromQuarters ? YearMarks(catalogue, contribution) : MarksOf(contribution.Submissions[0].Id, cells.Count);
            if (given is null) { Array.Fill(ofKind, true); continue; }
            var stocksLeftOut = sums.StocksLeftOut.Contains(contribution.ReporterId);
            for (var i = 0; i < given.Length; i++)
                if (given[i] == Mark.Typed && !(stocksLeftOut && cells[i].OverTime == OverTime.Stock)) ofKind[i] = true;
        }
        var total = new bool[cells.Count];
        var kinds = new IReadOnlyList<ReporterKind>?[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            total[i] = sums.Giving[i] > 0 && !typed.Any(t => t[i]);
            var derivedKinds = Kinds.Where(k => sums.ByKind[(int)k][i] is not null && !typed[(int)k][i]).ToList();
            kinds[i] = derivedKinds.Count > 0 ? derivedKinds : null;
        }
        return (total, kinds);
    }

    private static readonly ReporterKind[] Kinds = Enum.GetValues<ReporterKind>();

    /// <summary>The marks read of table <paramref name="id"/> for a catalogue of <paramref name="cells"/> cells; null when there are none.</summary>
    private Mark[]? MarksOf(Guid id, int cells) => marks.TryGetValue(id, out var read) && read.Length == cells ? read : null;

    /// <summary>How <paramref name="submission"/> gave each cell of <paramref name="catalogue"/>, by cell index.</summary>
    private static Mark[] MarksOf(Catalogue.Catalogue catalogue, Submission submission)
    {
        var given = new Mark[catalogue.Cells.Count];
        foreach (var value in submission.Values)
            if (catalogue.TryGetCell(value.Code, out var cell)) given[cell.Index] = value.Derived ? Mark.Derived : Mark.Typed;
        return given;
    }

    /// <summary>
    /// How a year from quarterly tables gives each cell, by the rule that adds it up (<see cref="Rollup.YearFromQuarterCells"/>):
    /// a stock or opening figure as the quarter it is taken from gave it; a flow typed when any quarter that gave it typed it,
    /// derived when every one derived it (a quarter that left it blank gives nothing to it); blank where the year is. Null
    /// when one of the quarters cannot be read.
    /// </summary>
    private Mark[]? YearMarks(Catalogue.Catalogue catalogue, Contribution contribution)
    {
        var quarters = new Dictionary<int, Mark[]>(4);
        foreach (var s in contribution.Submissions)
        {
            if (MarksOf(s.Id, catalogue.Cells.Count) is not { } given || !Period.TryParse(s.Period, out var p) || p.Quarter is not { } q) return null;
            quarters[q] = given;
        }
        var cells = catalogue.Cells;
        var year = new Mark[cells.Count];
        for (var i = 0; i < cells.Count; i++)
            if (cells[i].OverTime == OverTime.Flow)
                foreach (var given in quarters.Values)
                    if (given[i] != Mark.Blank && year[i] != Mark.Typed) year[i] = given[i];
        var balances = Enumerable.Range(0, cells.Count).Where(i => cells[i].OverTime != OverTime.Flow).ToList();
        var taken = Rollup.YearFromQuarterCells(
            quarters.Select(q => (q.Key, balances.Where(i => q.Value[i] != Mark.Blank).Select(i => (i, 0m)))),
            i => cells[i].OverTime, i => catalogue.OverTimeGroups[i]);
        foreach (var (i, figure) in taken) year[i] = quarters[figure.Quarter][i];
        return year;
    }

    /// <summary>
    /// The 填报单位 of the district table: the district government in office at the end of <paramref name="period"/>, which
    /// signs its report (for a year, in office in its fourth quarter: a government retired from <c>2020Q3</c> still owes the
    /// year 2020, but its successor signs it; for a quarter, in office in that quarter). Of those not retired by then, that is
    /// the one retired soonest after (each successor could be registered only once the one before was retired,
    /// <see cref="Reporters.DistrictGovernment"/>, and no reporter has a first period to tell them apart by), or else the one
    /// never retired. Null (left blank to fill in by hand) when there is none, or two are equally likely. A closed period
    /// reads only the governments registered by its close (<paramref name="closedAt"/>), as its expected reporters do: one
    /// registered since does not sign a table already closed.
    /// </summary>
    private static string? DistrictUnitOf(IEnumerable<Reporter> registered, Period period, DateTimeOffset? closedAt)
    {
        var end = period.Quarter is null ? period with { Quarter = 4 } : period;
        var reporting = registered.Where(r => r.Kind == ReporterKind.Government && !r.IsRetiredFor(end) && !(r.CreatedAt > closedAt))
            .GroupBy(r => Period.TryParse(r.RetiredFrom, out var from) ? from : (Period?)null)
            .OrderBy(g => g.Key is null).ThenBy(g => g.Key).FirstOrDefault();
        return reporting?.ToList() is [var government] ? government.Name : null;
    }
}

/// <summary>
/// A reporter's year from its quarterly tables (<see cref="AggregateService.YearFromQuartersOfAsync"/>): <paramref name="Year"/> once it
/// sent every quarter it owes, of <paramref name="Quarters"/> quarters; null while <paramref name="ToCome"/> (1 to 4) are owed still.
/// </summary>
public sealed record YearFromQuarters(TracedYear? Year, int Quarters, IReadOnlyList<int> ToCome);
