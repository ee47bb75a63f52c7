namespace Disclosure.Api.Features.Submissions.Get;

sealed class Request
{
    public Guid Id { get; set; }
}
