using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Disclosure.Api.Infrastructure;

public static class ServiceLifetimes
{
    /// <summary>
    /// Registers each of <paramref name="serviceTypes"/> again as a singleton of the implementation type it is registered
    /// with: for framework services that hold no state of a request but are registered transient.
    /// </summary>
    public static IServiceCollection AsSingletons(this IServiceCollection services, params Type[] serviceTypes)
    {
        foreach (var type in serviceTypes)
        {
            var registered = services.LastOrDefault(d => d.ServiceType == type && !d.IsKeyedService)
                ?? throw new InvalidOperationException($"{type} is not registered.");
            var implementation = registered.ImplementationType
                ?? throw new InvalidOperationException($"{type} is registered with a factory or an instance, not a type.");
            services.RemoveAll(type);
            services.Add(ServiceDescriptor.Singleton(type, implementation));
        }
        return services;
    }
}
