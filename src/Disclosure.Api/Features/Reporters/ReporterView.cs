using Disclosure.Storage;
using FluentValidation;

namespace Disclosure.Api.Features.Reporters;

/// <summary>A reporter as the API shows it.</summary>
public sealed class ReporterView
{
    /// <summary>Lower-case id, <c>[a-z0-9-]{2,64}</c>, e.g. <c>yicheng-edu</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Name as printed, e.g. 峄城区教育局.</summary>
    public required string Name { get; init; }
    /// <summary><c>government</c> 区政府本级, <c>department</c> 区直部门, <c>town</c> 乡镇街道.</summary>
    public required ReporterKind Kind { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static ReporterView From(Reporter r) => new() { Id = r.Id, Name = r.Name, Kind = r.Kind, CreatedAt = r.CreatedAt };
}

/// <summary>A reporter kind as the district's printed tables and their messages name it.</summary>
public static class ReporterKinds
{
    public static string Printed(this ReporterKind kind) => kind switch
    {
        ReporterKind.Government => "区政府本级",
        ReporterKind.Department => "区直部门",
        _ => "乡镇街道",
    };
}

/// <summary>What a reporter id looks like, wherever a request names one.</summary>
public static partial class ReporterIds
{
    /// <summary>
    /// The whole id, to its very end (<c>\z</c>: <c>$</c> would let a final line feed through). Source-generated, not
    /// interpreted: every submission is checked with it.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]{2,64}\z")]
    public static partial System.Text.RegularExpressions.Regex Regex();

    public static bool IsValid(string id) => Regex().IsMatch(id);
}

/// <summary>What a reporter's name must be, wherever a request gives one (registering, correcting): it is printed in the district's tables.</summary>
public static class ReporterNames
{
    public static IRuleBuilderOptions<T, string?> ReporterName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(200)
            .Must(name => name is null || Disclosure.Catalogue.PrintableText.IsPrintable(name))
            .WithMessage("name is printed in the district's tables: one line, without control characters.");
}
