using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Submissions;

/// <summary>One cell as sent and as returned: <c>value</c> null (or absent) is a blank cell, never zero.</summary>
public sealed class ValueItem
{
    /// <summary>The cell's code from the catalogue, e.g. <c>3.1</c>.</summary>
    public string? Code { get; set; }
    /// <summary>A JSON number, or null for blank. Counts are whole numbers; amounts keep up to 6 decimals in the catalogue's unit.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.ExactDecimalConverter))]
    public decimal? Value { get; set; }
    /// <summary>Optional; must be the catalogue's unit or one that converts to it (元 → 万元).</summary>
    public string? Unit { get; set; }
}

/// <summary>The body of <c>POST /v1/submissions</c> and <c>POST /v1/submissions/validate</c>.</summary>
public class SubmissionBody
{
    /// <summary>The reporter whose whole table this is.</summary>
    public string? Reporter { get; set; }
    /// <summary><c>2014</c> or <c>2014Q1</c>..<c>2014Q4</c>.</summary>
    public string? Period { get; set; }
    /// <summary>Catalogue id, e.g. <c>gov-info-disclosure-2014</c>.</summary>
    public string? Catalogue { get; set; }
    /// <summary>The whole table: cells left out are blank. At most as many values as the catalogue has cells.</summary>
    public List<ValueItem?>? Values { get; set; }
    /// <summary>Optional optimistic check: the revision this submission replaces (0 for the first). A mismatch is 409.</summary>
    public int? ExpectedRevision { get; set; }

    /// <summary>Shape only: the catalogue and the registry judge the content. Shared by the submit and validate requests.</summary>
    public abstract class ShapeValidator<T> : Validator<T> where T : SubmissionBody
    {
        public const int MaxValues = 2000;
        private const int MaxPeriodLength = 16;
        private const int MaxCatalogueLength = 64;
        private const int MaxCodeLength = 64;
        private const int MaxUnitLength = 16;

        protected ShapeValidator()
        {
            RuleFor(r => r.Reporter).NotEmpty().Matches(Reporters.ReporterIds.Regex()).WithMessage("reporter must be a reporter id: 2 to 64 characters of a-z, 0-9 and '-'.");
            RuleFor(r => r.Period).NotEmpty().MaximumLength(MaxPeriodLength);
            RuleFor(r => r.Catalogue).NotEmpty().MaximumLength(MaxCatalogueLength);
            RuleFor(r => r.Values).NotNull().WithMessage("values is required (an empty list is an all-blank table).");
            RuleFor(r => r.Values!.Count).LessThanOrEqualTo(MaxValues).When(r => r.Values is not null).OverridePropertyName("values")
                .WithMessage($"values may hold at most {MaxValues} items.");
            // One loop rather than RuleForEach/ChildRules: the messages name each cell by its index, as the serializer's do.
            RuleFor(r => r.Values).Custom(CheckCells);
            RuleFor(r => r.ExpectedRevision).GreaterThanOrEqualTo(0);
        }

        private static void CheckCells(List<ValueItem?>? values, FluentValidation.ValidationContext<T> context)
        {
            if (values is null) return;
            for (var i = 0; i < values.Count; i++)
            {
                var item = values[i];
                if (item is null)
                {
                    context.AddFailure($"values[{i}]", $"values[{i}] must be an object with a code: a blank cell is {{\"code\": \"…\", \"value\": null}}, or simply left out.");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(item.Code))
                    context.AddFailure($"values[{i}].code", $"values[{i}].code must not be empty.");
                else if (item.Code.Length > MaxCodeLength)
                    context.AddFailure($"values[{i}].code", $"values[{i}].code must be {MaxCodeLength} characters or fewer.");
                if (item.Unit is { Length: > MaxUnitLength })
                    context.AddFailure($"values[{i}].unit", $"values[{i}].unit must be {MaxUnitLength} characters or fewer.");
            }
        }
    }
}

/// <summary>The body of <c>POST /v1/submissions</c>; <c>Idempotency-Key</c> and <c>If-Match</c> come as headers, <c>sentAt</c> in the query.</summary>
public sealed class SubmitRequest : SubmissionBody
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// The query parameter in which the district office says when the reporter sent the table it enters (来件时间); read by
    /// the endpoint, for a JSON body and a workbook alike, and described in the OpenAPI document by
    /// <c>FastEndpointsOperationFilter</c>. Not a body member: a workbook has no place for it, and one way serves both.
    /// </summary>
    public const string SentAtParameter = "sentAt";

    internal sealed class Validator : ShapeValidator<SubmitRequest>;
}
