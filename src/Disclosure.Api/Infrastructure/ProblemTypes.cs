using System.Reflection;

namespace Disclosure.Api.Infrastructure;

/// <summary>
/// A kind of problem the service answers with: its <c>type</c> URI (<see cref="Problems.TypeBase"/> + <see cref="Slug"/>), the status it
/// comes with, its title, and what it means, which the OpenAPI document lists for integrators who switch on <c>type</c>.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title, string Description)
{
    public string Uri => Problems.TypeBase + Slug;
}

/// <summary>
/// Every problem type the service mints. <see cref="Problems"/> takes a <see cref="ProblemType"/>, never a slug, so a new kind
/// of problem is added here or not at all, and the document lists every one of them (<see cref="All"/>).
/// </summary>
public static class ProblemTypes
{
    public static readonly ProblemType Validation = new("validation", 400, "The request is malformed",
        "A field, parameter or header is missing or malformed (a query parameter given empty, `?kind=`, included: leave it out instead), the JSON cannot be read, or a query parameter, body member or header the operation does not take was sent; `errors` names each.");
    public static readonly ProblemType BadRequest = new("bad-request", 400, "Bad Request",
        "The request could not be read to its end (a body cut off before the length it announced): send it again.");
    public static readonly ProblemType Unauthorized = new("unauthorized", 401, "Unauthorized",
        "No `X-Api-Key` header, or a key the service does not hold or has revoked (it does not say which).");
    public static readonly ProblemType KeyExpired = new("key-expired", 401, "API key expired",
        "A key the service holds whose `expiresAt` has passed, with `expiredAt`: ask the district office for a new one.");
    public static readonly ProblemType Forbidden = new("forbidden", 403, "Forbidden",
        "The key's role, or the reporter it is bound to, may not do this.");
    public static readonly ProblemType NotFound = new("not-found", 404, "Not found",
        "Nothing exists at the path: no such route, or an unknown catalogue, period, reporter, key or submission.");
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", 405, "Method Not Allowed",
        "The path does not take this method; `Allow` lists those it takes.");
    public static readonly ProblemType NotAcceptable = new("not-acceptable", 406, "Not acceptable",
        "`Accept` (or `?format=`) asks for no format the resource comes in.");
    public static readonly ProblemType RequestTimeout = new("request-timeout", 408, "Request Timeout",
        "The body came too slowly (Kestrel's minimum rate of 240 bytes a second after 5 seconds): send it again.");
    public static readonly ProblemType PeriodClosed = new("period-closed", 409, "Period closed",
        "The period, or the year its quarters add up into, is closed: `period`, `closedAt` and `reopen` say which and how to reopen it.");
    public static readonly ProblemType RevisionConflict = new("revision-conflict", 409, "Revision conflict",
        "`expectedRevision` or `If-Match` names another revision than the current one (`currentRevision`), or a review names a revision that is not the latest (`currentSubmission`).");
    public static readonly ProblemType ReviewConflict = new("review-conflict", 409, "Reviewed meanwhile",
        "The revision was reviewed since the review the request names (`expectedDecision`, `expectedReviewedAt`); `currentDecision` and the rest say what is current.");
    public static readonly ProblemType SettingsConflict = new("settings-conflict", 409, "Settings changed meanwhile",
        "The period's settings changed since the `ETag` sent as `If-Match`: read them again.");
    public static readonly ProblemType StaleWorkbook = new("stale-workbook", 409, "Stale workbook",
        "The uploaded workbook was filled in from another revision than the current one (`workbookRevision`, `currentRevision`).");
    public static readonly ProblemType DuplicateReporter = new("duplicate-reporter", 409, "Duplicate reporter",
        "A reporter with this id is registered already.");
    public static readonly ProblemType DuplicateReporterName = new("duplicate-reporter-name", 409, "Duplicate reporter name",
        "Another reporter, retired or not, has the name (`name`, `heldBy`).");
    public static readonly ProblemType ReporterIdNameClash = new("reporter-id-name-clash", 409, "Reporter id and name clash",
        "The name is another reporter's id (as a workbook's 填报单位 cell reads an id: in any case or width), or the id is another reporter's name, " +
        "so that the cell could not tell the two apart: `field` (`name` or `id`), its `value`, and `heldBy`, the other reporter's id.");
    public static readonly ProblemType DuplicateGovernment = new("duplicate-government", 409, "Duplicate district government",
        "A district government that is not retired exists already (`heldBy`).");
    public static readonly ProblemType RetirementChangesClosedPeriod = new("retirement-changes-closed-period", 409, "Retirement changes a closed period",
        "The change of `retiredFrom` would change the district table of closed periods (`periods`): reopen them first.");
    public static readonly ProblemType CatalogueBuiltIn = new("catalogue-built-in", 409, "Built-in catalogue",
        "The catalogue id is one of the service's built-in catalogues.");
    public static readonly ProblemType CatalogueExists = new("catalogue-exists", 409, "Catalogue exists",
        "A catalogue with this id is loaded already; a catalogue is stored once.");
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", 413, "Payload too large",
        $"The body is over 1 MiB ({RequestLimits.MaxBodyBytes} bytes), the limit of every request.");
    public static readonly ProblemType UriTooLong = new("uri-too-long", 414, "URI Too Long",
        $"The request line (method, path and query) is over {RequestLimits.MaxRequestLineBytes} bytes (8 KiB): shorten the URL.");
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", 415, "Unsupported Media Type",
        "The `Content-Type` is not one the operation takes, or names a charset the service cannot read, or the body is compressed.");
    public static readonly ProblemType Unprocessable = new("unprocessable", 422, "The submission was refused",
        "Well-formed, but refused by the registry or the catalogue: `violations` lists every rule broken (`rule`).");
    public static readonly ProblemType TooManyFailedKeys = new("too-many-failed-keys", 429, "Too Many Requests",
        "Too many refused keys came from this address: wait `Retry-After` seconds; a valid key is served all the same.");
    public static readonly ProblemType RequestHeaderFieldsTooLarge = new("request-header-fields-too-large", 431, "Request Header Fields Too Large",
        $"The request's headers are over {RequestLimits.MaxHeaderBytes} bytes (32 KiB) in all; `detail` names the largest.");
    public static readonly ProblemType InternalError = new("internal-error", 500, "Internal Server Error",
        "The service failed unexpectedly: quote `traceId` when you ask the district office.");
    public static readonly ProblemType BackupNotEmbedded = new("backup-not-embedded", 501, "Not implemented",
        "Backups are the embedded store's; on MongoDB, back up the replica set with its own tools.");
    public static readonly ProblemType StoreUnavailable = new("store-unavailable", 503, "Service unavailable",
        "The store's disk could not be written or its database could not be reached; nothing was stored: retry after `Retry-After` seconds.");
    public static readonly ProblemType Unready = new("unready", 503, "Service unavailable",
        "Readiness: the store does not answer, or a write failed and none has succeeded since.");
    public static readonly ProblemType InsufficientStorage = new("insufficient-storage", 507, "Insufficient storage",
        "The store's disk is full; nothing was stored.");

    /// <summary>Every type above, in the order they are declared (by status).</summary>
    public static IReadOnlyList<ProblemType> All { get; } = [.. typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ProblemType)).Select(f => (ProblemType)f.GetValue(null)!)];

    /// <summary>
    /// The type of a problem known only by its status (the framework's, or the server's). A status without one is named by its
    /// number (<c>…/416</c>), as the document says. None is kept for 411 or a bare 503, which nothing answers: Kestrel reads an
    /// HTTP/1.1 body with neither Content-Length nor chunked framing as empty (RFC 9112 6.3) and refuses an HTTP/1.0 one itself,
    /// with a 400; every 503 the service sends is <see cref="StoreUnavailable"/> or <see cref="Unready"/>.
    /// </summary>
    public static ProblemType ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        408 => RequestTimeout,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        431 => RequestHeaderFieldsTooLarge,
        500 => InternalError,
        507 => InsufficientStorage,
        _ => new(status.ToString(System.Globalization.CultureInfo.InvariantCulture), status,
            Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), ""),
    };
}
