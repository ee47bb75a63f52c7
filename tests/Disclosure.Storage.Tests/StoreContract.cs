using Disclosure.Catalogue;

namespace Disclosure.Storage.Tests;

/// <summary>A store under test, or the reason there is none here.</summary>
public interface IStoreFixture
{
    IDisclosureStore? Store { get; }
    string? SkipReason { get; }
}

/// <summary>
/// What every adapter must do, run once per adapter by a concrete subclass. Each test owns its data:
/// fresh reporter ids, and a fresh catalogue id wherever it adds up a whole period, so that no test sees
/// another's submissions and tests may run in any order.
/// </summary>
public abstract class StoreContract(IStoreFixture fixture)
{
    protected static readonly Catalogue.Catalogue Gov2014 = CatalogueRegistry.LoadEmbedded()["gov-info-disclosure-2014"];
    protected static readonly DateTimeOffset Noon = new(2015, 1, 20, 12, 0, 0, 123, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> Quarters2014 = ["2014Q1", "2014Q2", "2014Q3", "2014Q4"];

    protected IDisclosureStore Store
    {
        get
        {
            if (fixture.Store is null) Assert.Skip(fixture.SkipReason ?? "No store.");
            return fixture.Store;
        }
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string NewCatalogue() => "test-" + Guid.NewGuid().ToString("N");

    protected async Task<string> NewReporterAsync(ReporterKind kind = ReporterKind.Department)
    {
        var id = "r-" + Guid.NewGuid().ToString("N")[..20];
        Assert.Equal(CreateStatus.Created, (await Store.CreateReporterAsync(new Reporter(id, "测试单位 " + id, kind, Noon), Ct)).Status);
        return id;
    }

    /// <summary>A name no other test uses: names are unique in a store the tests of a class share.</summary>
    protected static string Named(string name) => $"{name} {Guid.NewGuid().ToString("N")[..12]}";

    protected static Submission Table(string reporter, string period, string catalogue, params (string Code, decimal Value)[] values) =>
        new(Guid.NewGuid(), reporter, catalogue, period, 0, Noon, [.. values.Select(v => new StoredValue(v.Code, v.Value, false))], [], null);

    protected Task<AppendResult> AppendAsync(Submission s, int? expected = null, IdempotencyToken? idempotency = null) =>
        Store.AppendAsync(s, expected, idempotency, Ct);

    // ---- reporters -------------------------------------------------------------------------------

    [Fact]
    public async Task Reporter_Is_Created_Once_And_A_Second_Create_With_The_Same_Id_Is_A_Duplicate()
    {
        var id = await NewReporterAsync(ReporterKind.Town);

        var again = await Store.CreateReporterAsync(new Reporter(id, "another name", ReporterKind.Government, Noon.AddDays(1)), Ct);

        Assert.Equal(new CreateResult(CreateStatus.Duplicate), again);
        var stored = await Store.GetReporterAsync(id, Ct);
        Assert.Equal(new Reporter(id, "测试单位 " + id, ReporterKind.Town, Noon), stored);
    }

    [Fact]
    public async Task Reporters_Are_Listed_By_Id_And_An_Unknown_Id_Reads_As_Null()
    {
        var a = await NewReporterAsync(ReporterKind.Government);
        var b = await NewReporterAsync(ReporterKind.Town);

        var all = await Store.ListReportersAsync(Ct);

        Assert.Contains(all, r => r.Id == a && r.Kind == ReporterKind.Government);
        Assert.Contains(all, r => r.Id == b && r.Kind == ReporterKind.Town);
        Assert.Equal(all.Select(r => r.Id).Order(StringComparer.Ordinal), all.Select(r => r.Id));
        Assert.Null(await Store.GetReporterAsync("r-nobody-" + Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task A_Renamed_Reporter_Is_Read_And_Listed_By_Its_New_Name_With_Its_Kind_And_Creation_Unchanged()
    {
        var id = await NewReporterAsync(ReporterKind.Town);
        var other = await NewReporterAsync(ReporterKind.Town);

        var name = Named("城关镇");
        var renamed = await Store.UpdateReporterAsync(id, new ReporterChange(name), Ct);

        var expected = new Reporter(id, name, ReporterKind.Town, Noon);
        Assert.Equal(new UpdateResult(UpdateStatus.Updated, expected), renamed);
        Assert.Equal(expected, await Store.GetReporterAsync(id, Ct));
        var all = await Store.ListReportersAsync(Ct);
        Assert.Contains(expected, all);
        Assert.Contains(new Reporter(other, "测试单位 " + other, ReporterKind.Town, Noon), all);
    }

    [Fact]
    public async Task Renaming_An_Unknown_Reporter_Is_Null_And_Registers_Nobody()
    {
        var id = "r-nobody-" + Guid.NewGuid().ToString("N");

        Assert.Equal(new UpdateResult(UpdateStatus.NotFound, null), await Store.UpdateReporterAsync(id, new ReporterChange(Named("城关镇")), Ct));

        Assert.Null(await Store.GetReporterAsync(id, Ct));
        Assert.DoesNotContain(await Store.ListReportersAsync(Ct), r => r.Id == id);
    }

    [Fact]
    public async Task A_Rename_Leaves_Stored_Tables_And_The_Sums_By_Kind_As_They_Were_And_Appends_Carry_On()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var first = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)));
        var before = await Store.AggregateAsync(Year(catalogue), Ct);

        await Store.UpdateReporterAsync(town, new ReporterChange(Named("城关镇")), Ct);

        var after = await Store.AggregateAsync(Year(catalogue), Ct);
        Assert.Equal(before.Cells, after.Cells);
        Assert.Equal(ReporterKind.Town, Assert.Single(after.Contributions).Kind);
        Assert.Equal(first.Submission!.Id, (await Store.GetSubmissionAsync(first.Submission.Id, Ct))!.Id);
        var second = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 9)), expected: 1);
        Assert.Equal(AppendStatus.Created, second.Status);
        Assert.Equal(2, second.Submission!.Revision);
        Assert.Equal([("1.1", ReporterKind.Town, 9m, 1)], (await Store.AggregateAsync(Year(catalogue), Ct)).Cells.Select(c => (c.Code, c.Kind, c.Sum, c.Reporters)));
    }

    [Fact]
    public async Task The_Store_Version_Moves_When_A_Reporter_Is_Renamed()
    {
        var id = await NewReporterAsync();
        var before = await Store.GetVersionAsync(Ct);

        await Store.UpdateReporterAsync(id, new ReporterChange(Named("城关镇")), Ct);

        Assert.NotEqual(before, await Store.GetVersionAsync(Ct));
    }

    [Fact]
    public async Task The_Store_Version_Moves_On_A_New_Reporter_A_Stored_Table_And_A_Saved_Period_And_Stays_On_A_Refusal_Or_A_Replay()
    {
        var catalogue = NewCatalogue();
        var before = await Store.GetVersionAsync(Ct);
        var town = await NewReporterAsync(ReporterKind.Town);
        var afterReporter = await Store.GetVersionAsync(Ct);
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "k", "h");
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 5)), idempotency: token)).Status);
        var afterAppend = await Store.GetVersionAsync(Ct);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015", true, Noon, null, null), Ct);
        var afterPeriod = await Store.GetVersionAsync(Ct);

        Assert.NotEqual(before, afterReporter);
        Assert.NotEqual(afterReporter, afterAppend);
        Assert.NotEqual(afterAppend, afterPeriod);

        Assert.Equal(AppendStatus.Replayed, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 5)), idempotency: token)).Status);
        Assert.Equal(AppendStatus.RevisionConflict, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 6)), expected: 0)).Status);
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(town, "2015", catalogue, ("1.1", 6)))).Status);
        Assert.Equal(AppendStatus.IdempotencyMismatch, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)), idempotency: token with { RequestHash = "other" })).Status);
        var holder = await NewReporterAsync(ReporterKind.Town);
        var afterHolder = await Store.GetVersionAsync(Ct);
        var taken = (await Store.GetReporterAsync(holder, Ct))!.Name;
        Assert.Equal(UpdateStatus.NameTaken, (await Store.UpdateReporterAsync(town, new ReporterChange(taken), Ct)).Status);
        Assert.Equal(UpdateStatus.PeriodClosed,
            (await Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2015", OpenPeriods: [new(catalogue, "2015")]), Ct)).Status);
        Assert.Null(await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2015"), 7, Ct));

        Assert.Equal(afterHolder, await Store.GetVersionAsync(Ct));
    }

    [Fact]
    public async Task A_Periods_First_Close_Is_Recorded_And_Kept_Through_A_Reopening_And_A_Second_Close()
    {
        var catalogue = NewCatalogue();
        Assert.Null((await Store.GetPeriodAsync(catalogue, "2014", Ct)).FirstClosedAt);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), Ct);
        Assert.Null((await Store.GetPeriodAsync(catalogue, "2014", Ct)).FirstClosedAt);

        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(Noon, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).FirstClosedAt);
        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), Ct);
        var reopened = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((false, null, Noon), (reopened.Closed, reopened.ClosedAt, reopened.FirstClosedAt));
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon.AddDays(400), null, null), Ct);
        var again = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((Noon.AddDays(400), Noon), (again.ClosedAt, again.FirstClosedAt));
    }

    [Fact]
    public async Task An_Append_Names_The_First_Close_Of_The_Published_Period_A_Reopening_Let_It_Into()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        Assert.Null((await AppendAsync(Table(town, "2014", catalogue, ("1.1", 1)))).ReopenedFirstClosedAt);

        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), Ct);
        var reopened = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 2)));
        Assert.Equal((AppendStatus.Created, (DateTimeOffset?)Noon), (reopened.Status, reopened.ReopenedFirstClosedAt));
        // A quarter of the reopened year is in the year's published table when the year is added up from its quarters.
        Assert.Equal(Noon, (await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 1)))).ReopenedFirstClosedAt);

        // Closed again, the year takes no table, and a quarter let in stays out of it (the reporter sent the year itself).
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon.AddDays(400), null, null), Ct);
        var quarter = await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 2)));
        Assert.Equal((AppendStatus.Created, (DateTimeOffset?)null), (quarter.Status, quarter.ReopenedFirstClosedAt));
        // A quarter published and reopened on its own names its own first close.
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015Q1", true, Noon.AddDays(500), null, null), Ct);
        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2015Q1"), Ct);
        Assert.Equal(Noon.AddDays(500), (await AppendAsync(Table(town, "2015Q1", catalogue, ("1.1", 1)))).ReopenedFirstClosedAt);
        Assert.Null((await AppendAsync(Table(town, "2015Q2", catalogue, ("1.1", 1)))).ReopenedFirstClosedAt);
    }

    [Fact]
    public async Task A_Retirement_Is_Read_And_Listed_Kept_Through_A_Rename_And_Undone_By_Reinstating()
    {
        var id = await NewReporterAsync(ReporterKind.Town);

        var retired = await Store.UpdateReporterAsync(id, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2020Q3"), Ct);

        var expected = new Reporter(id, "测试单位 " + id, ReporterKind.Town, Noon, "2020Q3");
        Assert.Equal(expected, retired.Reporter);
        Assert.Equal(expected, await Store.GetReporterAsync(id, Ct));
        Assert.Contains(expected, await Store.ListReportersAsync(Ct));
        // A rename alone leaves the retirement; a change of both is one write.
        var (town, government) = (Named("古邵镇"), Named("古邵镇人民政府"));
        Assert.Equal(expected with { Name = town }, (await Store.UpdateReporterAsync(id, new ReporterChange(town), Ct)).Reporter);
        Assert.Equal(expected with { Name = government, RetiredFrom = "2021" },
            (await Store.UpdateReporterAsync(id, new ReporterChange(government, true, "2021"), Ct)).Reporter);
        Assert.Equal(expected with { Name = government, RetiredFrom = null },
            (await Store.UpdateReporterAsync(id, new ReporterChange(SetsRetiredFrom: true), Ct)).Reporter);
        Assert.Null((await Store.GetReporterAsync(id, Ct))!.RetiredFrom);
        Assert.Equal(UpdateStatus.NotFound,
            (await Store.UpdateReporterAsync("r-nobody-" + Guid.NewGuid().ToString("N"), new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2020"), Ct)).Status);
    }

    [Fact]
    public async Task A_Reporter_Is_Stored_As_Given_Its_Retirement_Included()
    {
        // Plain data: what is created is what is read back, whichever adapter keeps it.
        var id = "r-" + Guid.NewGuid().ToString("N")[..20];
        var created = new Reporter(id, Named("东城镇"), ReporterKind.Town, Noon, RetiredFrom: "2021", Contact: "张伟 0632-7700000");
        Assert.Equal(CreateStatus.Created, (await Store.CreateReporterAsync(created, Ct)).Status);
        Assert.Equal(created, await Store.GetReporterAsync(id, Ct));
        Assert.Contains(created, await Store.ListReportersAsync(Ct));
    }

    [Fact]
    public async Task A_Contact_Is_Stored_With_The_Reporter_Changed_Alone_Kept_Through_Other_Changes_And_Removed_By_Null()
    {
        var id = "r-" + Guid.NewGuid().ToString("N")[..20];
        var created = new Reporter(id, Named("古邵镇"), ReporterKind.Town, Noon, Contact: "王芳 0632-7712345");
        Assert.Equal(CreateStatus.Created, (await Store.CreateReporterAsync(created, Ct)).Status);
        Assert.Equal(created, await Store.GetReporterAsync(id, Ct));
        var before = await Store.GetVersionAsync(Ct);

        var changed = (await Store.UpdateReporterAsync(id, new ReporterChange(SetsContact: true, Contact: "李强 13800000000"), Ct)).Reporter;

        Assert.Equal(created with { Contact = "李强 13800000000" }, changed);
        Assert.Contains(changed!, await Store.ListReportersAsync(Ct));
        Assert.NotEqual(before, await Store.GetVersionAsync(Ct));
        // A rename or a retirement leaves the contact; null removes it and leaves the rest.
        var government = Named("古邵镇人民政府");
        Assert.Equal(changed! with { Name = government, RetiredFrom = "2021" },
            (await Store.UpdateReporterAsync(id, new ReporterChange(government, true, "2021"), Ct)).Reporter);
        Assert.Equal(changed with { Name = government, RetiredFrom = "2021", Contact = null },
            (await Store.UpdateReporterAsync(id, new ReporterChange(SetsContact: true), Ct)).Reporter);
        Assert.Null((await Store.GetReporterAsync(id, Ct))!.Contact);
    }

    [Fact]
    public async Task A_Name_Is_Kept_Normalised_And_One_Another_Reporter_Has_Retired_Or_Not_Is_Refused_On_Registering()
    {
        var name = Named("Cafe\u0301镇");
        var first = new Reporter("r-" + Guid.NewGuid().ToString("N")[..20], "  " + name + " ", ReporterKind.Town, Noon);
        Assert.Equal(CreateStatus.Created, (await Store.CreateReporterAsync(first, Ct)).Status);
        var stored = first with { Name = name.Normalize() };
        Assert.Equal(stored, await Store.GetReporterAsync(first.Id, Ct));
        Assert.StartsWith("Caf\u00e9镇 ", stored.Name, StringComparison.Ordinal);

        // The same name as typed, trimmed, or with the accent precomposed: each is the first reporter's.
        foreach (var same in new[] { name, " " + name, name.Normalize() })
        {
            var id = "r-" + Guid.NewGuid().ToString("N")[..20];
            Assert.Equal(new CreateResult(CreateStatus.NameTaken, stored), await Store.CreateReporterAsync(new Reporter(id, same, ReporterKind.Department, Noon), Ct));
            Assert.Null(await Store.GetReporterAsync(id, Ct));
        }
        // A retired reporter keeps its name; the same id is a duplicate before its name is looked at.
        var retired = (await Store.UpdateReporterAsync(first.Id, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014Q3"), Ct)).Reporter!;
        Assert.Equal(new CreateResult(CreateStatus.NameTaken, retired),
            await Store.CreateReporterAsync(new Reporter("r-" + Guid.NewGuid().ToString("N")[..20], name, ReporterKind.Town, Noon), Ct));
        Assert.Equal(new CreateResult(CreateStatus.Duplicate), await Store.CreateReporterAsync(first, Ct));
        Assert.Single(await Store.ListReportersAsync(Ct), r => r.Name == stored.Name);
    }

    [Fact]
    public async Task A_Rename_To_Another_Reporters_Name_Is_Refused_And_Changes_Nothing_While_Its_Own_Name_Retyped_Is_A_Rename()
    {
        var (holder, other) = (await NewReporterAsync(ReporterKind.Town), await NewReporterAsync(ReporterKind.Town));
        var held = (await Store.GetReporterAsync(holder, Ct))!;
        var before = (await Store.GetReporterAsync(other, Ct))!;

        var refused = await Store.UpdateReporterAsync(other, new ReporterChange(" " + held.Name, true, "2020", true, "王芳 0632-7712345"), Ct);

        Assert.Equal(new UpdateResult(UpdateStatus.NameTaken, null, held), refused);
        Assert.Equal(before, await Store.GetReporterAsync(other, Ct));
        // Its own name, typed again with spaces around it, is its own; an unknown id is not found, whatever name it asks for.
        Assert.Equal(new UpdateResult(UpdateStatus.Updated, held with { Contact = "李强" }),
            await Store.UpdateReporterAsync(holder, new ReporterChange(held.Name + "  ", SetsContact: true, Contact: "李强"), Ct));
        Assert.Equal(UpdateStatus.NotFound, (await Store.UpdateReporterAsync("r-nobody-" + Guid.NewGuid().ToString("N"), new ReporterChange(held.Name), Ct)).Status);
    }

    [Fact]
    public async Task Concurrent_Registrations_And_Renames_To_One_Name_Leave_It_To_One_Reporter()
    {
        var name = Named("阴平镇");
        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Store.CreateReporterAsync(new Reporter("r-" + Guid.NewGuid().ToString("N")[..20], name, ReporterKind.Town, Noon), Ct), Ct)));
        Assert.Single(created, c => c.Status == CreateStatus.Created);
        Assert.All(created.Where(c => c.Status != CreateStatus.Created), c => Assert.Equal(CreateStatus.NameTaken, c.Status));

        var renamedTo = Named("峨山镇");
        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewReporterAsync(ReporterKind.Town)));
        var renamed = await Task.WhenAll(ids.Select(id => Task.Run(() => Store.UpdateReporterAsync(id, new ReporterChange(renamedTo), Ct), Ct)));
        Assert.Single(renamed, r => r.Status == UpdateStatus.Updated);
        Assert.All(renamed.Where(r => r.Status != UpdateStatus.Updated), r => Assert.Equal(UpdateStatus.NameTaken, r.Status));

        var all = await Store.ListReportersAsync(Ct);
        Assert.Single(all, r => r.Name == name);
        Assert.Single(all, r => r.Name == renamedTo);
    }

    [Fact]
    public async Task A_Retired_Reporter_Appends_Nothing_From_Its_Retirement_On_And_Carries_On_Before_It_And_Once_Reinstated()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var earlier = await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 4)));
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 5)))).Status);
        var before = await Store.GetVersionAsync(Ct);

        await Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014Q3"), Ct);

        Assert.NotEqual(before, await Store.GetVersionAsync(Ct));
        foreach (var period in new[] { "2014Q3", "2014Q4", "2015", "2015Q1" })
        {
            var refused = Table(town, period, catalogue, ("1.1", 6));
            var result = await AppendAsync(refused);
            Assert.Equal(AppendStatus.ReporterRetired, result.Status);
            Assert.Null(await Store.GetSubmissionAsync(refused.Id, Ct));
        }
        Assert.Single(await Store.ListRevisionsAsync(town, catalogue, "2014Q3", Ct));
        Assert.Empty(await Store.ListRevisionsAsync(town, catalogue, "2015", Ct));
        // The year 2014 began before 2014Q3, and so did its second quarter: both are still the town's to report.
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 7)), expected: 1)).Status);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 20)))).Status);
        // Its earlier tables stay, and still add up where they belong.
        Assert.Equal(earlier.Submission!.Id, (await Store.GetSubmissionAsync(earlier.Submission.Id, Ct))!.Id);
        Assert.Equal([("1.1", ReporterKind.Town, 20m, 1)], (await Store.AggregateAsync(Year(catalogue), Ct)).Cells.Select(c => (c.Code, c.Kind, c.Sum, c.Reporters)));

        await Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: null), Ct);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2015", catalogue, ("1.1", 8)))).Status);
        Assert.Equal(2, (await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 9)), expected: 1)).Submission!.Revision);
    }

    [Fact]
    public async Task Retired_From_A_Year_The_Reporter_Appends_Neither_That_Year_Nor_Its_Quarters_And_A_Replay_Still_Answers()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "k", "h");
        var first = await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 5)), idempotency: token);

        await Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014"), Ct);

        Assert.Equal(AppendStatus.Replayed, (await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 5)), idempotency: token)).Status);
        Assert.Equal(first.Submission!.Id, (await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 5)), idempotency: token)).Submission!.Id);
        Assert.Equal(AppendStatus.ReporterRetired, (await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 6)))).Status);
        Assert.Equal(AppendStatus.ReporterRetired, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 6)))).Status);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(town, "2013Q4", catalogue, ("1.1", 6)))).Status);
    }

    [Fact]
    public async Task A_Change_On_Condition_That_Periods_Are_Open_Is_Refused_Naming_Those_Closed_And_Changes_Nothing_Until_They_Are_Reopened()
    {
        var (catalogue, other) = (NewCatalogue(), NewCatalogue());
        var town = await NewReporterAsync(ReporterKind.Town);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015", true, Noon, null, null), Ct);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2016", false, null, null, [town]), Ct);
        await Store.SavePeriodAsync(new PeriodSettings(other, "2015Q3", true, Noon, null, null), Ct);
        CataloguePeriod[] open = [new(catalogue, "2015Q4"), new(other, "2015Q3"), new(catalogue, "2016"), new(catalogue, "2015")];
        var change = new ReporterChange(Named("古邵镇（已撤并）"), true, "2015Q3", OpenPeriods: open);

        var refused = await Store.UpdateReporterAsync(town, change, Ct);

        Assert.Equal((UpdateStatus.PeriodClosed, (Reporter?)null), (refused.Status, refused.Reporter));
        Assert.Equal([new(other, "2015Q3"), new(catalogue, "2015")], refused.Closed!);
        var stored = (await Store.GetReporterAsync(town, Ct))!;
        Assert.Equal(("测试单位 " + town, (string?)null), (stored.Name, stored.RetiredFrom));

        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2015"), Ct);
        await Store.SavePeriodAsync(new PeriodSettings(other, "2015Q3", false, null, null, null), Ct);
        var updated = await Store.UpdateReporterAsync(town, change, Ct);

        Assert.Equal(UpdateStatus.Updated, updated.Status);
        Assert.Equal(("2015Q3", change.Name), (updated.Reporter!.RetiredFrom, updated.Reporter.Name));
        Assert.Equal(updated.Reporter, await Store.GetReporterAsync(town, Ct));
        // The condition read the periods and left their settings as they were.
        var listing = await Store.GetPeriodAsync(catalogue, "2016", Ct);
        Assert.False(listing.Closed);
        Assert.Equal([town], listing.ExpectedReporters!);
        Assert.False((await Store.GetPeriodAsync(catalogue, "2015Q4", Ct)).Closed);
    }

    [Fact]
    public async Task A_Close_Racing_A_Change_On_Condition_That_The_Period_Is_Open_Either_Refuses_It_Or_Comes_After_It()
    {
        // Whichever comes first, the period ends closed; the change is either refused or written while the period was open.
        for (var round = 0; round < 8; round++)
        {
            var catalogue = NewCatalogue();
            var town = await NewReporterAsync(ReporterKind.Town);
            var change = new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2015Q3", OpenPeriods: [new(catalogue, "2015")]);

            var update = Task.Run(() => Store.UpdateReporterAsync(town, change, Ct), Ct);
            var close = Task.Run(() => Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015", true, Noon, null, null), Ct), Ct);
            await Task.WhenAll(update, close);

            var result = await update;
            Assert.Contains(result.Status, new[] { UpdateStatus.Updated, UpdateStatus.PeriodClosed });
            Assert.Equal(result.Status == UpdateStatus.Updated ? "2015Q3" : null, (await Store.GetReporterAsync(town, Ct))!.RetiredFrom);
            Assert.True((await Store.GetPeriodAsync(catalogue, "2015", Ct)).Closed);
            // Once the close is in, the same change is refused.
            Assert.Equal(UpdateStatus.PeriodClosed, (await Store.UpdateReporterAsync(town, change with { RetiredFrom = "2015Q4" }, Ct)).Status);
        }
    }

    [Fact]
    public async Task A_Change_Is_Refused_For_An_Unknown_Reporter_Then_A_Taken_Name_Before_A_Closed_Period_And_Touches_No_Period()
    {
        var catalogue = NewCatalogue();
        var (town, holder) = (await NewReporterAsync(ReporterKind.Town), await NewReporterAsync(ReporterKind.Town));
        var taken = (await Store.GetReporterAsync(holder, Ct))!.Name;
        var closedAt = await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015", true, Noon, null, null), Ct);
        CataloguePeriod[] open = [new(catalogue, "2015"), new(catalogue, "2016")];

        var nameTaken = await Store.UpdateReporterAsync(town, new ReporterChange(taken, true, "2015", OpenPeriods: open), Ct);
        var unknown = await Store.UpdateReporterAsync("r-unknown-" + Guid.NewGuid().ToString("N")[..8],
            new ReporterChange(Named("无此单位"), true, "2015", OpenPeriods: open), Ct);
        var unknownWithTakenName = await Store.UpdateReporterAsync("r-unknown-" + Guid.NewGuid().ToString("N")[..8],
            new ReporterChange(taken, true, "2015", OpenPeriods: open), Ct);

        Assert.Equal((UpdateStatus.NameTaken, holder), (nameTaken.Status, nameTaken.NameHeldBy?.Id));
        Assert.Equal((UpdateStatus.NotFound, (Reporter?)null), (unknown.Status, unknown.Reporter));
        Assert.Equal(UpdateStatus.NotFound, unknownWithTakenName.Status);
        var stored = (await Store.GetReporterAsync(town, Ct))!;
        Assert.Equal(("测试单位 " + town, (string?)null), (stored.Name, stored.RetiredFrom));
        var (closed, unsaved) = (await Store.GetPeriodAsync(catalogue, "2015", Ct), await Store.GetPeriodAsync(catalogue, "2016", Ct));
        Assert.Equal((true, closedAt, false, 0), (closed.Closed, closed.Version, unsaved.Closed, unsaved.Version));
    }

    [Fact]
    public async Task A_Retirement_Racing_An_Append_Of_A_Period_It_Retires_From_Either_Refuses_It_Or_Comes_After_It()
    {
        for (var round = 0; round < 8; round++)
        {
            var catalogue = NewCatalogue();
            var town = await NewReporterAsync(ReporterKind.Town);

            var retire = Task.Run(() => Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014"), Ct), Ct);
            var append = Task.Run(() => AppendAsync(Table(town, "2014", catalogue, ("1.1", 5))), Ct);
            await Task.WhenAll(retire, append);

            var result = await append;
            Assert.Equal(UpdateStatus.Updated, (await retire).Status);
            Assert.Contains(result.Status, new[] { AppendStatus.Created, AppendStatus.ReporterRetired });
            Assert.Equal(result.Status == AppendStatus.Created ? 1 : 0, (await Store.ListRevisionsAsync(town, catalogue, "2014", Ct)).Count);
            // Once the retirement is in, the same table is refused.
            Assert.Equal(AppendStatus.ReporterRetired, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 6)))).Status);
        }
    }

    // ---- keys ------------------------------------------------------------------------------------

    [Fact]
    public async Task Key_Is_Found_By_Its_Hash_Until_Revoked_And_Then_Only_Listed_With_Its_Revocation_Time_And_Its_Label()
    {
        var reporter = await NewReporterAsync();
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-" + Guid.NewGuid().ToString("N"), KeyRole.Reporter, reporter, Noon, null, "张三（统计员）");
        await Store.CreateKeyAsync(key, Ct);

        Assert.Equal(key, await Store.FindKeyByHashAsync(key.Hash, Ct));
        Assert.Null(await Store.FindRevokedKeyAsync(key.Hash, Ct));
        Assert.Contains(key, await Store.ListKeysAsync(Ct));

        Assert.True(await Store.RevokeKeyAsync(key.Id, Noon.AddHours(1), Ct));
        Assert.False(await Store.RevokeKeyAsync(key.Id, Noon.AddHours(2), Ct));
        Assert.False(await Store.RevokeKeyAsync(Guid.NewGuid(), Noon, Ct));

        Assert.Null(await Store.FindKeyByHashAsync(key.Hash, Ct));
        Assert.Equal(key with { RevokedAt = Noon.AddHours(1) }, await Store.FindRevokedKeyAsync(key.Hash, Ct));
        Assert.Null(await Store.FindRevokedKeyAsync("sha256-" + Guid.NewGuid().ToString("N"), Ct));
        Assert.Contains(key with { RevokedAt = Noon.AddHours(1) }, await Store.ListKeysAsync(Ct));
    }

    [Fact]
    public async Task A_Key_Is_Read_By_Its_Id_Revoked_Or_Not_And_An_Unknown_Id_Reads_As_Null()
    {
        var reporter = await NewReporterAsync();
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-" + Guid.NewGuid().ToString("N"), KeyRole.Reporter, reporter, Noon, null, "李四");
        await Store.CreateKeyAsync(key, Ct);

        Assert.Equal(key, await Store.GetKeyAsync(key.Id, Ct));
        await Store.RevokeKeyAsync(key.Id, Noon.AddHours(1), Ct);
        Assert.Equal(key with { RevokedAt = Noon.AddHours(1) }, await Store.GetKeyAsync(key.Id, Ct));
        Assert.Null(await Store.GetKeyAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task A_Keys_Expiry_Is_Kept_To_The_Millisecond_Wherever_The_Key_Is_Read_And_Does_Not_Hide_It()
    {
        var expires = new DateTimeOffset(2027, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(8));
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-" + Guid.NewGuid().ToString("N"), KeyRole.Viewer, null, Noon, null, "区政府网站大屏", expires);
        await Store.CreateKeyAsync(key, Ct);

        // The store keeps the time; the service, which knows what time it is, refuses a key past it.
        Assert.Equal(key, await Store.FindKeyByHashAsync(key.Hash, Ct));
        Assert.Equal(key, await Store.GetKeyAsync(key.Id, Ct));
        Assert.Contains(key, await Store.ListKeysAsync(Ct));
        Assert.Equal(TimeSpan.Zero, (await Store.GetKeyAsync(key.Id, Ct))!.ExpiresAt!.Value.Offset);
    }

    [Fact]
    public async Task Viewer_Key_Without_A_Reporter_Round_Trips()
    {
        var key = new ApiKeyRecord(Guid.NewGuid(), "sha256-" + Guid.NewGuid().ToString("N"), KeyRole.Viewer, null, Noon, null);
        await Store.CreateKeyAsync(key, Ct);

        Assert.Equal(key, await Store.FindKeyByHashAsync(key.Hash, Ct));
        Assert.Null(await Store.FindKeyByHashAsync("sha256-unknown-" + Guid.NewGuid().ToString("N"), Ct));
    }

    // ---- appending -------------------------------------------------------------------------------

    [Fact]
    public async Task Appends_Take_Revision_One_Then_Two_And_Both_Stay_Readable()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();

        var first = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 10)));
        var second = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 11)));

        Assert.Equal(AppendStatus.Created, first.Status);
        Assert.Equal(1, first.Submission!.Revision);
        Assert.Equal(1, first.CurrentRevision);
        Assert.Equal(AppendStatus.Created, second.Status);
        Assert.Equal(2, second.Submission!.Revision);
        Assert.Equal(10m, (await Store.GetSubmissionAsync(first.Submission.Id, Ct))!.Values.Single().Value);
        Assert.Equal(11m, (await Store.GetSubmissionAsync(second.Submission.Id, Ct))!.Values.Single().Value);
        Assert.Null(await Store.GetSubmissionAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Many_Tables_Are_Read_In_One_Call_By_Id_Each_Once_As_The_Single_Read_Reads_Them_And_Unknown_Ids_Are_Absent()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var department = await NewReporterAsync();
        var warning = new Violation("C2", Severity.Warning, ["3.3", "3.3.1"], "≤ 5", "7", "3.3.1 exceeds 3.3", "3.3.1 大于 3.3");
        var first = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 10)))).Submission!;
        var second = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 11)) with
        {
            Values = [new StoredValue("1.1", 11, false), new StoredValue("1", 11, true)], Warnings = [warning], SubmittedByKey = Office, Note = "更正",
        })).Submission!;
        var other = (await AppendAsync(Table(department, "2014Q1", catalogue, ("1.1", 2.5m)))).Submission!;
        await Store.ReviewAsync(other.Id, new Review(ReviewDecision.Returned, "请核实", Noon, Office), null, Ct);
        var unknown = Guid.NewGuid();

        var tables = await Store.GetSubmissionsAsync([second.Id, unknown, first.Id, other.Id, second.Id], Ct);

        Assert.Equal(new[] { first.Id, second.Id, other.Id }.Order(), tables.Keys.Order());
        foreach (var id in new[] { first.Id, second.Id, other.Id })
            AssertSameTable((await Store.GetSubmissionAsync(id, Ct))!, tables[id]);
        Assert.Equal([new StoredValue("1.1", 11, false), new StoredValue("1", 11, true)], tables[second.Id].Values);
        Assert.Equal(("更正", 2, (Guid?)Office), (tables[second.Id].Note, tables[second.Id].Revision, tables[second.Id].SubmittedByKey));
        Assert.Equal(new Review(ReviewDecision.Returned, "请核实", Noon, Office), tables[other.Id].Review);
        Assert.False(tables.ContainsKey(unknown));
    }

    [Fact]
    public async Task More_Ids_Than_A_Statement_Takes_As_Parameters_Are_Read_In_One_Call()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var stored = new List<Guid>();
        foreach (var period in new[] { "2014Q1", "2014Q2", "2014Q3" })
            stored.Add((await AppendAsync(Table(reporter, period, catalogue, ("1.1", 1)))).Submission!.Id);
        // 1,200 ids, past SQLite's old cap of 999 parameters and past any part of 500 an adapter might cut them in, with the
        // stored ones first, in the middle and last.
        var ids = Enumerable.Range(0, 1_200).Select(_ => Guid.NewGuid()).ToList();
        (ids[0], ids[600], ids[^1]) = (stored[0], stored[1], stored[2]);

        var tables = await Store.GetSubmissionsAsync(ids, Ct);

        Assert.Equal(stored.Order(), tables.Keys.Order());
        Assert.Equal(["2014Q1", "2014Q2", "2014Q3"], stored.Select(id => tables[id].Period));
    }

    [Fact]
    public async Task No_Ids_Read_No_Tables()
    {
        Assert.Empty(await Store.GetSubmissionsAsync([], Ct));
    }

    private static void AssertSameTable(Submission expected, Submission actual)
    {
        Assert.Equal(expected with { Values = [], Warnings = [] }, actual with { Values = [], Warnings = [] });
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Warnings.Count, actual.Warnings.Count);
        foreach (var (e, a) in expected.Warnings.Zip(actual.Warnings)) AssertSameViolation(e, a);
    }

    [Fact]
    public async Task Values_Flags_Warnings_And_Times_Round_Trip_Exactly()
    {
        var reporter = await NewReporterAsync();
        var key = Guid.NewGuid();
        var warning = new Violation("C2", Severity.Warning, ["3.3", "3.3.1"], "≤ 5", "7", "3.3.1 exceeds 3.3", "3.3.1 大于 3.3");
        var noExpectation = new Violation(RuleIds.PartWithoutWhole, Severity.Warning, ["4.1"], null, null, "part without whole", "有部分无整体");
        var submission = new Submission(Guid.NewGuid(), reporter, NewCatalogue(), "2014Q3", 99,
            new DateTimeOffset(2015, 1, 20, 20, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567),
            [
                new StoredValue("11", 0.5m, false),
                new StoredValue("12", 12.34m, false),
                new StoredValue("1.1", 999999999999m, false),
                new StoredValue("1.2", 12.30m, true),
                new StoredValue("1.3", 120.00m, true),
                new StoredValue("1.4", 0m, false),
                new StoredValue("1.5", 0.00m, false),
                new StoredValue("1.6", 0.01m, false),
                new StoredValue("1.7", 99999999999999.99m, false),
            ],
            [warning, noExpectation], key);

        var result = await AppendAsync(submission);
        var stored = await Store.GetSubmissionAsync(submission.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(["0.5", "12.34", "999999999999", "12.3", "120", "0", "0", "0.01", "99999999999999.99"],
            stored.Values.Select(v => v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(submission.Values.Select(v => (v.Code, v.Value, v.Derived)), stored.Values.Select(v => (v.Code, v.Value, v.Derived)));
        Assert.Equal(result.Submission!.Values.Select(v => v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            stored.Values.Select(v => v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(2, stored.Warnings.Count);
        AssertSameViolation(warning, stored.Warnings[0]);
        AssertSameViolation(noExpectation, stored.Warnings[1]);
        Assert.Equal(key, stored.SubmittedByKey);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(new DateTimeOffset(2015, 1, 20, 12, 0, 0, 123, TimeSpan.Zero), stored.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, stored.ReceivedAt.Offset);
        Assert.Equal(stored.ReceivedAt, result.Submission.ReceivedAt);
        Assert.Equal((submission.Id, reporter, submission.CatalogueId, "2014Q3"), (stored.Id, stored.ReporterId, stored.CatalogueId, stored.Period));
    }

    private static void AssertSameViolation(Violation expected, Violation actual)
    {
        Assert.Equal(expected with { Codes = [] }, actual with { Codes = [] });
        Assert.Equal(expected.Codes, actual.Codes);
    }

    [Fact]
    public async Task Value_With_More_Than_Six_Decimals_Is_Refused_And_Nothing_Is_Stored()
    {
        var reporter = await NewReporterAsync();
        var submission = Table(reporter, "2014", NewCatalogue(), ("11", 0.1234567m));

        await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync(submission));

        Assert.Null(await Store.GetSubmissionAsync(submission.Id, Ct));
        Assert.Empty(await Store.ListRevisionsAsync(reporter, submission.CatalogueId, "2014", Ct));
    }

    [Fact]
    public async Task An_Amount_With_Six_Decimals_Is_Kept_Exactly_And_Summed_Exactly()
    {
        var catalogue = NewCatalogue();
        var (a, b) = (await NewReporterAsync(), await NewReporterAsync());
        var first = Table(a, "2014", catalogue, ("11", 5949.088667m));
        var second = Table(b, "2014", catalogue, ("11", 0.000001m));
        await AppendAsync(first);
        await AppendAsync(second);

        Assert.Equal(5949.088667m, Assert.Single((await Store.GetSubmissionAsync(first.Id, Ct))!.Values).Value);
        var total = await Store.AggregateAsync(new AggregateQuery(catalogue, "2014", [], new HashSet<string>(), [a, b]), Ct);
        Assert.Equal("5949.088668", Assert.Single(total.Cells, c => c.Code == "11").Sum.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_Code_Given_Twice_In_One_Table_Is_Refused_And_Nothing_Is_Stored()
    {
        var reporter = await NewReporterAsync();
        var submission = Table(reporter, "2014", NewCatalogue(), ("1.1", 1), ("1.1", 2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => AppendAsync(submission));

        Assert.Null(await Store.GetSubmissionAsync(submission.Id, Ct));
        Assert.Empty(await Store.ListRevisionsAsync(reporter, submission.CatalogueId, "2014", Ct));
    }

    [Fact]
    public async Task Submission_Of_An_Unregistered_Reporter_Throws_And_Stores_Nothing()
    {
        var submission = Table("r-unregistered-" + Guid.NewGuid().ToString("N")[..8], "2014", NewCatalogue(), ("1.1", 1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => AppendAsync(submission));

        Assert.Null(await Store.GetSubmissionAsync(submission.Id, Ct));
    }

    [Fact]
    public async Task Expected_Revision_That_Is_Not_Current_Conflicts_Names_The_Current_One_And_Stores_Nothing()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)));
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)));
        var stale = Table(reporter, "2014", catalogue, ("1.1", 3));

        var result = await AppendAsync(stale, expected: 1);

        Assert.Equal(AppendStatus.RevisionConflict, result.Status);
        Assert.Equal(2, result.CurrentRevision);
        Assert.Null(result.Submission);
        Assert.Null(await Store.GetSubmissionAsync(stale.Id, Ct));
        Assert.Equal([1, 2], (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.Revision));
    }

    [Fact]
    public async Task Expected_Revision_That_Is_Current_Appends_And_Zero_Means_No_Submission_Yet()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();

        var first = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)), expected: 0);
        var second = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)), expected: 1);
        var late = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 3)), expected: 0);

        Assert.Equal((AppendStatus.Created, 1), (first.Status, first.CurrentRevision));
        Assert.Equal((AppendStatus.Created, 2), (second.Status, second.CurrentRevision));
        Assert.Equal((AppendStatus.RevisionConflict, 2), (late.Status, late.CurrentRevision));
    }

    [Fact]
    public async Task Closed_Period_Refuses_Submissions_And_Stores_Nothing_Until_Reopened()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)));
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        var refused = Table(reporter, "2014", catalogue, ("1.1", 2));

        var result = await AppendAsync(refused);

        Assert.Equal(AppendStatus.PeriodClosed, result.Status);
        Assert.Equal(1, result.CurrentRevision);
        Assert.Null(await Store.GetSubmissionAsync(refused.Id, Ct));
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(reporter, "2014Q1", catalogue, ("1.1", 2)))).Status);

        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), Ct);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)))).Status);
    }

    [Fact]
    public async Task The_Current_Table_Sent_Again_Into_A_Closed_Period_Is_Answered_Unchanged_And_A_Changed_One_Is_Refused()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var fromQuarters = await NewReporterAsync(ReporterKind.Town);
        Submission Year(decimal figure, string? note = "因机构调整") => Table(town, "2014", catalogue, ("1.1", figure)) with { Note = note };
        var first = (await AppendAsync(Year(5))).Submission!;
        var quarter = (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 2)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "pressed-again", "h");

        // 提交 pressed again on the table the office holds: it changes nothing in the closed period, so it is that table.
        var again = await AppendAsync(Year(5), expected: 1, idempotency: token);
        var retry = await AppendAsync(Year(5), expected: 1, idempotency: token);
        var quarterAgain = await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 2)));

        Assert.Equal((AppendStatus.Unchanged, 1, first.Id), (again.Status, again.CurrentRevision, again.Submission!.Id));
        Assert.Equal((AppendStatus.ReplayedUnchanged, first.Id), (retry.Status, retry.Submission!.Id));
        Assert.Equal((AppendStatus.Unchanged, quarter.Id), (quarterAgain.Status, quarterAgain.Submission!.Id));
        // Anything that would change it — a figure, the note, the time the office says it was sent — is still refused.
        Assert.Equal((AppendStatus.PeriodClosed, 1), await StatusAsync(AppendAsync(Year(6))));
        Assert.Equal((AppendStatus.PeriodClosed, 1), await StatusAsync(AppendAsync(Year(5, "另一说明"))));
        Assert.Equal((AppendStatus.PeriodClosed, 1), await StatusAsync(AppendAsync(Year(5) with { SentAt = Noon.AddDays(-1) })));
        Assert.Equal((AppendStatus.PeriodClosed, 1), await StatusAsync(AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 3)))));
        Assert.Single(await Store.ListRevisionsAsync(town, catalogue, "2014", Ct));
        Assert.Single(await Store.ListRevisionsAsync(fromQuarters, catalogue, "2014Q2", Ct));
        Assert.Null((await Store.GetSubmissionAsync(first.Id, Ct))!.Review);
    }

    [Fact]
    public async Task A_Closed_Year_Closes_Its_Quarters_To_A_Reporter_Whose_Year_Is_Added_Up_From_Them()
    {
        var catalogue = NewCatalogue();
        var fromQuarters = await NewReporterAsync(ReporterKind.Town);
        var withYear = await NewReporterAsync(ReporterKind.Town);
        var second = (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 2)))).Submission!;
        await AppendAsync(Table(withYear, "2014", catalogue, ("1.1", 9)));
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

        // Its Q3 would change the closed year's table: refused, nothing stored, and so is its Q2 while the office has not returned it.
        var refused = Table(fromQuarters, "2014Q3", catalogue, ("1.1", 3));
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(refused)).Status);
        Assert.Null(await Store.GetSubmissionAsync(refused.Id, Ct));
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 4)))).Status);
        Assert.Single(await Store.ListRevisionsAsync(fromQuarters, catalogue, "2014Q2", Ct));
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(second.Id, new Review(ReviewDecision.Accepted, null, Noon, Office), null, Ct)).Status);
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 4)))).Status);
        // A reporter with a table of the year keeps sending its quarters, which the year's table does not add up; another year is open.
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(withYear, "2014Q3", catalogue, ("1.1", 3)))).Status);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(fromQuarters, "2015Q1", catalogue, ("1.1", 1)))).Status);

        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), Ct);
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(fromQuarters, "2014Q3", catalogue, ("1.1", 3)))).Status);
    }

    [Fact]
    public async Task Idempotent_Replay_Returns_The_First_Submission_And_Creates_No_Revision()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "retry-1", "hash-a");
        var first = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5), ("11", 0.5m)), idempotency: token);

        var retry = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5), ("11", 0.5m)), idempotency: token);

        Assert.Equal(AppendStatus.Replayed, retry.Status);
        Assert.Equal(first.Submission!.Id, retry.Submission!.Id);
        Assert.Equal(1, retry.Submission.Revision);
        Assert.Equal(first.Submission.ReceivedAt, retry.Submission.ReceivedAt);
        Assert.Equal(first.Submission.Values, retry.Submission.Values);
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task The_Current_Table_Sent_Again_Stores_Nothing_And_Answers_The_Current_Revision_Unless_It_Was_Returned()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        Submission Noted(string? note, bool derived = false) => Table(reporter, "2014", catalogue, ("1.1", 5), ("11", 0.5m)) with
        {
            Note = note,
            Values = [new StoredValue("1.1", 5, derived), new StoredValue("11", 0.50m, false)],
        };
        var first = (await AppendAsync(Noted("因机构调整"))).Submission!;

        var again = await AppendAsync(Noted("因机构调整"), expected: 1);

        Assert.Equal((AppendStatus.Unchanged, 1), (again.Status, again.CurrentRevision));
        Assert.Equal(first.Id, again.Submission!.Id);
        Assert.Equal(first.Values, again.Submission.Values);
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
        // Another note, a figure derived where it was typed, or another time it was sent is a new revision.
        Assert.Equal((AppendStatus.Created, 2), await StatusAsync(AppendAsync(Noted("另一说明"))));
        Assert.Equal((AppendStatus.Created, 3), await StatusAsync(AppendAsync(Noted("另一说明", derived: true))));
        Assert.Equal((AppendStatus.Created, 4), await StatusAsync(AppendAsync(Noted("另一说明", derived: true) with { SentAt = Noon.AddDays(-1) })));
        // Whatever revision it expected: it replaces nothing (a workbook uploaded twice was made from the revision before).
        Assert.Equal((AppendStatus.Unchanged, 4), await StatusAsync(AppendAsync(Noted("另一说明", derived: true) with { SentAt = Noon.AddDays(-1) }, expected: 3)));
        // A returned table sent back unchanged is the reporter's answer that its figures stand: stored, to be reviewed again.
        var head = (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct))[^1];
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(head.Id, new Review(ReviewDecision.Returned, "请核实 1.1", Noon, Office), null, Ct)).Status);
        Assert.Equal((AppendStatus.Created, 5), await StatusAsync(AppendAsync(Noted("另一说明", derived: true) with { SentAt = Noon.AddDays(-1) })));
    }

    [Fact]
    public async Task An_Idempotency_Key_Answered_Unchanged_Is_Kept_With_The_Revision_It_Found()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        Submission Nightly() => Table(reporter, "2014", catalogue, ("1.1", 5));
        var first = (await AppendAsync(Nightly())).Submission!;
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "nightly-1", "hash-a");

        var unchanged = await AppendAsync(Nightly(), idempotency: token);
        // The office corrects the table before the retry of the nightly run arrives.
        Assert.Equal((AppendStatus.Created, 2), await StatusAsync(AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 6)))));
        var retry = await AppendAsync(Nightly(), idempotency: token);
        var other = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 7)), idempotency: token with { RequestHash = "hash-b" });
        var found = await Store.FindIdempotentAsync(token, Ct);

        Assert.Equal((AppendStatus.Unchanged, first.Id), (unchanged.Status, unchanged.Submission!.Id));
        Assert.Equal((AppendStatus.ReplayedUnchanged, first.Id, 1), (retry.Status, retry.Submission!.Id, retry.Submission.Revision));
        Assert.Equal(AppendStatus.IdempotencyMismatch, other.Status);
        Assert.Equal((first.Id, true, true), (found!.Submission.Id, found.SameRequest, found.Unchanged));
        Assert.Equal([1, 2], (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.Revision));
        Assert.Equal(6m, (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)) is [_, var head]
            ? (await Store.GetSubmissionAsync(head.Id, Ct))!.Values.Single().Value : 0m);
    }

    [Fact]
    public async Task An_Unchanged_Answer_And_A_New_Revision_Under_One_Key_At_Once_Give_The_Key_One_Outcome()
    {
        for (var round = 0; round < 6; round++)
        {
            var reporter = await NewReporterAsync(ReporterKind.Town);
            var catalogue = NewCatalogue();
            await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)));
            var token = new IdempotencyToken(Guid.NewGuid().ToString(), "nightly-1", "hash-same");
            // The key's other request is a new revision of the same table, or (every other round) a first table of another period.
            var changed = Table(reporter, round % 2 == 0 ? "2014" : "2015", catalogue, ("1.1", 6));

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var same = Task.Run(async () => { await gate.Task; return await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: token); }, Ct);
            var other = Task.Run(async () => { await gate.Task; return await AppendAsync(changed, idempotency: token with { RequestHash = "hash-new" }); }, Ct);
            gate.SetResult();
            var (sameResult, otherResult) = (await same, await other);

            // Whichever came first took the key; the other was refused under it, and stored nothing.
            var unchangedFirst = sameResult.Status == AppendStatus.Unchanged;
            Assert.Equal(unchangedFirst ? (AppendStatus.Unchanged, AppendStatus.IdempotencyMismatch) : (AppendStatus.IdempotencyMismatch, AppendStatus.Created),
                (sameResult.Status, otherResult.Status));
            var found = await Store.FindIdempotentAsync(token, Ct);
            Assert.Equal((unchangedFirst, unchangedFirst), (found!.SameRequest, found.Unchanged));
            Assert.Equal(!unchangedFirst, await Store.GetSubmissionAsync(changed.Id, Ct) is not null);
            Assert.Equal(unchangedFirst ? 1 : 2, (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Count
                + (await Store.ListRevisionsAsync(reporter, catalogue, "2015", Ct)).Count);
        }
    }

    [Fact]
    public async Task A_Table_Sent_Again_Unchanged_Racing_Its_Return_Is_Answered_Before_The_Return_Or_Stored_After_It()
    {
        for (var round = 0; round < 6; round++)
        {
            var reporter = await NewReporterAsync(ReporterKind.Town);
            var catalogue = NewCatalogue();
            var first = (await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)))).Submission!;
            // Every other round the period is closed: the return is then what lets the table in.
            var closed = round % 2 == 1;
            if (closed) await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var review = Task.Run(async () =>
            {
                await gate.Task;
                return await Store.ReviewAsync(first.Id, new Review(ReviewDecision.Returned, "请核实 1.1", Noon, Office), null, Ct);
            }, Ct);
            var again = Task.Run(async () => { await gate.Task; return await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5))); }, Ct);
            gate.SetResult();
            var (reviewed, sent) = (await review, await again);

            // Before the return: unchanged, as the table then stood, unreviewed (a closed period too: nothing would change). After
            // it: stored, to be reviewed again. Never the return stored and the table's answer describing it unreturned after it.
            Assert.Equal(ReviewStatus.Stored, reviewed.Status);
            var revisions = await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);
            Assert.Equal(ReviewDecision.Returned, revisions[0].Review!.Decision);
            if (sent.Status == AppendStatus.Created)
            {
                Assert.Equal((2, closed), (sent.Submission!.Revision, sent.ThroughReturn));
                Assert.Null(Assert.Single(revisions, r => r.Revision == 2).Review);
            }
            else
            {
                Assert.Equal(AppendStatus.Unchanged, sent.Status);
                Assert.Equal((first.Id, (Review?)null), (sent.Submission!.Id, sent.Submission.Review));
                Assert.Single(revisions);
            }
        }
    }

    [Fact]
    public async Task A_Cancelled_Append_Of_The_Current_Table_Keeps_No_Key()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)));
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "nightly-1", "hash-a");

        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Store.AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), null, token, cancelled.Token));
        }

        // "Cancelled" means "not answered": the key is free for the request sent again, or another one.
        Assert.Null(await Store.FindIdempotentAsync(token, Ct));
        var other = Table(reporter, "2014", catalogue, ("1.1", 6));
        Assert.Equal((AppendStatus.Created, 2), await StatusAsync(AppendAsync(other, idempotency: token with { RequestHash = "hash-b" })));
        Assert.Equal((other.Id, true, false), (await Store.FindIdempotentAsync(token with { RequestHash = "hash-b" }, Ct)) is { } found
            ? (found.Submission.Id, found.SameRequest, found.Unchanged) : default);
    }

    [Fact]
    public async Task A_Table_Sent_Without_A_Time_Leaves_The_Time_The_Office_Recorded_As_It_Is()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        Submission Sent(DateTimeOffset? at) => Table(reporter, "2014", catalogue, ("1.1", 5)) with { SentAt = at };
        await AppendAsync(Sent(Noon.AddDays(-1)));

        // The town confirming the figures the office entered for it (a reporter gives no time), or the office sending its entry again.
        Assert.Equal((AppendStatus.Unchanged, 1), await StatusAsync(AppendAsync(Sent(null))));
        Assert.Equal((AppendStatus.Unchanged, 1), await StatusAsync(AppendAsync(Sent(Noon.AddDays(-1)))));
        // Another time given is a change of the table's standing.
        Assert.Equal((AppendStatus.Created, 2), await StatusAsync(AppendAsync(Sent(Noon.AddDays(-2)))));
    }

    [Fact]
    public async Task Replay_Still_Answers_After_The_Period_Closed()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "k", "h");
        var first = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: token);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

        var retry = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: token);

        Assert.Equal(AppendStatus.Replayed, retry.Status);
        Assert.Equal(first.Submission!.Id, retry.Submission!.Id);
    }

    [Fact]
    public async Task A_Used_Idempotency_Key_Is_Found_With_Its_Submission_And_Whether_The_Request_Is_The_Same_And_Nothing_Is_Stored()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "k", "hash-a");
        var first = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: token);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

        var same = await Store.FindIdempotentAsync(token, Ct);
        var other = await Store.FindIdempotentAsync(token with { RequestHash = "hash-b" }, Ct);

        Assert.Equal((first.Submission!.Id, 1, true), (same!.Submission.Id, same.Submission.Revision, same.SameRequest));
        Assert.Equal(first.Submission.Values, same.Submission.Values);
        Assert.Equal((first.Submission.Id, false), (other!.Submission.Id, other.SameRequest));
        Assert.Null(await Store.FindIdempotentAsync(token with { Key = "unused" }, Ct));
        Assert.Null(await Store.FindIdempotentAsync(token with { Scope = Guid.NewGuid().ToString() }, Ct));
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task Same_Idempotency_Key_With_A_Different_Body_Is_A_Mismatch_And_Stores_Nothing()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var scope = Guid.NewGuid().ToString();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: new IdempotencyToken(scope, "k", "hash-a"));
        var different = Table(reporter, "2014", catalogue, ("1.1", 6));

        var result = await AppendAsync(different, idempotency: new IdempotencyToken(scope, "k", "hash-b"));

        Assert.Equal(AppendStatus.IdempotencyMismatch, result.Status);
        Assert.Null(result.Submission);
        Assert.Null(await Store.GetSubmissionAsync(different.Id, Ct));
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task Idempotency_Keys_Are_Scoped_To_Their_Sender()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: new IdempotencyToken(Guid.NewGuid().ToString(), "same", "h"));

        // Another figure: the same table would be the current revision over again, which is stored by no key.
        var other = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 6)), idempotency: new IdempotencyToken(Guid.NewGuid().ToString(), "same", "h"));

        Assert.Equal(AppendStatus.Created, other.Status);
        Assert.Equal(2, other.Submission!.Revision);
    }

    [Fact]
    public async Task A_Used_Idempotency_Key_Sent_For_Another_Reporter_Or_Catalogue_In_Its_Scope_Is_A_Mismatch_And_Stores_Nothing()
    {
        var (reporter, other) = (await NewReporterAsync(), await NewReporterAsync());
        var (catalogue, otherCatalogue) = (NewCatalogue(), NewCatalogue());
        var scope = Guid.NewGuid().ToString();
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 5)), idempotency: new IdempotencyToken(scope, "k", "hash-a"));
        var (forOther, inOther) = (Table(other, "2014", catalogue, ("1.1", 5)), Table(reporter, "2014", otherCatalogue, ("1.1", 5)));

        var otherReporter = await AppendAsync(forOther, idempotency: new IdempotencyToken(scope, "k", "hash-b"));
        var otherCatalogueResult = await AppendAsync(inOther, idempotency: new IdempotencyToken(scope, "k", "hash-c"));

        Assert.Equal((AppendStatus.IdempotencyMismatch, (Submission?)null), (otherReporter.Status, otherReporter.Submission));
        Assert.Equal((AppendStatus.IdempotencyMismatch, (Submission?)null), (otherCatalogueResult.Status, otherCatalogueResult.Submission));
        Assert.Null(await Store.GetSubmissionAsync(forOther.Id, Ct));
        Assert.Null(await Store.GetSubmissionAsync(inOther.Id, Ct));
        Assert.Empty(await Store.ListRevisionsAsync(other, catalogue, "2014", Ct));
        Assert.Empty(await Store.ListRevisionsAsync(reporter, otherCatalogue, "2014", Ct));
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task Fifty_Parallel_Appends_For_One_Reporter_And_Period_Take_Revisions_One_To_Fifty()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();

        var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i =>
            Task.Run(() => AppendAsync(Table(reporter, "2014", catalogue, ("1.1", i))), Ct)));

        Assert.All(results, r => Assert.Equal(AppendStatus.Created, r.Status));
        Assert.Equal(Enumerable.Range(1, 50), results.Select(r => r.Submission!.Revision).Order());
        var revisions = await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);
        Assert.Equal(Enumerable.Range(1, 50), revisions.Select(r => r.Revision));
        var latest = Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct));
        Assert.Equal(50, latest.Revision);
    }

    [Fact]
    public async Task Parallel_Retries_With_One_Idempotency_Key_Create_Exactly_One_Revision()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "burst", "h");

        var results = await Task.WhenAll(Enumerable.Range(1, 20).Select(_ =>
            Task.Run(() => AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 7)), idempotency: token), Ct)));

        Assert.Single(results, r => r.Status == AppendStatus.Created);
        Assert.All(results, r => Assert.Equal(1, r.Submission!.Revision));
        Assert.Single(results.Select(r => r.Submission!.Id).Distinct());
        Assert.Single(await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct));
    }

    [Fact]
    public async Task A_Cancelled_Append_Is_Stored_Whole_Or_Not_At_All_And_The_Next_Append_Takes_The_Next_Revision()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var other = await NewReporterAsync(ReporterKind.Department);
        await AppendAsync(Table(other, "2014", catalogue, ("1.1", 1000)));
        IdempotencyToken TokenFor(int i) => new(town, $"cancel-{catalogue}-{i}", $"h{i}");

        // Cancelled before the call: refused as cancelled, and nothing of it stored, its idempotency key included.
        var early = Table(town, "2014", catalogue, ("1.1", 1));
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AppendAsync(early, null, TokenFor(0), cancelled.Token));
        }
        Assert.Null(await Store.GetSubmissionAsync(early.Id, Ct));
        Assert.Null(await Store.FindIdempotentAsync(TokenFor(0), Ct));
        Assert.Empty(await Store.ListRevisionsAsync(town, catalogue, "2014", Ct));

        // Cancelled while queued or in flight: a third right after the call, a third as soon as any append of the burst has
        // finished (the rest of it then waits behind it or runs), a third never. Each either answers or is cancelled.
        var tables = Enumerable.Range(1, 18).Select(i => Table(town, "2014", catalogue, ("1.1", 10 * i))).ToArray();
        var sources = tables.Select(_ => new CancellationTokenSource()).ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var anyDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = tables.Select((table, i) => Task.Run(async () =>
        {
            await gate.Task;
            var append = Store.AppendAsync(table, null, TokenFor(i + 1), sources[i].Token);
            if (i % 3 == 0) await sources[i].CancelAsync();
            else if (i % 3 == 1) _ = anyDone.Task.ContinueWith(_ => sources[i].Cancel(), TaskScheduler.Default);
            try
            {
                return (Result: (AppendResult?)await append, Index: i);
            }
            catch (OperationCanceledException)
            {
                return (Result: null, Index: i);
            }
            finally
            {
                anyDone.TrySetResult();
            }
        }, Ct)).ToArray();
        gate.SetResult();
        var outcomes = await Task.WhenAll(burst);
        foreach (var source in sources) source.Dispose();

        // What each caller was told is what is stored: a cancelled append left nothing, an answered one is whole.
        var stored = outcomes.Where(o => o.Result is not null).ToList();
        Assert.All(stored, o => Assert.Equal((AppendStatus.Created, tables[o.Index].Id), (o.Result!.Status, o.Result.Submission!.Id)));
        var count = stored.Count;
        Assert.Equal(Enumerable.Range(1, count), stored.Select(o => o.Result!.Submission!.Revision).Order());
        var revisions = await Store.ListRevisionsAsync(town, catalogue, "2014", Ct);
        Assert.Equal(Enumerable.Range(1, count), revisions.Select(r => r.Revision));
        Assert.Equal(stored.OrderBy(o => o.Result!.Submission!.Revision).Select(o => tables[o.Index].Id), revisions.Select(r => r.Id));
        foreach (var (result, i) in outcomes)
        {
            var read = await Store.GetSubmissionAsync(tables[i].Id, Ct);
            var record = await Store.FindIdempotentAsync(TokenFor(i + 1), Ct);
            if (result is null)
                Assert.Equal(((Submission?)null, (IdempotentSubmission?)null), (read, record));
            else
                Assert.Equal((result.Submission!.Revision, tables[i].Id, true), (read!.Revision, record!.Submission.Id, record.SameRequest));
        }
        var head = Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct), r => r.ReporterId == town);
        Assert.Equal(revisions[^1].Id, head.Id);
        var headValue = (await Store.GetSubmissionAsync(head.Id, Ct))!.Values.Single().Value;
        var total = await Store.AggregateAsync(new AggregateQuery(catalogue, "2014", [], new HashSet<string>()), Ct);
        Assert.Equal([(ReporterKind.Department, 1000m, 1), (ReporterKind.Town, headValue, 1)],
            total.Cells.Where(c => c.Code == "1.1").Select(c => (c.Kind, c.Sum, c.Reporters)).OrderBy(c => c.Kind));

        // The next append takes the next revision, without a gap; the table cancelled before the call, sent again under its key,
        // is stored as new (its key was never used), and both move the total.
        var next = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)));
        Assert.Equal((AppendStatus.Created, count + 1), (next.Status, next.Submission!.Revision));
        var resent = await AppendAsync(early, idempotency: TokenFor(0));
        Assert.Equal((AppendStatus.Created, count + 2), (resent.Status, resent.Submission!.Revision));
        Assert.Equal(Enumerable.Range(1, count + 2), (await Store.ListRevisionsAsync(town, catalogue, "2014", Ct)).Select(r => r.Revision));
        var after = await Store.AggregateAsync(new AggregateQuery(catalogue, "2014", [], new HashSet<string>()), Ct);
        Assert.Equal((1m, 1), after.Cells.Where(c => c.Code == "1.1" && c.Kind == ReporterKind.Town).Select(c => (c.Sum, c.Reporters)).Single());
    }

    // ---- listing ---------------------------------------------------------------------------------

    [Fact]
    public async Task Revisions_Are_Listed_Oldest_First_Per_Reporter_Catalogue_And_Period()
    {
        var reporter = await NewReporterAsync();
        var other = await NewReporterAsync();
        var catalogue = NewCatalogue();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", i)) with { ReceivedAt = Noon.AddMinutes(i) })).Submission!.Id);
        await AppendAsync(Table(reporter, "2014Q1", catalogue, ("1.1", 1)));
        await AppendAsync(Table(other, "2014", catalogue, ("1.1", 1)));

        var revisions = await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);

        Assert.Equal(ids, revisions.Select(r => r.Id));
        Assert.Equal([1, 2, 3], revisions.Select(r => r.Revision));
        Assert.Equal([Noon, Noon.AddMinutes(1), Noon.AddMinutes(2)], revisions.Select(r => r.ReceivedAt));
        Assert.All(revisions, r => Assert.Equal((reporter, catalogue, "2014"), (r.ReporterId, r.CatalogueId, r.Period)));
    }

    [Fact]
    public async Task Every_Listed_Revision_Names_The_Key_That_Sent_It()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        var (own, office) = (Guid.NewGuid(), Guid.Empty);
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)) with { SubmittedByKey = own });
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)) with { SubmittedByKey = office });
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 3)));
        var head = (await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 4)) with { SubmittedByKey = own })).Submission!;

        var revisions = await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct);
        var latest = Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct));
        var contribution = Assert.Single((await Store.AggregateAsync(new AggregateQuery(catalogue, "2014", [], new HashSet<string>()), Ct)).Contributions);

        Assert.Equal([own, office, null, own], revisions.Select(r => r.SubmittedByKey));
        Assert.Equal((head.Id, own), (latest.Id, latest.SubmittedByKey));
        Assert.Equal((head.Id, own), (contribution.Submissions[0].Id, contribution.Submissions[0].SubmittedByKey));
    }

    [Fact]
    public async Task A_Reporters_Note_Is_Kept_With_Its_Revision_As_Written_And_A_Revision_Without_One_Has_None()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        const string note = "本年依申请公开数量增加较多，系因征地拆迁项目集中。\n3.1 已按原始登记簿核对。";
        var first = (await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)))).Submission!;
        var noted = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)) with { Note = note }, idempotency: new IdempotencyToken("town", "note-1", "h"));
        var replay = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)) with { Note = note }, idempotency: new IdempotencyToken("town", "note-1", "h"));

        Assert.Null(first.Note);
        Assert.Equal(note, noted.Submission!.Note);
        Assert.Equal((AppendStatus.Replayed, note), (replay.Status, replay.Submission!.Note));
        Assert.Null((await Store.GetSubmissionAsync(first.Id, Ct))!.Note);
        Assert.Equal(note, (await Store.GetSubmissionAsync(noted.Submission.Id, Ct))!.Note);
        // And wherever the revision is listed: the revision list, the latest heads, an aggregate's contributions, a review's answer.
        Assert.Equal([null, note], (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.Note));
        Assert.Equal(note, Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct)).Note);
        var query = new AggregateQuery(catalogue, "2014", [], new HashSet<string>());
        Assert.Equal(note, Assert.Single(Assert.Single((await Store.AggregateAsync(query, Ct)).Contributions).Submissions).Note);
        Assert.Equal(note, Assert.Single(Assert.Single(await Store.ListContributedTablesAsync(query, Ct)).Contribution.Submissions).Note);
        var reviewed = await Store.ReviewAsync(noted.Submission.Id, new Review(ReviewDecision.Accepted, null, Noon, null), null, Ct);
        Assert.Equal((ReviewStatus.Stored, note), (reviewed.Status, reviewed.Revision!.Note));
    }

    [Fact]
    public async Task A_Stated_Sent_Time_Is_Kept_With_Its_Revision_In_Utc_To_The_Millisecond_Wherever_The_Revision_Is_Read()
    {
        var reporter = await NewReporterAsync(ReporterKind.Town);
        var catalogue = NewCatalogue();
        // The office keys in on 20 January a table e-mailed on the 18th at 09:30:15.123 China time (plus a tick the stores drop).
        var sent = new DateTimeOffset(2015, 1, 18, 9, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var own = (await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)))).Submission!;
        var keyed = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)) with { SentAt = sent },
            idempotency: new IdempotencyToken("office", "mail-0118", "h"));
        var replay = await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)) with { SentAt = sent },
            idempotency: new IdempotencyToken("office", "mail-0118", "h"));

        var expected = new DateTimeOffset(2015, 1, 18, 1, 30, 15, 123, TimeSpan.Zero);
        Assert.Equal(AppendStatus.Created, keyed.Status);
        Assert.Equal(expected, keyed.Submission!.SentAt);
        Assert.Equal(TimeSpan.Zero, keyed.Submission.SentAt!.Value.Offset);
        Assert.Equal((AppendStatus.Replayed, expected), (replay.Status, replay.Submission!.SentAt));
        Assert.Null(own.SentAt);
        Assert.Null((await Store.GetSubmissionAsync(own.Id, Ct))!.SentAt);
        var read = (await Store.GetSubmissionAsync(keyed.Submission.Id, Ct))!;
        Assert.Equal(expected, read.SentAt);
        Assert.Equal(expected, read.SentOrReceivedAt);
        Assert.Equal(Noon, read.ReceivedAt);
        Assert.Equal([null, expected], (await Store.ListRevisionsAsync(reporter, catalogue, "2014", Ct)).Select(r => r.SentAt));
        Assert.Equal(expected, Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct)).SentAt);
        var query = new AggregateQuery(catalogue, "2014", [], new HashSet<string>());
        Assert.Equal(expected, Assert.Single(Assert.Single((await Store.AggregateAsync(query, Ct)).Contributions).Submissions).SentAt);
        Assert.Equal(expected, Assert.Single(Assert.Single(await Store.ListContributedTablesAsync(query, Ct)).Contribution.Submissions).SentAt);
    }

    [Fact]
    public async Task Latest_Lists_The_Head_Of_Every_Reporter_In_The_Periods_Asked_For()
    {
        var a = await NewReporterAsync();
        var b = await NewReporterAsync();
        var catalogue = NewCatalogue();
        await AppendAsync(Table(a, "2014", catalogue, ("1.1", 1)));
        var aHead = (await AppendAsync(Table(a, "2014", catalogue, ("1.1", 2)))).Submission!;
        var bQuarter = (await AppendAsync(Table(b, "2014Q2", catalogue, ("1.1", 1)))).Submission!;
        await AppendAsync(Table(b, "2015", catalogue, ("1.1", 1)));

        var latest = await Store.ListLatestAsync(catalogue, ["2014", "2014Q2"], Ct);

        Assert.Equal([(aHead.Id, 2, "2014"), (bQuarter.Id, 1, "2014Q2")], latest.Select(r => (r.Id, r.Revision, r.Period)).OrderBy(r => r.Period, StringComparer.Ordinal));
        Assert.Empty(await Store.ListLatestAsync(catalogue, ["2013"], Ct));
    }

    [Fact]
    public async Task Latest_Lists_Each_Reporter_Once_While_A_Head_Is_Replaced_During_The_Read()
    {
        var catalogue = NewCatalogue();
        // More heads than a MongoDB server sends in a read's first batch (101), so that the list takes more than one round trip.
        var reporters = new List<string>();
        for (var i = 0; i < 110; i++) reporters.Add(await NewReporterAsync(ReporterKind.Town));
        foreach (var r in reporters) await AppendAsync(Table(r, "2014", catalogue, ("1.1", 1)));
        reporters.Sort(StringComparer.Ordinal);
        // The last head of the first batch, replaced again and again: its new head sorts right after the one already read.
        var boundary = reporters[100];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var replacing = Task.Run(async () =>
        {
            for (var value = 2; !stop.IsCancellationRequested; value++)
                await Store.AppendAsync(Table(boundary, "2014", catalogue, ("1.1", value)), null, null, CancellationToken.None);
        }, CancellationToken.None);
        try
        {
            for (var read = 0; read < 40; read++)
                Assert.Equal(reporters, (await Store.ListLatestAsync(catalogue, ["2014"], Ct)).Select(h => h.ReporterId));
        }
        finally
        {
            await stop.CancelAsync();
            await replacing;
        }
    }

    // ---- periods ---------------------------------------------------------------------------------

    [Fact]
    public async Task Period_Settings_Default_To_Open_And_Round_Trip_When_Saved()
    {
        var catalogue = NewCatalogue();
        Assert.Equal(PeriodSettings.Open(catalogue, "2014"), await Store.GetPeriodAsync(catalogue, "2014", Ct));

        var settings = new PeriodSettings(catalogue, "2014", true, Noon, Noon.AddDays(-5), ["b-town", "a-dept"]);
        await Store.SavePeriodAsync(settings, Ct);
        var stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);

        Assert.Equal((true, Noon, Noon.AddDays(-5)), (stored.Closed, stored.ClosedAt, stored.Deadline));
        Assert.Equal(["b-town", "a-dept"], stored.ExpectedReporters!);

        await Store.SavePeriodAsync(settings with { Closed = false, ClosedAt = null, ExpectedReporters = [] }, Ct);
        stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.False(stored.Closed);
        Assert.Null(stored.ClosedAt);
        Assert.NotNull(stored.ExpectedReporters);
        Assert.Empty(stored.ExpectedReporters);
        Assert.Equal(PeriodSettings.Open(catalogue, "2015"), await Store.GetPeriodAsync(catalogue, "2015", Ct));
    }

    [Fact]
    public async Task A_Periods_Version_Moves_On_Every_Save_Of_Its_Settings_And_Not_On_An_Append()
    {
        var reporter = await NewReporterAsync();
        var catalogue = NewCatalogue();
        Assert.Equal(0, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);
        // A table appended before any settings were saved (on MongoDB it makes the period's document) leaves the version at 0.
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 1)));
        Assert.Equal(0, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);

        var set = new PeriodSettings(catalogue, "2014", false, null, Noon, null);
        Assert.Equal(1, await Store.SavePeriodAsync(set, Ct));
        Assert.Equal(1, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);
        await AppendAsync(Table(reporter, "2014", catalogue, ("1.1", 2)));
        Assert.Equal(1, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);

        Assert.Equal(2, await Store.SavePeriodAsync(set with { Closed = true, ClosedAt = Noon }, Ct));
        Assert.Equal(3, await Store.SavePeriodAsync(set, Ct));
        var reopened = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((3, false, Noon), (reopened.Version, reopened.Closed, reopened.Deadline));
        // The version a caller's settings carry is not what is stored: the store counts.
        Assert.Equal(4, await Store.SavePeriodAsync(reopened with { Version = 40 }, Ct));
        Assert.Equal(0, (await Store.GetPeriodAsync(catalogue, "2015", Ct)).Version);
    }

    [Fact]
    public async Task A_Save_On_A_Version_That_Is_Not_The_Stored_One_Stores_Nothing()
    {
        var catalogue = NewCatalogue();
        // 0 names settings never saved.
        Assert.Equal(1, await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), 0, Ct));

        // Saved from settings read before that one: refused, and what is stored is the first save's.
        Assert.Null(await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, null, ["a-town"]), 0, Ct));
        Assert.Null(await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), 2, Ct));
        var stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((1, Noon, false), (stored.Version, stored.Deadline, stored.Closed));
        Assert.Null(stored.ExpectedReporters);

        Assert.Equal(2, await Store.SavePeriodAsync(stored with { ExpectedReporters = ["a-town"] }, 1, Ct));
        Assert.Equal(["a-town"], (await Store.GetPeriodAsync(catalogue, "2014", Ct)).ExpectedReporters!);

        // A version named for a period with no settings matches none, and makes none.
        Assert.Null(await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2015", false, null, Noon, null), 3, Ct));
        Assert.Equal(PeriodSettings.Open(catalogue, "2015"), await Store.GetPeriodAsync(catalogue, "2015", Ct));
    }

    [Fact]
    public async Task A_Save_Sent_Again_On_The_Version_Its_First_Attempt_Replaced_Is_Answered_With_The_Stored_Version_And_Writes_Nothing()
    {
        // A client whose save was stored but whose answer was lost (a 503 after the write) sends it again on the version it read.
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var wanted = new PeriodSettings(catalogue, "2014", false, null, Noon, [town]);
        Assert.Equal(1, await Store.SavePeriodAsync(wanted, 0, Ct));
        var before = await Store.GetVersionAsync(Ct);

        Assert.Equal(1, await Store.SavePeriodAsync(wanted, 0, Ct));
        Assert.Equal(1, await Store.SavePeriodAsync(wanted with { Deadline = Noon.AddTicks(9_999) }, 0, Ct)); // the same millisecond, as stored

        Assert.Equal(before, await Store.GetVersionAsync(Ct));
        var stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((1, (DateTimeOffset?)Noon, town), (stored.Version, stored.Deadline, Assert.Single(stored.ExpectedReporters!)));
        // Anything else on that version is still refused: another deadline, another list, an empty list for none, a close.
        Assert.Null(await Store.SavePeriodAsync(wanted with { Deadline = Noon.AddSeconds(1) }, 0, Ct));
        Assert.Null(await Store.SavePeriodAsync(wanted with { ExpectedReporters = null }, 0, Ct));
        Assert.Null(await Store.SavePeriodAsync(wanted with { Closed = true, ClosedAt = Noon }, 0, Ct));
        Assert.Null(await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, []), 0, Ct));
        // Names given with an open period are not kept, so they do not tell a retry apart.
        Assert.Equal(1, await Store.SavePeriodAsync(wanted with { ReporterNames = new Dictionary<string, string> { [town] = "古邵镇" } }, 0, Ct));
        Assert.Equal(1, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);

        // A close sent again: its names are the store's, recorded by the first attempt, and not asked for again.
        var closed = stored with { Closed = true, ClosedAt = Noon };
        Assert.Equal(2, await Store.SavePeriodAsync(closed, 1, Ct));
        Assert.Equal(2, await Store.SavePeriodAsync(closed, 1, Ct));
        var names = (await Store.GetPeriodAsync(catalogue, "2014", Ct)).ReporterNames!;
        // Settings read while closed and saved again name the names they read, which must be those stored.
        Assert.Equal(2, await Store.SavePeriodAsync(closed with { ReporterNames = names }, 1, Ct));
        Assert.Null(await Store.SavePeriodAsync(closed with { ReporterNames = new Dictionary<string, string> { [town] = "别的名称" } }, 1, Ct));
        // A version named for a period with no settings is refused even for the settings of a period never set.
        Assert.Null(await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2015"), 3, Ct));
    }

    [Fact]
    public async Task A_Close_Or_Reopening_On_A_Stale_Version_Stores_Nothing_And_Records_No_Names()
    {
        // As the API's close and reopen make them: the settings read, with Closed changed, saved on the version the client read.
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        Assert.Equal(1, await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), 0, Ct));
        var read = await Store.GetPeriodAsync(catalogue, "2014", Ct);

        // A close on the version before the deadline was set: nothing stored, the period open, no names recorded, the deadline kept.
        Assert.Null(await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014") with { Closed = true, ClosedAt = Noon }, 0, Ct));
        var open = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((false, (DateTimeOffset?)Noon, 1), (open.Closed, open.Deadline, open.Version));
        Assert.Null(open.ReporterNames);

        // On the version stored: closed, with the names of the moment, and the deadline it read.
        Assert.Equal(2, await Store.SavePeriodAsync(read with { Closed = true, ClosedAt = Noon }, 1, Ct));
        var closed = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((true, (DateTimeOffset?)Noon, 2), (closed.Closed, closed.Deadline, closed.Version));
        Assert.Equal("测试单位 " + town, closed.ReporterNames![town]);

        // A reopening on the version before the close: refused, the close and its names stand; on the stored one, it goes through.
        Assert.Null(await Store.SavePeriodAsync(read with { Closed = false, ClosedAt = null }, 1, Ct));
        var still = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((true, 2), (still.Closed, still.Version));
        Assert.Equal(closed.ReporterNames, still.ReporterNames!);
        Assert.Equal(3, await Store.SavePeriodAsync(closed with { Closed = false, ClosedAt = null }, 2, Ct));
        var reopened = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((false, (DateTimeOffset?)Noon, 3), (reopened.Closed, reopened.Deadline, reopened.Version));
        Assert.Null(reopened.ReporterNames);
    }

    [Fact]
    public async Task A_Close_On_A_Stale_Version_Holds_On_A_Period_Closed_Already_And_Answers_That_Close_Writing_Nothing()
    {
        // As the API's close makes it: what holds is the period closed, whoever closed it and when (its first attempt, whose answer was
        // lost, or another clerk's close at the same moment), not settings equal to the ones this close would write.
        var catalogue = NewCatalogue();
        await NewReporterAsync(ReporterKind.Town);
        var open = new PeriodSettings(catalogue, "2014", false, null, Noon, null);
        Assert.Equal(new PeriodSave(1), await Store.SavePeriodAsync(open, 0, Holding.SameClosed, Ct));
        var first = await Store.SavePeriodAsync(open with { Closed = true, ClosedAt = Noon }, 1, Holding.SameClosed, Ct);
        Assert.Equal(new PeriodSave(2), first);
        var stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        var before = await Store.GetVersionAsync(Ct);

        // Sent again on version 1 a minute later: the close at noon holds, answered with its version and settings; nothing written.
        var again = await Store.SavePeriodAsync(open with { Closed = true, ClosedAt = Noon.AddMinutes(1) }, 1, Holding.SameClosed, Ct);
        Assert.Equal(2, again!.Version);
        Assert.Equal((true, (DateTimeOffset?)Noon, 2), (again.Held!.Closed, again.Held.ClosedAt, again.Held.Version));
        Assert.Equal(stored.ReporterNames, again.Held.ReporterNames!);
        Assert.Equal(before, await Store.GetVersionAsync(Ct));
        var still = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((true, (DateTimeOffset?)Noon, 2), (still.Closed, still.ClosedAt, still.Version));
        // Compared whole, as a save that gives no rule of its own is, it does not hold: the time of the close differs.
        Assert.Null(await Store.SavePeriodAsync(open with { Closed = true, ClosedAt = Noon.AddMinutes(1) }, 1, Holding.SameSettings, Ct));
        // A reopening on that version does not hold on a period closed since: refused, the close stands.
        Assert.Null(await Store.SavePeriodAsync(open, 1, Holding.SameClosed, Ct));
        Assert.True((await Store.GetPeriodAsync(catalogue, "2014", Ct)).Closed);

        // Reopened on the version stored, then a reopening sent again on version 2 holds on the period open.
        Assert.Equal(new PeriodSave(3), await Store.SavePeriodAsync(stored with { Closed = false, ClosedAt = null }, 2, Holding.SameClosed, Ct));
        var reopened = await Store.SavePeriodAsync(stored with { Closed = false, ClosedAt = null }, 2, Holding.SameClosed, Ct);
        Assert.Equal((3, false), (reopened!.Version, reopened.Held!.Closed));
        Assert.Null(await Store.SavePeriodAsync(stored with { ClosedAt = Noon.AddHours(1) }, 2, Holding.SameClosed, Ct));
        Assert.Equal(3, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);
    }

    [Fact]
    public async Task A_Save_On_Version_Zero_Of_A_Period_With_Tables_But_No_Settings_Is_Stored_As_Version_One()
    {
        var catalogue = NewCatalogue();
        var (town, other) = (await NewReporterAsync(ReporterKind.Town), await NewReporterAsync(ReporterKind.Town));
        await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 5)));
        await AppendAsync(Table(other, "2014", catalogue, ("1.1", 5)));

        var quarter = await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014Q3", false, null, Noon, null), 0, Ct);
        var year = await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, [town]), 0, Ct);

        Assert.Equal((1, 1), (quarter, year));
        var (storedQuarter, storedYear) = (await Store.GetPeriodAsync(catalogue, "2014Q3", Ct), await Store.GetPeriodAsync(catalogue, "2014", Ct));
        Assert.Equal((1, (DateTimeOffset?)Noon), (storedQuarter.Version, storedQuarter.Deadline));
        Assert.Equal((1, (DateTimeOffset?)Noon, town), (storedYear.Version, storedYear.Deadline, Assert.Single(storedYear.ExpectedReporters!)));
        Assert.Null(await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), 0, Ct));
    }

    [Fact]
    public async Task A_First_Save_On_Version_Zero_Racing_The_Periods_First_Append_Is_Stored_As_Version_One()
    {
        // The append makes the period's document on MongoDB, without settings: still version 0, never a stale version.
        for (var round = 0; round < 8; round++)
        {
            var catalogue = NewCatalogue();
            var town = await NewReporterAsync(ReporterKind.Town);

            var save = Task.Run(() => Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon, null), 0, Ct), Ct);
            var append = Task.Run(() => AppendAsync(Table(town, "2014", catalogue, ("1.1", 5))), Ct);
            await Task.WhenAll(save, append);

            Assert.Equal((1, AppendStatus.Created), (await save, (await append).Status));
            var stored = await Store.GetPeriodAsync(catalogue, "2014", Ct);
            Assert.Equal((1, (DateTimeOffset?)Noon), (stored.Version, stored.Deadline));
        }
    }

    [Fact]
    public async Task Of_Two_Saves_On_The_Same_Version_Only_One_Is_Stored()
    {
        var catalogue = NewCatalogue();
        await Store.SavePeriodAsync(PeriodSettings.Open(catalogue, "2014"), Ct);
        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", false, null, Noon.AddDays(i), null), 1, Ct), Ct)));
        var stored = Assert.Single(saves, v => v is not null);
        Assert.Equal(2, stored);
        Assert.Equal(2, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).Version);
    }

    // ---- aggregates ------------------------------------------------------------------------------

    private static AggregateQuery Year(string catalogue, IReadOnlyList<string>? reporters = null, ReporterKind? kind = null, IReadOnlySet<string>? stock = null) =>
        new(catalogue, "2014", Quarters2014, stock ?? new HashSet<string>(), reporters, kind);

    [Fact]
    public async Task Aggregate_Sums_Latest_Revisions_By_Kind_Counts_Reporters_And_Leaves_Never_Given_Codes_Out()
    {
        var catalogue = NewCatalogue();
        var town1 = await NewReporterAsync(ReporterKind.Town);
        var town2 = await NewReporterAsync(ReporterKind.Town);
        var dept = await NewReporterAsync(ReporterKind.Department);
        await AppendAsync(Table(town1, "2014", catalogue, ("1.1", 100), ("11", 0.5m)));
        await AppendAsync(Table(town1, "2014", catalogue, ("1.1", 10), ("11", 0.25m)));
        await AppendAsync(Table(town2, "2014", catalogue, ("1.1", 5), ("1.2", 0)));
        await AppendAsync(Table(dept, "2014", catalogue, ("1.1", 1), ("11", 12.34m)));

        var result = await Store.AggregateAsync(Year(catalogue), Ct);

        Assert.Equal(
            [("1.1", ReporterKind.Department, 1m, 1), ("1.1", ReporterKind.Town, 15m, 2), ("1.2", ReporterKind.Town, 0m, 1),
             ("11", ReporterKind.Department, 12.34m, 1), ("11", ReporterKind.Town, 0.25m, 1)],
            result.Cells.Select(c => (c.Code, c.Kind, c.Sum, c.Reporters)));
        Assert.DoesNotContain(result.Cells, c => c.Code == "1.3");
        Assert.Equal(new[] { dept, town1, town2 }.Order(StringComparer.Ordinal), result.Contributions.Select(c => c.ReporterId));
        var t1 = Assert.Single(result.Contributions, c => c.ReporterId == town1);
        Assert.False(t1.FromQuarters);
        Assert.Equal(ReporterKind.Town, t1.Kind);
        Assert.Equal(2, Assert.Single(t1.Submissions).Revision);
    }

    [Fact]
    public async Task Resubmitting_One_Reporter_Changes_The_Next_Aggregate_By_Exactly_The_Difference()
    {
        var catalogue = NewCatalogue();
        var a = await NewReporterAsync(ReporterKind.Town);
        var b = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(a, "2014", catalogue, ("1.1", 7), ("11", 1.1m)));
        await AppendAsync(Table(b, "2014", catalogue, ("1.1", 3), ("11", 2.2m)));
        var before = await Store.AggregateAsync(Year(catalogue), Ct);

        await AppendAsync(Table(a, "2014", catalogue, ("1.1", 9), ("11", 1.15m)));
        var after = await Store.AggregateAsync(Year(catalogue), Ct);

        Assert.Equal(2m, Cell(after, "1.1").Sum - Cell(before, "1.1").Sum);
        Assert.Equal(0.05m, Cell(after, "11").Sum - Cell(before, "11").Sum);
        Assert.Equal(3.35m, Cell(after, "11").Sum);
    }

    private static AggregateCell Cell(AggregateResult r, string code, ReporterKind kind = ReporterKind.Town) =>
        Assert.Single(r.Cells, c => c.Code == code && c.Kind == kind);

    [Fact]
    public async Task Aggregate_Respects_The_Reporter_And_Kind_Filters()
    {
        var catalogue = NewCatalogue();
        var gov = await NewReporterAsync(ReporterKind.Government);
        var town = await NewReporterAsync(ReporterKind.Town);
        var dept = await NewReporterAsync(ReporterKind.Department);
        foreach (var (r, v) in new[] { (gov, 1m), (town, 10m), (dept, 100m) })
            await AppendAsync(Table(r, "2014", catalogue, ("1.1", v)));
        await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 1000)));

        var subset = await Store.AggregateAsync(Year(catalogue, reporters: [gov, town, "r-never-registered"]), Ct);
        var towns = await Store.AggregateAsync(Year(catalogue, kind: ReporterKind.Town), Ct);
        var none = await Store.AggregateAsync(Year(catalogue, reporters: []), Ct);
        var both = await Store.AggregateAsync(Year(catalogue, reporters: [dept, town], kind: ReporterKind.Department), Ct);

        Assert.Equal([(ReporterKind.Government, 1m), (ReporterKind.Town, 10m)], subset.Cells.Select(c => (c.Kind, c.Sum)));
        Assert.Equal(new[] { gov, town }.Order(StringComparer.Ordinal), subset.Contributions.Select(c => c.ReporterId));
        Assert.Equal([(ReporterKind.Town, 10m, 1)], towns.Cells.Select(c => (c.Kind, c.Sum, c.Reporters)));
        Assert.Empty(none.Cells);
        Assert.Empty(none.Contributions);
        Assert.Equal([(ReporterKind.Department, 100m)], both.Cells.Select(c => (c.Kind, c.Sum)));
    }

    [Fact]
    public async Task Year_From_Quarters_Sums_Flow_Codes_Over_The_Quarters()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 1), ("11", 0.1m)));
        await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 2)));
        await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 20)));
        await AppendAsync(Table(town, "2014Q4", catalogue, ("1.1", 300), ("11", 0.25m)));

        var result = await Store.AggregateAsync(Year(catalogue), Ct);

        Assert.Equal([("1.1", 321m, 1), ("11", 0.35m, 1)], result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
        var contribution = Assert.Single(result.Contributions);
        Assert.True(contribution.FromQuarters);
        Assert.Equal(["2014Q1", "2014Q2", "2014Q4"], contribution.Submissions.Select(s => s.Period));
        Assert.Equal(2, contribution.Submissions[1].Revision);
    }

    [Fact]
    public async Task Year_From_Quarters_Takes_Stock_Codes_From_The_Latest_Quarter_That_Gave_A_Value()
    {
        var catalogue = NewCatalogue();
        var a = await NewReporterAsync(ReporterKind.Town);
        var b = await NewReporterAsync(ReporterKind.Town);
        // The query names "7" a stock and leaves "1.1" a flow; a gives 7 in Q1 and Q2 but not in Q3; b only in Q1.
        await AppendAsync(Table(a, "2014Q1", catalogue, ("7", 3), ("1.1", 1)));
        await AppendAsync(Table(a, "2014Q2", catalogue, ("7", 4), ("1.1", 1)));
        await AppendAsync(Table(a, "2014Q3", catalogue, ("1.1", 1)));
        await AppendAsync(Table(b, "2014Q1", catalogue, ("7", 10)));

        var result = await Store.AggregateAsync(Year(catalogue, stock: new HashSet<string> { "7" }), Ct);

        Assert.Equal([("1.1", 3m, 1), ("7", 14m, 2)], result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
    }

    [Fact]
    public async Task Year_From_Quarters_Takes_Opening_Codes_From_The_Earliest_Quarter_That_Gave_A_Value()
    {
        var catalogue = NewCatalogue();
        var a = await NewReporterAsync(ReporterKind.Town);
        var b = await NewReporterAsync(ReporterKind.Town);
        // "3.2" (上年结转) is an opening balance, "7" a stock, "1.1" a flow. a gives 3.2 in every quarter (Q3's revised);
        // b leaves it blank in Q1, so its Q2 value is the earliest it gave.
        await AppendAsync(Table(a, "2014Q3", catalogue, ("3.2", 9), ("7", 6), ("1.1", 1)));
        await AppendAsync(Table(a, "2014Q1", catalogue, ("3.2", 4), ("7", 5), ("1.1", 1)));
        await AppendAsync(Table(a, "2014Q2", catalogue, ("3.2", 8), ("7", 7), ("1.1", 1)));
        await AppendAsync(Table(a, "2014Q3", catalogue, ("3.2", 2), ("7", 6), ("1.1", 1)));
        await AppendAsync(Table(b, "2014Q1", catalogue, ("1.1", 10)));
        await AppendAsync(Table(b, "2014Q2", catalogue, ("3.2", 1.5m)));
        await AppendAsync(Table(b, "2014Q4", catalogue, ("3.2", 100)));

        var query = Year(catalogue, stock: new HashSet<string> { "7" }) with { OpeningCodes = new HashSet<string> { "3.2" } };
        var result = await Store.AggregateAsync(query, Ct);

        Assert.Equal([("1.1", 13m, 2), ("3.2", 5.5m, 2), ("7", 6m, 1)], result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
    }

    [Fact]
    public async Task Year_From_Quarters_Takes_A_Stock_Group_Whole_From_The_Latest_Quarter_That_Gave_Any_Of_It()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var other = await NewReporterAsync(ReporterKind.Town);
        // 12.3 = 12.3.1 + 12.3.2, all stocks: Q3 gives 12.3 and 12.3.2 and leaves 12.3.1 blank (0 beside its sibling), so the
        // year takes all three from Q3 and 12.3.1 stays blank, not Q2's 32. 7 is a stock of its own group, from Q2.
        await AppendAsync(Table(town, "2014Q2", catalogue, ("12.3", 80), ("12.3.1", 32), ("12.3.2", 48), ("7", 5), ("1.1", 1)));
        await AppendAsync(Table(town, "2014Q3", catalogue, ("12.3", 48), ("12.3.2", 48), ("1.1", 2)));
        await AppendAsync(Table(other, "2014Q1", catalogue, ("12.3.1", 3)));
        var query = Year(catalogue, stock: new HashSet<string> { "12.3", "12.3.1", "12.3.2", "7" }) with
        {
            Groups = new Dictionary<string, string> { ["12.3"] = "12.3", ["12.3.1"] = "12.3", ["12.3.2"] = "12.3" },
        };

        var result = await Store.AggregateAsync(query, Ct);

        Assert.Equal([("1.1", 3m, 1), ("12.3", 48m, 1), ("12.3.1", 3m, 1), ("12.3.2", 48m, 1), ("7", 5m, 1)],
            result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
        var tables = await Store.ListContributedTablesAsync(query, Ct);
        Assert.Equal([("1.1", 3m), ("12.3", 48m), ("12.3.2", 48m), ("7", 5m)], CellsOf(Assert.Single(tables, t => t.Contribution.ReporterId == town)));
    }

    [Fact]
    public async Task Year_From_Quarters_With_A_Missing_Quarter_Uses_The_Quarters_There_Are()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 5), ("7", 2)));
        await AppendAsync(Table(town, "2014Q3", catalogue, ("1.1", 6)));

        var result = await Store.AggregateAsync(Year(catalogue, stock: new HashSet<string> { "7" }), Ct);

        Assert.Equal([("1.1", 11m), ("7", 2m)], result.Cells.Select(c => (c.Code, c.Sum)));
        Assert.Equal(["2014Q2", "2014Q3"], Assert.Single(result.Contributions).Submissions.Select(s => s.Period));
    }

    [Fact]
    public async Task Yearly_Submission_Overrides_The_Quarters_Of_Its_Reporter_Only()
    {
        var catalogue = NewCatalogue();
        var yearly = await NewReporterAsync(ReporterKind.Town);
        var quarterly = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(yearly, "2014Q1", catalogue, ("1.1", 1000), ("7", 1000)));
        var year = (await AppendAsync(Table(yearly, "2014", catalogue, ("1.1", 40)))).Submission!;
        await AppendAsync(Table(quarterly, "2014Q1", catalogue, ("1.1", 1), ("7", 5)));
        await AppendAsync(Table(quarterly, "2014Q2", catalogue, ("1.1", 2)));

        var result = await Store.AggregateAsync(Year(catalogue, stock: new HashSet<string> { "7" }), Ct);

        Assert.Equal([("1.1", 43m, 2), ("7", 5m, 1)], result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
        var own = Assert.Single(result.Contributions, c => c.ReporterId == yearly);
        Assert.False(own.FromQuarters);
        Assert.Equal(year.Id, Assert.Single(own.Submissions).Id);
        Assert.True(Assert.Single(result.Contributions, c => c.ReporterId == quarterly).FromQuarters);
    }

    [Fact]
    public async Task Quarter_Aggregate_Adds_Up_That_Quarter_Only()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(town, "2014Q1", catalogue, ("1.1", 1)));
        await AppendAsync(Table(town, "2014Q2", catalogue, ("1.1", 2)));

        var result = await Store.AggregateAsync(new AggregateQuery(catalogue, "2014Q2", [], new HashSet<string>()), Ct);

        Assert.Equal([("1.1", 2m, 1)], result.Cells.Select(c => (c.Code, c.Sum, c.Reporters)));
        Assert.False(Assert.Single(result.Contributions).FromQuarters);
    }

    [Fact]
    public async Task Aggregate_Of_Generated_Tables_Equals_The_Pure_Rollup_On_The_Real_Catalogue()
    {
        var catalogue = NewCatalogue();
        var random = new Random(2014);
        var cells = Gov2014.Cells;
        var stock = cells.Where(c => c.OverTime == OverTime.Stock).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var expected = new Dictionary<ReporterKind, List<decimal?[]>>();

        decimal?[] RandomTable() =>
            [.. cells.Select(c => random.NextDouble() < 0.35 ? (decimal?)null
                : c.Decimals == 0 ? random.Next(0, 5000) : Math.Round((decimal)random.NextDouble() * 10000m, 2))];

        Submission ToSubmission(string reporter, string period, decimal?[] table) =>
            new(Guid.NewGuid(), reporter, catalogue, period, 0, Noon,
                [.. cells.Where(c => table[c.Index] is not null).Select(c => new StoredValue(c.Code, table[c.Index]!.Value, random.Next(4) == 0))], [], null);

        for (var i = 0; i < 12; i++)
        {
            var kind = (ReporterKind)(i % 3);
            var reporter = await NewReporterAsync(kind);
            var quarters = Enumerable.Range(1, 4).Where(_ => random.Next(3) > 0).Select(q => (Quarter: q, Values: RandomTable())).ToList();
            foreach (var (q, values) in quarters)
            {
                await AppendAsync(ToSubmission(reporter, $"2014Q{q}", RandomTable()));
                await AppendAsync(ToSubmission(reporter, $"2014Q{q}", values));
            }
            decimal?[]? year = null;
            if (i % 4 != 0)
            {
                year = RandomTable();
                await AppendAsync(ToSubmission(reporter, "2014", year));
            }
            var contributed = year ?? (quarters.Count > 0 ? Rollup.YearFromQuarters(Gov2014, quarters) : null);
            if (contributed is not null) (expected.TryGetValue(kind, out var list) ? list : expected[kind] = []).Add(contributed);
        }

        // The groups the service sends (AggregateService.Query), so that a stock's quarter is chosen as the rollup chooses it.
        var groups = cells.Where(c => c.OverTime != OverTime.Flow).ToDictionary(c => c.Code, c => cells[Gov2014.OverTimeGroups[c.Index]].Code, StringComparer.Ordinal);
        var result = await Store.AggregateAsync(Year(catalogue, stock: stock) with { Groups = groups }, Ct);

        foreach (var kind in Enum.GetValues<ReporterKind>())
        {
            var tables = expected.GetValueOrDefault(kind) ?? [];
            var sum = Rollup.Sum(Gov2014, tables);
            foreach (var cell in cells)
            {
                var got = result.Cells.SingleOrDefault(c => c.Code == cell.Code && c.Kind == kind);
                Assert.Equal(sum[cell.Index], got?.Sum);
                Assert.Equal(tables.Count(t => t[cell.Index] is not null), got?.Reporters ?? 0);
            }
        }
        var total = Rollup.Sum(Gov2014, expected.Values.SelectMany(t => t));
        foreach (var cell in cells)
        {
            var given = result.Cells.Where(c => c.Code == cell.Code).ToList();
            Assert.Equal(total[cell.Index], given.Count == 0 ? null : given.Sum(c => c.Sum));
        }
        Assert.Equal(expected.Values.Sum(l => l.Count), result.Contributions.Count);
    }

    private static IEnumerable<(string Code, decimal Value)> CellsOf(ContributedTable table) =>
        table.Cells.Select(c => (c.Code, c.Value)).OrderBy(c => c.Code, StringComparer.Ordinal);

    [Fact]
    public async Task Contributed_Tables_Are_Each_Reporters_Latest_Values_With_Blank_Cells_Absent_And_Years_From_Quarters_Derived()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var dept = await NewReporterAsync(ReporterKind.Department);
        var quarterly = await NewReporterAsync(ReporterKind.Town);
        var yearly = await NewReporterAsync(ReporterKind.Government);
        await AppendAsync(Table(town, "2014", catalogue, ("1.1", 100), ("1.2", 4)));
        var latest = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 10), ("11", 0.25m)))).Submission!;
        await AppendAsync(Table(dept, "2014", catalogue, ("1.1", 0)));
        // "7" a stock, "3.2" an opening balance, "1.1" a flow.
        await AppendAsync(Table(quarterly, "2014Q1", catalogue, ("1.1", 1), ("7", 5), ("3.2", 2)));
        await AppendAsync(Table(quarterly, "2014Q2", catalogue, ("1.1", 2), ("7", 6), ("3.2", 9)));
        await AppendAsync(Table(yearly, "2014Q1", catalogue, ("1.1", 1000)));
        await AppendAsync(Table(yearly, "2014", catalogue, ("1.1", 40)));
        var query = Year(catalogue, stock: new HashSet<string> { "7" }) with { OpeningCodes = new HashSet<string> { "3.2" } };

        var tables = await Store.ListContributedTablesAsync(query, Ct);

        Assert.Equal(new[] { town, dept, quarterly, yearly }.Order(StringComparer.Ordinal), tables.Select(t => t.Contribution.ReporterId));
        var t = Assert.Single(tables, x => x.Contribution.ReporterId == town);
        Assert.Equal([("1.1", 10m), ("11", 0.25m)], CellsOf(t)); // 1.2 was in revision 1 only: blank now, not kept
        Assert.Equal(latest.Id, Assert.Single(t.Contribution.Submissions).Id);
        Assert.Equal(ReporterKind.Town, t.Contribution.Kind);
        Assert.Equal([("1.1", 0m)], CellsOf(Assert.Single(tables, x => x.Contribution.ReporterId == dept)));
        var q = Assert.Single(tables, x => x.Contribution.ReporterId == quarterly);
        Assert.True(q.Contribution.FromQuarters);
        Assert.Equal([("1.1", 3m), ("3.2", 2m), ("7", 6m)], CellsOf(q));
        var y = Assert.Single(tables, x => x.Contribution.ReporterId == yearly);
        Assert.False(y.Contribution.FromQuarters);
        Assert.Equal([("1.1", 40m)], CellsOf(y));

        // Added up by code and kind, they are the aggregate of the same query.
        var aggregate = await Store.AggregateAsync(query, Ct);
        Assert.Equal(
            aggregate.Cells.Select(c => (c.Code, c.Kind, c.Sum, c.Reporters)),
            tables.SelectMany(x => x.Cells.Select(c => (c.Code, x.Contribution.Kind, c.Value)))
                .GroupBy(c => (c.Code, c.Kind)).Select(g => (g.Key.Code, g.Key.Kind, g.Sum(c => c.Value), g.Count()))
                .OrderBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.Kind));
        Assert.Equal(aggregate.Contributions.Select(c => (c.ReporterId, c.FromQuarters, c.Submissions.Count)),
            tables.Select(x => (x.Contribution.ReporterId, x.Contribution.FromQuarters, x.Contribution.Submissions.Count)));
    }

    [Fact]
    public async Task Contributed_Tables_Respect_The_Reporter_And_Kind_Filters_And_The_Period()
    {
        var catalogue = NewCatalogue();
        var gov = await NewReporterAsync(ReporterKind.Government);
        var town = await NewReporterAsync(ReporterKind.Town);
        var dept = await NewReporterAsync(ReporterKind.Department);
        foreach (var (r, v) in new[] { (gov, 1m), (town, 10m), (dept, 100m) })
            await AppendAsync(Table(r, "2014", catalogue, ("1.1", v)));
        await AppendAsync(Table(town, "2015", catalogue, ("1.1", 7)));

        var subset = await Store.ListContributedTablesAsync(Year(catalogue, reporters: [gov, town, "r-never-registered"]), Ct);
        var towns = await Store.ListContributedTablesAsync(Year(catalogue, kind: ReporterKind.Town), Ct);
        var none = await Store.ListContributedTablesAsync(Year(catalogue, reporters: []), Ct);
        var quarter = await Store.ListContributedTablesAsync(new AggregateQuery(catalogue, "2014Q1", [], new HashSet<string>()), Ct);

        Assert.Equal(new[] { (gov, 1m), (town, 10m) }.OrderBy(x => x.Item1, StringComparer.Ordinal),
            subset.Select(x => (x.Contribution.ReporterId, Assert.Single(x.Cells).Value)));
        Assert.Equal([(town, 10m)], towns.Select(x => (x.Contribution.ReporterId, Assert.Single(x.Cells).Value)));
        Assert.Empty(none);
        Assert.Empty(quarter);
    }

    [Fact]
    public async Task A_Year_From_Quarters_Is_Contributed_Without_Trailing_Zeros_As_The_Aggregate_Gives_It()
    {
        var catalogue = NewCatalogue();
        var quarterly = await NewReporterAsync(ReporterKind.Town);
        await AppendAsync(Table(quarterly, "2014Q1", catalogue, ("11", 0.35m), ("1.1", 1.5m)));
        await AppendAsync(Table(quarterly, "2014Q2", catalogue, ("11", 0.15m), ("1.1", 2.5m)));

        var table = Assert.Single(await Store.ListContributedTablesAsync(Year(catalogue), Ct));
        var aggregate = await Store.AggregateAsync(Year(catalogue), Ct);

        // 0.35 + 0.15 is 0.50 in decimal arithmetic: printed beside the aggregate's 0.5, a reporter's column would read "0.50".
        Assert.Equal([("1.1", "4"), ("11", "0.5")], table.Cells.Select(c => (c.Code, Text(c.Value))).OrderBy(c => c.Code, StringComparer.Ordinal));
        Assert.Equal([("1.1", "4"), ("11", "0.5")], aggregate.Cells.Select(c => (c.Code, Text(c.Sum))));
        static string Text(decimal d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // ---- catalogues ------------------------------------------------------------------------------

    [Fact]
    public async Task A_Catalogue_Is_Stored_Once_Its_Same_Document_Again_Is_Unchanged_And_Another_Is_A_Conflict()
    {
        var id = NewCatalogue();
        var first = new StoredCatalogue(id, "{\"id\":\"" + id + "\",\"title\":\"福建省 版\"}", Noon);

        Assert.Equal(CatalogueSaveStatus.Created, await Store.SaveCatalogueAsync(first, Ct));
        Assert.Equal(CatalogueSaveStatus.Unchanged, await Store.SaveCatalogueAsync(first with { SavedAt = Noon.AddDays(1) }, Ct));
        Assert.Equal(CatalogueSaveStatus.Conflict, await Store.SaveCatalogueAsync(first with { Document = "{\"id\":\"" + id + "\"}" }, Ct));

        Assert.Equal(first, await Store.GetCatalogueAsync(id, Ct));
        Assert.Null(await Store.GetCatalogueAsync(NewCatalogue(), Ct));
    }

    [Fact]
    public async Task Stored_Catalogues_Are_Listed_By_Id()
    {
        var b = new StoredCatalogue("test-b-" + Guid.NewGuid().ToString("N"), "{}", Noon);
        var a = new StoredCatalogue("test-a-" + Guid.NewGuid().ToString("N"), "[]", Noon);
        await Store.SaveCatalogueAsync(b, Ct);
        await Store.SaveCatalogueAsync(a, Ct);

        var all = await Store.ListCataloguesAsync(Ct);

        Assert.Contains(a, all);
        Assert.Contains(b, all);
        Assert.Equal(all.Select(c => c.Id).Order(StringComparer.Ordinal), all.Select(c => c.Id));
    }

    // ---- reviews ---------------------------------------------------------------------------------

    private static readonly Guid Office = Guid.Parse("0f000000-0000-0000-0000-0000000000aa");

    [Fact]
    public async Task A_Review_Of_The_Latest_Revision_Is_Stored_And_Read_Wherever_The_Revision_Is_Read()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        Assert.Null((await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        var review = new Review(ReviewDecision.Returned, "3.1 与分项之和不符，请核实", Noon.AddTicks(4567), Office);

        var result = await Store.ReviewAsync(table.Id, review, null, Ct);

        var stored = new Review(ReviewDecision.Returned, "3.1 与分项之和不符，请核实", Noon, Office);
        Assert.Equal(ReviewStatus.Stored, result.Status);
        Assert.Equal(stored, result.Revision!.Review);
        Assert.Equal(table.Id, result.Revision.Id);
        Assert.Equal(stored, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        Assert.Equal(stored, Assert.Single(await Store.ListRevisionsAsync(town, catalogue, "2014", Ct)).Review);
        Assert.Equal(stored, Assert.Single(await Store.ListLatestAsync(catalogue, ["2014"], Ct)).Review);
        Assert.Equal(stored, Assert.Single(Assert.Single((await Store.AggregateAsync(Year(catalogue), Ct)).Contributions).Submissions).Review);
        Assert.Equal(stored, Assert.Single(Assert.Single(await Store.ListContributedTablesAsync(Year(catalogue), Ct)).Contribution.Submissions).Review);
    }

    [Fact]
    public async Task A_Later_Review_Of_The_Same_Revision_Replaces_The_Earlier_And_Moves_The_Store_Version()
    {
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", NewCatalogue(), ("1.1", 7)))).Submission!;
        await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "请补报 3.2", Noon, Office), null, Ct);
        var before = await Store.GetVersionAsync(Ct);

        var result = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, null, Noon.AddHours(1), null), null, Ct);

        Assert.Equal(ReviewStatus.Stored, result.Status);
        Assert.Equal(new Review(ReviewDecision.Accepted, null, Noon.AddHours(1), null), (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        Assert.NotEqual(before, await Store.GetVersionAsync(Ct));
    }

    [Fact]
    public async Task A_Review_Expecting_The_State_Another_Reviewer_Changed_Is_Refused_With_The_Current_Review_And_Nothing_Is_Stored()
    {
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", NewCatalogue(), ("1.1", 7)))).Submission!;
        var returned = new Review(ReviewDecision.Returned, "3.1 请核实", Noon, Office);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, returned, new ExpectedReview(ReviewState.Pending), Ct)).Status);

        // The second clerk's page still said 待审核.
        var refused = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, null, Noon.AddMinutes(1), null), new ExpectedReview(ReviewState.Pending), Ct);

        Assert.Equal(ReviewStatus.ReviewChanged, refused.Status);
        Assert.Equal((table.Id, returned), (refused.Revision!.Id, refused.Revision.Review));
        Assert.Equal(returned, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        // Expecting what is stored, the review replaces it.
        var accepted = new Review(ReviewDecision.Accepted, null, Noon.AddMinutes(2), null);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, accepted, new ExpectedReview(ReviewState.Returned), Ct)).Status);
        Assert.Equal(accepted, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        // A table not reviewed is not what a review expecting one finds.
        var other = (await AppendAsync(Table(town, "2015", NewCatalogue(), ("1.1", 7)))).Submission!;
        var unreviewed = await Store.ReviewAsync(other.Id, returned, new ExpectedReview(ReviewState.Accepted), Ct);
        Assert.Equal(ReviewStatus.ReviewChanged, unreviewed.Status);
        Assert.Null(unreviewed.Revision!.Review);
        Assert.Null((await Store.GetSubmissionAsync(other.Id, Ct))!.Review);
    }

    [Fact]
    public async Task A_Review_Expecting_One_Return_Is_Refused_After_Another_Return_With_Another_Reason_And_Stored_Expecting_That_One()
    {
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", NewCatalogue(), ("1.1", 7)))).Submission!;
        var first = new Review(ReviewDecision.Returned, "3.1 不符", Noon, Office);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, first, new ExpectedReview(ReviewState.Pending), Ct)).Status);
        // A third clerk returns it again, with another reason, expecting the first return, from a clock that has not moved since:
        // it is stored a millisecond after the first, a time of its own.
        var again = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "3.2 漏报", Noon, null), new ExpectedReview(ReviewState.Returned, first.ReviewedAt), Ct);
        var second = new Review(ReviewDecision.Returned, "3.2 漏报", Noon.AddMilliseconds(1), null);
        Assert.Equal((ReviewStatus.Stored, second), (again.Status, again.Revision!.Review));

        // The second clerk's page still showed the first return: a return still, but not that one.
        var refused = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, null, Noon.AddMinutes(1), Office),
            new ExpectedReview(ReviewState.Returned, first.ReviewedAt), Ct);

        Assert.Equal(ReviewStatus.ReviewChanged, refused.Status);
        Assert.Equal(second, refused.Revision!.Review);
        Assert.Equal(second, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        // The time alone names it as well; a time a millisecond off names another review.
        Assert.Equal(ReviewStatus.ReviewChanged, (await Store.ReviewAsync(table.Id, first, new ExpectedReview(null, second.ReviewedAt.AddMilliseconds(1)), Ct)).Status);
        // Expecting the review stored, at its time as read back and in Beijing's offset (the same instant), replaces it.
        var seen = (await Store.GetSubmissionAsync(table.Id, Ct))!.Review!.ReviewedAt.ToOffset(TimeSpan.FromHours(8));
        var accepted = new Review(ReviewDecision.Accepted, null, Noon.AddMinutes(2), Office);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, accepted, new ExpectedReview(ReviewState.Returned, seen), Ct)).Status);
        Assert.Equal(accepted, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        // A table not reviewed has no review made at any time.
        var other = (await AppendAsync(Table(town, "2015", NewCatalogue(), ("1.1", 7)))).Submission!;
        var unreviewed = await Store.ReviewAsync(other.Id, accepted, new ExpectedReview(null, Noon), Ct);
        Assert.Equal(ReviewStatus.ReviewChanged, unreviewed.Status);
        Assert.Null((await Store.GetSubmissionAsync(other.Id, Ct))!.Review);
    }

    [Fact]
    public async Task Of_Parallel_Reviews_Each_Expecting_The_Table_Unreviewed_Exactly_One_Is_Stored()
    {
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", NewCatalogue(), ("1.1", 7)))).Submission!;
        var reviews = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? new Review(ReviewDecision.Returned, $"第 {i} 位：3.1 请核实", Noon.AddSeconds(i), Office)
            : new Review(ReviewDecision.Accepted, null, Noon.AddSeconds(i), Office)).ToList();

        var results = await Task.WhenAll(reviews.Select(r => Task.Run(() => Store.ReviewAsync(table.Id, r, new ExpectedReview(ReviewState.Pending), Ct), Ct)));

        var stored = Assert.Single(results, r => r.Status == ReviewStatus.Stored);
        Assert.All(results.Where(r => r != stored), r => Assert.Equal(ReviewStatus.ReviewChanged, r.Status));
        Assert.Equal(stored.Revision!.Review, (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        Assert.Contains(stored.Revision.Review, reviews);
    }

    [Fact]
    public async Task An_Earlier_Revision_Cannot_Be_Reviewed_And_A_New_Revision_Starts_Unreviewed()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var first = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        await Store.ReviewAsync(first.Id, new Review(ReviewDecision.Returned, "请更正", Noon, Office), null, Ct);
        var second = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 8)))).Submission!;

        var refused = await Store.ReviewAsync(first.Id, new Review(ReviewDecision.Accepted, null, Noon.AddHours(1), Office), null, Ct);

        Assert.Equal(ReviewStatus.NotLatest, refused.Status);
        Assert.Equal((second.Id, 2), (refused.Latest!.Id, refused.Latest.Revision));
        Assert.Equal(first.Id, refused.Revision!.Id);
        var revisions = await Store.ListRevisionsAsync(town, catalogue, "2014", Ct);
        Assert.Equal(ReviewDecision.Returned, revisions[0].Review!.Decision);
        Assert.Null(revisions[1].Review);
        Assert.Null((await Store.GetSubmissionAsync(second.Id, Ct))!.Review);
    }

    [Fact]
    public async Task A_Review_Racing_An_Append_To_Its_Table_Lands_While_It_Is_The_Latest_Or_Is_Refused_And_The_New_Revision_Starts_Unreviewed()
    {
        for (var round = 0; round < 8; round++)
        {
            var catalogue = NewCatalogue();
            var town = await NewReporterAsync(ReporterKind.Town);
            var first = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 5)))).Submission!;

            var review = Task.Run(() => Store.ReviewAsync(first.Id, new Review(ReviewDecision.Accepted, null, Noon, Office), null, Ct), Ct);
            var append = Task.Run(() => AppendAsync(Table(town, "2014", catalogue, ("1.1", 6))), Ct);
            await Task.WhenAll(review, append);

            var (reviewed, appended) = (await review, await append);
            Assert.Equal((AppendStatus.Created, 2), (appended.Status, appended.Submission!.Revision));
            Assert.Contains(reviewed.Status, new[] { ReviewStatus.Stored, ReviewStatus.NotLatest });
            var revisions = await Store.ListRevisionsAsync(town, catalogue, "2014", Ct);
            Assert.Equal(reviewed.Status == ReviewStatus.Stored ? ReviewDecision.Accepted : null, revisions[0].Review?.Decision);
            Assert.Null(revisions[1].Review);
        }
    }

    [Fact]
    public async Task A_Review_Of_An_Unknown_Submission_Is_Not_Found()
    {
        var result = await Store.ReviewAsync(Guid.NewGuid(), new Review(ReviewDecision.Accepted, null, Noon, Office), null, Ct);

        Assert.Equal(ReviewStatus.NotFound, result.Status);
        Assert.Null(result.Revision);
    }
    [Fact]
    public async Task A_Closed_Period_Keeps_Every_Reporters_Name_It_Was_Closed_With_Until_It_Is_Reopened()
    {
        var catalogue = NewCatalogue();
        var (town, other) = (await NewReporterAsync(ReporterKind.Town), await NewReporterAsync(ReporterKind.Government));
        var (first, second) = (Named("古邵镇"), Named("古邵街道"));
        Assert.Equal(UpdateStatus.Updated, (await Store.UpdateReporterAsync(town, new ReporterChange(first), Ct)).Status);

        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(UpdateStatus.Updated, (await Store.UpdateReporterAsync(town, new ReporterChange(second), Ct)).Status);

        // Every reporter registered is recorded, as it was named at the close; a rename since is not.
        var closed = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal(first, closed.ReporterNames![town]);
        Assert.Equal("测试单位 " + other, closed.ReporterNames[other]);
        Assert.Equal(first, closed.NamesOf(await Store.ListReportersAsync(Ct)).Single(r => r.Id == town).Name);
        Assert.Null((await Store.GetPeriodAsync(catalogue, "2015", Ct)).ReporterNames);
        // Saved again as read, closed (a deadline moved), it keeps them.
        await Store.SavePeriodAsync(closed with { Deadline = Noon }, Ct);
        var moved = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((Noon, first), (moved.Deadline, moved.ReporterNames![town]));

        // Reopened it keeps none, and prints the names as they are; closed again it records them anew.
        await Store.SavePeriodAsync(closed with { Closed = false, ClosedAt = null }, Ct);
        var reopened = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Null(reopened.ReporterNames);
        Assert.Equal(second, reopened.NamesOf(await Store.ListReportersAsync(Ct)).Single(r => r.Id == town).Name);
        await Store.SavePeriodAsync(reopened with { Closed = true, ClosedAt = Noon.AddDays(1) }, Ct);
        Assert.Equal(second, (await Store.GetPeriodAsync(catalogue, "2014", Ct)).ReporterNames![town]);
    }

    [Fact]
    public async Task A_Closed_Periods_Settings_Saved_Again_As_Read_On_Their_Version_Keep_The_Names_It_Was_Closed_With()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var (first, second) = (Named("古邵镇"), Named("古邵街道"));
        Assert.Equal(UpdateStatus.Updated, (await Store.UpdateReporterAsync(town, new ReporterChange(first), Ct)).Status);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(UpdateStatus.Updated, (await Store.UpdateReporterAsync(town, new ReporterChange(second), Ct)).Status);
        var closed = await Store.GetPeriodAsync(catalogue, "2014", Ct);

        var saved = await Store.SavePeriodAsync(closed with { Deadline = Noon, ExpectedReporters = [town] }, closed.Version, Ct);

        var read = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal((closed.Version + 1, read.Version, true), (saved, closed.Version + 1, read.Closed));
        Assert.Equal(first, read.ReporterNames![town]);
        Assert.Equal(first, read.NamesOf(await Store.ListReportersAsync(Ct)).Single(r => r.Id == town).Name);
    }

    [Fact]
    public async Task A_Closed_Period_Takes_A_Return_And_An_Acceptance()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

        var returned = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "请更正", Noon, Office), null, Ct);

        Assert.Equal(ReviewStatus.Stored, returned.Status);
        Assert.Equal(new Review(ReviewDecision.Returned, "请更正", Noon, Office), (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        var accepted = await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, "数据无误", Noon.AddHours(1), Office), null, Ct);
        Assert.Equal(ReviewStatus.Stored, accepted.Status);
        Assert.Equal(new Review(ReviewDecision.Accepted, "数据无误", Noon.AddHours(1), Office), (await Store.GetSubmissionAsync(table.Id, Ct))!.Review);
        // Neither opens the period, nor changes its settings' version.
        var period = await Store.GetPeriodAsync(catalogue, "2014", Ct);
        Assert.Equal(PeriodSettings.Open(catalogue, "2014") with { Closed = true, ClosedAt = Noon, FirstClosedAt = Noon, Version = 1 }, period with { ReporterNames = null });
    }

    [Fact]
    public async Task A_Table_Returned_In_A_Closed_Period_Lets_Its_Reporter_Alone_Correct_It_Once()
    {
        var catalogue = NewCatalogue();
        var (town, other) = (await NewReporterAsync(ReporterKind.Town), await NewReporterAsync(ReporterKind.Town));
        var first = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)));
        Assert.False(first.ThroughReturn);
        var table = first.Submission!;
        await AppendAsync(Table(other, "2014", catalogue, ("1.1", 3)));
        var late = await NewReporterAsync(ReporterKind.Town);
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 8)))).Status);
        var versionBefore = await Store.GetVersionAsync(Ct);

        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);
        var token = new IdempotencyToken(Guid.NewGuid().ToString(), "correction", "h");
        var correction = Table(town, "2014", catalogue, ("1.1", 8));
        var corrected = await AppendAsync(correction, expected: 1, idempotency: token);

        Assert.Equal((AppendStatus.Created, 2, true), (corrected.Status, corrected.CurrentRevision, corrected.ThroughReturn));
        var stored = (await Store.GetSubmissionAsync(correction.Id, Ct))!;
        Assert.Equal(8m, Assert.Single(stored.Values).Value);
        Assert.Null(stored.Review); // the correction starts unreviewed (待审核)
        Assert.NotEqual(versionBefore, await Store.GetVersionAsync(Ct));
        var total = await Store.AggregateAsync(new AggregateQuery(catalogue, "2014", [], new HashSet<string>()), Ct);
        Assert.Equal(11m, Assert.Single(total.Cells, c => c.Code == "1.1").Sum);
        // Nobody else was let in: not another reporter of the period, nor one that never sent it.
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(other, "2014", catalogue, ("1.1", 4)))).Status);
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(late, "2014", catalogue, ("1.1", 1)))).Status);
        Assert.Single(await Store.ListRevisionsAsync(other, catalogue, "2014", Ct));
        Assert.Empty(await Store.ListRevisionsAsync(late, catalogue, "2014", Ct));
        // Once corrected, the table is locked again: a second correction waits for another return.
        var second = Table(town, "2014", catalogue, ("1.1", 9));
        Assert.Equal((AppendStatus.PeriodClosed, 2), await StatusAsync(AppendAsync(second)));
        Assert.Null(await Store.GetSubmissionAsync(second.Id, Ct));
        // A retry of the correction replays it, as every retry of a stored table does.
        var replay = await AppendAsync(Table(town, "2014", catalogue, ("1.1", 8)), expected: 1, idempotency: token);
        Assert.Equal((AppendStatus.Replayed, false), (replay.Status, replay.ThroughReturn));
        Assert.Equal(correction.Id, replay.Submission!.Id);
        Assert.Equal(2, (await Store.ListRevisionsAsync(town, catalogue, "2014", Ct)).Count);
        Assert.True((await Store.GetPeriodAsync(catalogue, "2014", Ct)).Closed);
    }

    private static async Task<(AppendStatus, int)> StatusAsync(Task<AppendResult> append)
    {
        var result = await append;
        return (result.Status, result.CurrentRevision);
    }

    [Fact]
    public async Task Corrections_Sent_At_Once_After_A_Return_In_A_Closed_Period_Store_Exactly_One()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);

        var results = await Task.WhenAll(Enumerable.Range(10, 6).Select(v => AppendAsync(Table(town, "2014", catalogue, ("1.1", v)))));

        Assert.Single(results, r => r.Status == AppendStatus.Created);
        Assert.All(results.Where(r => r.Status != AppendStatus.Created), r => Assert.Equal(AppendStatus.PeriodClosed, r.Status));
        Assert.Equal(2, (await Store.ListRevisionsAsync(town, catalogue, "2014", Ct)).Count);
    }

    [Fact]
    public async Task A_Close_Racing_Appends_And_A_Correction_Stores_Each_Before_It_Or_Refuses_It_And_The_Closed_Period_Holds_What_Was_Stored()
    {
        for (var round = 0; round < 6; round++)
        {
            var catalogue = NewCatalogue();
            var returned = await NewReporterAsync(ReporterKind.Town);
            var resending = await NewReporterAsync(ReporterKind.Town);
            var late = await NewReporterAsync(ReporterKind.Department);
            var fromQuarters = await NewReporterAsync(ReporterKind.Town);
            var table = (await AppendAsync(Table(returned, "2014", catalogue, ("1.1", 7)))).Submission!;
            await AppendAsync(Table(resending, "2014", catalogue, ("1.1", 3)));
            await AppendAsync(Table(fromQuarters, "2014Q1", catalogue, ("1.1", 1)));
            Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);

            // Everything starts at once behind one gate: the close, the correction of the returned table (taken closed or not),
            // a new revision, a first table, and a quarter of a reporter whose year is added up from its quarters.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<T> AtGate<T>(Func<Task<T>> work) => Task.Run(async () => { await gate.Task; return await work(); }, Ct);
            var corrected = Table(returned, "2014", catalogue, ("1.1", 8));
            var appends = new[]
            {
                AppendAt(corrected),
                AppendAt(Table(resending, "2014", catalogue, ("1.1", 4))),
                AppendAt(Table(late, "2014", catalogue, ("1.1", 20))),
                AppendAt(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 2))),
            };
            (Submission Table, Task<AppendResult> Task) AppendAt(Submission s) => (s, AtGate(() => AppendAsync(s)));
            var close = AtGate(() => Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct));
            gate.SetResult();
            await close;
            var results = await Task.WhenAll(appends.Select(a => a.Task));

            // The correction is stored whichever came first, through the return when the close came first; every other append
            // is stored (before the close) or refused as closed, and stored exactly when it says so.
            var correction = results[0];
            Assert.Equal((AppendStatus.Created, 2), (correction.Status, correction.Submission!.Revision));
            foreach (var (sent, result) in appends.Select(a => a.Table).Zip(results).Skip(1))
            {
                Assert.Contains(result.Status, new[] { AppendStatus.Created, AppendStatus.PeriodClosed });
                Assert.False(result.ThroughReturn);
                var revisions = await Store.ListRevisionsAsync(sent.ReporterId, catalogue, sent.Period, Ct);
                Assert.Equal(result.Status == AppendStatus.Created, revisions.Any(r => r.Id == sent.Id));
                Assert.Equal(result.Status == AppendStatus.Created, await Store.GetSubmissionAsync(sent.Id, Ct) is not null);
            }
            var period = await Store.GetPeriodAsync(catalogue, "2014", Ct);
            Assert.Equal((true, 1), (period.Closed, period.Version));

            // What the closed period holds is what was stored: the correction, and each append that was.
            var stored = appends.Select(a => a.Table).Zip(results).Where(a => a.Second.Status == AppendStatus.Created).Select(a => a.First).ToList();
            decimal Held(string reporter, string p, decimal before) => stored.SingleOrDefault(s => s.ReporterId == reporter && s.Period == p)?.Values[0].Value ?? before;
            var total = await Store.AggregateAsync(Year(catalogue), Ct);
            var town = 8m + Held(resending, "2014", 3) + 1 + Held(fromQuarters, "2014Q2", 0);
            var department = Held(late, "2014", 0);
            Assert.Equal(department == 0 ? [(ReporterKind.Town, town)] : [(ReporterKind.Department, department), (ReporterKind.Town, town)],
                total.Cells.Where(c => c.Code == "1.1").Select(c => (c.Kind, c.Sum)).OrderBy(c => c.Kind));
            Assert.Equal(department == 0 ? 3 : 4, total.Contributions.Count);

            // Nothing more gets in: the corrected table is locked again, and the closed year refuses the rest, its quarters included.
            Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(returned, "2014", catalogue, ("1.1", 9)))).Status);
            Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(resending, "2014", catalogue, ("1.1", 5)))).Status);
            Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(late, "2014", catalogue, ("1.1", 21)))).Status);
            Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(fromQuarters, "2014Q3", catalogue, ("1.1", 3)))).Status);
            var again = await Store.AggregateAsync(Year(catalogue), Ct);
            Assert.Equal(total.Cells, again.Cells);
            Assert.True((await Store.GetPeriodAsync(catalogue, "2014", Ct)).Closed);
        }
    }

    [Fact]
    public async Task A_Return_Replaced_By_An_Acceptance_Locks_The_Closed_Table_Again()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct);

        await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Accepted, null, Noon.AddHours(1), Office), null, Ct);
        var refused = Table(town, "2014", catalogue, ("1.1", 8));

        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(refused)).Status);
        Assert.Null(await Store.GetSubmissionAsync(refused.Id, Ct));
    }

    [Fact]
    public async Task A_Retired_Reporter_Stays_Refused_With_A_Returned_Table_Of_A_Closed_Period()
    {
        var catalogue = NewCatalogue();
        var town = await NewReporterAsync(ReporterKind.Town);
        var table = (await AppendAsync(Table(town, "2014", catalogue, ("1.1", 7)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(table.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);

        await Store.UpdateReporterAsync(town, new ReporterChange(SetsRetiredFrom: true, RetiredFrom: "2014"), Ct);
        var refused = Table(town, "2014", catalogue, ("1.1", 8));

        Assert.Equal(AppendStatus.ReporterRetired, (await AppendAsync(refused)).Status);
        Assert.Null(await Store.GetSubmissionAsync(refused.Id, Ct));
    }

    [Fact]
    public async Task A_Returned_Table_Of_A_Closed_Year_Lets_Its_Reporter_Correct_That_Table_Alone()
    {
        var catalogue = NewCatalogue();
        var withYear = await NewReporterAsync(ReporterKind.Town);
        var fromQuarters = await NewReporterAsync(ReporterKind.Town);
        var year = (await AppendAsync(Table(withYear, "2014", catalogue, ("1.1", 9)))).Submission!;
        var quarter = (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 2)))).Submission!;
        await Store.SavePeriodAsync(new PeriodSettings(catalogue, "2014", true, Noon, null, null), Ct);

        // The year's own table, returned: its reporter sends the corrected year.
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(year.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);
        Assert.Equal((AppendStatus.Created, 2), await StatusAsync(AppendAsync(Table(withYear, "2014", catalogue, ("1.1", 10)))));
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(withYear, "2014", catalogue, ("1.1", 11)))).Status);
        // A quarter a closed year closes to its reporter (its year is added up from its quarters), returned: that quarter's
        // correction is let in, and no other quarter of the year.
        Assert.Equal(ReviewStatus.Stored, (await Store.ReviewAsync(quarter.Id, new Review(ReviewDecision.Returned, "1.1 有误", Noon, Office), null, Ct)).Status);
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(fromQuarters, "2014Q3", catalogue, ("1.1", 3)))).Status);
        var quarterCorrected = await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 4)));
        Assert.Equal((AppendStatus.Created, 2, true), (quarterCorrected.Status, quarterCorrected.CurrentRevision, quarterCorrected.ThroughReturn));
        Assert.Equal(AppendStatus.PeriodClosed, (await AppendAsync(Table(fromQuarters, "2014Q2", catalogue, ("1.1", 5)))).Status);
        Assert.Empty(await Store.ListRevisionsAsync(fromQuarters, catalogue, "2014Q3", Ct));
        Assert.Empty(await Store.ListRevisionsAsync(fromQuarters, catalogue, "2014", Ct));
        Assert.True((await Store.GetPeriodAsync(catalogue, "2014", Ct)).Closed);
    }

    // ---- audit log -------------------------------------------------------------------------------

    /// <summary>An hour of its own for each test, far from the others', since the log is one list for the whole store.</summary>
    private static DateTimeOffset NewHour() =>
        new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(Random.Shared.Next(0, 24 * 365 * 500)).AddMilliseconds(123);

    private static AuditEntry Entry(DateTimeOffset at, string? detail = "registered 'gushao-town' 古邵镇 (town)", string? holder = "张三") =>
        new(Guid.CreateVersion7(at), at, "POST", "/v1/reporters", "v1/reporters", 201, Guid.NewGuid(), KeyRole.Admin, null, holder, "10.0.0.7", detail);

    [Fact]
    public async Task Audit_Entries_Round_Trip_And_Are_Listed_Newest_First_Within_The_Time_Asked_For()
    {
        var hour = NewHour();
        var first = Entry(hour);
        var refused = new AuditEntry(Guid.CreateVersion7(hour.AddSeconds(1)), hour.AddSeconds(1), "GET", "/v1/reporters/other", "v1/reporters/{id}", 403,
            Guid.NewGuid(), KeyRole.Reporter, "r-own", null, null, null);
        var last = Entry(hour.AddMinutes(59).AddSeconds(59), detail: "'gushao-town': name 古邵镇 → 古邵镇人民政府", holder: null);
        var later = Entry(hour.AddHours(1));
        var earlier = Entry(hour.AddMilliseconds(-1));
        foreach (var e in new[] { later, first, last, refused, earlier }) await Store.AppendAuditAsync(e, Ct);

        Assert.Equal([last, refused, first], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100), Ct));
        Assert.Equal([later, last, refused, first, earlier],
            (await Store.ListAuditAsync(new AuditQuery(hour.AddHours(-1), hour.AddHours(2), null, 100), Ct)));
        Assert.Equal([later], await Store.ListAuditAsync(new AuditQuery(hour.AddHours(1), hour.AddHours(2), null, 100), Ct));
        Assert.Equal([later, last], await Store.ListAuditAsync(new AuditQuery(null, hour.AddHours(2), null, 2), Ct));
    }

    [Fact]
    public async Task Audit_Pages_Run_On_From_The_Id_Of_The_Last_Entry_Read_Same_Millisecond_Entries_Included()
    {
        var hour = NewHour();
        // Three in one millisecond: their order is their ids', which differ only after the time.
        List<AuditEntry> entries = [Entry(hour), Entry(hour.AddSeconds(1)), Entry(hour.AddSeconds(1)), Entry(hour.AddSeconds(1)), Entry(hour.AddSeconds(2))];
        foreach (var e in entries) await Store.AppendAuditAsync(e, Ct);
        var newestFirst = entries.OrderByDescending(e => e.Id.ToString("D"), StringComparer.Ordinal).ToList();

        var read = new List<AuditEntry>();
        Guid? before = null;
        for (var page = 0; page < 5; page++)
        {
            var items = await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), before, 2), Ct);
            Assert.True(items.Count <= 2);
            read.AddRange(items);
            if (items.Count < 2) break;
            before = items[^1].Id;
        }
        Assert.Equal(newestFirst, read);
        Assert.Equal(entries[^1], newestFirst[0]);
        Assert.Equal(entries[0], newestFirst[^1]);
    }

    [Fact]
    public async Task The_Audit_Log_Of_One_Key_Is_Its_Entries_Alone()
    {
        var hour = NewHour();
        var (mine, other) = (Entry(hour), Entry(hour.AddSeconds(1)));
        var again = Entry(hour.AddSeconds(2)) with { KeyId = mine.KeyId };
        foreach (var e in new[] { mine, other, again }) await Store.AppendAuditAsync(e, Ct);

        Assert.Equal([again, mine], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, mine.KeyId), Ct));
        Assert.Equal([mine], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), again.Id, 100, mine.KeyId), Ct));
        Assert.Empty(await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, Guid.NewGuid()), Ct));
    }

    [Fact]
    public async Task The_Audit_Log_Of_One_Reporter_Or_One_Action_Is_Its_Entries_Alone()
    {
        var hour = NewHour();
        var town = $"town-{Guid.NewGuid():N}";
        var submitted = new AuditEntry(Guid.CreateVersion7(hour), hour, "PATCH", $"/v1/reporters/{town}", "v1/reporters/{id}", 200,
            Guid.NewGuid(), KeyRole.Reporter, town, null, null, null);
        var refused = submitted with { Id = Guid.CreateVersion7(hour.AddSeconds(1)), At = hour.AddSeconds(1), Method = "POST", Path = "/v1/keys", Route = "v1/keys", Status = 403 };
        var other = submitted with { Id = Guid.CreateVersion7(hour.AddSeconds(2)), At = hour.AddSeconds(2), ReporterId = "another-town" };
        var admin = Entry(hour.AddSeconds(3));
        foreach (var e in new[] { submitted, refused, other, admin }) await Store.AppendAuditAsync(e, Ct);

        Assert.Equal([refused, submitted], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, ReporterId: town), Ct));
        Assert.Equal([submitted], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), refused.Id, 100, ReporterId: town), Ct));
        Assert.Equal([other, submitted], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, Action: new AuditAction("PATCH", "v1/reporters/{id}")), Ct));
        Assert.Equal([submitted], await Store.ListAuditAsync(
            new AuditQuery(hour, hour.AddHours(1), null, 100, submitted.KeyId, town, new AuditAction("PATCH", "v1/reporters/{id}")), Ct));
        Assert.Equal([admin], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, Action: new AuditAction("POST", "v1/reporters")), Ct));
        Assert.Empty(await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, ReporterId: town, Action: new AuditAction("POST", "v1/reporters")), Ct));
    }

    [Fact]
    public async Task An_Entry_Without_A_Key_Round_Trips_And_Is_No_Keys_Entry()
    {
        var hour = NewHour();
        // An address refused for too many wrong keys: no key to name, its address and what happened.
        var blocked = new AuditEntry(Guid.CreateVersion7(hour), hour, "GET", "/v1/me", "v1/me", 401, null, null, null, null, "203.0.113.7",
            "20 次使用无效密钥，5 分钟内不再接受该地址的密钥");
        var keyed = Entry(hour.AddSeconds(1));
        foreach (var e in new[] { blocked, keyed }) await Store.AppendAuditAsync(e, Ct);

        Assert.Equal([keyed, blocked], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100), Ct));
        Assert.Equal([keyed], await Store.ListAuditAsync(new AuditQuery(hour, hour.AddHours(1), null, 100, keyed.KeyId), Ct));
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    [Fact]
    public async Task Initialising_Again_Is_Harmless_And_The_Store_Answers_Pings()
    {
        await Store.InitialiseAsync(Ct);
        Assert.True(await Store.PingAsync(Ct));
        Assert.Equal(AppendStatus.Created, (await AppendAsync(Table(await NewReporterAsync(), "2014", NewCatalogue(), ("1.1", 1)))).Status);
    }
}
