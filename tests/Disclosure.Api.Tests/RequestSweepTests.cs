using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Api.Infrastructure;
using Disclosure.Catalogue;

namespace Disclosure.Api.Tests;

/// <summary>
/// Every operation the served OpenAPI document lists, called with each of its parameters and body properties in turn
/// replaced by something odd (wrong JSON types, huge numbers, control characters, path tricks, 5 000 characters): the
/// answer is never a 5xx, a body that is not a JSON object (or not JSON) is always refused, as is any body member sent to
/// a GET or DELETE, every answer's status is one the operation documents (a 405 is the path's), and every refusal is a
/// problem document whose type the document lists for that answer, its text free of control and invisible format characters (a value
/// sent with a right-to-left override or a terminal escape is echoed with U+FFFD in their place). A path or query value percent-encoding
/// bytes that are not UTF-8 is a 400. The requests are made from the document, so a new
/// operation, parameter or body property is swept without this test changing.
/// </summary>
public sealed class RequestSweepTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string[] OddTexts =
    [
        "", " ", "0", "-1", "99999999999999999999999999999", "1e400", "NaN", "null", "true", "[]", "{}", "..", "../../etc/passwd",
        "%00", "a/b", "a\\b", "'", "\"", "<script>", "2014Q0", "2014Q9", "0000", "2014-01", "٢٠١٤", "名称", new string('x', 5000),
        "00000000-0000-0000-0000-000000000000", "W/\"1\"", "*", "a\u202Eb", "\u001B[31mx",
    ];

    private static readonly JsonNode?[] OddValues =
    [
        null, true, 0, -1, 1.5m, decimal.MaxValue, long.MinValue, "", "x", new string('九', 3000), new JsonArray(), new JsonArray((JsonNode?)null),
        new JsonObject(), new JsonObject { ["x"] = 1 },
    ];

    private static readonly string[] OddBodies = ["", "{", "[]", "null", "\"text\"", "1e99999", new string('[', 5000), "{\"a\":" + new string('[', 5000)];

    [Fact]
    public async Task No_Operation_Answers_A_5xx_To_Anything_A_Client_Sends()
    {
        var reporter = await CreateReporterAsync("town");
        var submitted = await SubmitAsync(Admin, reporter, "2014", SeedTable.Values);
        Assert.Equal(System.Net.HttpStatusCode.Created, submitted.StatusCode);
        var submission = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var document = await Factory.CreateClient().GetFromJsonAsync<JsonElement>(OpenApi.DocumentPath, Ct);

        var failures = new List<string>();
        var sent = 0;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        JsonElement operation = default;
        async Task Send(HttpMethod method, string path, IReadOnlyDictionary<string, string> headers, string? body, string contentType = "application/json", bool mustRefuse = false, int? expected = null)
        {
            sent++;
            var request = new HttpRequestMessage(method, path);
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
            var response = await Admin.SendAsync(request, Ct);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(Ct);
            var documented = operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer);
            if (status >= 500 || (mustRefuse && status < 400) || (expected is { } e && status != e) || (!documented && status != 405)
                || (status >= 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json" && !Printable(text))
                || (status >= 400 && (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || (documented && !Listed(schemas, answer, text)))))
                failures.Add($"{method} {path} [{string.Join(", ", headers.Select(h => $"{h.Key}: {h.Value}"))}] {Shorten(body)} → {status} {Shorten(text)}");
        }

        // Closing a period last, so that the submissions before it reach the store.
        foreach (var (path, method, current) in Operations(document).OrderBy(o => o.Operation.GetProperty("operationId").GetString() == "Periods_Close"))
        {
            operation = current;
            var parameters = operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().ToList() : [];
            var valid = parameters.Where(p => p.GetProperty("in").GetString() == "path")
                .ToDictionary(p => p.GetProperty("name").GetString()!, p => ValidPathValue(path, p.GetProperty("name").GetString()!, reporter, submission));
            string Path(IReadOnlyDictionary<string, string> values, string query = "") =>
                values.Aggregate(path, (at, v) => at.Replace("{" + v.Key + "}", Uri.EscapeDataString(v.Value), StringComparison.Ordinal)) + query;
            var body = ExampleBody(operation, path, reporter);
            var bodyText = body?.ToJsonString();
            var none = new Dictionary<string, string>();

            await Send(method, Path(valid), none, bodyText);
            foreach (var parameter in parameters)
            {
                var name = parameter.GetProperty("name").GetString()!;
                foreach (var odd in OddTexts)
                    switch (parameter.GetProperty("in").GetString())
                    {
                        case "path" when odd.Length > 0:
                            await Send(method, Path(new Dictionary<string, string>(valid) { [name] = odd }), none, bodyText);
                            break;
                        case "query":
                            await Send(method, Path(valid, $"?{name}={Uri.EscapeDataString(odd)}&{name}={Uri.EscapeDataString(odd)}"), none, bodyText);
                            break;
                        case "header" when odd.All(c => c is >= ' ' and <= '~'):
                            await Send(method, Path(valid), new Dictionary<string, string> { [name] = odd }, bodyText);
                            break;
                    }
                // Bytes that are not UTF-8, sent percent-encoded as they are: a 400, not a lookup or a store of the text "%FF%FE" (a
                // workbook-only operation sent without its workbook may say so first, 415).
                int? notUtf8 = body is null && operation.TryGetProperty("requestBody", out _) ? null : 400;
                switch (parameter.GetProperty("in").GetString())
                {
                    case "path":
                        await Send(method, Path(new Dictionary<string, string>(valid) { [name] = "not-utf8" }).Replace("not-utf8", "ab%FF%FE", StringComparison.Ordinal), none, bodyText, mustRefuse: true, expected: notUtf8);
                        break;
                    case "query":
                        await Send(method, Path(valid, $"?{name}=%FF%FE"), none, bodyText, mustRefuse: true, expected: notUtf8);
                        break;
                }
            }
            if (body is null && operation.TryGetProperty("requestBody", out var workbookOnly))
            {
                // Not a workbook, nor anything else the operation takes: a 400 or 415 naming what was wrong, never a 5xx.
                var workbook = workbookOnly.GetProperty("content").EnumerateObject().Single().Name;
                foreach (var raw in OddBodies) await Send(method, Path(valid), none, raw, workbook, mustRefuse: true);
                await Send(method, Path(valid), none, "{}", "text/plain", mustRefuse: true);
            }
            // A GET or DELETE takes no body: a member of one is refused, not passed over (a filter in it would be ignored).
            if (method == HttpMethod.Get || method == HttpMethod.Delete) await Send(method, Path(valid), none, """{"notDocumented":1}""", mustRefuse: true);
            if (body is null) continue;
            foreach (var changed in Mutations(body)) await Send(method, Path(valid), none, changed.ToJsonString());
            // None of these is a JSON object in a JSON body, so none may be taken.
            foreach (var raw in OddBodies) await Send(method, Path(valid), none, raw, mustRefuse: true);
            await Send(method, Path(valid), none, bodyText, "text/plain", mustRefuse: true);
        }

        Assert.True(sent > 1500, $"The sweep sent only {sent} requests: the served document did not yield the operations it should.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were answered with a 5xx or without a problem document:\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>Whether a problem's detail and its errors' names and reasons hold no control nor invisible format character.</summary>
    private static bool Printable(string problem)
    {
        var root = JsonDocument.Parse(problem).RootElement;
        return PrintableText.IsPrintable(root.GetProperty("detail").GetString()!)
            && (!root.TryGetProperty("errors", out var errors)
                || errors.EnumerateArray().All(e => PrintableText.IsPrintable(e.GetProperty("name").GetString()!) && PrintableText.IsPrintable(e.GetProperty("reason").GetString()!)));
    }

    /// <summary>Whether the problem's type is one the schema of its documented answer lists.</summary>
    private static bool Listed(JsonElement schemas, JsonElement answer, string problem) =>
        answer.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1] is var name
        && schemas.GetProperty(name).GetProperty("properties").GetProperty("type").GetProperty("x-extensible-enum").EnumerateArray()
            .Any(t => t.GetString() == JsonDocument.Parse(problem).RootElement.GetProperty("type").GetString());

    private static IEnumerable<(string Path, HttpMethod Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where path.Name != "/v1/admin/backup" // writes a file per call and takes no input
        select (path.Name, new HttpMethod(operation.Name.ToUpperInvariant()), operation.Value);

    private static string ValidPathValue(string path, string name, string reporter, string submission) => (path, name) switch
    {
        (_, "catalogue") => Catalogue2014,
        (_, "period") => "2014",
        (_, "national") => "gov-info-disclosure-2021",
        (_, "id") when path.StartsWith("/v1/catalogues/", StringComparison.Ordinal) => Catalogue2014,
        (_, "id") when path.StartsWith("/v1/submissions/", StringComparison.Ordinal) => submission,
        (_, "id") when path.StartsWith("/v1/keys/", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        (_, "id") => reporter,
        _ => throw new InvalidOperationException($"The sweep has no valid value for the path parameter '{name}' of {path}: add one."),
    };

    /// <summary>The operation's documented example with this test's reporter; a whole catalogue document for loading one.</summary>
    private static JsonObject? ExampleBody(JsonElement operation, string path, string reporter)
    {
        if (!operation.TryGetProperty("requestBody", out var requestBody)) return null;
        if (path == "/v1/catalogues")
        {
            using var stream = typeof(CatalogueRegistry).Assembly.GetManifestResourceStream("Disclosure.Catalogue.Catalogues.gov-info-disclosure-fujian-2008.json")!;
            var doc = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
            doc["id"] = "sweep-" + Guid.NewGuid().ToString("N")[..8];
            return doc;
        }
        // A body that is a workbook alone is swept as a workbook below.
        if (!requestBody.GetProperty("content").TryGetProperty("application/json", out var json)) return null;
        var example = json.TryGetProperty("example", out var e)
            ? JsonNode.Parse(e.GetRawText())!.AsObject()
            : new JsonObject();
        foreach (var key in new[] { "reporter" })
            if (example.ContainsKey(key)) example[key] = reporter;
        return example;
    }

    /// <summary>The body with one property (at the top, or in the first item of a list, or of a list in it) replaced by each odd value, or left out.</summary>
    private static IEnumerable<JsonNode> Mutations(JsonObject body)
    {
        foreach (var (parent, name) in Places(body))
        {
            foreach (var odd in OddValues)
            {
                var copy = body.DeepClone();
                Find(copy, parent)[name] = odd?.DeepClone();
                yield return copy;
            }
            var without = body.DeepClone();
            Find(without, parent).Remove(name);
            yield return without;
        }
        var extra = body.DeepClone();
        extra["notDocumented"] = 1;
        yield return extra;
    }

    private static IEnumerable<(string[] Parent, string Name)> Places(JsonObject body, string[]? at = null, int depth = 0)
    {
        at ??= [];
        foreach (var (name, value) in body)
        {
            yield return (at, name);
            if (depth < 3 && value is JsonArray { Count: > 0 } list && list[0] is JsonObject first)
                foreach (var inner in Places(first, [.. at, name, "0"], depth + 1)) yield return inner;
            if (depth < 3 && value is JsonObject child)
                foreach (var inner in Places(child, [.. at, name], depth + 1)) yield return inner;
        }
    }

    private static JsonObject Find(JsonNode root, string[] parent) =>
        parent.Aggregate(root, (node, step) => int.TryParse(step, out var i) ? node[i]! : node[step]!).AsObject();

    private static string Shorten(string? text) => text is null ? "" : text.Length > 160 ? text[..160] + "…" : text;
}
