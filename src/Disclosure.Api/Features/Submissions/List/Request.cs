using FastEndpoints;
using Disclosure.Api.Infrastructure;
using FluentValidation;

namespace Disclosure.Api.Features.Submissions.List;

sealed class Request
{
    /// <summary>Reporter id.</summary>
    [QueryParam] public string? Reporter { get; set; }
    /// <summary>Catalogue id.</summary>
    [QueryParam] public string? Catalogue { get; set; }
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    [QueryParam] public string? Period { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Reporter).NotEmpty().MaximumLength(64).GivenOnce("reporter");
            RuleFor(r => r.Catalogue).NotEmpty().MaximumLength(64).GivenOnce("catalogue");
            RuleFor(r => r.Period).NotEmpty().MaximumLength(16).GivenOnce("period");
        }
    }
}
