using Dockyard.Core.Errors;

namespace Dockyard.Core.Names;

/// <summary>The reference part of a manifest URL: a digest or a tag, never both.</summary>
public sealed record ManifestReference(Digest? Digest, string? Tag)
{
    /// <exception cref="RegistryException">
    /// DIGEST_INVALID for text that looks like a digest but is not a supported one; MANIFEST_INVALID
    /// (tag invalid) otherwise.
    /// </exception>
    public static ManifestReference Parse(string text)
    {
        if (text.Contains(':'))
        {
            return new ManifestReference(Names.Digest.Parse(text), null);
        }
        if (!Names.Tag.IsValid(text))
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid, "invalid tag", new { tag = text });
        }
        return new ManifestReference(null, text);
    }

    public override string ToString() => Digest?.Value ?? Tag!;
}
