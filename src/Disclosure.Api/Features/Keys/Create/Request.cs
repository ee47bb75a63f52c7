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
    /// <summary>
    /// Who holds the key or what it is for (持有人或用途: <c>张三</c>, <c>区政府网站大屏</c>), one line of up to 100 characters, listed
    /// with the key so that the office knows which key to revoke when a person leaves or a system is retired. Optional.
    /// </summary>
    public string? Label { get; set; }

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
            RuleFor(r => r.Label)
                .Must(label => label is null || (label.Trim().Length is > 0 and <= 100 && Disclosure.Catalogue.PrintableText.IsPrintable(label)))
                .WithMessage("label is who holds the key or what it is for, one line of 1 to 100 characters, without control characters or invisible format characters (leave it out for none).");
        }
    }
}
