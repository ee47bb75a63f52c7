using Disclosure.Api.Infrastructure;
using Disclosure.Storage;
using FastEndpoints;

namespace Disclosure.Api.Features.Health;

sealed class HealthResponse
{
    /// <summary><c>live</c>, <c>ready</c> or <c>unready</c>.</summary>
    public required string Status { get; init; }
}

sealed class Live : EndpointWithoutRequest<HealthResponse>
{
    public override void Configure()
    {
        Get("health/live");
        AllowAnonymous();
        Summary(s => s.Summary = "存活检查 · Liveness: the process answers");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(new HealthResponse { Status = "live" }, ct);
}

sealed class Ready(IStoreLifecycle store, IStoreHealth health) : EndpointWithoutRequest<HealthResponse>
{
    public override void Configure()
    {
        Get("health/ready");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "就绪检查 · Readiness: the store answers";
            s.Responses[503] = "The store does not answer, or its last write failed (disk full, I/O error) and a trial write still fails; the instance should get no traffic.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        bool ok;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            ok = await store.PingAsync(timeout.Token);
            // After a failed write, ready only once a write succeeds again: tried here, so a disk that has space again
            // turns the instance ready without waiting for a client's write.
            if (ok && health.Fault is not null) ok = await health.ProbeWriteAsync(timeout.Token);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            ok = false;
        }
        if (ok) await Send.OkAsync(new HealthResponse { Status = "ready" }, ct);
        else await Send.ResultAsync(Problems.Result(ProblemTypes.Unready,
            health.Fault is { } fault ? $"存储无法写入。The store cannot write: {fault.Message}" : "存储没有响应。The store does not answer.", HttpContext));
    }
}
