namespace Disclosure.Api.Infrastructure;

/// <summary>
/// ASP.NET Core's DataProtection, which <c>AddAuthentication</c> registers, protects cookies, antiforgery tokens and remote sign-in
/// state: this service has none of them (callers send an API key, which is compared with stored hashes), and nothing resolves it
/// while serving. Its hosted service alone resolved it, making a key ring at every start: with no writable HOME (a container) that
/// is three Warnings about keys kept in memory, unencrypted, and lost at the stop. That hosted service is taken out; were something
/// to use DataProtection later, it would make its keys then, and it should persist them (PersistKeysToFileSystem on the data volume).
/// </summary>
internal static class DataProtectionAtStart
{
    private const string HostedService = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static void NotResolved(IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == HostedService).ToList())
            services.Remove(descriptor);
    }
}
