using System.Text.Json;
using Disclosure.Storage;
using Disclosure.Catalogue;

namespace Disclosure.Api.Features.Templates;

/// <summary>
/// A reporter's table of a catalogue for a period: the one a workbook's recorded revision is of. A hidden defined name holds it
/// as a string constant, <c>"town-a/gov-info-disclosure-2014/2014Q1"</c> ('/' is in no reporter id, catalogue id or period).
/// </summary>
public sealed record WorkbookTable(string Reporter, string Catalogue, string Period)
{
    /// <summary>Whether this is the table a body names (a period compared as a period: <c>2014q1</c> is 2014Q1).</summary>
    public bool Is(string? reporter, string? catalogue, string? period) =>
        reporter == Reporter && catalogue == Catalogue
        && (Disclosure.Catalogue.Period.TryParse(period, out var p) && Disclosure.Catalogue.Period.TryParse(Period, out var q) ? p == q : period == Period);

    /// <summary>The defined name's formula: the table as an Excel string constant.</summary>
    public string Formula(params string[] more) => Constant(string.Join('/', [Reporter, Catalogue, Period, .. more]));

    /// <summary>
    /// The table a defined name's formula spells, and the <paramref name="more"/> parts after it; null for a formula that is not
    /// one (something rewrote the name): then the workbook is read as one that records no table.
    /// </summary>
    public static WorkbookTable? Parse(string formula, int more = 0)
    {
        var text = formula.Trim().TrimStart('=').Trim();
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return null;
        var parts = text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal).Split('/');
        return parts.Length == 3 + more && parts.All(p => p.Length > 0) ? new(parts[0], parts[1], parts[2]) { Rest = parts[3..] } : null;
    }

    /// <summary>The parts after the table that <see cref="Parse"/> was asked for (a 分单位 column's revision).</summary>
    public IReadOnlyList<string> Rest { get; private init; } = [];

    public override string ToString() => $"'{Reporter}', {Catalogue}, {Period}";

    private static string Constant(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>
/// What an uploaded workbook records of where it came from: the revision its template was filled in from (null: not
/// recorded) and the table that revision is of (null: not recorded, a template of a build before it, whose revision is taken
/// to be of the table its sheet names). For the submit and dry-run endpoints, which refuse a workbook made from an older
/// revision than the current one unless the request names the revision it replaces.
/// </summary>
public sealed record WorkbookOrigin(int? MadeFromRevision, WorkbookTable? MadeFor = null)
{
    /// <summary>Where each value cell of the workbook is, by code: its sheet and cell.</summary>
    public IReadOnlyDictionary<string, (string Sheet, string Cell)> Cells { get; init; } = new Dictionary<string, (string, string)>();

    /// <summary>Where the other cells of a code found more than once are (a row copied), for its duplicate-code violation to name each.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Sheet, string Cell)>> Copies { get; init; } = new Dictionary<string, IReadOnlyList<(string, string)>>();

    /// <summary>The codes whose cells held a number kept as text (Excel's 以文本形式存储的数字), which Excel's SUM leaves out.</summary>
    public IReadOnlySet<string> TextNumbers { get; init; } = new HashSet<string>();

    /// <summary>The codes whose cells held a formula, read as the value Excel saved with it.</summary>
    public IReadOnlySet<string> Formulas { get; init; } = new HashSet<string>();

    /// <summary>Where the header's catalogue, period and reporter are (keyed by the body's field names), with their labels.</summary>
    public IReadOnlyDictionary<string, (string Sheet, string Cell, string Label)> Header { get; init; } = new Dictionary<string, (string, string, string)>();

    /// <summary>
    /// The violations with the workbook cells of their codes (<see cref="Violation.Cells"/>), which their messages name as well:
    /// the person filled in the workbook, and reads 表3 K6 where a JSON client reads <c>3.1:total</c>. A violation of the
    /// table's header (an unknown reporter, a closed period: <see cref="HeaderField"/>) names the header's cell in its messages.
    /// </summary>
    public IReadOnlyList<Violation> Locate(IReadOnlyList<Violation> violations, Catalogue.Catalogue? catalogue) =>
        [.. violations.Select(v => Locate(v, catalogue))];

    /// <summary>Which header cell a rule of the registry or the store is about; null for a rule about the figures.</summary>
    private static string? HeaderField(string rule) => rule switch
    {
        Infrastructure.RegistryRuleIds.UnknownReporter or Infrastructure.RegistryRuleIds.ReporterRetired => "reporter",
        Infrastructure.RegistryRuleIds.UnknownCatalogue => "catalogue",
        Catalogue.RuleIds.Period or Infrastructure.RegistryRuleIds.PeriodNotBegun or Infrastructure.RegistryRuleIds.PeriodClosed => "period",
        _ => null,
    };

    private Violation Locate(Violation violation, Catalogue.Catalogue? catalogue)
    {
        // Such a rule's codes, if any, are the header's value (the unknown reporter's id), not cells.
        if (HeaderField(violation.Rule) is { } field && Header.TryGetValue(field, out var at))
            return violation with
            {
                MessageZh = $"{violation.MessageZh}（Excel 中：工作表“{at.Sheet}”{at.Cell}〔{at.Label}〕）",
                Message = $"{violation.Message} (in the workbook: sheet {at.Sheet}, cell {at.Cell} [{at.Label}])",
            };
        if (catalogue is null) return violation;
        // A code given twice is in two cells: its violation names the copy too.
        IEnumerable<(string Sheet, string Cell)> Places(string code) =>
            Cells.TryGetValue(code, out var at) ? [at, .. violation.Rule == RuleIds.DuplicateCode && Copies.TryGetValue(code, out var more) ? more : []] : [];
        var cells = violation.Codes
            .SelectMany(code => catalogue.TryGetCell(code, out var cell) ? Places(code).Select(at => new CellLocation(code, at.Sheet, at.Cell, cell.Name)) : [])
            .ToList();
        if (cells.Count == 0) return violation;
        var first = cells[0];
        // The others by cell alone while they are on the sheet before them: 表3 K6 (…), E6, F6.
        string Others(string comma, Func<string, string> sheet) =>
            string.Concat(cells.Skip(1).Select((c, i) => c.Sheet == cells[i].Sheet ? $"{comma}{c.Cell}" : $"{comma}{sheet(c.Sheet)}{c.Cell}"));
        var (textZh, text) = TextInSum(violation, cells);
        return violation with
        {
            Cells = cells,
            MessageZh = $"{violation.MessageZh}（Excel 中：工作表“{first.Sheet}”{first.Cell}〔{first.Name}〕{Others("、", s => $"工作表“{s}”")}）{textZh}",
            Message = $"{violation.Message} (in the workbook: sheet {first.Sheet}, cell {first.Cell} [{first.Name}]{Others(", ", s => $"sheet {s}, cell ")}){text}",
        };
    }

    /// <summary>
    /// Why a sum whose whole is a formula differs from its parts when some part is a number kept as text: Excel's SUM leaves text
    /// out, so the person sees a whole that agrees with the figures Excel counted, while this service reads the text as the number
    /// it shows. Said with the cells to convert; empty for any other violation.
    /// </summary>
    private (string Zh, string En) TextInSum(Violation violation, List<CellLocation> cells)
    {
        if (violation.Rule != RuleIds.Sum || violation.Codes.Count < 2 || !Formulas.Contains(violation.Codes[0])) return ("", "");
        var text = cells.Where(c => c.Code != violation.Codes[0] && TextNumbers.Contains(c.Code)).ToList();
        if (text.Count == 0) return ("", "");
        var whole = cells.FirstOrDefault(c => c.Code == violation.Codes[0]);
        var at = string.Join("、", text.Select(c => $"{c.Cell}（{c.Code}）"));
        return ($"注意：{at}是“以文本形式存储的数字”（格的左上角有绿色小三角），Excel 的求和公式不计它，所以 {whole?.Cell ?? violation.Codes[0]} 的公式在 Excel 中算得 {violation.Actual}；" +
                $"本系统按它显示的数字计入，分项合计为 {violation.Expected}。请在 Excel 中选中 {string.Join("、", text.Select(c => c.Cell))}，点旁边的感叹号，选“转换为数字”，公式即重新计算，保存后再上传。",
            $" Note: {string.Join(", ", text.Select(c => $"{c.Cell} ({c.Code})"))} hold numbers stored as text, which Excel's SUM leaves out: that is why the formula in " +
                $"{whole?.Cell ?? violation.Codes[0]} gives {violation.Actual} in Excel, while this service counts the number shown and the parts add up to {violation.Expected}. " +
                "Select those cells in Excel, choose Convert to Number, and upload the workbook again.");
    }

    /// <summary>
    /// The table the workbook was made for when its sheet now names another (last quarter's file with its period, or its
    /// reporter, typed over); null when it names that table, or the workbook does not record one.
    /// </summary>
    public WorkbookTable? OtherThan(Submissions.SubmissionBody body) =>
        MadeFor is { } made && !made.Is(body.Reporter, body.Catalogue, body.Period) ? made : null;

    /// <summary>
    /// The revision of the table the body names that the workbook was filled in from: the recorded one for its own table, none
    /// (0, as a blank template) for a table it was not made from, null when it records none. A revision of another table says
    /// nothing about this one: taken as this one's, it would let the workbook replace a revision it never saw.
    /// </summary>
    public int? RevisionFor(Submissions.SubmissionBody body) => OtherThan(body) is null ? MadeFromRevision : 0;
}

/// <summary>
/// Turns a filled-in template sent to <c>POST /v1/submissions</c> or <c>/validate</c> into the JSON body it stands for,
/// before the endpoint binds it: from there on a workbook is a JSON submission, judged, stored and answered by the same
/// code (idempotency, If-Match and the key's rights included). FastEndpoints binds JSON bodies only, hence a middleware.
/// </summary>
public sealed class WorkbookBodies(RequestDelegate next)
{
    public static readonly PathString[] Paths = ["/v1/submissions", "/v1/submissions/validate"];

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // As routing matches them: in any case, and with a slash at the end. A compressed workbook is left to ContentTypeRequired's 415.
        return HttpMethods.IsPost(request.Method) && Paths.Contains(new PathString(request.Path.Value?.TrimEnd('/')))
            && Infrastructure.ContentTypeRequired.Compressed(request) is null
            && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals(SubmissionWorkbook.MediaType, StringComparison.OrdinalIgnoreCase)
            ? ReadWorkbookAsync(context)
            : next(context);
    }

    private async Task ReadWorkbookAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        byte[] json;
        try
        {
            var read = SubmissionWorkbook.Read(body.ToArray());
            json = await WithReporterIdAsync(read, context);
            context.Features.Set(read.Origin);
        }
        catch (WorkbookException e)
        {
            await e.Problem(context).ExecuteAsync(context);
            return;
        }
        request.Body = new MemoryStream(json);
        request.ContentType = "application/json";
        request.ContentLength = json.Length;
        await next(context);
    }

    /// <summary>
    /// The body with the reporter the header's reporter cell means, as a 分单位填报 id cell is read (<see cref="ReportersWorkbook.Meant"/>):
    /// a person may type the reporter's registered name there, or its id in capitals. Text that means no reporter, or two, is
    /// refused naming the cell, rather than as a malformed id in the JSON body's terms.
    /// </summary>
    private static async Task<byte[]> WithReporterIdAsync(WorkbookBody read, HttpContext context)
    {
        var body = JsonSerializer.Deserialize<Submissions.SubmissionBody>(read.Json, Infrastructure.Json.Options)!;
        var typed = body.Reporter ?? "";
        var store = context.RequestServices.GetRequiredService<IReporterStore>();
        // A registered id, as the template writes it, is read without the list; text shaped as an id may still be a name (gsj-old
        // registered as 区工商局's), which the 分单位 workbook reads by name too.
        if (Reporters.ReporterIds.IsValid(typed) && await store.GetReporterAsync(typed, context.RequestAborted) is not null) return read.Json;
        var registered = await store.ListReportersAsync(context.RequestAborted);
        var meant = ReportersWorkbook.Meant(typed, registered.ToDictionary(r => r.Id, StringComparer.Ordinal),
            registered.ToLookup(r => Reporter.NormaliseName(r.Name), StringComparer.Ordinal));
        // An id no reporter is registered under, nor any reporter's name: the judge's 422 unknown-reporter, which names the cell.
        if (meant.Count == 0 && Reporters.ReporterIds.IsValid(typed)) return read.Json;
        if (meant is not [var reporter])
        {
            var (sheet, cell, label) = read.Origin.Header["reporter"];
            var (zh, en) = meant.Count == 0
                ? ("既不是已登记单位的代码，也不是其名称：请填本单位的代码（模板下载时已填好），或重新下载模板。", "which is neither a registered reporter's id nor its name: enter the reporter's id, as the template had it.")
                : ($"可能是{string.Join("，也可能是", meant.Select(r => $" {r.Id}（{r.Name}）"))}：请改为本单位的代码。", $"which may be {string.Join(" or ", meant.Select(r => $"reporter {r.Id} ({r.Name})"))}: enter the id of the one meant.");
            throw new WorkbookException($"工作表“{sheet}”{cell} 格〔{label}〕填的“{typed}”{zh}The sheet {sheet}, cell {cell} [{label}] holds '{typed}', {en}", $"Sheet {sheet}, cell {cell}");
        }
        body.Reporter = reporter.Id;
        return JsonSerializer.SerializeToUtf8Bytes(body, Infrastructure.Json.Options);
    }
}
