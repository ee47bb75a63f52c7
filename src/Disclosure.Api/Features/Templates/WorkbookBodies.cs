namespace Disclosure.Api.Features.Templates;

/// <summary>
/// The revision the uploaded workbook's template was filled in from (null: not recorded), for the submit endpoint, which
/// refuses a workbook made from an older revision than the current one unless the request names the revision it replaces.
/// </summary>
public sealed record WorkbookOrigin(int? MadeFromRevision);

/// <summary>
/// Turns a filled-in template sent to <c>POST /v1/submissions</c> or <c>/validate</c> into the JSON body it stands for,
/// before the endpoint binds it: from there on a workbook is a JSON submission, judged, stored and answered by the same
/// code (idempotency, If-Match and the key's rights included). FastEndpoints binds JSON bodies only, hence a middleware.
/// </summary>
public sealed class WorkbookBodies(RequestDelegate next)
{
    public static readonly PathString[] Paths = ["/v1/submissions", "/v1/submissions/validate"];

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        return HttpMethods.IsPost(request.Method) && Paths.Contains(request.Path)
            && request.ContentType?.StartsWith(SubmissionWorkbook.MediaType, StringComparison.OrdinalIgnoreCase) == true
            ? ReadWorkbookAsync(context)
            : next(context);
    }

    private async Task ReadWorkbookAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        byte[] json;
        try
        {
            var read = SubmissionWorkbook.Read(body.ToArray());
            json = read.Json;
            context.Features.Set(new WorkbookOrigin(read.MadeFromRevision));
        }
        catch (WorkbookException e)
        {
            await e.Problem(context).ExecuteAsync(context);
            return;
        }
        request.Body = new MemoryStream(json);
        request.ContentType = "application/json";
        request.ContentLength = json.Length;
        await next(context);
    }
}
