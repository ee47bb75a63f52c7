using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Templates.GetReporters;

/// <summary>The 分单位填报 template asked for, narrowed as the district table is (<c>?reporters=</c>, <c>?kind=</c>) and to those not reported.</summary>
sealed class Request
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
    /// <summary>Comma-separated reporter ids, each once: a column only for these (those of them that owe the period).</summary>
    [QueryParam] public string? Reporters { get; set; }
    /// <summary>A column only for reporters of this kind.</summary>
    [QueryParam] public ReporterKind? Kind { get; set; }
    /// <summary>
    /// <c>notSubmitted</c> (any case; the only value): a column only for the reporters the district table's completeness has
    /// not reported (未报) — <c>missing</c>, and of a year <c>incomplete</c> (季报未报齐), whose status there is
    /// <c>notSubmitted</c> too: those without a table of the period. A returned table (退回) is a table, counted as submitted,
    /// and a quarter closed with its year (<c>closedWithYear</c>) cannot be sent; neither has a column.
    /// </summary>
    [QueryParam] public string? Status { get; set; }

    public const string NotSubmitted = "notSubmitted";

    /// <summary>Whether the template is narrowed to the reporters not reported (<see cref="Status"/>).</summary>
    public bool OnlyNotSubmitted => string.Equals(Status, NotSubmitted, StringComparison.OrdinalIgnoreCase);

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            Aggregates.Get.Request.ReportersRules(this, r => r.Reporters);
            RuleFor(r => r.Kind).IsInEnum();
            // Dependent: a status given twice reaches the binder as "notSubmitted,notSubmitted", which is not a wrong value to name.
            RuleFor(r => r.Status).GivenOnce("status").DependentRules(() =>
                RuleFor(r => r.Status).Must(s => s is null || s.Equals(NotSubmitted, StringComparison.OrdinalIgnoreCase))
                .WithMessage("status 只能是 notSubmitted（只下载未报单位的模板：没有本期报表的单位，年度含季报未报齐的）。" +
                    "status must be notSubmitted (the template of the reporters not reported: those without a table of the period, of a year those with quarters still to come)."));
        }
    }
}
