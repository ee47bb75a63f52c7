using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Reporters.Create;

sealed class Request
{
    /// <summary>Lower-case id, <c>[a-z0-9-]{2,64}</c>.</summary>
    public string? Id { get; set; }
    /// <summary>Name as printed in the report: one line of up to 200 characters, without control characters or invisible format characters (U+202E and the like).</summary>
    public string? Name { get; set; }
    /// <summary><c>government</c>, <c>department</c> or <c>town</c>.</summary>
    public ReporterKind? Kind { get; set; }
    /// <summary>Optional. 联系人及电话: whom the district office calls about this reporter's tables, e.g. <c>王芳 0632-7712345</c>; up to 100 characters.</summary>
    public string? Contact { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Id).NotEmpty().Matches(ReporterIds.Regex())
                .WithMessage("id must be 2 to 64 characters of lower-case letters, digits and '-'.");
            RuleFor(r => r.Name).ReporterName();
            RuleFor(r => r.Kind).NotNull().IsInEnum();
            RuleFor(r => r.Contact).ReporterContact();
        }
    }
}
