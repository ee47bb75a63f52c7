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
            // In Chinese first, as every refusal a departmental system shows its users: the English after it is for the integrator.
            RuleFor(r => r.Id).NotEmpty().WithMessage($"请填写填报单位代码（id），{ReporterIds.ShapeZh}。id is required: {ReporterIds.ShapeEn}.")
                .Matches(ReporterIds.Regex()).WithMessage($"填报单位代码（id）须{ReporterIds.ShapeZh}。id must be {ReporterIds.ShapeEn}.");
            RuleFor(r => r.Name).ReporterName();
            RuleFor(r => r.Kind).NotNull().WithMessage($"请填写类别（kind）：{ReporterIds.KindsZh}。kind is required: {ReporterIds.KindsEn}.")
                .IsInEnum().WithMessage($"类别（kind）须为 {ReporterIds.KindsZh}。kind must be {ReporterIds.KindsEn}.");
            RuleFor(r => r.Contact).ReporterContact();
        }
    }
}
