using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Api.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Api.Tests;

/// <summary>
/// The committed <c>openapi/disclosure.v1.json</c> is what the service serves, and the served document is complete
/// where integrators need it to be.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFactory factory) : ApiTest(factory)
{
    public const string UpdateVariable = "DISCLOSURE_UPDATE_OPENAPI";
    public const string RefreshCommand = "DISCLOSURE_UPDATE_OPENAPI=1 dotnet test --project tests/Disclosure.Api.Tests --filter-class Disclosure.Api.Tests.OpenApiDocumentTests";

    private static readonly string[] SecuredRefusals = ["401", "403", "429"];
    /// <summary>Operations every role may call and that take nothing naming what a role could be kept from: no 403 is reachable.</summary>
    private static readonly HashSet<string> NeverForbidden = ["get /v1/me"];

    private async Task<string> ServedAsync()
    {
        var response = await Factory.CreateClient().GetAsync(OpenApi.DocumentPath, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>The retry advice the operation's endpoint declares, as the service holds it (not as the document says it).</summary>
    private RetryAdvice? AdviceOf(string operationId) =>
        Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<FastEndpoints.EndpointDefinition>() is { } d && Infrastructure.Swagger.FastEndpointsOperations.OperationId(d) == operationId)
            .Select(e => e.Metadata.GetMetadata<RetryAdvice>()).FirstOrDefault();

    private async Task<JsonObject> DocumentAsync() => JsonNode.Parse(await ServedAsync())!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    private static JsonObject Operation(JsonObject document, string method, string path) => document["paths"]![path]![method]!.AsObject();

    [Fact]
    public async Task The_Committed_Document_Is_The_Served_One()
    {
        var document = await ServedAsync();
        var file = RepositoryFile.Path("openapi", "disclosure.v1.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, Format(JsonNode.Parse(document)), new UTF8Encoding(false), Ct);
            return;
        }
        var served = Normalise(document);
        Assert.True(File.Exists(file), $"{file} is missing. Create it with:\n  {RefreshCommand}");
        var committed = Normalise(await File.ReadAllTextAsync(file, Ct));
        if (committed == served) return;
        var (line, expected, actual) = FirstDifference(committed, served);
        Assert.Fail($"openapi/disclosure.v1.json differs from the document the service serves (first difference at line {line}):\n" +
            $"  committed: {expected}\n  served:    {actual}\n" +
            $"If the change to the API is intended, refresh the file and commit it:\n  {RefreshCommand}");
    }

    /// <summary>The committed form: the served order, indented, Chinese kept readable, LF line ends.</summary>
    private static string Format(JsonNode? node) =>
        node!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    /// <summary>The compared form: as <see cref="Format"/>, with object keys sorted, so that a mere reordering is no drift.</summary>
    public static string Normalise(string json) => Format(Sort(JsonNode.Parse(json)));

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static (int Line, string Expected, string Actual) FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "<end of file>";
            var y = i < a.Length ? a[i] : "<end of file>";
            if (x != y) return (i + 1, x.Trim(), y.Trim());
        }
        return (0, "", "");
    }

    [Fact]
    public async Task No_Get_Or_Delete_Has_A_Request_Body()
    {
        var document = await DocumentAsync();
        var offenders = Operations(document).Where(o => o.Method is "get" or "delete" && o.Operation.ContainsKey("requestBody")).Select(o => $"{o.Method} {o.Path}");
        Assert.Empty(offenders);
    }

    [Fact]
    public async Task A_201_Declares_Location_Where_The_Service_Sends_One()
    {
        var document = await DocumentAsync();
        var declaring = Operations(document).Where(o => o.Operation["responses"]?["201"]?["headers"]?["Location"] is not null).Select(o => $"{o.Method} {o.Path}");
        // Each creates what a GET then reads; a backup's leads to the list of backups, which holds it (BackupTests).
        Assert.Equal(["post /v1/admin/backup", "post /v1/catalogues", "post /v1/keys", "post /v1/reporters", "post /v1/submissions"], declaring.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_Aggregate_Read_Has_Its_Path_And_Query_Parameters()
    {
        var document = await DocumentAsync();
        var parameters = Operation(document, "get", "/v1/aggregates/{catalogue}/{period}")["parameters"]!.AsArray()
            .Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>(), Required: p["required"]?.GetValue<bool>() == true, Schema: p["schema"]!))
            .ToList();
        Assert.Equal(["catalogue", "period"], parameters.Where(p => p.In == "path").Select(p => p.Name));
        Assert.All(parameters.Where(p => p.In == "path"), p => Assert.True(p.Required));
        Assert.Equal(["reporters", "kind", "format", "layout", "reportDate", "asAt"], parameters.Where(p => p.In == "query").Select(p => p.Name));
        Assert.Equal("#/components/schemas/ReporterKind", parameters.Single(p => p.Name == "kind").Schema["$ref"]!.GetValue<string>());
        Assert.Equal(["government", "department", "town"], document["components"]!["schemas"]!["ReporterKind"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_Aggregate_Read_Offers_The_Export_Formats_And_304()
    {
        var operation = Operation(await DocumentAsync(), "get", "/v1/aggregates/{catalogue}/{period}");
        var content = operation["responses"]!["200"]!["content"]!.AsObject();
        Assert.Equal(["application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/html"], content.Select(c => c.Key));
        Assert.Equal("binary", content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]!["schema"]!["format"]!.GetValue<string>());
        Assert.True(operation["responses"]!.AsObject().ContainsKey("304"));
    }

    [Fact]
    public async Task Every_Read_That_Answers_304_Takes_If_None_Match_And_Documents_Its_ETag()
    {
        var tagged = Operations(await DocumentAsync()).Where(o => o.Operation["responses"]!.AsObject().ContainsKey("304")).ToList();
        Assert.Contains(tagged, o => o.Path == "/v1/aggregates/{catalogue}/{period}/far-from-last-year");
        Assert.All(tagged, o =>
        {
            Assert.Contains(o.Operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-None-Match" && p["in"]!.GetValue<string>() == "header");
            Assert.True(o.Operation["responses"]!["200"]!["headers"]?.AsObject().ContainsKey("ETag"), $"{o.Method} {o.Path} documents no ETag");
        });
    }

    [Fact]
    public async Task Every_Download_Sends_And_Documents_Its_File_Name()
    {
        var document = await DocumentAsync();
        var reporter = await CreateReporterAsync();
        // Each download is saved under a name of its own: one town's table does not take the district table's name.
        // In Chinese (filename*), and of the ids for a client that reads no other (filename); DownloadNameTests has every one.
        const string Heading = "2014年度政府信息公开工作情况统计表";
        var name = $"测试单位 {reporter}";
        (string Path, string Template, string File, string Ascii)[] downloads =
        [
            ($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", "/v1/templates/{catalogue}/{period}", $"{Heading}-{name}-填报模板.xlsx", $"{Catalogue2014}-2014-{reporter}.xlsx"),
            ($"/v1/aggregates/{Catalogue2014}/2014?format=xlsx", "/v1/aggregates/{catalogue}/{period}", $"{Heading}.xlsx", $"{Catalogue2014}-2014.xlsx"),
            ($"/v1/aggregates/{Catalogue2014}/2014?format=csv", "/v1/aggregates/{catalogue}/{period}", $"{Heading}.csv", $"{Catalogue2014}-2014.csv"),
            ($"/v1/aggregates/{Catalogue2014}/2014/reporters/{reporter}?format=xlsx", "/v1/aggregates/{catalogue}/{period}/reporters/{id}", $"{Heading}-{name}.xlsx",
                $"{Catalogue2014}-2014-{reporter}.xlsx"),
            ($"/v1/aggregates/{Catalogue2014}/2014/breakdown?format=xlsx", "/v1/aggregates/{catalogue}/{period}/breakdown", $"{Heading}-分单位明细.xlsx", $"{Catalogue2014}-2014-breakdown.xlsx"),
        ];
        foreach (var (path, template, file, ascii) in downloads)
        {
            using var response = await Admin.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal((file, ascii), (response.Content.Headers.ContentDisposition?.FileNameStar, response.Content.Headers.ContentDisposition?.FileName?.Trim('"')));
            var headers = Operation(document, "get", template)["responses"]!["200"]!["headers"]?.AsObject();
            Assert.True(headers?.ContainsKey("Content-Disposition") == true, $"{template} sends Content-Disposition but its 200 does not declare it");
        }
    }

    [Fact]
    public async Task Every_Header_The_Service_Answers_With_Is_Named_In_The_Document()
    {
        // Those of HTTP itself aside, a header an answer carries is the contract's: an operation's own, or one the document's
        // description says every answer carries (Cache-Control, X-Request-Id), which no operation lists.
        var text = (await DocumentAsync()).ToJsonString();
        var reporter = await CreateReporterAsync();
        var aggregate = await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014", Ct);
        var unchanged = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014");
        unchanged.Headers.IfNoneMatch.Add(aggregate.Headers.ETag!);
        var compressed = new HttpRequestMessage(HttpMethod.Get, "/v1/reporters");
        compressed.Headers.AcceptEncoding.ParseAdd("gzip");
        HttpResponseMessage[] answers =
        [
            aggregate, await Admin.SendAsync(unchanged, Ct), await Admin.SendAsync(compressed, Ct),
            await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)]),
            await Admin.GetAsync($"/v1/templates/{Catalogue2014}/2014?reporter={reporter}", Ct),
            await Admin.GetAsync("/v1/reporters/no-such-reporter", Ct),
            await Factory.CreateClient().GetAsync("/v1/reporters", Ct),
            await Admin.DeleteAsync("/v1/reporters", Ct),
            await Factory.CreateClient().GetAsync("/health/live", Ct),
        ];
        string[] http = ["Date", "Server", "Transfer-Encoding", "Content-Length", "Content-Type", "Connection"];
        var unnamed = answers.SelectMany(a => a.Headers.Concat(a.Content.Headers).Select(h => (h.Key, (int)a.StatusCode, a.RequestMessage!.RequestUri!.AbsolutePath)))
            .Where(h => !http.Contains(h.Key, StringComparer.OrdinalIgnoreCase) && !text.Contains(h.Key, StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key} ({h.Item2} to {h.AbsolutePath})").Distinct().ToList();
        Assert.Empty(unnamed);
    }

    [Fact]
    public async Task Every_Secured_Operation_Requires_The_Api_Key_And_Documents_401_And_403()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]![ApiKeys.Scheme]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal(ApiKeys.Header, scheme["name"]!.GetValue<string>());

        var anonymous = new HashSet<string> { "get /v1/catalogues", "get /v1/catalogues/{id}", "get /health/live", "get /health/ready" };
        foreach (var (path, method, operation) in Operations(document))
        {
            var requirements = operation["security"]!.AsArray();
            var responses = operation["responses"]!.AsObject();
            if (anonymous.Contains($"{method} {path}"))
            {
                Assert.True(requirements.All(r => r!.AsObject().Count == 0), $"{method} {path} is anonymous but asks for a key");
                Assert.False(responses.ContainsKey("401") || responses.ContainsKey("403"), $"{method} {path} is anonymous but documents 401/403");
                continue;
            }
            Assert.True(requirements.Any(r => r!.AsObject().ContainsKey(ApiKeys.Scheme)), $"{method} {path} lacks the {ApiKeys.Scheme} requirement");
            Assert.All(SecuredRefusals.Where(code => code != "403" || !NeverForbidden.Contains($"{method} {path}")),
                code => Assert.True(responses.ContainsKey(code), $"{method} {path} lacks {code}"));
            if (NeverForbidden.Contains($"{method} {path}")) Assert.False(responses.ContainsKey("403"), $"{method} {path} documents a 403 no key can meet");
        }
    }

    [Fact]
    public async Task Each_Writes_503_Says_What_Sending_It_Again_Does_And_Its_400_Names_Idempotency_Key_And_If_Match_Only_Where_Not_Read()
    {
        var document = await DocumentAsync();
        var writes = Operations(document).Where(o => o.Method is "post" or "put" or "patch" or "delete").ToList();
        Assert.NotEmpty(writes);
        foreach (var (path, method, operation) in writes)
        {
            var id = operation["operationId"]!.GetValue<string>();
            var reads = operation["parameters"]?.AsArray().Any(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "Idempotency-Key") == true;
            var unavailable = operation["responses"]!["503"]!["description"]!.GetValue<string>();
            var malformed = operation["responses"]!["400"]!["description"]!.GetValue<string>();
            if (unavailable.StartsWith("存储不可用", StringComparison.Ordinal))
                Assert.Contains(Assert.IsType<RetryAdvice>(AdviceOf(id)).English, unavailable);
            if (!reads)
            {
                Assert.DoesNotContain("Idempotency-Key", unavailable);
                Assert.Contains("`Idempotency-Key` header, which this operation does not read", malformed);
            }
            else Assert.DoesNotContain("Idempotency-Key", malformed);
            // If-Match likewise: read by a submission (and its dry run), refused by every other write.
            var takesIfMatch = operation["parameters"]?.AsArray().Any(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "If-Match") == true;
            Assert.Equal(!takesIfMatch, malformed.Contains("`If-Match` header, which this operation does not read (it takes no precondition)", StringComparison.Ordinal));
            Assert.Contains("`If-None-Match` or `If-Unmodified-Since` header, which no write reads", malformed);
        }
        Assert.DoesNotContain("`If-Match` header", Operation(document, "post", "/v1/submissions")["responses"]!["400"]!["description"]!.GetValue<string>());
        Assert.Contains("`If-Match` header, which this operation does not read", Operation(document, "post", "/v1/submissions/{id}/review")["responses"]!["400"]!["description"]!.GetValue<string>());
        Assert.Contains("same Idempotency-Key", Operation(document, "post", "/v1/submissions")["responses"]!["503"]!["description"]!.GetValue<string>());
        Assert.Contains("GET /v1/keys", Operation(document, "post", "/v1/keys")["responses"]!["503"]!["description"]!.GetValue<string>());
        Assert.Contains("`duplicate-reporter`", Operation(document, "post", "/v1/reporters")["responses"]!["503"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Request_Member_The_Validator_Requires_Is_Not_Nullable()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!;
        foreach (var (id, members) in new[]
        {
            ("ReportersCreateRequest", new[] { "id", "name" }),
            ("SubmissionsSubmitRequest", new[] { "reporter", "period", "catalogue", "values" }),
            ("SubmissionsValidateRequest", new[] { "reporter", "period", "catalogue", "values" }),
        })
        {
            var required = schemas[id]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            foreach (var member in members)
            {
                Assert.Contains(member, required);
                Assert.True(schemas[id]!["properties"]![member]!["nullable"] is null, $"{id}.{member} is required but nullable");
            }
        }
        // Optional members stay nullable: null is how a client leaves them out.
        Assert.True(schemas["SubmissionsSubmitRequest"]!["properties"]!["note"]!["nullable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Path_Ids_Of_Submissions_And_Keys_Are_Uuids_Wherever_They_Appear()
    {
        var document = await DocumentAsync();
        foreach (var (method, path) in new[] { ("get", "/v1/submissions/{id}"), ("post", "/v1/submissions/{id}/review"), ("delete", "/v1/keys/{id}"), ("get", "/v1/keys/{id}") })
        {
            var id = Operation(document, method, path)["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "id")!;
            Assert.Equal("uuid", id["schema"]!["format"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task Descriptions_Say_What_The_Service_Does_Where_An_Integrator_Found_Otherwise()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!;
        var values = schemas["SubmissionsSubmitRequest"]!["properties"]!["values"]!["description"]!.GetValue<string>();
        Assert.DoesNotContain("as the catalogue has cells.", values);
        Assert.Contains("cells and headers together", values);

        var audit = Operation(document, "get", "/v1/audit");
        Assert.NotNull(audit["responses"]!["200"]!["headers"]?["Content-Disposition"]);
        var before = audit["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "before")!;
        Assert.Contains("an id that is not in the log is taken too", before["description"]!.GetValue<string>());

        var revoke = Operation(document, "delete", "/v1/keys/{id}");
        Assert.Contains("revoked already answers 204", revoke["description"]!.GetValue<string>());
        Assert.StartsWith("No key has this id", revoke["responses"]!["404"]!["description"]!.GetValue<string>());

        var far = schemas["AggregatesFarFromLastYearResponse"]!;
        Assert.DoesNotContain("yearBefore", far["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("first year", far["properties"]!["yearBefore"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_Operation_Declares_The_413_It_Answers_To_A_Body_Over_The_Limit()
    {
        // The limit holds for every request, ahead of the key and of the endpoint: an operation that takes no body answers
        // a body over it as well, and a generated client must find that status declared.
        var document = await DocumentAsync();
        var oversized = new byte[RequestLimits.MaxBodyBytes + 1];
        var undeclared = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var target = path.Replace("{catalogue}", Catalogue2014, StringComparison.Ordinal).Replace("{period}", "2014", StringComparison.Ordinal)
                .Replace("{national}", "gov-info-disclosure-2021", StringComparison.Ordinal).Replace("{id}", NewId(), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target) { Content = new ByteArrayContent(oversized) };
            request.Content.Headers.ContentType = new("application/json");
            using var response = await Admin.SendAsync(request, Ct);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge || response.Content.Headers.ContentType?.MediaType != Problems.ContentType)
                undeclared.Add($"{method} {path} answered {status} {response.Content.Headers.ContentType?.MediaType}, not a 413 problem");
            else if (operation["responses"]![status]?["content"]?[Problems.ContentType] is null)
                undeclared.Add($"{method} {path} answered a 413 problem that its responses do not declare");
        }
        Assert.True(undeclared.Count == 0, string.Join("\n", undeclared));
    }

    [Fact]
    public async Task Submitting_Documents_Every_Refusal_And_The_Idempotency_Header()
    {
        var document = await DocumentAsync();
        var operation = Operation(document, "post", "/v1/submissions");
        var responses = operation["responses"]!.AsObject();
        Assert.Equal(["200", "201", "400", "401", "403", "409", "413", "414", "415", "422", "429", "431", "503", "507"], responses.Select(r => r.Key));
        // The current table over again: nothing stored, the current revision answered, with its path and tag; a retry under the
        // same Idempotency-Key is that answer again, and says so.
        Assert.Equal(["Content-Location", "ETag", "Idempotent-Replayed"], responses["200"]!["headers"]!.AsObject().Select(h => h.Key));
        Assert.Equal(responses["201"]!["content"]!.ToJsonString(), responses["200"]!["content"]!.ToJsonString());
        foreach (var code in responses.Select(r => r.Key).Where(c => c[0] is '4' or '5'))
            Assert.True(responses[code]!["content"]!.AsObject().ContainsKey("application/problem+json"), $"{code} is not problem details");
        Assert.Equal("#/components/schemas/ValidationProblemDetails", responses["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/UnprocessableProblemDetails", responses["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());

        var headers = operation["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(["Idempotency-Key", "If-Match"], headers);

        var violation = document["components"]!["schemas"]!["Violation"]!["properties"]!.AsObject();
        Assert.Equal(["rule", "severity", "codes", "expected", "actual", "message", "messageZh", "cells", "closedAt"], violation.Select(p => p.Key));
        // Only a workbook's violations say where their cells are, and only a closed period's when it was closed.
        Assert.DoesNotContain("cells", document["components"]!["schemas"]!["Violation"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain("closedAt", document["components"]!["schemas"]!["Violation"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("date-time", violation["closedAt"]!["format"]!.GetValue<string>());
        Assert.Equal(["error", "warning"], document["components"]!["schemas"]!["Severity"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_Submission_Example_Is_The_Seed_Table_And_The_Service_Accepts_It()
    {
        var document = await DocumentAsync();
        var example = Operation(document, "post", "/v1/submissions")["requestBody"]!["content"]!["application/json"]!["example"]!.AsObject();
        var values = example["values"]!.AsArray().ToDictionary(v => v!["code"]!.GetValue<string>(), v => v!["value"]!.GetValue<decimal>());
        Assert.Equal(SeedTable.Values.ToDictionary(v => v.Key, v => v.Value!.Value), values);

        Assert.Equal("yicheng-district", example["reporter"]!.GetValue<string>());
        example["reporter"] = await CreateReporterAsync("government");
        var response = await Admin.PostAsync("/v1/submissions/validate", new StringContent(example.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var verdict = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
    }

    [Fact]
    public async Task Real_Responses_Have_Every_Required_Property_No_Unexpected_Null_And_Nothing_Undocumented()
    {
        var document = await DocumentAsync();
        var reporter = await CreateReporterAsync("government");
        var submitted = await SubmitAsync(Admin, reporter, "2014", SeedTable.Values);
        Assert.Equal(System.Net.HttpStatusCode.Created, submitted.StatusCode);
        var refused = await SubmitAsync(Admin, reporter, "2014", [new("3.1", 7), new("3.1.1", 5), new("99.9", 1)]);
        var checks = new (string Schema, JsonNode? Body)[]
        {
            ("SubmissionsSubmissionView", JsonNode.Parse(await submitted.Content.ReadAsStringAsync(Ct))),
            ("UnprocessableProblemDetails", JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))),
            ("AggregatesAggregateTable", JsonNode.Parse(await Admin.GetStringAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters={reporter}", Ct))),
            ("CataloguesGetResponse", JsonNode.Parse(await Admin.GetStringAsync($"/v1/catalogues/{Catalogue2014}", Ct))),
            ("CataloguesGetResponse", JsonNode.Parse(await Admin.GetStringAsync("/v1/catalogues/gov-info-disclosure-2021", Ct))),
            ("SubmissionsListResponse", JsonNode.Parse(await Admin.GetStringAsync($"/v1/submissions?reporter={reporter}&catalogue={Catalogue2014}&period=2014", Ct))),
            ("ReportersReporterView", JsonNode.Parse(await Admin.GetStringAsync($"/v1/reporters/{reporter}", Ct))),
            ("ReportersReporterView", JsonNode.Parse(await (await Admin.PatchAsJsonAsync($"/v1/reporters/{reporter}", new { name = "峄城区人民政府" }, Ct)).Content.ReadAsStringAsync(Ct))),
            ("KeysKeyView", JsonNode.Parse(await Admin.GetStringAsync((await Admin.PostAsJsonAsync("/v1/keys", new { role = "viewer" }, Ct)).Headers.Location!.ToString(), Ct))),
        };
        var schemas = document["components"]!["schemas"]!.AsObject();
        var problems = new List<string>();
        foreach (var (schema, body) in checks) Conform(schemas, schemas[schema]!, body, schema, problems);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Every_Member_A_Problem_Carries_Is_A_Described_Property_Of_The_Schema_Its_Operation_Documents()
    {
        // What a generated client reads of a problem is what its schema declares: an extension named only in prose is lost to it.
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var reporter = await CreateReporterAsync("town");
        var first = await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)]);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 2)])).StatusCode);
        var closed = "2013Q" + Random.Shared.Next(1, 5);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/v1/periods/{Catalogue2014}/{closed}/close", null, Ct)).StatusCode);
        var retired = await CreateReporterAsync("town");
        var retirement = new StringContent("""{"retiredFrom":"2015"}""", Encoding.UTF8, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsync($"/v1/reporters/{retired}", retirement, Ct)).StatusCode);

        var problems = new (string Method, string Path, int Status, string[] Extensions, HttpResponseMessage Response)[]
        {
            ("post", "/v1/submissions", 409, ["currentRevision"], await SubmitAsync(Admin, reporter, "2014", [new("13.1", 3)], expectedRevision: 0)),
            ("post", "/v1/submissions", 409, ["period"], await SubmitAsync(Admin, reporter, closed, [new("13.1", 3)])),
            ("post", "/v1/submissions/{id}/review", 409, ["currentRevision", "currentSubmission"],
                await Admin.PostAsJsonAsync($"/v1/submissions/{firstId}/review", new { decision = "accepted" }, Ct)),
            ("post", "/v1/submissions", 422, ["violations", "retiredFrom"], await SubmitAsync(Admin, retired, "2016", [new("13.1", 3)])),
            ("post", "/v1/reporters", 409, ["name", "heldBy"], await Admin.PostAsJsonAsync("/v1/reporters",
                new { id = "dup-" + Guid.NewGuid().ToString("N")[..8], name = (await Admin.GetFromJsonAsync<JsonElement>($"/v1/reporters/{reporter}", Ct)).GetProperty("name").GetString(), kind = "town" }, Ct)),
        };
        var missing = new List<string>();
        foreach (var (method, path, status, extensions, response) in problems)
        {
            var body = await ProblemAsync(response, status);
            var reference = Operation(document, method, path)["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!
                ["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>();
            var schema = schemas[reference.Split('/')[^1]]!;
            Assert.All(extensions, e => Assert.True(body.TryGetProperty(e, out _), $"{method} {path} {status} lacks {e}: {body}"));
            foreach (var member in body.EnumerateObject())
                if (schema["properties"]?[member.Name] is not { } property) missing.Add($"{method} {path} {status}: {member.Name} is not a property of {reference}");
                else if (property["description"] is null && property["$ref"] is null) missing.Add($"{method} {path} {status}: {member.Name} has no description");
        }
        Assert.Empty(missing);

        // The conflicts of a workbook (stale-workbook) carry these besides; none is required, since other conflicts lack them.
        var conflict = schemas[Disclosure.Api.Infrastructure.Swagger.FastEndpointsOperationFilter.ConflictProblemSchema]!;
        foreach (var name in new[] { "workbookRevision", "workbookMadeFor", "currentReceivedAt", "currentSentAt", "currentSubmittedBy" })
            Assert.NotNull(conflict["properties"]![name]!["description"]);
        Assert.DoesNotContain(conflict["required"]!.AsArray(), r => r!.GetValue<string>().StartsWith("current", StringComparison.Ordinal));
    }

    /// <summary>A small structural check of a JSON value against the document's schema: required, nullable, additionalProperties.</summary>
    private static void Conform(JsonObject schemas, JsonNode schema, JsonNode? value, string path, List<string> problems)
    {
        if (schema["$ref"] is { } reference) schema = schemas[reference.GetValue<string>().Split('/')[^1]]!;
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && schema["$ref"] is null && schema["type"] is not null) problems.Add($"{path} is null but not nullable");
            return;
        }
        if (schema["properties"] is JsonObject properties && value is JsonObject obj)
        {
            foreach (var required in schema["required"]?.AsArray() ?? [])
                if (!obj.ContainsKey(required!.GetValue<string>())) problems.Add($"{path} lacks required {required}");
            foreach (var (name, item) in obj)
            {
                if (properties[name] is { } property) Conform(schemas, property, item, $"{path}.{name}", problems);
                else if (schema["additionalProperties"]?.GetValueKind() == JsonValueKind.False) problems.Add($"{path}.{name} is not in the schema");
            }
        }
        else if (schema["items"] is { } items && value is JsonArray array)
            foreach (var item in array) Conform(schemas, items, item, path + "[]", problems);
    }

    /// <summary>The problem schema the document gives a status's answers.</summary>
    private static string ProblemSchemaOf(int status) => status switch
    {
        400 => "ValidationProblemDetails",
        401 => "UnauthorizedProblemDetails",
        409 => "ConflictProblemDetails",
        422 => "UnprocessableProblemDetails",
        _ => "ProblemDetails",
    };

    private static List<string> Listed(JsonNode schema) => [.. schema["x-extensible-enum"]!.AsArray().Select(v => v!.GetValue<string>())];

    /// <summary>
    /// An integrator switches on a problem's <c>type</c>: every type the service mints (<see cref="ProblemTypes"/>, which
    /// <see cref="Problems"/> takes in place of a slug) is listed, with what it means, on the schema its status is answered with.
    /// </summary>
    [Fact]
    public async Task No_Problem_Type_Is_Listed_That_No_Request_Gets()
    {
        // Kestrel reads an HTTP/1.1 body with no length as empty (a 400 naming the body: FaultSuiteTests) and refuses an HTTP/1.0 one
        // itself, and every 503 is store-unavailable or unready: an integrator switching on length-required or unavailable waits for nothing.
        var text = (await DocumentAsync()).ToJsonString();
        Assert.DoesNotContain("/problems/length-required", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/problems/unavailable\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ProblemTypes.All, t => t.Status == 411 || t.Slug == "unavailable");
    }

    [Fact]
    public async Task Every_Problem_Type_The_Service_Mints_Is_Listed_With_Its_Meaning_On_The_Schema_Its_Status_Is_Answered_With()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.Slug).Distinct(StringComparer.Ordinal).Count());
        // The ones QA33 found listed nowhere.
        Assert.Subset(ProblemTypes.All.Select(t => t.Slug).ToHashSet(), new HashSet<string> { "validation", "forbidden", "unprocessable",
            "unsupported-media-type", "payload-too-large", "not-acceptable", "too-many-failed-keys", "internal-error" });
        foreach (var type in ProblemTypes.All)
        {
            var property = schemas[ProblemSchemaOf(type.Status)]!["properties"]!["type"]!;
            Assert.Contains(type.Uri, Listed(property));
            Assert.False(string.IsNullOrWhiteSpace(type.Description), $"{type.Slug} says nothing of itself");
            Assert.Contains($"- `…/{type.Slug}` ({type.Status}): {type.Description}", property["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Each schema lists only the types of the statuses it is answered with, which is what the operations say.
        foreach (var (path, method, operation) in Operations(document))
            foreach (var (code, response) in operation["responses"]!.AsObject())
                if (response?["content"]?[Problems.ContentType]?["schema"]?["$ref"]?.GetValue<string>() is { } reference)
                    Assert.Equal($"#/components/schemas/{ProblemSchemaOf(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture))}", reference);
    }

    [Fact]
    public async Task The_Type_Of_A_Problem_Answered_Is_One_The_Document_Lists_For_That_Answer()
    {
        var document = await DocumentAsync();
        var (_, viewer) = await CreateKeyAsync("viewer");
        var asViewer = Factory.CreateClient();
        asViewer.DefaultRequestHeaders.Add(ApiKeys.Header, viewer);
        var notPng = new HttpRequestMessage(HttpMethod.Get, $"/v1/aggregates/{Catalogue2014}/2014");
        notPng.Headers.Accept.ParseAdd("image/png");
        (string Template, HttpResponseMessage Response)[] answers =
        [
            ("post /v1/reporters", await asViewer.PostAsJsonAsync("/v1/reporters", new { id = NewId(), name = "无权", kind = "town" }, Ct)),
            ("post /v1/reporters", await Admin.PostAsJsonAsync("/v1/reporters", new { }, Ct)),
            ("post /v1/reporters", await Admin.PostAsync("/v1/reporters", new StringContent("id=x", Encoding.UTF8, "text/plain"), Ct)),
            ("post /v1/reporters", await Admin.PostAsync("/v1/reporters", new StringContent(new string(' ', 2 << 20), Encoding.UTF8, "application/json"), Ct)),
            ("get /v1/reporters/{id}", await Admin.GetAsync("/v1/reporters/no-such-reporter", Ct)),
            ("get /v1/reporters/{id}", await Factory.CreateClient().GetAsync("/v1/reporters/no-such-reporter", Ct)),
            ("get /v1/aggregates/{catalogue}/{period}", await Admin.SendAsync(notPng, Ct)),
            ("get /v1/aggregates/{catalogue}/{period}", await Admin.GetAsync($"/v1/aggregates/{Catalogue2014}/2014?reporters=no-such-reporter", Ct)),
            ("get /v1/keys", await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/v1/keys"), Ct)),
        ];
        var schemas = document["components"]!["schemas"]!;
        var seen = new HashSet<int>();
        foreach (var (template, response) in answers)
        {
            var status = (int)response.StatusCode;
            seen.Add(status);
            var problem = await ProblemAsync(response, status);
            var type = problem.GetProperty("type").GetString()!;
            var (method, path) = (template.Split(' ')[0], template.Split(' ')[1]);
            // A 405 is the path's, not an operation's: its answer is the plain problem.
            var reference = status == 405 ? "#/components/schemas/ProblemDetails"
                : Operation(document, method, path)["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]![Problems.ContentType]!["schema"]!["$ref"]!.GetValue<string>();
            Assert.Contains(type, Listed(schemas[reference.Split('/')[^1]]!["properties"]!["type"]!));
        }
        Assert.Equal([400, 401, 403, 404, 405, 406, 413, 415, 422], seen.Order());
    }

    /// <summary>
    /// An integrator switches on a violation's <c>rule</c>: every rule id the service raises (<see cref="ViolationRules"/>) is listed on
    /// it with what it means (the constant's summary).
    /// </summary>
    [Fact]
    public async Task Every_Rule_Id_The_Service_Raises_Is_Listed_With_Its_Meaning_On_A_Violations_Rule()
    {
        var rule = (await DocumentAsync())["components"]!["schemas"]!["Violation"]!["properties"]!["rule"]!;
        var listed = Listed(rule);
        var description = rule["description"]!.GetValue<string>();
        // The ones QA33 named, from each source.
        Assert.Subset(ViolationRules.All.ToHashSet(), new HashSet<string> { Catalogue.RuleIds.UnknownCode, Catalogue.RuleIds.TooManyValues,
            RegistryRuleIds.EmptyTable, RegistryRuleIds.ReporterRetired, Catalogue.YearOnYear.Rule, Catalogue.CatalogueChecker.Invalid });
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        foreach (var field in ViolationRules.Groups.SelectMany(g => g.Rules))
        {
            var id = ViolationRules.Id(field);
            var summary = Infrastructure.Swagger.XmlDocs.Summary(field);
            Assert.False(string.IsNullOrWhiteSpace(summary), $"rule {id} ({field.DeclaringType!.Name}.{field.Name}) has no summary to say what it means");
            Assert.Contains(id, listed);
            Assert.Contains($"- `{id}`: {summary}", description, StringComparison.Ordinal);
        }
    }

    /// <summary>A rule id typed where a violation is made would be one the document does not list: each is a listed constant.</summary>
    [Fact]
    public void Every_Violation_Is_Made_With_A_Rule_Constant_Not_A_Literal()
    {
        var sources = Directory.EnumerateFiles(RepositoryFile.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(RepositoryFile.Root, f), Text: File.ReadAllText(f))).ToList();
        var made = sources.SelectMany(s => System.Text.RegularExpressions.Regex.Matches(s.Text, ViolationMade).Select(m => (s.File, m.Groups["rule"].Value))).ToList();

        Assert.True(made.Any(m => m.Value.EndsWith("RegistryRuleIds.PeriodNotBegun", StringComparison.Ordinal)), "the scan finds where violations are made");
        Assert.Empty(made.Where(m => m.Value.StartsWith('"')).Select(m => $"{m.File}: {m.Value}"));
    }

    /// <summary>A violation made (<c>new Violation(rule, Severity…</c>, <c>new(rule, Severity…</c>, <c>RegistryViolation(rule, …</c>) and its rule.</summary>
    private const string ViolationMade = """(?:\bnew(?:\s+Violation)?\(\s*(?<rule>"[^"]*"|[\w.]+)\s*,\s*(?:\w+\.)*Severity\.|\bRegistryViolation\(\s*(?<rule>"[^"]*"|[\w.]+)\s*,)""";

    [Fact]
    public async Task Every_Operation_Has_A_Stable_Id_A_Resource_Tag_And_A_Bilingual_Summary()
    {
        var document = await DocumentAsync();
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Me", "Catalogues", "Reporters", "Keys", "Submissions", "Templates", "Periods", "Aggregates", "Admin", "Audit", "Health"], tags);
        var ids = new HashSet<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var id = operation["operationId"]!.GetValue<string>();
            Assert.Matches("^[A-Z][A-Za-z]+_[A-Z][A-Za-z]+$", id);
            Assert.True(ids.Add(id), $"duplicate operationId {id}");
            Assert.Contains(operation["tags"]!.AsArray().Single()!.GetValue<string>(), tags);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}.* · [A-Z]", operation["summary"]!.GetValue<string>());
        }
    }
}

/// <summary>Files of the repository the tests were built from.</summary>
public static class RepositoryFile
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Disclosure.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Disclosure.sln above {AppContext.BaseDirectory}.");
    }
}
