using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Aggregates.Get;

sealed class Request
{
    /// <summary>Catalogue id.</summary>
    public string Catalogue { get; set; } = "";
    /// <summary>Period, e.g. 2014 or 2014Q3.</summary>
    public string Period { get; set; } = "";
    /// <summary>Comma-separated reporter ids: aggregate only these.</summary>
    [QueryParam] public string? Reporters { get; set; }
    /// <summary>Aggregate only reporters of this kind.</summary>
    [QueryParam] public ReporterKind? Kind { get; set; }
    /// <summary>Alternative to the Accept header: <c>json</c>, <c>csv</c>, <c>xlsx</c> or <c>html</c> (any case).</summary>
    [QueryParam] public string? Format { get; set; }

    public IReadOnlyList<string>? ReporterList() => ListOf(Reporters);

    /// <summary>The distinct ids of a <c>?reporters=</c> filter; null without one.</summary>
    public static IReadOnlyList<string>? ListOf(string? reporters) => reporters is null ? null : Ids(reporters).Distinct().ToList();

    /// <summary>The 422 for a <c>?reporters=</c> that names reporters that are not registered; null when it names none.</summary>
    public static async Task<IResult?> RefuseUnknownAsync(IReadOnlyList<string>? reporters, IReporterStore registry, HttpContext context, CancellationToken ct)
    {
        if (reporters is null) return null;
        var known = (await registry.ListReportersAsync(ct)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = reporters.Where(r => !known.Contains(r)).ToList();
        return unknown.Count == 0 ? null : Infrastructure.Problems.Unprocessable(
            $"The reporters filter names {unknown.Count} reporter(s) that are not registered.", [.. unknown.Select(Infrastructure.Problems.UnknownReporter)], context, "The request was refused");
    }

    private static string[] Ids(string reporters) => reporters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The rules of a <c>?reporters=</c> filter, for each request that takes one.</summary>
    internal static void ReportersRules<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> reporters)
    {
        validator.RuleFor(reporters).Must(r => r is null || Ids(r).Length > 0).WithMessage("reporters must name at least one reporter id.");
        validator.RuleFor(reporters).MaximumLength(100_000).Must(r => r is null || Ids(r).All(Features.Reporters.ReporterIds.IsValid))
            .WithMessage("reporters must be comma-separated reporter ids.");
    }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            ReportersRules(this, r => r.Reporters);
            RuleFor(r => r.Kind).IsInEnum();
            RuleFor(r => r.Format).Must(f => Exports.Named(f!) is not null).When(r => r.Format is not null)
                .WithMessage("format must be json, csv, xlsx or html.");
        }
    }
}
