using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Manifests;
using Dockyard.Interop.Tests.Encryption;
using Dockyard.Launcher;
using Dockyard.Launcher.Volumes;
using Dockyard.Testing;
using Dockyard.Volumes.Tests.Chunks;

namespace Dockyard.Volumes.Tests.Snapshots;

/// <summary>
/// Encrypted volumes against a real Dockyard: one "host" stores, another with a recipient's private key restores the
/// same bytes, the registry holds only ciphertext, a wrong or missing key writes nothing, and dedup survives encryption.
/// </summary>
public sealed class EncryptionTests : IAsyncLifetime
{
    private const string Marker = "the plaintext of a secret volume file";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-volume-enc-").FullName;
    private RegistryServer? server;
    private KeyFiles rsa = null!;
    private KeyFiles ec = null!;
    private KeyFiles wrong = null!;

    private RegistryServer Server => server!;

    public async Task InitializeAsync()
    {
        server = await RegistryServer.StartAsync();
        (rsa, ec, wrong) = (KeyFiles.Rsa(Path.Combine(folder, "rsa")), KeyFiles.Ec(Path.Combine(folder, "ec")), KeyFiles.Rsa(Path.Combine(folder, "wrong")));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Another_host_with_a_recipients_key_restores_the_same_bytes_and_the_registry_holds_only_ciphertext()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "source")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "secret-plans.txt"), string.Concat(Enumerable.Repeat(Marker + "\n", 100)));
        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), ContentChunkerTests.RandomBytes(3 << 20, seed: 21));
        File.CreateSymbolicLink(Path.Combine(source, "link"), "secret-plans.txt");
        using (var hostA = Open("team/secret", ["jwe:" + rsa.PublicPem, ec.PublicPem], []))
        {
            Assert.True((await VolumeOperations.PushAsync(hostA, source, Ct)).Committed);
        }

        using var hostB = Open("team/secret", [], [ec.PrivatePem]);
        var version = await VolumeOperations.RequiredAsync(hostB.Registry, "latest", Ct);
        var target = Path.Combine(folder, "target");
        await VolumeMaterializer.RestoreAsync(hostB.Registry, version, target, Ct);

        Assert.True(version.Encrypted);
        foreach (var name in new[] { "secret-plans.txt", "big.bin", "link" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, name)), await File.ReadAllBytesAsync(Path.Combine(target, name)));
        }
        using var manifest = JsonDocument.Parse(await GetAsync("/v2/team/secret/manifests/latest"));
        var config = manifest.RootElement.GetProperty("config");
        Assert.Equal("application/vnd.dockyard.volume.index.v1+json+encrypted", config.GetProperty("mediaType").GetString());
        Assert.True(config.GetProperty("annotations").TryGetProperty("org.opencontainers.image.enc.keys.jwe", out _));
        Assert.True(config.GetProperty("annotations").TryGetProperty("org.opencontainers.image.enc.pubopts", out _));
        var index = await GetAsync($"/v2/team/secret/blobs/{config.GetProperty("digest").GetString()}");
        Assert.DoesNotContain("secret-plans", Encoding.Latin1.GetString(index), StringComparison.Ordinal);
        var chunks = version.Index.Entries.Where(e => e.Chunks is not null).SelectMany(e => e.Chunks!.Select(c => (Entry: e, Chunk: c))).ToList();
        var packs = version.Index.Packs!;
        Assert.Equal(packs.Count, manifest.RootElement.GetProperty("layers").GetArrayLength());
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            Assert.Equal("application/vnd.dockyard.volume.pack.v1+encrypted", layer.GetProperty("mediaType").GetString());
        }
        var storedPacks = new Dictionary<int, byte[]>();
        foreach (var (number, pack) in packs.Index())
        {
            storedPacks[number] = await GetAsync($"/v2/team/secret/blobs/{pack.Digest}");
            Assert.DoesNotContain(Marker, Encoding.Latin1.GetString(storedPacks[number]), StringComparison.Ordinal);
        }
        var plainSource = await File.ReadAllBytesAsync(Path.Combine(source, "big.bin"));
        long offset = 0;
        foreach (var (entry, chunk) in chunks)
        {
            var stored = storedPacks[chunk.Pack!.Value].AsSpan((int)chunk.Offset!.Value, chunk.Size).ToArray();
            Assert.Equal(chunk.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stored)));
            Assert.NotEqual(chunk.Plain, chunk.Digest);
            if (entry.Path == "big.bin")
            {
                Assert.NotEqual(plainSource.AsSpan((int)offset, chunk.Size).ToArray(), stored);
                offset += chunk.Size;
            }
        }
        Assert.Equal(plainSource.Length, offset);
    }

    [Fact]
    public async Task A_wrong_key_or_none_is_refused_and_nothing_is_written_into_the_folder()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "refused")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "f.txt"), Marker);
        using (var owner = Open("team/locked", [rsa.PublicPem], []))
        {
            await VolumeOperations.PushAsync(owner, source, Ct);
        }
        var target = Directory.CreateDirectory(Path.Combine(folder, "untouched")).FullName;
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine");

        using var wrongHost = Open("team/locked", [], [wrong.PrivatePem]);
        var refused = await Assert.ThrowsAsync<LaunchException>(() => PullAsync(wrongHost, target));
        using var keyless = Open("team/locked", [], []);
        var keylessRefused = await Assert.ThrowsAsync<LaunchException>(() => PullAsync(keyless, target));
        using var readerOnly = Open("team/locked", [], [rsa.PrivatePem]);
        var plainOverEncrypted = await Assert.ThrowsAsync<LaunchException>(() => VolumeOperations.PushAsync(readerOnly, source, Ct));

        Assert.Equal(LaunchFailure.DecryptionFailed, refused.Failure);
        Assert.Contains("wrong decryption key", refused.Message);
        Assert.Equal(LaunchFailure.DecryptionFailed, keylessRefused.Failure);
        Assert.Contains("--decryption-key", keylessRefused.Message);
        Assert.Contains("is encrypted", plainOverEncrypted.Message);
        Assert.Equal("keep.txt", Path.GetFileName(Assert.Single(Directory.EnumerateFileSystemEntries(target))));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "keep.txt")));
        Assert.Equal([1], await VolumeVersions.NumbersAsync(readerOnly.Registry, Ct));
    }

    [Fact]
    public async Task An_encrypted_snapshot_after_a_one_percent_change_uploads_about_one_percent()
    {
        var source = Directory.CreateDirectory(Path.Combine(folder, "large")).FullName;
        var file = Path.Combine(source, "data.bin");
        // The bytes and the edit of SnapshotTests' plain case, so that the two shares compare (the chunks the edit touches + the index).
        var original = ContentChunkerTests.RandomBytes(64 << 20, seed: 7);
        await File.WriteAllBytesAsync(file, original);
        using var host = Open("team/large-secret", [rsa.PublicPem], [rsa.PrivatePem]);
        var first = await VolumeOperations.PushAsync(host, source, Ct);
        Assert.InRange(first.UploadedBytes, original.Length, original.Length + (1 << 20));

        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 30 << 20;
            await stream.WriteAsync(ContentChunkerTests.RandomBytes(original.Length / 100, seed: 8));
        }
        var second = await VolumeOperations.PushAsync(host, source, Ct);
        var unchanged = await VolumeOperations.PushAsync(host, source, Ct);

        var share = (double)second.UploadedBytes / original.Length;
        Console.WriteLine($"encrypted, 1 % change of {original.Length} bytes: uploaded {second.UploadedBytes} bytes ({share:P2}) in {second.UploadedBlobs} blobs");
        Assert.InRange(share, 0.01, 0.03);
        var before = first.Version!.Index.Entries.SelectMany(e => e.Chunks ?? []).Select(c => c.Plain).ToHashSet();
        var fresh = second.Version!.Index.Entries.SelectMany(e => e.Chunks ?? []).Where(c => !before.Contains(c.Plain)).DistinctBy(c => c.Plain).ToList();
        var indexSize = ManifestParser.Parse(second.Version.Manifest, MediaTypes.OciManifest).Config!.Size;
        Assert.Equal(fresh.Sum(c => (long)c.Size) + indexSize, second.UploadedBytes);
        Assert.Equal(second.Version.Index.Packs!.Select(p => p.Digest).Except(first.Version.Index.Packs!.Select(p => p.Digest)).Count() + 1, second.UploadedBlobs);
        Assert.False(unchanged.Committed);
        Assert.Equal(0, unchanged.UploadedBytes);
        var target = Path.Combine(folder, "first");
        await VolumeMaterializer.RestoreAsync(host.Registry, await VolumeOperations.RequiredAsync(host.Registry, "1", Ct), target, Ct);
        Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(target, "data.bin")));
    }

    private VolumeConnection Open(string repository, string[] recipients, string[] decryptionKeys) =>
        VolumeConnection.Open(Server.BaseAddress.ToString(), repository, new VolumeKeyPaths(recipients, decryptionKeys).Load());

    // What `launcher volume pull` does: the version is read (its index opened) before the folder is emptied.
    private static async Task PullAsync(VolumeConnection connection, string target) =>
        await VolumeMaterializer.RestoreAsync(connection.Registry, await VolumeOperations.RequiredAsync(connection.Registry, "latest", Ct), target, Ct);

    private async Task<byte[]> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = await Server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
