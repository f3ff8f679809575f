using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.Appc;

/// <summary>
/// The OpenPGP keys trusted for a repository's ACIs: the configured key folder (its top level for every repository,
/// then one sub-folder per path component of the name) plus the keys uploaded for the repository or any of its
/// parent namespaces.
/// </summary>
public sealed class AciKeyRing(IAciStore store, IAciSignatureVerifier verifier, AppcOptions options, TimeProvider time)
{
    private const int MaxKeyBytes = 256 * 1024;

    /// <summary>Every armored key trusted for <paramref name="repository"/>.</summary>
    public async Task<IReadOnlyList<string>> GetAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var keys = new List<string>(FolderKeys(""));
        var components = repository.Value.Split('/');
        for (var i = 1; i <= components.Length; i++)
        {
            var scope = string.Join('/', components[..i]);
            keys.AddRange(FolderKeys(scope));
            keys.AddRange((await store.ListKeysAsync(RepositoryName.Parse(scope), cancellationToken)).Select(k => k.Armored));
        }
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The keys trusted for every repository (the folder's top level), served at <c>/pubkeys</c>.</summary>
    public IReadOnlyList<string> GetRegistryWide() => FolderKeys("").ToList();

    /// <summary>Trusts an armored public key for <paramref name="scope"/> (a repository or namespace); returns its fingerprints.</summary>
    /// <exception cref="RegistryException">INVALID_FIELD when the body is not an armored public key ring.</exception>
    public async Task<IReadOnlyList<string>> AddAsync(RepositoryName scope, string armored, CancellationToken cancellationToken)
    {
        var bytes = Encoding.ASCII.GetBytes(armored);
        var fingerprints = armored.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal) && bytes.Length <= MaxKeyBytes
            ? verifier.ReadFingerprints(bytes) : [];
        if (fingerprints.Count == 0)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the body must be an armored OpenPGP public key (gpg --armor --export)", new { field = "body" });
        }
        await store.TryAddKeyAsync(new AciPublicKey(scope, string.Join(',', fingerprints), armored, time.GetUtcNow()), cancellationToken);
        return fingerprints;
    }

    private IEnumerable<string> FolderKeys(string scope)
    {
        if (string.IsNullOrEmpty(options.KeysPath))
        {
            return [];
        }
        var folder = Path.Combine(options.KeysPath, scope);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.asc").Order(StringComparer.Ordinal).Select(File.ReadAllText)
            : [];
    }
}
