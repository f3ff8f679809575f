using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>Which signatures a signing-policy rule accepts.</summary>
public enum SignatureKind
{
    /// <summary>A cosign signature (<c>sha256-&lt;hex&gt;.sig</c>) by one of the rule's keys.</summary>
    Cosign,

    /// <summary>A Notary Project signature (referrer) whose chain leads to one of the rule's trust roots.</summary>
    Notation,

    /// <summary>
    /// A simple-signing signature (<c>skopeo copy --sign-by</c>, stored through the signature API extension) by one of
    /// the rule's GPG keys.
    /// </summary>
    SimpleSigning,

    /// <summary>Any of the above, with whichever of keys (ECDSA or GPG) and trust roots the rule configures.</summary>
    Any,
}

/// <summary>
/// One rule of a signing policy: pulls from repositories matching <see cref="Repositories"/> need a valid signature
/// of <see cref="Require"/> kind. <see cref="Keys"/> are the ECDSA (cosign) keys, <see cref="GpgKeys"/> the OpenPGP
/// (simple signing) keys, null when the rule has none. <see cref="Identity"/> is null unless cosign and simple-signing
/// payloads must name that docker-reference (<c>{repository}</c> in it stands for the repository's name).
/// </summary>
public sealed record SignatureRule(
    int Index,
    RepositoryPattern Repositories,
    SignatureKind Require,
    IReadOnlyList<ECDsa> Keys,
    X509Certificate2Collection TrustRoots,
    string? Identity,
    PgpVerifier? GpgKeys = null)
{
    /// <summary>How a refusal names the rule, e.g. "cosign signature by a configured key".</summary>
    public string Requirement => Require switch
    {
        SignatureKind.Cosign => "cosign signature by a configured key",
        SignatureKind.Notation => "notation signature chained to a configured trust root",
        SignatureKind.SimpleSigning => "simple signing (GPG) signature by a configured key",
        _ => "cosign, simple signing or notation signature by a configured key or trust root",
    };

    /// <summary>The identity required of <paramref name="repository"/>'s signed payloads; null when any will do.</summary>
    public string? IdentityFor(RepositoryName repository) => Identity?.Replace("{repository}", repository.Value, StringComparison.Ordinal);
}

/// <summary>
/// A registry's signing policy: ordered rules, the first whose pattern matches a repository applies to it; a
/// repository no rule matches needs no signature. <see cref="Source"/> is the policy file, for messages.
/// </summary>
public sealed class SignaturePolicy(IReadOnlyList<SignatureRule> rules, string source)
{
    public IReadOnlyList<SignatureRule> Rules { get; } = rules;

    public string Source { get; } = source;

    /// <summary>The rule for <paramref name="repository"/>; null when none applies.</summary>
    public SignatureRule? Match(RepositoryName repository) => Rules.FirstOrDefault(r => r.Repositories.Matches(repository));
}
