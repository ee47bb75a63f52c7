using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.FarFromLastYear;

sealed class Request
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3: compared with the same period a year before.</summary>
    public string Period { get; set; } = "";
    /// <summary>Comma-separated reporter ids: only these reporters' figures.</summary>
    [QueryParam] public string? Reporters { get; set; }
    /// <summary>Only reporters of this kind.</summary>
    [QueryParam] public ReporterKind? Kind { get; set; }

    public IReadOnlyList<string>? ReporterList() => Get.Request.ListOf(Reporters);

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            Get.Request.ReportersRules(this, r => r.Reporters);
            RuleFor(r => r.Kind).IsInEnum();
        }
    }
}
