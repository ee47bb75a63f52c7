using System.Reflection;
using Disclosure.Catalogue;

namespace Disclosure.Api.Infrastructure;

/// <summary>The rule ids of the registry's and the store's refusals, which a 422 lists beside the catalogue engine's.</summary>
public static class RegistryRuleIds
{
    /// <summary>The reporter named (in <c>codes</c>) is not registered.</summary>
    public const string UnknownReporter = "unknown-reporter";
    /// <summary>The catalogue named is not one the service has.</summary>
    public const string UnknownCatalogue = "unknown-catalogue";
    /// <summary>The period has not begun yet: a table counts what happened in its period.</summary>
    public const string PeriodNotBegun = "period-not-begun";
    /// <summary>Every cell of the table is blank: give the figures, 0 where there were none.</summary>
    public const string EmptyTable = "empty-table";
    /// <summary>
    /// The reporter is retired for the period (<c>expected</c>: its <c>retiredFrom</c>, <c>actual</c>: the period; the problem's
    /// <c>retiredFrom</c> too).
    /// </summary>
    public const string ReporterRetired = "reporter-retired";
    /// <summary>The period is closed, so the table would be refused <c>409 period-closed</c> (<c>closedAt</c>).</summary>
    public const string PeriodClosed = "period-closed";
    /// <summary><c>expectedRevision</c> or <c>If-Match</c> is not the current revision, so the table would be refused <c>409 revision-conflict</c>.</summary>
    public const string RevisionConflict = "revision-conflict";
    /// <summary>The workbook was filled in from another revision than the current one, so it would be refused <c>409 stale-workbook</c>.</summary>
    public const string StaleWorkbook = "stale-workbook";
    /// <summary>The <c>Idempotency-Key</c> was used before with a different request: use a new key for a new request.</summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    /// <summary>
    /// A warning, never a refusal: a catalogue that begins later (<c>expected</c>, its id) takes the table's period too, and the
    /// district reports that period on it; the table sent on this one (<c>actual</c>) is in neither its district table nor its completeness.
    /// </summary>
    public const string NewerCatalogue = "newer-catalogue";
    /// <summary>A reporter's change gives another kind than its own (<c>expected</c>, <c>actual</c>): the kind never changes.</summary>
    public const string KindUnchangeable = "kind-unchangeable";
    /// <summary>The 分单位 workbook uploaded is of another catalogue or period than the path names.</summary>
    public const string WorkbookMismatch = "workbook-mismatch";
}

/// <summary>
/// Every rule id a violation (<c>violations[].rule</c>, a consistency read's <c>items[].rule</c>) can carry besides a catalogue's own
/// rule ids: the public string constants of the classes below, each described by its XML summary, which the OpenAPI document lists.
/// A violation is made with one of these constants, never with a literal (<c>OpenApiDocumentTests</c> checks both).
/// </summary>
public static class ViolationRules
{
    public sealed record Group(string Heading, IReadOnlyList<FieldInfo> Rules);

    public static IReadOnlyList<Group> Groups { get; } =
    [
        new("A table, as a submission or its dry run checks it against its catalogue", Constants(typeof(RuleIds))),
        new("The registry and the store, on a submission or its dry run, a template or a reporter's change", Constants(typeof(RegistryRuleIds))),
        new("Warnings, never refusals, of a dry run and of the consistency reads (`…/far-from-last-year`, `…/differs-from-quarters`, " +
            "`…/differs-from-last-year-carried`)", Constants(typeof(YearOnYear), typeof(YearAndQuarters), typeof(CarriedOver))),
        new("A catalogue loaded with `POST /v1/catalogues`", Constants(typeof(CatalogueChecker))),
    ];

    /// <summary>Every rule id of <see cref="Groups"/>.</summary>
    public static IEnumerable<string> All => Groups.SelectMany(g => g.Rules).Select(Id);

    public static string Id(FieldInfo rule) => (string)rule.GetRawConstantValue()!;

    private static FieldInfo[] Constants(params Type[] sources) => [.. sources.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))];
}
