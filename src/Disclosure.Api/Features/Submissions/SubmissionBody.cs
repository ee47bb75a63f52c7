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

    /// <summary>Shape only: the catalogue and the registry judge the content.</summary>
    public sealed class ShapeValidator : AbstractValidator<SubmissionBody>
    {
        public const int MaxValues = 2000;

        public ShapeValidator()
        {
            RuleFor(r => r.Reporter).NotEmpty().Matches("^[a-z0-9-]{2,64}$").WithMessage("reporter must be a reporter id: 2 to 64 characters of a-z, 0-9 and '-'.");
            RuleFor(r => r.Period).NotEmpty().MaximumLength(16);
            RuleFor(r => r.Catalogue).NotEmpty().MaximumLength(64);
            RuleFor(r => r.Values).NotNull().WithMessage("values is required (an empty list is an all-blank table).");
            RuleFor(r => r.Values!.Count).LessThanOrEqualTo(MaxValues).When(r => r.Values is not null).OverridePropertyName("values")
                .WithMessage($"values may hold at most {MaxValues} items.");
            RuleForEach(r => r.Values).NotNull().WithMessage("values may not hold null: a blank cell is {\"code\": \"…\", \"value\": null}, or simply left out.")
                .When(r => r.Values is not null);
            RuleForEach(r => r.Values).ChildRules(v =>
            {
                v.RuleFor(x => x!.Code).NotEmpty().MaximumLength(64);
                v.RuleFor(x => x!.Unit).MaximumLength(16);
            }).When(r => r.Values is not null && r.Values.All(v => v is not null));
            RuleFor(r => r.ExpectedRevision).GreaterThanOrEqualTo(0);
        }
    }
}

/// <summary>The body of <c>POST /v1/submissions</c>; <c>Idempotency-Key</c> and <c>If-Match</c> come as headers.</summary>
public sealed class SubmitRequest : SubmissionBody
{
    public const string IdempotencyHeader = "Idempotency-Key";

    internal sealed class Validator : Validator<SubmitRequest>
    {
        public Validator() => Include(new ShapeValidator());
    }
}
