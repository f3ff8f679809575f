using Dockyard.Http.Auth;
using Dockyard.Hosting.Configuration;

namespace Dockyard.Hosting;

/// <summary>
/// Builds <see cref="RegistryAuthOptions"/> from <c>[dockyard] standalone</c>, <c>[token]</c> and <c>[auth_server]</c>.
/// When authorization is enforced and the key files are missing: in <c>runmode = dev</c> a key pair and self-signed
/// certificate are generated there (and logged); in <c>prod</c> start-up fails naming the key.
/// </summary>
internal static partial class AuthComposition
{
    public const string DefaultPrivateKey = "cert/containerops/containerops.key";
    public const string DefaultRootCertBundle = "cert/containerops/containerops.crt";

    public static RegistryAuthOptions Create(RuntimeSettings settings, ILogger logger)
    {
        if (settings.Dockyard.Standalone)
        {
            return new RegistryAuthOptions { Enforced = false };
        }
        var privateKey = Pick(settings.AuthServer.PrivateKey, DefaultPrivateKey);
        var bundle = Pick(settings.Token.RootCertBundle, DefaultRootCertBundle);
        var issuer = Pick(settings.Token.Issuer, Pick(settings.AuthServer.Issuer, "registry-token-issuer"));
        if (!File.Exists(privateKey) || !File.Exists(bundle))
        {
            if (!string.Equals(settings.Runtime.RunMode, "dev", StringComparison.OrdinalIgnoreCase))
            {
                throw new StartupException(!File.Exists(privateKey)
                    ? $"[auth_server] privateKey = '{privateKey}': file not found (runmode = prod never generates keys; see cert/README.md)"
                    : $"[token] rootcertbundle = '{bundle}': file not found (runmode = prod never generates keys; see cert/README.md)");
            }
            TokenKeys.Generate(privateKey, bundle, issuer);
            LogGenerated(logger, privateKey, bundle);
        }
        TokenKeys keys;
        try
        {
            keys = TokenKeys.Load(privateKey, bundle);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException or ArgumentException)
        {
            throw new StartupException($"[auth_server] privateKey = '{privateKey}' / [token] rootcertbundle = '{bundle}': cannot be loaded: {e.Message}", e);
        }
        return new RegistryAuthOptions
        {
            Enforced = true,
            Realm = string.IsNullOrWhiteSpace(settings.Token.Realm) ? null : settings.Token.Realm,
            Service = Pick(settings.Token.Service, "token-service"),
            Issuer = issuer,
            TokenLifetime = TimeSpan.FromSeconds(settings.AuthServer.Expiration),
            Keys = keys,
        };
    }

    private static string Pick(string? configured, string fallback) => string.IsNullOrWhiteSpace(configured) ? fallback : configured;

    [LoggerMessage(Level = LogLevel.Warning, Message = "generated a development token key '{PrivateKey}' and certificate '{Certificate}' (runmode = dev); make real ones for production, see cert/README.md")]
    private static partial void LogGenerated(ILogger logger, string privateKey, string certificate);
}
