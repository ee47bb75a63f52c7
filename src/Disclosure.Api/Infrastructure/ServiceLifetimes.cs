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
            var registered = Registered(services, type);
            var implementation = registered.ImplementationType
                ?? throw new InvalidOperationException($"{type} is registered with a factory or an instance, not a type.");
            services.RemoveAll(type);
            services.Add(ServiceDescriptor.Singleton(type, implementation));
        }
        return services;
    }

    /// <summary>
    /// Wraps the singleton registered for <typeparamref name="TService"/> (by its implementation type) in what
    /// <paramref name="decorate"/> makes of it: the implementation is kept as a singleton of its own type.
    /// </summary>
    public static IServiceCollection DecorateSingleton<TService>(this IServiceCollection services,
        Func<IServiceProvider, TService, TService> decorate) where TService : class
    {
        var registered = Registered(services, typeof(TService));
        if (registered.Lifetime != ServiceLifetime.Singleton || registered.ImplementationType is not { } implementation)
            throw new InvalidOperationException($"{typeof(TService)} is not registered as a singleton of an implementation type.");
        services.RemoveAll<TService>();
        services.Add(ServiceDescriptor.Singleton(implementation, implementation));
        services.AddSingleton(sp => decorate(sp, (TService)sp.GetRequiredService(implementation)));
        return services;
    }

    // The registration that resolving the service would use: the last one.
    private static ServiceDescriptor Registered(IServiceCollection services, Type type) =>
        services.LastOrDefault(d => d.ServiceType == type && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"{type} is not registered.");
}
