using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Submissions;

/// <summary>One cell as sent and as returned: <c>value</c> null (or absent) is a blank cell, never zero.</summary>
public sealed class ValueItem
{
    /// <summary>The cell's code from the catalogue, e.g. <c>3.1</c>.</summary>
    public string? Code { get; set; }
    /// <summary>A JSON number, or null for blank. Counts are whole numbers; 万元 has at most 2 decimals.</summary>
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

    /// <summary>
    /// Shape only: the catalogue and the registry judge the content. A base class rather than a validator that
    /// each request's validator includes: an included validator runs as a child validation with its own context
    /// on every request, for rules that are the same.
    /// </summary>
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
            // One loop rather than RuleForEach/ChildRules: a child validator per cell cost a third of a
            // submission's CPU under load (73 cells), and the checks are two string lengths.
            RuleFor(r => r.Values).Custom(CheckCells);
            RuleFor(r => r.ExpectedRevision).GreaterThanOrEqualTo(0);
            shapeRules = this.Count();
        }

        // How many rules the constructor above made: a validator that adds rules of its own is never taken on trust.
        private readonly int shapeRules;
        private bool? onlyShapeRules;

        /// <summary>
        /// A body that <see cref="IsPlainlyValid"/> passes every rule above, so its empty result is given without running
        /// them: FluentValidation's machinery (an async state per rule and per property) cost more than the checks
        /// themselves on every submission. Any other body, or a validator with rules of its own, is run through the rules,
        /// which name what is wrong. The rules stay the description of the shape: the OpenAPI document is made from them.
        /// </summary>
        public sealed override Task<FluentValidation.Results.ValidationResult> ValidateAsync(FluentValidation.ValidationContext<T> context,
            CancellationToken cancellation = default)
        {
            onlyShapeRules ??= this.Count() == shapeRules;
            return onlyShapeRules.Value && IsPlainlyValid(context.InstanceToValidate)
                ? Task.FromResult(new FluentValidation.Results.ValidationResult())
                : base.ValidateAsync(context, cancellation);
        }

        /// <summary>True only for a body every rule of the constructor passes (false says nothing: the rules then decide).</summary>
        internal static bool IsPlainlyValid(SubmissionBody body)
        {
            if (string.IsNullOrWhiteSpace(body.Reporter) || !Reporters.ReporterIds.Regex().IsMatch(body.Reporter)
                || string.IsNullOrWhiteSpace(body.Period) || body.Period.Length > MaxPeriodLength
                || string.IsNullOrWhiteSpace(body.Catalogue) || body.Catalogue.Length > MaxCatalogueLength
                || body.Values is not { Count: <= MaxValues } values
                || body.ExpectedRevision < 0)
                return false;
            foreach (var item in values)
                if (item is null || string.IsNullOrWhiteSpace(item.Code) || item.Code.Length > MaxCodeLength || item.Unit is { Length: > MaxUnitLength })
                    return false;
            return true;
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

/// <summary>The body of <c>POST /v1/submissions</c>; <c>Idempotency-Key</c> and <c>If-Match</c> come as headers.</summary>
public sealed class SubmitRequest : SubmissionBody
{
    public const string IdempotencyHeader = "Idempotency-Key";

    internal sealed class Validator : ShapeValidator<SubmitRequest>;
}
