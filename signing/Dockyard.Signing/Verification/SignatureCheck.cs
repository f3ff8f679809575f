namespace Dockyard.Signing.Verification;

/// <summary>What a verifier found for one manifest digest.</summary>
public enum SignatureOutcome
{
    /// <summary>At least one signature verified with a configured key or trust root.</summary>
    Valid,

    /// <summary>No signature of the required kind is stored for the manifest.</summary>
    NoneFound,

    /// <summary>Signatures exist but none verified; <see cref="SignatureCheck.Reason"/> says why the last one failed.</summary>
    Invalid,
}

/// <summary>
/// The result of verifying the signatures of one manifest (or one detached OpenPGP signature).
/// <see cref="Reason"/> is a short human-readable explanation; for <see cref="SignatureOutcome.Valid"/> it names
/// what verified (the key or the certificate subject).
/// </summary>
public sealed record SignatureCheck(SignatureOutcome Outcome, string Reason)
{
    public bool IsValid => Outcome == SignatureOutcome.Valid;

    public static SignatureCheck Valid(string what) => new(SignatureOutcome.Valid, what);

    public static SignatureCheck NoneFound(string why) => new(SignatureOutcome.NoneFound, why);

    public static SignatureCheck Invalid(string why) => new(SignatureOutcome.Invalid, why);

    /// <summary>Combines the checks of several signatures: the first valid one wins, else the last failure is kept.</summary>
    public static SignatureCheck Best(IEnumerable<SignatureCheck> checks, string noneFound)
    {
        SignatureCheck? last = null;
        foreach (var check in checks)
        {
            if (check.IsValid)
            {
                return check;
            }
            last = check;
        }
        return last ?? NoneFound(noneFound);
    }
}

/// <summary>A signature that is malformed or does not verify; caught by the verifiers and turned into a <see cref="SignatureCheck"/>.</summary>
internal sealed class SignatureFormatException(string message, Exception? inner = null) : Exception(message, inner);
