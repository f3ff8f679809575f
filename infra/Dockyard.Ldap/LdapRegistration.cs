using Dockyard.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Ldap;

/// <summary>Registers LDAP as the <see cref="IExternalAuthenticator"/> (<c>[auth_server] authn = authn_ldap</c>).</summary>
public static class LdapRegistration
{
    /// <exception cref="ArgumentException">The options are invalid; the message names the <c>[authn_ldap]</c> keys.</exception>
    public static IServiceCollection AddLdapAuthenticator(this IServiceCollection services, LdapAuthenticatorOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }
        return services.AddSingleton<IExternalAuthenticator>(sp =>
            new LdapAuthenticator(options, sp.GetService<ILogger<LdapAuthenticator>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<LdapAuthenticator>.Instance));
    }
}
