using Disclosure.Storage;
using FastEndpoints;
using FluentValidation;

namespace Disclosure.Api.Features.Reporters.Rename;

// The body only: the id is read from the route by the endpoint. A property for it here would let a body carry an "id"
// that the route then silently overrides; without one, a body that names an id is refused as naming an unknown member.
// A merge patch tells a member left out (unchanged) from one given as null (removed): the setters record which were given.
sealed class Request
{
    /// <summary>
    /// The name as printed from now on (a closed period prints the names it was closed with, until it is reopened): one line of up to 200 characters, without control characters or invisible format characters; it may not be null.
    /// Left out, it stays as it is (a patch must give at least one of <c>name</c>, <c>contact</c> and <c>retiredFrom</c>).
    /// </summary>
    // Nullable to the serializer, so that null is the validator's 400 saying the name may not be null; never null on the wire.
    [System.Diagnostics.CodeAnalysis.DisallowNull]
    public string? Name { get; set { field = value; NameGiven = true; } }
    /// <summary>
    /// May be left out. A reporter's kind cannot change: it is copied into every table it has submitted and into the district
    /// table's split by kind. Only the reporter's current kind is accepted here; another is 422 <c>kind-unchangeable</c>.
    /// </summary>
    public ReporterKind? Kind { get; set; }
    /// <summary>
    /// 撤并/停用: the first period the reporter no longer reports, a year (<c>2020</c>) or a quarter (<c>2020Q3</c>); null
    /// reinstates it; left out, its retirement stays as it is. A period that begins on or after the day this one begins is
    /// not the reporter's: <c>2020</c> (or <c>2020Q1</c>) retires it for the year 2020, its quarters and every later period;
    /// <c>2020Q3</c> for 2020Q3, 2020Q4 and 2021 on, while the year 2020 — which began while it existed — is still expected of it.
    /// </summary>
    public string? RetiredFrom { get; set { field = value; RetiredFromGiven = true; } }
    /// <summary>
    /// 联系人及电话: whom the district office calls about this reporter's tables, as one line of up to 100 characters
    /// (<c>王芳 0632-7712345</c>); null removes it; left out, it stays as it is.
    /// </summary>
    public string? Contact { get; set { field = value; ContactGiven = true; } }

    [System.Text.Json.Serialization.JsonIgnore] public bool NameGiven { get; private set; }
    [System.Text.Json.Serialization.JsonIgnore] public bool RetiredFromGiven { get; private set; }
    [System.Text.Json.Serialization.JsonIgnore] public bool ContactGiven { get; private set; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ReporterName().When(r => r.NameGiven);
            RuleFor(r => r).Must(r => r.NameGiven || r.RetiredFromGiven || r.ContactGiven || r.Kind is not null).OverridePropertyName("body")
                .WithMessage("本次修改没有改动任何内容：请给出名称（name）、联系人（contact）或撤并自（retiredFrom）。The patch changes nothing: give name, contact or retiredFrom.");
            RuleFor(r => r.Contact).ReporterContact();
            RuleFor(r => r.Kind).IsInEnum().WithMessage($"类别（kind）须为 {ReporterIds.KindsZh}。kind must be {ReporterIds.KindsEn}.");
            RuleFor(r => r.RetiredFrom)
                .Must(p => Disclosure.Catalogue.Period.TryParse(p, out _))
                .When(r => r.RetiredFrom is not null)
                .WithMessage("撤并自（retiredFrom）须为该单位不再报送的第一个统计期：年度如 2020，季度如 2020Q3（null 表示恢复该单位）。" +
                    "retiredFrom must be the first period the reporter no longer reports: a year such as 2020 or a quarter such as 2020Q3 (null reinstates it).");
        }
    }
}
