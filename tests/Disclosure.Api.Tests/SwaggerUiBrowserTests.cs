using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disclosure.Api.Infrastructure;

namespace Disclosure.Api.Tests;

/// <summary>
/// The Swagger UI works for a person: the real service (Kestrel, Production, its own process) serves it to headless
/// Chromium, which lists every operation, authorises with a key through the Authorize dialog and executes calls.
/// Chromium is driven through the DevTools protocol over a WebSocket; everything is bounded in time.
/// </summary>
public sealed class SwaggerUiBrowserTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_Swagger_Ui_Lists_Every_Operation_Authorises_And_Executes_Calls()
    {
        if (!File.Exists(Browser.Path))
            Assert.Skip($"{Browser.Path} is absent: install Debian's chromium (openapi/ci-setup.sh does) to run the Swagger UI browser test.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Budget);
        var ct = timeout.Token;

        var database = TestDatabase.NewPath("browser");
        try
        {
            await using var service = await ServiceProcess.StartAsync(database, AdminKey, ct);
            await RunAsync(service, ct);
        }
        finally
        {
            TestDatabase.Delete(database);
        }
    }

    private const string AdminKey = "browser-test-admin-key-0123456789";

    private static async Task RunAsync(ServiceProcess service, CancellationToken ct)
    {
        using var http = service.Client();
        await using var browser = await Browser.StartAsync(ct);
        try
        {
            var document = JsonNode.Parse(await http.GetStringAsync(OpenApi.DocumentPath, ct))!;
            var operationIds = document["paths"]!.AsObject()
                .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["operationId"]!.GetValue<string>()))
                .Order(StringComparer.Ordinal).ToList();

            await browser.NavigateAsync($"{service.BaseAddress}swagger/index.html", ct);
            await browser.WaitForAsync($"document.querySelectorAll('.opblock').length === {operationIds.Count}", ct);
            var shown = await browser.EvaluateAsync(
                "JSON.stringify([...document.querySelectorAll('.opblock-summary-operation-id')].map(e => e.textContent.trim()).sort())", ct);
            Assert.Equal(operationIds, JsonSerializer.Deserialize<string[]>(shown.GetValue<string>())!.Order(StringComparer.Ordinal));

            // The Authorize dialog, as a person uses it: open, type the key, authorise, close.
            await browser.ClickAsync(".auth-wrapper .authorize", ct);
            await browser.WaitForAsync("!!document.querySelector('.modal-ux input')", ct);
            await browser.EvaluateAsync($$"""
                (() => {
                  const input = document.querySelector('.modal-ux input');
                  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, '{{AdminKey}}');
                  input.dispatchEvent(new Event('input', { bubbles: true }));
                  return true;
                })()
                """, ct);
            await browser.ClickAsync(".modal-ux .auth-btn-wrapper .authorize", ct);
            await browser.WaitForAsync("[...document.querySelectorAll('.modal-ux button')].some(b => b.textContent.trim() === 'Logout')", ct);
            await browser.ClickAsync(".modal-ux .btn-done", ct);
            await browser.WaitForAsync("!document.querySelector('.modal-ux')", ct);

            var catalogues = await ExecuteAsync(browser, "operations-Catalogues-Catalogues_List", ct);
            Assert.Equal("200", catalogues.Status);
            Assert.Contains("gov-info-disclosure-2014", catalogues.Body);

            // Reporters need a key: a 200 here shows the key from the dialog went with the request.
            var reporters = await ExecuteAsync(browser, "operations-Reporters-Reporters_List", ct);
            Assert.Equal("200", reporters.Status);
            Assert.Contains(ApiKeys.Header, reporters.Curl);
        }
        catch (Exception e) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var shot = await browser.TryScreenshotAsync();
            throw new InvalidOperationException($"The Swagger UI check failed: {e.Message}\nScreenshot of the page: {shot}\nService output:\n{service.Output}", e);
        }
    }

    private static async Task<(string Status, string Body, string Curl)> ExecuteAsync(Browser browser, string blockId, CancellationToken ct)
    {
        var block = $"document.getElementById('{blockId}')";
        await browser.WaitForAsync($"!!{block}", ct);
        // Newer Swagger UI expands on its summary button, older on the summary row itself.
        var expander = (await browser.EvaluateAsync($"!!{block}.querySelector('.opblock-summary-control')", ct)).GetValue<bool>()
            ? ".opblock-summary-control" : ".opblock-summary";
        await browser.ClickAsync($"#{blockId} {expander}", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.try-out__btn')", ct);
        await browser.ClickAsync($"#{blockId} .try-out__btn", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.execute')", ct);
        await browser.ClickAsync($"#{blockId} .execute", ct);
        await browser.WaitForAsync($"!!{block}.querySelector('.live-responses-table tr.response .response-col_status')", ct);
        var result = await browser.EvaluateAsync($$"""
            JSON.stringify({
              status: {{block}}.querySelector('.live-responses-table tr.response .response-col_status').textContent.trim(),
              body: ({{block}}.querySelector('.live-responses-table tr.response .response-col_description pre') || {}).textContent || '',
              curl: ({{block}}.querySelector('.curl-command') || {}).textContent || ''
            })
            """, ct);
        var parsed = JsonNode.Parse(result.GetValue<string>())!;
        return (parsed["status"]!.GetValue<string>(), parsed["body"]!.GetValue<string>(), parsed["curl"]!.GetValue<string>());
    }
}
