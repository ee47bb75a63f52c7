using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates;

/// <summary>A list about a period's tables, for the office's review (far from last year, not as the quarters give, not as last year carried forward), narrowed as the district table is.</summary>
sealed class ListRequest
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
    /// <summary>Comma-separated reporter ids, each once: only these reporters' figures.</summary>
    [QueryParam] public string? Reporters { get; set; }
    /// <summary>Only reporters of this kind.</summary>
    [QueryParam] public ReporterKind? Kind { get; set; }

    public IReadOnlyList<string>? ReporterList() => Get.Request.ListOf(Reporters);

    internal sealed class Validator : Validator<ListRequest>
    {
        public Validator()
        {
            Get.Request.ReportersRules(this, r => r.Reporters);
            RuleFor(r => r.Kind).IsInEnum();
        }
    }
}
