using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Keys.Create;

sealed class Request
{
    /// <summary><c>reporter</c> (bound to one reporter) or <c>viewer</c> (reads everything, writes nothing).</summary>
    public KeyRole? Role { get; set; }
    /// <summary>The reporter id, required for and only for a reporter key.</summary>
    public string? Reporter { get; set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Role).NotNull().IsInEnum()
                .Must(r => r is KeyRole.Reporter or KeyRole.Viewer).WithMessage("role must be 'reporter' or 'viewer'; admin keys come from configuration.");
            RuleFor(r => r.Reporter).NotEmpty().Matches(Reporters.ReporterIds.Regex()).When(r => r.Role == KeyRole.Reporter)
                .WithMessage("reporter is required for a reporter key and must be a reporter id.");
            RuleFor(r => r.Reporter).Null().When(r => r.Role == KeyRole.Viewer)
                .WithMessage("a viewer key is not bound to a reporter: leave reporter out.");
        }
    }
}
