using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;

namespace Dockyard.Web.Browsing;

/// <summary>Parses stored manifest bytes for display.</summary>
public static class ManifestDocument
{
    /// <summary>The parsed manifest; null for a kind the parser does not read (a Docker schema 1 manifest stored by the V1 bridge).</summary>
    public static ParsedManifest? TryParse(ManifestContent content)
    {
        try
        {
            return ManifestParser.Parse(content.Bytes, content.Record.MediaType, content.Record.Digest.Algorithm);
        }
        catch (RegistryException)
        {
            return null;
        }
    }
}
