using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Disclosure.Storage;

public static class TemporaryRegistration
{
    public static IServiceCollection AddDisclosureStorage(this IServiceCollection services, IConfiguration configuration) =>
        throw new NotImplementedException();
}
