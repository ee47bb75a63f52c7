using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;

namespace Disclosure.Api.Tests;

public sealed class TelemetryTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Refused_Submissions_Are_Counted_By_Rule_And_Accepted_Ones_By_Outcome()
    {
        var reporter = await CreateReporterAsync();
        var measurements = new ConcurrentBag<(string Instrument, long Value, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Disclosure") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Value is string s && s.Length > 0 && (tag.Key == "rule" || tag.Key == "outcome") && (s.StartsWith("sum") || s == "created" || s == "C3"))
                    measurements.Add((instrument.Name, value, $"{tag.Key}={s}:{reporter}"));
        });
        listener.Start();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SubmitAsync(Admin, reporter, "2014", [new("7", 9), new("7.1", 1), new("12.2", 1), new("9", 2)])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(Admin, reporter, "2014", [new("13.1", 1)])).StatusCode);

        Assert.Contains(measurements, m => m.Instrument == "disclosure.submissions.refused" && m.Tag.StartsWith("rule=sum"));
        Assert.Contains(measurements, m => m.Instrument == "disclosure.submissions.refused" && m.Tag.StartsWith("rule=C3"));
        Assert.Contains(measurements, m => m.Instrument == "disclosure.submissions.accepted" && m.Tag.StartsWith("outcome=created"));
    }

    [Fact]
    public async Task Every_Response_Carries_A_Request_Id()
    {
        var ok = await Factory.Client().GetAsync("/health/live", Ct);
        var problem = await Factory.Client().GetAsync("/v1/reporters", Ct);
        Assert.False(string.IsNullOrEmpty(ok.Headers.GetValues("X-Request-Id").Single()));
        var id = problem.Headers.GetValues("X-Request-Id").Single();
        Assert.Equal(id, (await problem.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("requestId").GetString());
    }
}
