using System.Text;
using Dockyard.Signing.Verification;

namespace Dockyard.Signing.Tests.Verification;

/// <summary>Detached OpenPGP signatures made by real gpg in a throw-away GNUPGHOME.</summary>
public sealed class PgpVerifierTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("rsa3072")]
    public async Task Gpg_detached_armored_signatures_verify_and_tampering_or_other_keys_are_refused(string algorithm)
    {
        using var dir = ToolFolder.For("gpg");
        if (dir is null)
        {
            return;
        }
        var home = new Dictionary<string, string> { ["GNUPGHOME"] = dir.File("home") };
        Directory.CreateDirectory(home["GNUPGHOME"]);
        try
        {
            string[] batch = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""];
            await dir.RunAsync(home, [.. batch, "--quick-gen-key", "Signer <signer@example.com>", algorithm, "sign", "never"]);
            await dir.RunAsync(home, [.. batch, "--quick-gen-key", "Other <other@example.com>", algorithm, "sign", "never"]);
            await dir.RunAsync(home, "--batch", "--armor", "--output", dir.File("signer.asc"), "--export", "signer@example.com");
            await dir.RunAsync(home, "--batch", "--output", dir.File("other.gpg"), "--export", "other@example.com");
            var data = Encoding.UTF8.GetBytes("an ACI image, or a simple-signing payload\n");
            dir.Write("image.aci", data);
            await dir.RunAsync(home, [.. batch, "--local-user", "signer@example.com", "--detach-sign", "--armor", "--output", dir.File("image.aci.asc"), dir.File("image.aci")]);
            await dir.RunAsync(home, [.. batch, "--local-user", "other@example.com", "--detach-sign", "--output", dir.File("other.sig"), dir.File("image.aci")]);

            var verifier = PgpVerifier.FromFiles([dir.File("signer.asc")]);
            var armored = File.ReadAllText(dir.File("image.aci.asc"));
            var check = verifier.Verify(data, armored);
            Assert.True(check.IsValid, check.Reason);

            var tampered = (byte[])data.Clone();
            tampered[0] ^= 1;
            Assert.Contains("does not match", verifier.Verify(tampered, armored).Reason);
            Assert.Contains("not configured", verifier.Verify(data, dir.Read("other.sig")).Reason);
            Assert.False(verifier.Verify(data, "-----BEGIN PGP SIGNATURE-----\n\ngarbage\n-----END PGP SIGNATURE-----\n").IsValid);

            var both = PgpVerifier.FromFiles([dir.File("signer.asc"), dir.File("other.gpg")]);
            Assert.True(both.Verify(data, dir.Read("other.sig")).IsValid);
        }
        finally
        {
            if (Dockyard.Testing.RequiredTool.Find("gpgconf") is { } gpgconf)
            {
                await Dockyard.Testing.RequiredTool.RunAsync(gpgconf, ["--kill", "gpg-agent"], home);
            }
        }
    }

    [Fact]
    public void A_file_that_is_not_a_key_ring_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PgpVerifier([Encoding.ASCII.GetBytes("not a key")]));
    }
}
