namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Request : SubmissionBody
{
    internal sealed class Validator : ShapeValidator<Request>;
}
