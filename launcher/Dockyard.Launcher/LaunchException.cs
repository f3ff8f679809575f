namespace Dockyard.Launcher;

/// <summary>Why the launcher gave up; each kind has its own message prefix and exit code.</summary>
public enum LaunchFailure
{
    /// <summary>Bad arguments or configuration (exit 2).</summary>
    Usage,

    /// <summary>The repository, tag or digest is not in the registry (exit 3).</summary>
    ImageNotFound,

    /// <summary>The registry refused the credentials or the access (exit 4).</summary>
    NoPermission,

    /// <summary>A signature the policy requires is missing or does not verify (exit 5).</summary>
    SignatureRefused,

    /// <summary>An encrypted layer cannot be decrypted with the configured keys, or its content is corrupt (exit 6).</summary>
    DecryptionFailed,

    /// <summary>The Docker engine cannot be reached (exit 7).</summary>
    EngineUnreachable,

    /// <summary>The registry answered something unusable or could not be reached (exit 8).</summary>
    Registry,

    /// <summary>The engine refused an operation on an image or container (exit 9).</summary>
    Engine,
}

/// <summary>A failure reported to the user as one line on stderr and a non-zero exit code; nothing is left half-created.</summary>
public sealed class LaunchException(LaunchFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public LaunchFailure Failure { get; } = failure;

    /// <summary>The process exit code for this failure: 2 to 9 (containers' own codes are passed through by <c>run</c>).</summary>
    public int ExitCode => (int)Failure + 2;

    /// <summary>The line printed: a short label for the kind, then the message.</summary>
    public string Describe() => Failure switch
    {
        LaunchFailure.Usage => Message,
        LaunchFailure.ImageNotFound => "image not found: " + Message,
        LaunchFailure.NoPermission => "no permission: " + Message,
        LaunchFailure.SignatureRefused => "signature check failed: " + Message,
        LaunchFailure.DecryptionFailed => "decryption failed: " + Message,
        LaunchFailure.EngineUnreachable => "docker engine not reachable: " + Message,
        LaunchFailure.Registry => "registry error: " + Message,
        _ => "docker engine error: " + Message,
    };
}
