using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.DiffersFromQuarters;

sealed class Request
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>A year, e.g. 2014: its tables are set against the same reporters' 2014Q1–2014Q4.</summary>
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
