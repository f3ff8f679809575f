namespace Dockyard.Hosting.Configuration;

/// <summary><c>[signing]</c>: signature verification of pulled manifests.</summary>
public sealed class SigningOptions
{
    /// <summary>
    /// <c>policyfile</c>: a JSON signing policy (conf/examples/signing-policy.json); null or empty means no repository
    /// requires a signature.
    /// </summary>
    public string? PolicyFile { get; set; }
}
