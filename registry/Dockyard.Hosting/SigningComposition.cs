using Dockyard.Core.Appc;
using Dockyard.Core.Manifests;
using Dockyard.Hosting.Configuration;
using Dockyard.Signing.Verification;

namespace Dockyard.Hosting;

/// <summary>
/// With <c>[signing] policyfile</c> set, loads the signing policy and makes <see cref="SignatureVerificationService"/>
/// the registry's <see cref="IManifestPullGuard"/>; without it every pull stays allowed. ACI signatures (appc) are
/// always checked with OpenPGP.
/// </summary>
public static class SigningComposition
{
    public static void AddSigning(IServiceCollection services, RuntimeSettings settings)
    {
        services.AddSingleton<IAciSignatureVerifier, PgpAciVerifier>();
        if (string.IsNullOrWhiteSpace(settings.Signing.PolicyFile))
        {
            return;
        }
        var policy = SignaturePolicyLoader.Load(settings.Signing.PolicyFile);
        services.AddSingleton(policy);
        services.AddSingleton<SignatureContent>();
        services.AddSingleton<CosignVerifier>();
        services.AddSingleton<SimpleSigningVerifier>();
        services.AddSingleton(sp => new NotationVerifier(sp.GetRequiredService<SignatureContent>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new VerifiedDigestCache());
        services.AddSingleton<SignatureVerificationService>();
        services.AddSingleton<IManifestPullGuard>(sp => sp.GetRequiredService<SignatureVerificationService>());
    }
}
