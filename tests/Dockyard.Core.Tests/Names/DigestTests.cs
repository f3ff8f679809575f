using System.Text;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Names;

public sealed class DigestTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string EmptySha512 =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

    [Fact]
    public void Sha256_digests_parse()
    {
        var digest = Digest.Parse("sha256:" + EmptySha256);

        Assert.Equal(Digest.Sha256, digest.Algorithm);
        Assert.Equal(EmptySha256, digest.Hex);
        Assert.Equal("sha256:" + EmptySha256, digest.Value);
        Assert.Equal(digest.Value, digest.ToString());
    }

    [Fact]
    public void Sha512_digests_parse()
    {
        Assert.True(Digest.TryParse("sha512:" + EmptySha512, out var digest));
        Assert.Equal(Digest.Sha512, digest.Algorithm);
        Assert.Equal(EmptySha512, digest.Hex);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData("sha256:")]
    [InlineData(":" + EmptySha256)]
    [InlineData("sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:" + EmptySha256 + "0")]
    [InlineData("sha256:" + EmptySha512)]
    [InlineData("sha512:" + EmptySha256)]
    [InlineData("sha384:" + EmptySha256)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("SHA256:" + EmptySha256)]
    [InlineData("sha256:" + "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:../b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(" sha256:" + EmptySha256)]
    [InlineData("sha256:" + EmptySha256 + " ")]
    public void Invalid_digests_are_refused(string? text)
    {
        Assert.False(Digest.TryParse(text, out _));
        Assert.Equal(RegistryErrorCode.DigestInvalid, Assert.Throws<RegistryException>(() => Digest.Parse(text)).Code);
    }

    [Fact]
    public void Compute_hashes_with_the_chosen_algorithm()
    {
        Assert.Equal("sha256:" + EmptySha256, Digest.Compute([]).Value);
        Assert.Equal("sha512:" + EmptySha512, Digest.Compute([], Digest.Sha512).Value);
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Digest.Compute(Encoding.ASCII.GetBytes("abc")).Value);
    }

    [Fact]
    public void Compute_with_an_unknown_algorithm_is_DigestInvalid()
    {
        Assert.Equal(RegistryErrorCode.DigestInvalid, Assert.Throws<RegistryException>(() => Digest.Compute([], "md5")).Code);
        Assert.Equal(RegistryErrorCode.DigestInvalid, Assert.Throws<RegistryException>(() => Digest.CreateHash("sha1")).Code);
    }

    [Theory]
    [InlineData(Digest.Sha256)]
    [InlineData(Digest.Sha512)]
    public void An_incremental_hash_matches_Compute(string algorithm)
    {
        var content = Encoding.ASCII.GetBytes("hello, registry");
        using var hash = Digest.CreateHash(algorithm);
        hash.AppendData(content.AsSpan(0, 5));
        hash.AppendData(content.AsSpan(5));

        Assert.Equal(Digest.Compute(content, algorithm), Digest.FromHash(algorithm, hash.GetCurrentHash()));
    }

    [Fact]
    public void Digests_compare_by_value_and_algorithm_support_is_known()
    {
        Assert.Equal(Digest.Parse("sha256:" + EmptySha256), Digest.Compute([]));
        Assert.NotEqual(Digest.Compute([]), Digest.Compute([], Digest.Sha512));
        Assert.True(Digest.IsSupportedAlgorithm("sha256"));
        Assert.True(Digest.IsSupportedAlgorithm("sha512"));
        Assert.False(Digest.IsSupportedAlgorithm("sha384"));
    }
}
