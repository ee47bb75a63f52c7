using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Disclosure.Client.Tests;

/// <summary>The service in-process on a fresh embedded database, reached only through the client generated from the committed document.</summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "client-test-admin-key-0123456789";
    private readonly string database = Path.Combine(Path.GetTempPath(), $"disclosure-client-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={database}");
        builder.UseSetting("Auth:AdminKey", AdminKey);
        // An empty folder of its own rather than the machine's /run/secrets; one that is set must exist.
        builder.UseSetting("SecretsDirectory", Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "disclosure-no-secrets")).FullName);
    }

    /// <summary>An HttpClient as an integrator would configure it: the service's address and an API key header.</summary>
    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(database + suffix); } catch (IOException) { }
    }
}

public sealed class GeneratedClientTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private const string Catalogue = "gov-info-disclosure-2014";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewReporterId() => $"client-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task An_Integrator_Registers_A_Reporter_Issues_A_Key_Submits_The_Seed_Table_And_Reads_The_Aggregate()
    {
        var admin = service.WithKey(ServiceFactory.AdminKey);
        var reporterId = NewReporterId();

        var reporter = await new ReportersClient(admin).CreateAsync(new ReportersCreateRequest { Id = reporterId, Name = "峄城区人民政府", Kind = ReporterKind.Government }, Ct);
        Assert.Equal(reporterId, reporter.Id);
        Assert.Equal(ReporterKind.Government, reporter.Kind);

        var key = await new KeysClient(admin).CreateAsync(new KeysCreateRequest { Role = KeyRole.Reporter, Reporter = reporterId }, Ct);
        Assert.Equal(KeyRole.Reporter, key.Role);
        Assert.StartsWith("dk_", key.Key);

        var submissions = new SubmissionsClient(service.WithKey(key.Key));
        var body = new SubmissionsSubmitRequest
        {
            Reporter = reporterId,
            Period = "2014",
            Catalogue = Catalogue,
            Values = [.. Seed.Values.Select(v => new SubmissionsValueItem { Code = v.Key, Value = v.Value })],
        };
        var idempotencyKey = Guid.NewGuid().ToString("N");
        var stored = await submissions.SubmitAsync(null, idempotencyKey, null, body, Ct);
        Assert.Equal(1, stored.Revision);
        Assert.Empty(stored.Warnings);
        var replayed = await submissions.SubmitAsync(null, idempotencyKey, null, body, Ct);
        Assert.Equal(stored.Id, replayed.Id);

        var table = await new AggregatesClient(admin).GetAsync(Catalogue, "2014", reporterId, null, null, null, null, null, null, Ct);
        Assert.Equal(1, table.Completeness.Submitted);
        var totals = table.Rows.Where(r => r.Role == RowRole.Value).ToDictionary(r => r.Code, r => r.Total);
        Assert.Equal(Seed.Rows.Where(r => r.Role == "value").ToDictionary(r => r.Code, r => r.Value), totals);
        Assert.Equal(11841, table.Rows.Single(r => r.Code == "1.1").Government);
        Assert.Empty(table.Violations);

        // The reporter's own table takes the district form's layout and 报出日期; one dated ahead of today is refused, naming it.
        var own = new AggregatesClient(admin);
        var dated = await own.GetReporterAsync(Catalogue, "2014", reporterId, null, "publication", "2015-01-14", null, Ct);
        Assert.Equal(11841, dated.Rows.Single(r => r.Code == "1.1").Government);
        var ahead = await Assert.ThrowsAsync<ApiException<ValidationProblemDetails>>(() => own.GetReporterAsync(Catalogue, "2014", reporterId, "html", null, "2099-01-01", null, Ct));
        Assert.Equal("reportDate", Assert.Single(ahead.Result.Errors).Name);
    }

    [Fact]
    public async Task An_Integrator_Corrects_A_Reporters_Name_And_Reads_A_Key_By_Its_Id()
    {
        var admin = service.WithKey(ServiceFactory.AdminKey);
        var reporterId = NewReporterId();
        var reporters = new ReportersClient(admin);
        await reporters.CreateAsync(new ReportersCreateRequest { Id = reporterId, Name = "城关真", Kind = ReporterKind.Town }, Ct);

        var renamed = await reporters.RenameAsync(reporterId, new ReportersRenameRequest { Name = "城关镇" }, Ct);
        Assert.Equal("城关镇", renamed.Name);
        Assert.Equal(ReporterKind.Town, renamed.Kind);
        Assert.Equal("城关镇", (await reporters.GetAsync(reporterId, Ct)).Name);
        var refused = await Assert.ThrowsAsync<ApiException<UnprocessableProblemDetails>>(() =>
            reporters.RenameAsync(reporterId, new ReportersRenameRequest { Name = "城关镇", Kind = ReporterKind.Department }, Ct));
        Assert.Equal("kind-unchangeable", Assert.Single(refused.Result.Violations).Rule);

        // The office keys in the town's table with the time on its e-mail: the generated client sends the text, offset and all.
        var keyed = await new SubmissionsClient(admin).SubmitAsync("2015-01-18T09:30:00+08:00", null, null, new SubmissionsSubmitRequest
        {
            Reporter = reporterId, Period = "2014", Catalogue = Catalogue, Values = [new SubmissionsValueItem { Code = "13.1", Value = 1 }],
        }, Ct);
        Assert.Equal(new DateTimeOffset(2015, 1, 18, 1, 30, 0, TimeSpan.Zero), keyed.SentAt);

        var keys = new KeysClient(admin);
        var issued = await keys.CreateAsync(new KeysCreateRequest { Role = KeyRole.Reporter, Reporter = reporterId }, Ct);
        var read = await keys.GetAsync(issued.Id, Ct);
        Assert.Equal(issued.Id, read.Id);
        Assert.Equal(KeyRole.Reporter, read.Role);
        Assert.Equal(reporterId, read.Reporter);
        Assert.Null(read.RevokedAt);
    }

    [Fact]
    public async Task A_Refused_Table_Surfaces_As_The_Documented_422_With_Its_Violations()
    {
        var admin = service.WithKey(ServiceFactory.AdminKey);
        var reporterId = NewReporterId();
        await new ReportersClient(admin).CreateAsync(new ReportersCreateRequest { Id = reporterId, Name = "峄城区教育局", Kind = ReporterKind.Department }, Ct);

        var broken = new SubmissionsSubmitRequest
        {
            Reporter = reporterId,
            Period = "2014",
            Catalogue = Catalogue,
            Values = [new SubmissionsValueItem { Code = "3.1", Value = 7 }, new SubmissionsValueItem { Code = "3.1.1", Value = 5 }],
        };
        var refused = await Assert.ThrowsAsync<ApiException<UnprocessableProblemDetails>>(() => new SubmissionsClient(admin).SubmitAsync(null, null, null, broken, Ct));
        Assert.Equal(422, refused.StatusCode);
        var violation = Assert.Single(refused.Result.Violations, v => v.Severity == Severity.Error);
        Assert.Equal("sum", violation.Rule);
        Assert.Equal("3.1", violation.Codes?.First());

        var revisions = await new SubmissionsClient(admin).ListAsync(reporterId, Catalogue, "2014", Ct);
        Assert.Equal(0, revisions.CurrentRevision);
    }

    [Fact]
    public async Task A_Conflict_Surfaces_As_The_Documented_409_With_What_It_Is_With()
    {
        var admin = service.WithKey(ServiceFactory.AdminKey);
        var reporterId = NewReporterId();
        await new ReportersClient(admin).CreateAsync(new ReportersCreateRequest { Id = reporterId, Name = "峄城区坛山街道办事处", Kind = ReporterKind.Town }, Ct);
        var submissions = new SubmissionsClient(admin);
        SubmissionsSubmitRequest Table(string period, int? expectedRevision = null, int value = 1) => new()
        {
            Reporter = reporterId, Period = period, Catalogue = Catalogue, ExpectedRevision = expectedRevision,
            Values = [new SubmissionsValueItem { Code = "13.1", Value = value }],
        };
        await submissions.SubmitAsync(null, null, null, Table("2014"), Ct);

        // Another figure: the same table again would replace nothing, and is answered 200 whatever revision it expected.
        var stale = await Assert.ThrowsAsync<ApiException<ConflictProblemDetails>>(() => submissions.SubmitAsync(null, null, null, Table("2014", expectedRevision: 0, value: 2), Ct));
        Assert.Equal(409, stale.StatusCode);
        Assert.EndsWith("/revision-conflict", stale.Result.Type);
        Assert.Equal(1, stale.Result.CurrentRevision);
        Assert.Null(stale.Result.Period);

        var periods = new PeriodsClient(admin);
        // A close names the settings it replaces as the PUT does: a version they never had is the documented 409, nothing closed.
        var blind = await Assert.ThrowsAsync<ApiException<ConflictProblemDetails>>(() => periods.CloseAsync(Catalogue, "2012", "\"99\"", Ct));
        Assert.EndsWith("/settings-conflict", blind.Result.Type);
        Assert.False((await periods.GetAsync(Catalogue, "2012", null, Ct)).Closed);

        await periods.CloseAsync(Catalogue, "2012", null, Ct);
        var closed = await Assert.ThrowsAsync<ApiException<ConflictProblemDetails>>(() => submissions.SubmitAsync(null, null, null, Table("2012"), Ct));
        Assert.Equal("2012", closed.Result.Period);
    }

    [Fact]
    public async Task A_Request_Without_A_Key_Surfaces_As_The_Documented_401()
    {
        var anonymous = service.CreateClient();
        var refused = await Assert.ThrowsAsync<ApiException<UnauthorizedProblemDetails>>(() => new ReportersClient(anonymous).ListAsync(Ct));
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(401, refused.Result.Status);
        Assert.EndsWith("/unauthorized", refused.Result.Type);
        Assert.Null(refused.Result.ExpiredAt);

        var catalogues = await new CataloguesClient(anonymous).ListAsync(Ct);
        Assert.Contains(catalogues.Items, c => c.Id == Catalogue);
    }
}

/// <summary>The seed's district table (峄城区 2014, column <c>yicheng2014</c> of the reference transcription).</summary>
public static class Seed
{
    public static readonly IReadOnlyList<(string Code, string Role, decimal? Value)> Rows = Load();

    public static IEnumerable<KeyValuePair<string, decimal>> Values =>
        Rows.Where(r => r.Role == "value" && r.Value is not null).Select(r => KeyValuePair.Create(r.Code, r.Value!.Value));

    private static List<(string, string, decimal?)> Load()
    {
        var rows = new List<(string, string, decimal?)>();
        string[]? header = null;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "gov-info-disclosure-2014.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split('\t');
            if (header is null) { header = fields; continue; }
            var value = fields[Array.IndexOf(header, "yicheng2014")];
            rows.Add((fields[0], fields[2], value.Length == 0 ? null : decimal.Parse(value, CultureInfo.InvariantCulture)));
        }
        return rows;
    }
}
