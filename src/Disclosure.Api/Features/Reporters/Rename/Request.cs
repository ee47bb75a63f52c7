using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Reporters.Rename;

// The body only: the id is read from the route by the endpoint. A property for it here would let a body carry an "id"
// that the route then silently overrides; without one, a body that names an id is refused as naming an unknown member.
sealed class Request
{
    /// <summary>The name as printed from now on: one line of up to 200 characters, without control characters.</summary>
    public string? Name { get; set; }
    /// <summary>
    /// May be left out. A reporter's kind cannot change: it is copied into every table it has submitted and into the district
    /// table's split by kind. Only the reporter's current kind is accepted here; another is 422 <c>kind-unchangeable</c>.
    /// </summary>
    public ReporterKind? Kind { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ReporterName();
            RuleFor(r => r.Kind).IsInEnum();
        }
    }
}
