using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Recognises manifests that are signatures themselves, which a policy never blocks so clients can fetch them: every
/// layer is a cosign simple-signing payload or a sigstore bundle, or the artifact type is the Notary signature type
/// and every layer a JWS envelope. Such manifests hold no runnable layer, so exempting them opens no way around a rule.
/// </summary>
public static class SignatureArtifacts
{
    public const string SigstoreBundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    public static bool IsSignature(ManifestContent content)
    {
        ParsedManifest manifest;
        try
        {
            manifest = ManifestParser.Parse(content.Bytes, content.Record.MediaType, content.Record.Digest.Algorithm);
        }
        catch (RegistryException)
        {
            return false;
        }
        if (manifest.IsIndex || manifest.Layers.Count == 0)
        {
            return false;
        }
        if (manifest.Layers.All(l => l.MediaType is CosignVerifier.PayloadMediaType or SigstoreBundleMediaType))
        {
            return true;
        }
        return manifest.EffectiveArtifactType == NotationVerifier.ArtifactType
            && manifest.Layers.All(l => l.MediaType == NotationVerifier.EnvelopeMediaType);
    }
}
