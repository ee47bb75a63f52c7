using System.Security.Cryptography;
using System.Text.Json;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;
using Disclosure.Storage;

namespace Disclosure.Api.Features.Submissions;

/// <summary>The verdict on a submission body: registry checks (reporter, catalogue) and the engine's.</summary>
public sealed record Verdict(TableResult? Table, IReadOnlyList<Violation> Violations)
{
    public bool Refused => Table is null || Violations.Any(v => v.Severity == Severity.Error);
}

/// <summary>Judges a submission body the same way for a real submission and for a dry run.</summary>
public sealed class SubmissionJudge(CatalogueRegistry catalogues, IReporterStore reporters)
{
    public async Task<Verdict> JudgeAsync(SubmissionBody body, CancellationToken ct)
    {
        var registry = new List<Violation>();
        if (await reporters.GetReporterAsync(body.Reporter!, ct) is null)
            registry.Add(Problems.UnknownReporter(body.Reporter!));
        if (!catalogues.TryGet(body.Catalogue!, out var catalogue))
        {
            registry.Add(Problems.RegistryViolation("unknown-catalogue", body.Catalogue!,
                $"There is no catalogue '{body.Catalogue}'.", $"统计表目录“{body.Catalogue}”不存在。"));
            return new Verdict(null, registry);
        }
        var input = new InputValue[body.Values!.Count];
        for (var i = 0; i < input.Length; i++)
            input[i] = new InputValue(body.Values[i]!.Code!, body.Values[i]!.Value, body.Values[i]!.Unit);
        var table = TableValidator.Validate(catalogue, body.Period!, input);
        return new Verdict(registry.Count == 0 ? table : null, [.. registry, .. table.Violations]);
    }

    public static IReadOnlyList<StoredValue> ToStored(TableResult table) =>
        [.. table.NonBlank().Select(v => new StoredValue(v.Cell.Code, v.Value, v.Derived))];

    public static IReadOnlyList<ValueItem> ToItems(TableResult table) =>
        [.. table.NonBlank().Select(v => new ValueItem { Code = v.Cell.Code, Value = v.Value, Unit = v.Cell.Unit })];

    /// <summary>A digest of what the client asked for, so that a retry with the same Idempotency-Key can be told from a different request.</summary>
    public static string RequestHash(SubmissionBody body)
    {
        var canonical = new SubmissionBody
        {
            Reporter = body.Reporter,
            Period = body.Period,
            Catalogue = body.Catalogue,
            Values = body.Values,
            ExpectedRevision = body.ExpectedRevision,
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, Json.Options)));
    }

    public static bool TryParseIfMatch(string? header, out int revision)
    {
        revision = 0;
        if (header is null) return false;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out revision);
    }
}
