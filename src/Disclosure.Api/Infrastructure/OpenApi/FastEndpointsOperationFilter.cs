using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Catalogue;
using FastEndpoints;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Disclosure.Api.Infrastructure.Swagger;

/// <summary>
/// Describes a FastEndpoints endpoint from its <see cref="EndpointDefinition"/>, which Swashbuckle does not read: route
/// and query parameters bound from the request DTO (Swashbuckle would invent a body for a GET and drop them), the JSON
/// body of POST/PUT with an example, headers the endpoint reads itself, summaries, the API-key requirement, and every
/// response the endpoint can give, errors as problem details.
/// </summary>
public sealed class FastEndpointsOperationFilter(RequestExamples examples) : IOperationFilter
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "ValidationProblemDetails";
    public const string UnprocessableProblemSchema = "UnprocessableProblemDetails";
    public const string ConflictProblemSchema = "ConflictProblemDetails";
    public const string UnauthorizedProblemSchema = "UnauthorizedProblemDetails";
    private const string Json = "application/json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var definition = FastEndpointsOperations.Definition(context.ApiDescription);
        if (definition is null) return;
        var verb = (context.ApiDescription.HttpMethod ?? "GET").ToUpperInvariant();
        var path = context.ApiDescription.RelativePath ?? "";
        var operationId = FastEndpointsOperations.OperationId(context.ApiDescription);
        var summary = definition.EndpointSummary;
        if (!string.IsNullOrWhiteSpace(summary?.Summary)) operation.Summary = summary.Summary;

        var dto = definition.ReqDtoType;
        var hasDto = dto is not null && dto != typeof(EmptyRequest);
        var properties = hasDto ? dto!.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList() : [];
        var validator = CreateValidator(definition.ValidatorType);
        var bodyless = verb is "GET" or "DELETE" or "HEAD";

        var routeNames = RoutePatternFactory.Parse(path).Parameters.Select(p => p.Name).ToList();
        var bound = new HashSet<PropertyInfo>();
        var parameters = new List<IOpenApiParameter>();
        OpenApiParameter Bound(PropertyInfo property, string name, ParameterLocation location, bool required, IOpenApiSchema schema)
        {
            bound.Add(property);
            return new()
            {
                Name = name, In = location, Required = required, Description = XmlDocs.Summary(property), Schema = schema,
                Example = XmlDocs.Example(property) is { } example ? JsonValue.Create(example) : null,
            };
        }
        foreach (var name in routeNames)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is not null) bound.Add(property);
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                // FastEndpoints' Summary(s => s.Params[...]) first, as FastEndpoints documents it, then the DTO property's XML comment.
                Description = summary?.Params.GetValueOrDefault(name) ?? (property is null ? null : XmlDocs.Summary(property)),
                Schema = property is not null ? ParameterSchema(property.PropertyType, context)
                    : ReadByEndpoint.TryGetValue((operationId, name), out var type) ? ParameterSchema(type, context)
                    : new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        foreach (var property in RequestBodies.QueryProperties(verb, hasDto ? dto : null, path))
            parameters.Add(Bound(property, Camel(property.Name), ParameterLocation.Query, IsRequired(validator, property.Name),
                WithLimits(ParameterSchema(property.PropertyType, context), validator, property.Name)));
        foreach (var property in properties.Where(p => !bound.Contains(p)))
            if (property.GetCustomAttribute<FromHeaderAttribute>() is { } header)
                parameters.Add(Bound(property, header.HeaderName ?? property.Name, ParameterLocation.Header, header.IsRequired,
                    WithLimits(ParameterSchema(property.PropertyType, context), validator, header.HeaderName ?? property.Name)));
        // Read by the endpoint itself, so no DTO property announces it.
        if (IsTagged(operationId) || operationId is "Periods_Get")
            parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Description = operationId is "Periods_Get" ? "The ETag of the settings read before: 304 while they are unchanged."
                    : "The ETag of a table read before: 304 while the table is unchanged.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        operation.Parameters = parameters.Count > 0 ? parameters : null;

        var hasBody = RequestBodies.Taken([verb], dto, path);
        var accepts = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().ToList();
        var takesNone = RequestBodies.TakesNone([verb], dto, path, accepts);
        operation.RequestBody = hasBody ? RequestBody(dto!, properties.Where(bound.Contains), validator, operationId, context) : null;
        const string xlsx = Features.Templates.SubmissionWorkbook.MediaType;
        var workbook = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        // A filled-in Excel template is accepted where a submission body is, and read into that JSON body first.
        if (operation.RequestBody?.Content is { } content && verb == "POST" && Features.Templates.WorkbookBodies.Paths.Any(p => p.Value == "/" + path))
            content[xlsx] = workbook;
        // An operation whose body is a workbook alone, read by the endpoint itself (no request property stands for it).
        if (!hasBody && !bodyless && accepts.Any(a => a.ContentTypes.Contains(xlsx)))
        {
            hasBody = true;
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, IOpenApiMediaType> { [xlsx] = workbook } };
        }

        var secured = definition.AnonymousVerbs is not { } anonymous || !anonymous.Contains(verb, StringComparer.OrdinalIgnoreCase);
        operation.Description = Describe(summary?.Description, secured ? definition.AllowedRoles : null);
        // A key of any role may call an operation that takes no request, which so names nothing a role could be kept from.
        var forbids = secured && (hasDto || definition.AllowedRoles is not { } allowed
            || !new[] { Roles.Admin, Roles.Viewer, Roles.Reporter }.All(r => allowed.Contains(r)));
        operation.Responses = Responses(operation.Responses, summary?.Responses ?? [], operationId, hasDto, secured, forbids, routeNames.Count > 0, hasBody,
            takesNone, bodyless, verb != "GET", Retries.UnreadBy(hasDto ? dto : null), context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RetryAdvice>().FirstOrDefault(), context);
        // An empty requirement says "no key needed" explicitly, rather than leaving readers and linters to guess.
        operation.Security = secured
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Scheme, context.Document)] = [] }]
            : [new OpenApiSecurityRequirement()];
    }

    /// <summary>
    /// Route values an endpoint reads itself (<c>Route&lt;string&gt;("id")</c>, to word its own refusal of a malformed one) rather than
    /// through a request property, with the type they must parse as.
    /// </summary>
    private static readonly Dictionary<(string OperationId, string Name), Type> ReadByEndpoint = new()
    {
        [("Submissions_Review", "id")] = typeof(Guid),
    };

    /// <summary>The endpoint's description followed by who may call it, which every integrator asks first.</summary>
    private static string Describe(string? description, IReadOnlyCollection<string>? roles)
    {
        var who = roles is null
            ? "No API key needed."
            : roles.Count == 0
                ? "Any valid API key."
                : "API key roles: " + string.Join(", ", roles.Select(r => $"`{r}`")) + ".";
        return string.IsNullOrWhiteSpace(description) ? who : description.TrimEnd() + "\n\n" + who;
    }

    /// <summary>
    /// A parameter's schema from its type. A date-time is given its RFC 3339 pattern instead of <c>format: date-time</c>, which
    /// generated clients (NSwag's C# among them) write into a query without its offset: a client then sends the text it was given.
    /// </summary>
    private static IOpenApiSchema ParameterSchema(Type type, OperationFilterContext context) =>
        (Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset)
            ? new OpenApiSchema { Type = JsonSchemaType.String, Pattern = Infrastructure.OffsetDateTimeConverter.Rfc3339Pattern }
            : context.SchemaGenerator.GenerateSchema(Nullable.GetUnderlyingType(type) ?? type, context.SchemaRepository);

    /// <summary>
    /// The limits the validator's unconditional rules put on a member (a header, a query parameter, a body's member), as JSON Schema
    /// keywords: <c>Matches</c> as <c>pattern</c>, <c>Length</c>/<c>MaximumLength</c> as <c>minLength</c>/<c>maxLength</c>,
    /// <c>InclusiveBetween</c> as <c>minimum</c>/<c>maximum</c>, so that a generated client checks what the 400 would refuse. Rules
    /// are named as FastEndpoints names them, in camelCase, so they are matched regardless of case.
    /// </summary>
    private static IOpenApiSchema WithLimits(IOpenApiSchema schema, IValidator? validator, string member)
    {
        if (validator is null || schema is not OpenApiSchema { Type: { } type } limited) return schema;
        var components = validator.CreateDescriptor().Rules.Where(r => string.Equals(r.PropertyName, member, StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => r.Components);
        foreach (var component in components)
            switch (component.Validator)
            {
                // A pattern holds of a value given, whatever condition says when one is checked (such as "when given").
                case IRegularExpressionValidator regex when type.HasFlag(JsonSchemaType.String):
                    // .NET's end of input (\z) is ECMA-262's $ without the multiline flag, the dialect JSON Schema patterns are in.
                    limited.Pattern = regex.Expression.Replace(@"\z", "$", StringComparison.Ordinal).Replace(@"\A", "^", StringComparison.Ordinal);
                    break;
                case var _ when component.HasCondition || component.HasAsyncCondition:
                    break;
                case ILengthValidator length when type.HasFlag(JsonSchemaType.String):
                    if (length.Max > 0) limited.MaxLength = length.Max;
                    if (length.Min > 0) limited.MinLength = length.Min;
                    break;
                case IBetweenValidator { From: IConvertible from, To: IConvertible to } when type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number):
                    limited.Minimum = from.ToString(CultureInfo.InvariantCulture);
                    limited.Maximum = to.ToString(CultureInfo.InvariantCulture);
                    break;
            }
        return limited;
    }

    /// <summary>The reads that send an ETag and answer If-None-Match.</summary>
    private static bool IsTagged(string operationId) => IsExported(operationId) || operationId is "Aggregates_FarFromLastYear" or "Aggregates_DiffersFromQuarters" or "Aggregates_DiffersFromLastYearCarried";

    /// <summary>The tables that also come as CSV, xlsx and a printable page.</summary>
    private static bool IsExported(string operationId) => operationId is "Aggregates_Get" or "Aggregates_GetReporter" or "Aggregates_Breakdown" or "Aggregates_AsNational";

    private OpenApiRequestBody RequestBody(Type dto, IEnumerable<PropertyInfo> notInBody, IValidator? validator, string operationId, OperationFilterContext context)
    {
        var schema = context.SchemaGenerator.GenerateSchema(dto, context.SchemaRepository);
        if (context.SchemaRepository.Schemas.TryGetValue(Infrastructure.OpenApi.SchemaId(dto), out var component) && component is OpenApiSchema body)
        {
            // Route and query values are bound by FastEndpoints after the JSON body: they are not part of it.
            foreach (var name in notInBody.Select(p => Camel(p.Name)))
            {
                body.Properties?.Remove(name);
                body.Required?.Remove(name);
            }
            foreach (var property in dto.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (body.Properties?.TryGetValue(Camel(property.Name), out var member) == true)
                    WithLimits(member, validator, property.Name);
            foreach (var property in dto.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (body.Properties?.TryGetValue(Camel(property.Name), out var member) == true && IsRequired(validator, property.Name))
                {
                    (body.Required ??= new HashSet<string>()).Add(Camel(property.Name));
                    // The validator refuses null as it refuses absence: a generated client should type the member as required, not nullable.
                    if (member is OpenApiSchema { Type: { } type } nullable) nullable.Type = type & ~JsonSchemaType.Null;
                }
        }
        // A JSON media type of its own that an operation accepts as well (application/merge-patch+json) carries the same body.
        var content = context.ApiDescription.SupportedRequestFormats.Select(f => f.MediaType).Where(m => m.EndsWith("+json", StringComparison.Ordinal)).Prepend(Json)
            .Distinct(StringComparer.Ordinal).ToDictionary(m => m, IOpenApiMediaType (_) => new OpenApiMediaType { Schema = schema, Example = examples.For(operationId) });
        return new OpenApiRequestBody { Required = true, Content = content };
    }

    private static OpenApiResponses Responses(OpenApiResponses? generated, IDictionary<int, string> declared, string operationId,
        bool hasDto, bool secured, bool forbids, bool hasRoute, bool hasBody, bool takesNone, bool bodyless, bool writes, IReadOnlyList<string> unread, RetryAdvice? retry, OperationFilterContext context)
    {
        EnsureProblemSchemas(context);
        // A write that creates answers 201 first; another 2xx it declares is listed beside it (a submission that changes nothing: 200).
        var success = declared.Keys.Where(k => k is >= 200 and < 300).OrderBy(k => k == 201 ? 0 : k).DefaultIfEmpty(200).First();
        var produced = generated?.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).FirstOrDefault();
        var responses = new OpenApiResponses();

        var ok = new OpenApiResponse { Description = Text(declared, success, success switch { 201 => "Created.", 204 => "No content.", _ => "OK." }) };
        if (success != 204 && produced?.Content is { Count: > 0 } content)
            ok.Content = content.ToDictionary(c => c.Key, c => (IOpenApiMediaType)new OpenApiMediaType { Schema = SuccessSchema(c.Key, c.Value.Schema) });
        ok.Headers = SuccessHeaders(success, operationId);
        foreach (var status in declared.Keys.Where(k => k is >= 200 and < 300).Append(success).Distinct().Order())
            responses[status.ToString(CultureInfo.InvariantCulture)] = status == success ? ok
                : new OpenApiResponse { Description = declared[status], Content = ok.Content, Headers = SuccessHeaders(status, operationId) };

        // RFC 9110 (15.4.5): a 304 sends the ETag the 200 would have, and the service does.
        if (declared.TryGetValue(304, out var notModified))
            responses["304"] = new OpenApiResponse
            {
                Description = notModified,
                Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = Header("The tag If-None-Match named, the one the unchanged representation still has.") },
            };
        // Every operation refuses a query parameter it does not take (KnownQuery); one with a request also a malformed one, and
        // one that takes no body a member of one, and a GET or DELETE any body (NoBodyMembers).
        var member = takesNone ? ", or a JSON body other than `{}` (it takes none)" : bodyless ? ", or any body but an empty JSON object `{}` (a GET or DELETE takes none)" : "";
        // A write refuses Idempotency-Key and the preconditions where it reads none (Retries.UnreadWriteHeaders), so that no client takes
        // a retry for safe, or a write for guarded against another made meanwhile, that is not.
        if (writes && unread.Contains(Retries.IdempotencyKeyHeader))
            member += ", or an `Idempotency-Key` header, which this operation does not read (the 503 says what sending it again does)";
        if (writes && unread.Contains(Retries.IfMatchHeader))
            member += ", or an `If-Match` header, which this operation does not read (it takes no precondition)";
        if (writes && unread.Where(h => h != Retries.IdempotencyKeyHeader && h != Retries.IfMatchHeader).ToList() is { Count: > 0 } others)
            member += ", or an " + string.Join(" or ", others.Select(h => $"`{h}`")) + " header, which no write reads";
        responses["400"] = Problem(ValidationProblemSchema, (hasDto
            ? "请求格式错误 · Malformed request: bad JSON, a wrong JSON type, a missing or malformed field, parameter or header, or a query " +
              "parameter this operation does not take"
            : "请求格式错误 · A query parameter this operation does not take (it takes none)") + member + ". `errors` names each one.", context);
        if (secured)
        {
            responses["401"] = Problem(UnauthorizedProblemSchema, Text(declared, 401, "未认证 · No `X-Api-Key` header, or the key is unknown or revoked " +
                "(`…/unauthorized`); or the key has expired (`…/key-expired`, with `expiredAt`: ask the district office for a new one)."), context,
                new Dictionary<string, IOpenApiHeader> { ["WWW-Authenticate"] = Header("`ApiKey header=\"X-Api-Key\"`") });
            if (forbids) responses["403"] = Problem(ProblemSchema, Text(declared, 403, "无权限 · This key's role, or the reporter it is bound to, may not do this."), context);
        }
        if (hasRoute || declared.ContainsKey(404))
            responses["404"] = Problem(ProblemSchema, Text(declared, 404, "不存在 · Nothing exists at this path (unknown catalogue, period, reporter, key or submission)."), context);
        if (declared.TryGetValue(406, out var notAcceptable)) responses["406"] = Problem(ProblemSchema, notAcceptable, context);
        if (declared.TryGetValue(409, out var conflict)) responses["409"] = Problem(ConflictProblemSchema, conflict, context);
        // RequestLimits refuses a body over the limit on every request, ahead of authentication and of the endpoint, so an operation that
        // takes no body (and an anonymous one) answers it too.
        var limit = $"1 MiB ({RequestLimits.MaxBodyBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
        responses["413"] = Problem(ProblemSchema, Text(declared, 413, hasBody
            ? $"请求体过大 · The request body is over {limit}, the limit of every request; nothing was stored."
            : $"请求体过大 · A request body over {limit}, the limit of every request, is refused before the operation is reached, though this operation takes none."), context);
        // RequestLimits refuses this and a 431 on every request too, ahead of authentication.
        responses["414"] = Problem(ProblemSchema, $"请求行过长 · The request line (method, path and query) is over {RequestLimits.MaxRequestLineBytes} bytes (8 KiB): " +
            "shorten the URL.", context);
        if (hasBody)
            responses["415"] = Problem(ProblemSchema, Text(declared, 415, "不支持的媒体类型 · The Content-Type is not one of the request body's media types (`detail` names " +
                "the type sent and those taken), or names a charset the service cannot read (send UTF-8); or the body is compressed (a `Content-Encoding` " +
                "other than identity: send it uncompressed)."), context, Compressed());
        else if (takesNone)
            responses["415"] = Problem(ProblemSchema, Text(declared, 415, "不支持的媒体类型 · A body that is not JSON (form fields, text, or one without a " +
                "Content-Type): the operation takes none, or `{}` as application/json; or a JSON body in a charset the service cannot read; or a compressed body " +
                "(a `Content-Encoding` other than identity)."), context, Compressed());
        if (declared.TryGetValue(422, out var refused))
            responses["422"] = Problem(UnprocessableProblemSchema, refused + " Every violation is listed in `violations`.", context);
        if (secured)
            responses["429"] = Problem(ProblemSchema, "请求过于频繁 · Too many refused API keys came from this address within `Auth:FailedKeyWindow` " +
                "(`Auth:FailedKeyLimit` of them): every wrong key from it is refused until `Retry-After` seconds have passed; a valid key is served all the same.", context,
                RetryAfter("Seconds to wait before sending a key again: what is left of the address's window, rounded up."));
        responses["431"] = Problem(ProblemSchema, $"请求头过大 · The request's headers are over {RequestLimits.MaxHeaderBytes} bytes (32 KiB) in all; `detail` names the largest.", context);
        if (writes)
        {
            // Any write can meet a full or failing disk; nothing of it is stored then.
            // What a retry does is the operation's own (its endpoint's RetryAdvice): only a submission reads Idempotency-Key.
            responses["503"] = Problem(ProblemSchema, Text(declared, 503, "存储不可用 · The store is unavailable (its disk could not be written, or its database could not be reached). " +
                "Retry after `Retry-After` seconds." + (retry is null ? "" : " " + retry.English)), context,
                RetryAfter("Seconds to wait before retrying."));
            responses["507"] = Problem(ProblemSchema, Text(declared, 507, "存储空间不足 · The store's disk is full; nothing was stored."), context);
        }
        foreach (var (code, text) in declared.Where(d => d.Key >= 500 && !(writes && d.Key is 503 or 507)).OrderBy(d => d.Key))
            responses[code.ToString(CultureInfo.InvariantCulture)] = Problem(ProblemSchema, text, context);
        return responses;
    }

    private static Dictionary<string, IOpenApiHeader> Compressed() =>
        new() { ["Accept-Encoding"] = Header("`identity` where the body was compressed: the content codings a body may come in.") };

    private static Dictionary<string, IOpenApiHeader> RetryAfter(string description) => new() { ["Retry-After"] = Header(description, JsonSchemaType.Integer) };

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static string Text(IDictionary<int, string> declared, int code, string fallback) =>
        declared.TryGetValue(code, out var text) && !string.IsNullOrWhiteSpace(text) ? text : fallback;

    /// <summary>Exports are files, not JSON: the document says so instead of pretending they follow the JSON schema.</summary>
    private static IOpenApiSchema? SuccessSchema(string mediaType, IOpenApiSchema? schema) => mediaType switch
    {
        Features.Aggregates.Exports.Csv or Features.Aggregates.Exports.Html => new OpenApiSchema { Type = JsonSchemaType.String },
        Features.Aggregates.Exports.Xlsx => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        _ => schema,
    };

    private static Dictionary<string, IOpenApiHeader>? SuccessHeaders(int status, string operationId)
    {
        var headers = new Dictionary<string, IOpenApiHeader>();
        void Add(string name, string description) => headers[name] = Header(description);
        // A backup's is the list of backups (GET /v1/admin/backups), which holds it.
        if (status == 201)
            Add("Location", "The path of what was created (for a backup, the list that holds it).");
        if (status == 200 && operationId is "Submissions_Submit")
            Add("Content-Location", "The path of the current revision, which the body is (nothing was stored).");
        if (operationId is "Submissions_Submit" or "Submissions_Get")
            Add("ETag", "The revision, quoted (`\"3\"`): send it as If-Match to replace exactly this revision. It tags the revision, which never changes, " +
                "not the whole body: the district office's `review` of the revision may be added or replaced under the same tag, and its read (GET /v1/submissions/{id}) is not conditional (no 304).");
        if (operationId is "Periods_Get" or "Periods_Update" or "Periods_Close" or "Periods_Reopen")
            Add("ETag", "The settings' version, quoted (`\"3\"`): send it as If-Match with `PUT /v1/periods/{catalogue}/{period}`, or its `close` or `reopen`, " +
                "to replace exactly these settings, or as If-None-Match with the read to get 304 while they are unchanged. " +
                "It moves when the settings are set, the period closed or reopened, not when a table is submitted.");
        if (IsTagged(operationId))
            Add("ETag", "A strong tag over the table's bytes in this format (xlsx included: the same table is the same package): send it as If-None-Match to get 304 while it is unchanged.");
        // The file's name in Chinese as filename* (RFC 6266, UTF-8), which browsers save under; the ids' name as filename for a client that reads no other.
        const string Named = "The name the file is saved under: in Chinese as `filename*` (RFC 6266 / RFC 5987, UTF-8), which browsers use, and of the ids as `filename`, " +
            "for a client that reads no other (`curl -OJ`). ";
        if (operationId is "Templates_Get")
            Add("Content-Disposition", Named + "`attachment; filename={catalogue}-{period}-{reporter}.xlsx; filename*=UTF-8''2014年度政府信息公开工作情况统计表-阴平镇-填报模板.xlsx` (percent-encoded).");
        if (operationId is "Templates_GetReporters")
            Add("Content-Disposition", Named + "`attachment; filename={catalogue}-{period}-reporters.xlsx; filename*=UTF-8''2014年度政府信息公开工作情况统计表-分单位填报模板.xlsx` " +
                "(percent-encoded); narrowed, both names say to what (`-乡镇街道`, `-3个单位`, `-未报单位`; `-reporters-town-a-town-b-town-notSubmitted.xlsx`, " +
                "more than three reporters by their number: `-reporters-12-reporters.xlsx`).");
        if (operationId is "Audit_List")
            Add("Content-Disposition", "For CSV only. " + Named + "`attachment; filename=audit-{yyyyMMdd}.csv; filename*=UTF-8''操作日志-{yyyyMMdd}起.csv` (percent-encoded), " +
                "named by the China-time day of `from`, or `audit-until-{yyyyMMdd}.csv` and `操作日志-截至{yyyyMMdd}.csv` by that of `to` (today without it) when `from` is not given.");
        if (IsExported(operationId))
        {
            Add("Content-Disposition", "For CSV and xlsx only. " + Named + "`attachment; filename={catalogue}-{period}….xlsx; filename*=UTF-8''2014年度政府信息公开工作情况统计表….xlsx` " +
                "(percent-encoded): the table's heading, then what it is (`-分单位明细`, `-按全国表样`), the kind or reporters it is narrowed to (`-乡镇街道`, `-阴平镇`, " +
                "`-阴平镇等3个单位`) and `-发布版`; the ids' name likewise (`-breakdown`, `-town`, `-a-town`, `-a-town-b-town`, more than three reporters by their number: " +
                "`-12-reporters`, and `-publication`).");
            Add("Content-Security-Policy", $"For text/html only: `{Features.Aggregates.AggregateResponder.PrintablePagePolicy}`: the printable page runs no script and loads nothing.");
        }
        if (operationId == "Submissions_Submit" && status is 200 or 201)
            Add("Idempotent-Replayed", "`true` when this is the answer to an earlier request with the same Idempotency-Key, given again.");
        return headers.Count > 0 ? headers : null;
    }

    private static OpenApiResponse Problem(string schemaId, string description, OperationFilterContext context, Dictionary<string, IOpenApiHeader>? headers = null) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { [Problems.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schemaId, context.Document) } },
        Headers = headers,
    };

    /// <summary>
    /// The problem-details shapes the service sends: RFC 9457 with extensions; FastEndpoints' 400 with <c>errors</c>; 409 with what
    /// the conflict is with; 422 with <c>violations</c>. Each member a problem may add (<c>ProblemDetails.Extensions</c>) is a
    /// property of its schema, optional where only some problems of that status carry it, so that a generated client reads it.
    /// </summary>
    private static void EnsureProblemSchemas(OperationFilterContext context)
    {
        var schemas = context.SchemaRepository.Schemas;
        if (schemas.ContainsKey(UnprocessableProblemSchema)) return;
        OpenApiSchema Str(string description, string? format = null) => new() { Type = JsonSchemaType.String, Description = description, Format = format };
        OpenApiSchema Int(string description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };
        // Each schema's `type` lists the types of the statuses it is sent with; the plain one the rest.
        int[] ownSchema = [400, 401, 409, 422];
        Dictionary<string, IOpenApiSchema> Common(params int[] statuses) => new()
        {
            ["type"] = TypeSchema(statuses.Length > 0 ? statuses.Contains : s => !ownSchema.Contains(s), others: statuses.Length == 0),
            ["title"] = Str("A short, human-readable summary of the kind of problem."),
            ["status"] = Int("The HTTP status code."),
            ["detail"] = Str("What went wrong in this occurrence."),
            ["instance"] = Str("The request path, percent-encoded as a URI reference holds it (`/v1/reporters/%E5%B1%80`).", "uri-reference"),
            ["traceId"] = Str("The W3C trace context id (`00-<trace>-<span>-<flags>`) to quote when asking the district office about this request."),
            ["requestId"] = Str("The request's id, the same as its `X-Request-Id` response header."),
        };
        // Every problem carries every one of the common properties, so each is required; an extension is required where every
        // problem of the schema carries it.
        static OpenApiSchema Object(string? description, Dictionary<string, IOpenApiSchema> properties, params IEnumerable<string> required) =>
            new() { Type = JsonSchemaType.Object, Description = description, Properties = properties, Required = new HashSet<string>(required) };
        void Add(string id, string description, Dictionary<string, IOpenApiSchema> properties, params string[] extensions) =>
            context.SchemaRepository.AddDefinition(id, Object(description, properties, [.. Common().Keys, .. extensions]));
        Add(ProblemSchema, "RFC 9457 problem details.", Common());
        var unauthorized = Common(401);
        unauthorized["expiredAt"] = Str("On `key-expired`: when the key expired (its `expiresAt`).", "date-time");
        Add(UnauthorizedProblemSchema, "The request has no key the service accepts; `type` says why: `…/unauthorized` (none, unknown or revoked: the " +
            "service does not say which) or `…/key-expired` (a key it holds whose `expiresAt` has passed, with `expiredAt`).", unauthorized);

        var conflict = Common(409);
        conflict["currentRevision"] = Int("The current revision of the table (0: none yet). On `revision-conflict` — expectedRevision or If-Match not the " +
            "current revision, If-Match: * while there is none, or a review of a revision that is not the latest — and on `stale-workbook`.");
        conflict["currentSubmission"] = Str("On a review's `revision-conflict`: the id of the latest revision, the one that can be reviewed.", "uuid");
        conflict["period"] = Str("On `period-closed`: the closed period that refuses the write, the period itself or the year its quarters add up into " +
            "(`2014`, `2014Q3`). The district office can return the reporter's table for correction (退回, `POST /v1/submissions/{id}/review`), " +
            "which lets that reporter alone submit one correction, or reopen the period for every reporter.");
        conflict["closedAt"] = Str("On `period-closed`: when that period was closed.", "date-time");
        conflict["reopen"] = Str("On `period-closed`: the request that reopens that period, which the district office (an `admin` key) can send, " +
            "e.g. `POST /v1/periods/gov-info-disclosure-2014/2014/reopen`.");
        conflict["workbookRevision"] = Int("On `stale-workbook`: the revision the uploaded workbook was filled in from, 0 for a blank template or a workbook " +
            "made for another table than its sheet now names.");
        // A table a workbook names, or was made for: its reporter, catalogue and period, and what else is said of it.
        OpenApiSchema WorkbookTable(string description, string whose, params (string Name, IOpenApiSchema Schema)[] more)
        {
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                ["reporter"] = Str($"The reporter id the workbook {whose}."),
                ["catalogue"] = Str($"The catalogue id the workbook {whose}."),
                ["period"] = Str($"The period the workbook {whose}."),
            };
            foreach (var (name, schema) in more) properties[name] = schema;
            return Object(description, properties, properties.Keys);
        }
        conflict["workbookTable"] = WorkbookTable("On `stale-workbook`: the table the workbook's sheet names, whose current revision `If-Match` of `currentRevision` " +
            "would replace.", "names");
        conflict["workbookMadeFor"] = WorkbookTable("On `stale-workbook` for a workbook made for another table than its sheet now names (its period or reporter typed over): the " +
            "table it was made for and the revision of that table it holds (0: a blank template).", "was made for",
            ("revision", Int("The revision of that table the workbook holds, 0 for a blank template.")));
        conflict["name"] = Str("On `duplicate-reporter-name`: the name asked for, as it would be kept (NFC, without surrounding white space).");
        conflict["heldBy"] = Str("On `duplicate-reporter-name`: the id of the reporter that has the name (a retired one included: rename it first). " +
            "On `duplicate-government`: the id of the district government that is not retired (retire it first).");
        conflict["periods"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "On `retirement-changes-closed-period`: every closed period whose district table the change of `retiredFrom` would change, " +
                "by catalogue; reopen them first, or retire the reporter from a period not yet closed.",
            Items = Object(null, new()
            {
                ["catalogue"] = Str("The catalogue id, e.g. `gov-info-disclosure-2014`."),
                ["period"] = Str("The closed period, e.g. `2015` or `2015Q3`."),
                ["reopen"] = Str("The request that reopens it, which the district office (an `admin` key) can send, e.g. `POST /v1/periods/gov-info-disclosure-2014/2015/reopen`."),
            }, "catalogue", "period", "reopen"),
        };
        conflict["currentReceivedAt"] = Str("On `stale-workbook`: when the service received the current revision.", "date-time");
        conflict["currentSentAt"] = Str("On `stale-workbook`: when the reporter sent the current revision, where the district office stated it (`sentAt`).", "date-time");
        conflict["currentSubmittedBy"] = Object("On `stale-workbook`: who submitted the current revision, so that the person can tell whether to overwrite it: the key " +
            "and its role (`admin` for the district office, `reporter` for the reporter's own key; absent for a key this service does not hold).", new()
            {
                ["keyId"] = Str("The API key that sent the current revision, as `GET /v1/keys` lists it.", "uuid"),
                ["role"] = context.SchemaGenerator.GenerateSchema(typeof(Storage.KeyRole), context.SchemaRepository),
            }, "keyId");
        conflict["currentDecision"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [JsonValue.Create("pending")!, JsonValue.Create("accepted")!, JsonValue.Create("returned")!],
            Description = "On `review-conflict`: the state of the revision's current review, which is not the review the request named " +
                "(`expectedDecision`, `expectedReviewedAt`) — " +
                "`pending` (待审核, none yet), `accepted` (审核通过) or `returned` (退回).",
        };
        conflict["currentComment"] = Str("On `review-conflict`: the current review's comment, for `returned` the reason the reporter was given; absent when it has none.");
        conflict["currentReviewedAt"] = Str("On `review-conflict`: when the current review was made, to the millisecond; absent for `pending`. " +
            "Sent back as `expectedReviewedAt`, it names this review.", "date-time");
        conflict["currentReviewedBy"] = Object("On `review-conflict`: who made the current review, as `reviewedBy` names it; absent for `pending`.", new()
            {
                ["keyId"] = Str("The API key that reviewed, as `GET /v1/keys` lists it (`00000000-0000-0000-0000-000000000000`: the configured admin key).", "uuid"),
                ["label"] = Str("Who holds that key (the clerk's name), where the office gave one when it issued it."),
            }, "keyId");
        Add(ConflictProblemSchema, "The request conflicts with what is stored, and nothing was stored; `type` names the conflict (`…/revision-conflict`, " +
            "`…/period-closed`, `…/stale-workbook`, `…/duplicate-reporter`, `…/duplicate-government`, …). The members beyond RFC 9457's say what it is with, each on the conflicts it names.", conflict);

        var errors = Common(400);
        errors["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "One entry per malformed field, parameter or header.",
            Items = Object(null, new()
            {
                ["name"] = Str("The field as the client sent it, e.g. `values[2].value`, or the parameter or header name."),
                ["reason"] = Str("Why it was refused."),
            }, "name", "reason"),
        };
        Add(ValidationProblemSchema, "A malformed request: `errors` lists every field that could not be read or is malformed.", errors, "errors");
        var violation = context.SchemaGenerator.GenerateSchema(typeof(Violation), context.SchemaRepository);
        if (context.SchemaRepository.Schemas.GetValueOrDefault(Infrastructure.OpenApi.SchemaId(typeof(Violation))) is OpenApiSchema { Properties: { } members })
            members["rule"] = RuleSchema();
        var refused = Common(422);
        refused["violations"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Every violation, errors and warnings: the rule id, the indicator code(s) involved (the offending one first), expected and actual values, and a message in English and Chinese; for a table sent as a workbook, where its cells are in it (`cells`), which the messages name too.",
            Items = violation,
        };
        refused["retiredFrom"] = Str("With the violation `reporter-retired` (a table, or a template, for a period the reporter no longer reports): the first " +
            "period it no longer reports, e.g. `2015`.");
        refused["workbookTable"] = WorkbookTable("On a refused submission sent as an Excel workbook: the table its sheet names, which the violations are of (each of them " +
            "also says, in `cells`, where its cells are in the workbook).", "names");
        Add(UnprocessableProblemSchema, "A well-formed request that the registry or the catalogue refuses; nothing was stored.", refused, "violations");
    }

    /// <summary>
    /// A problem's <c>type</c>: every type of <see cref="ProblemTypes"/> whose status <paramref name="carries"/>, each with what it means, so
    /// that an integrator can switch on it. Listed as <c>x-extensible-enum</c> too, not as <c>enum</c>, which generated clients would turn
    /// into a type that refuses a problem type added later.
    /// </summary>
    private static OpenApiSchema TypeSchema(Func<int, bool> carries, bool others)
    {
        var types = ProblemTypes.All.Where(t => carries(t.Status)).ToList();
        return new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Format = "uri-reference",
            Description = $"A URI under `{Problems.TypeBase}` naming the kind of problem: switch on it, not on `title` or `detail`. One of:\n\n" +
                string.Join("\n", types.Select(t => $"- `…/{t.Slug}` ({t.Status}): {t.Description}")) +
                (others ? "\n\nAny other status the server answers with is named by its number (`…/416`). Kestrel answers some requests itself, " +
                    "before the service reads them, with no body at all: a request line it cannot parse (`400`), one over " +
                    $"{RequestLimits.MaxRequestLineWireBytes / 1024} KiB (`414`), headers over {RequestLimits.MaxHeaderWireBytes / 1024} KiB or more than 100 of them (`431`). " : "\n\n") +
                "Types may be added: read one you do not know by its HTTP status.",
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-extensible-enum"] = new JsonNodeExtension(new JsonArray([.. types.Select(t => JsonValue.Create(t.Uri))])) },
        };
    }

    /// <summary>
    /// A violation's <c>rule</c>: every rule id the service raises (<see cref="ViolationRules"/>), each with its summary, beside a
    /// catalogue's own rule ids, which are the catalogue's data.
    /// </summary>
    private static OpenApiSchema RuleSchema()
    {
        var groups = ViolationRules.Groups.Select(g => $"{g.Heading}:\n\n" +
            string.Join("\n", g.Rules.Select(r => $"- `{ViolationRules.Id(r)}`: {XmlDocs.Summary(r)}")));
        return new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The rule broken: one of the ids below, or the id of one of the catalogue's own rules (`rules[].id` of " +
                "`GET /v1/catalogues/{id}`, such as `C2`). Ids may be added: show `message` or `messageZh` for one you do not know.\n\n" +
                string.Join("\n\n", groups),
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-extensible-enum"] = new JsonNodeExtension(new JsonArray([.. ViolationRules.All.Select(id => JsonValue.Create(id))])) },
        };
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>The endpoint's validator, made by its parameterless constructor (public or not); null without one.</summary>
    private static IValidator? CreateValidator(Type? type) =>
        type?.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)?.Invoke(null) as IValidator;

    /// <summary>
    /// Required when the validator has an unconditional NotNull/NotEmpty on the member. FastEndpoints names rules in
    /// camelCase; the shared shape rules reach a validator by inheritance (<c>ShapeValidator</c>), so they are its own.
    /// </summary>
    private static bool IsRequired(IValidator? validator, string member) =>
        validator?.CreateDescriptor().Rules.Any(rule => string.Equals(rule.PropertyName, member, StringComparison.OrdinalIgnoreCase) &&
            rule.Components.Any(c => c.Validator is INotNullValidator or INotEmptyValidator && !c.HasCondition && !c.HasAsyncCondition)) == true;
}
