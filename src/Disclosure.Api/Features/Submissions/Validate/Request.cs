using FastEndpoints;

namespace Disclosure.Api.Features.Submissions.Validate;

sealed class Request : SubmissionBody
{
    internal sealed class Validator : Validator<Request>
    {
        public Validator() => Include(new ShapeValidator());
    }
}
