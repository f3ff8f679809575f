using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Dockyard.Signing.Verification;

/// <summary>A signing policy file that cannot be used; <see cref="Errors"/> name the rule and key of each fault.</summary>
public sealed class SignaturePolicyException(string source, IReadOnlyList<string> errors)
    : Exception($"signing policy '{source}':\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads a signing policy file: <c>{"rules":[{"repositories":"secure/*","require":"cosign","keys":["keys/cosign.pub"]},
/// {"repositories":"prod/**","require":"notation","trustroots":["keys/ca.crt"]},
/// {"repositories":"atomic/*","require":"simplesigning","keys":["keys/signer.asc"]}]}</c>. Relative key and trust-root
/// paths are resolved against the policy file's folder. Keys are PEM ECDSA P-256 public keys (cosign.pub) or OpenPGP
/// public keys, armored or binary (<c>gpg --export [--armor]</c>, for simple signing); trust roots are PEM (one or more
/// certificates) or DER certificate files.
/// </summary>
public static class SignaturePolicyLoader
{
    private static readonly string[] RuleMembers = ["repositories", "require", "keys", "trustroots", "identity"];

    /// <exception cref="SignaturePolicyException">Listing every fault found, each naming <c>rules[i].key</c>.</exception>
    public static SignaturePolicy Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SignaturePolicyException(path, ["file not found"]);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SignaturePolicyException(path, [$"not JSON: {e.Message}"]);
        }
        using (document)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var errors = new List<string>();
            var rules = new List<SignatureRule>();
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("rules", out var array)
                || array.ValueKind != JsonValueKind.Array)
            {
                throw new SignaturePolicyException(path, ["expected an object {\"rules\": [ … ]}"]);
            }
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (ReadRule(element, index, folder, errors) is { } rule)
                {
                    rules.Add(rule);
                }
                index++;
            }
            return errors.Count > 0 ? throw new SignaturePolicyException(path, errors) : new SignaturePolicy(rules, path);
        }
    }

    private static SignatureRule? ReadRule(JsonElement element, int index, string folder, List<string> errors)
    {
        var at = $"rules[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected an object");
            return null;
        }
        var count = errors.Count;
        foreach (var member in element.EnumerateObject().Where(m => !RuleMembers.Contains(m.Name)))
        {
            errors.Add($"{at}.{member.Name}: unknown key (expected {string.Join(", ", RuleMembers)})");
        }
        var patternText = String(element, "repositories");
        var pattern = RepositoryPattern.TryParse(patternText);
        if (pattern is null)
        {
            errors.Add($"{at}.repositories = '{patternText}': expected a repository name or glob (lower case, '*' within a component, '**' across)");
        }
        var requireText = String(element, "require");
        SignatureKind? require = requireText switch
        {
            "cosign" => SignatureKind.Cosign, "notation" => SignatureKind.Notation, "simplesigning" => SignatureKind.SimpleSigning,
            "any" => SignatureKind.Any, _ => null,
        };
        if (require is null)
        {
            errors.Add($"{at}.require = '{requireText}': expected cosign | notation | simplesigning | any");
        }
        var keys = new List<ECDsa>();
        var gpgKeys = new List<byte[]>();
        foreach (var (keyPath, keyAt) in Paths(element, "keys", at, errors))
        {
            LoadKey(folder, keyPath, keyAt, require, keys, gpgKeys, errors);
        }
        var gpg = GpgVerifier(gpgKeys, at, errors);
        var roots = new X509Certificate2Collection();
        foreach (var (rootPath, rootAt) in Paths(element, "trustroots", at, errors))
        {
            LoadRoots(folder, rootPath, rootAt, roots, errors);
        }
        var hasKeys = element.TryGetProperty("keys", out _);
        var hasRoots = element.TryGetProperty("trustroots", out _);
        var missing = require switch
        {
            SignatureKind.Cosign when !hasKeys => $"{at}.keys: required when require = cosign",
            SignatureKind.Notation when !hasRoots => $"{at}.trustroots: required when require = notation",
            SignatureKind.SimpleSigning when !hasKeys => $"{at}.keys: required when require = simplesigning",
            SignatureKind.Any when !hasKeys && !hasRoots => $"{at}: require = any needs keys (ECDSA or GPG), trustroots or both",
            _ => null,
        };
        if (missing is not null)
        {
            errors.Add(missing);
        }
        var identity = String(element, "identity");
        return errors.Count > count ? null : new SignatureRule(index + 1, pattern!, require!.Value, keys, roots, string.IsNullOrWhiteSpace(identity) ? null : identity, gpg);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<(string Path, string At)> Paths(JsonElement element, string name, string at, List<string> errors)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors.Add($"{at}.{name}: expected a non-empty array of file paths");
            return [];
        }
        return value.EnumerateArray().Select((v, i) => (v.GetString()!, $"{at}.{name}[{i}]")).ToList();
    }

    /// <summary>Loads a PEM ECDSA key (cosign) or an OpenPGP public key (simple signing), as the rule's kind allows.</summary>
    private static void LoadKey(string folder, string path, string at, SignatureKind? require, List<ECDsa> keys, List<byte[]> gpgKeys, List<string> errors)
    {
        var full = Path.Combine(folder, path);
        if (!File.Exists(full))
        {
            errors.Add($"{at} = '{path}': file not found ({full})");
            return;
        }
        var bytes = File.ReadAllBytes(full);
        if (IsOpenPgp(bytes))
        {
            if (require == SignatureKind.Cosign)
            {
                errors.Add($"{at} = '{path}': an OpenPGP key; require = cosign needs PEM ECDSA P-256 keys");
                return;
            }
            gpgKeys.Add(bytes);
            return;
        }
        if (require == SignatureKind.SimpleSigning)
        {
            errors.Add($"{at} = '{path}': not an OpenPGP public key (gpg --export [--armor]); require = simplesigning needs GPG keys");
            return;
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(System.Text.Encoding.UTF8.GetString(bytes));
            if (key.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
            {
                throw new CryptographicException("the key is not on curve P-256");
            }
            keys.Add(key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            errors.Add($"{at} = '{path}': not a PEM ECDSA P-256 public key or OpenPGP public key ({e.Message})");
        }
    }

    // Armored ("-----BEGIN PGP PUBLIC KEY BLOCK-----") or binary: the first packet's tag byte has its high bit set,
    // which no PEM text has.
    private static bool IsOpenPgp(byte[] bytes) =>
        System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096)).Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal)
        || (bytes.Length > 0 && (bytes[0] & 0x80) != 0);

    private static PgpVerifier? GpgVerifier(List<byte[]> gpgKeys, string at, List<string> errors)
    {
        if (gpgKeys.Count == 0)
        {
            return null;
        }
        try
        {
            return new PgpVerifier(gpgKeys);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{at}.keys: {e.Message}");
            return null;
        }
    }

    private static void LoadRoots(string folder, string path, string at, X509Certificate2Collection roots, List<string> errors)
    {
        var full = Path.Combine(folder, path);
        if (!File.Exists(full))
        {
            errors.Add($"{at} = '{path}': file not found ({full})");
            return;
        }
        try
        {
            var found = new X509Certificate2Collection();
            if (File.ReadAllText(full).Contains("-----BEGIN", StringComparison.Ordinal))
            {
                found.ImportFromPemFile(full);
            }
            else
            {
                found.Add(X509CertificateLoader.LoadCertificateFromFile(full));
            }
            if (found.Count == 0)
            {
                throw new CryptographicException("no certificate in the file");
            }
            roots.AddRange(found);
        }
        catch (CryptographicException e)
        {
            errors.Add($"{at} = '{path}': not a PEM or DER certificate ({e.Message})");
        }
    }
}
