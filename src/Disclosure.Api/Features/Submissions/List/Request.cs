using FastEndpoints;
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
        // A parameter given twice reaches here joined by a comma (?reporter=a&reporter=b is "a,b"), which no reporter id,
        // catalogue id or period holds: refused as given twice rather than looked up and answered 404 for "a,b".
        private static bool Single(string? value) => value is null || !value.Contains(',');
        private static string Once(string name) => $"{name} must be given once, as one value: it was given more than once or holds a comma.";

        public Validator()
        {
            RuleFor(r => r.Reporter).NotEmpty().MaximumLength(64).Must(Single).WithMessage(Once("reporter"));
            RuleFor(r => r.Catalogue).NotEmpty().MaximumLength(64).Must(Single).WithMessage(Once("catalogue"));
            RuleFor(r => r.Period).NotEmpty().MaximumLength(16).Must(Single).WithMessage(Once("period"));
        }
    }
}
