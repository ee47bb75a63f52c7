using Microsoft.AspNetCore.StaticFiles;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// The security headers of the browser front end's files (wwwroot/): the page holds a person's API key in its session, so
/// it runs only its own script (no inline or injected script can read the key), is not framed by another site
/// (clickjacking), and the browser never guesses a file's type. Inline <c>style</c> attributes stay allowed: the page
/// indents rows and sizes bars with them. Swagger UI is served with them too (<see cref="ResponseHeaders"/>): its script and
/// styles are files of its own, and it styles elements inline.
/// </summary>
public static class PageHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(StaticFileResponseContext file) => Apply(file.Context.Response.Headers);

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY"; // for browsers older than frame-ancestors
        headers["Referrer-Policy"] = "no-referrer";
    }
}
