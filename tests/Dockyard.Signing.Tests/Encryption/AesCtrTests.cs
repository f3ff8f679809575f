using Dockyard.Signing.Encryption;

namespace Dockyard.Signing.Tests.Encryption;

/// <summary>AES-256-CTR against NIST SP 800-38A F.5.5 and the 128-bit counter wrap Go's cipher.NewCTR performs.</summary>
public sealed class AesCtrTests
{
    private static readonly byte[] Key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    private static readonly byte[] Counter = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    private static readonly byte[] Plaintext = Convert.FromHexString(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    private static readonly byte[] Ciphertext = Convert.FromHexString(
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");

    [Fact]
    public void Nist_sp800_38a_ctr_aes256_vector()
    {
        using var ctr = new AesCtr(Key, Counter);
        var data = Plaintext.ToArray();
        ctr.Transform(data);
        Assert.Equal(Ciphertext, data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(33)]
    public void Vector_holds_when_transformed_in_uneven_pieces(int piece)
    {
        using var ctr = new AesCtr(Key, Counter);
        var data = Plaintext.ToArray();
        for (var offset = 0; offset < data.Length; offset += piece)
        {
            ctr.Transform(data.AsSpan(offset, Math.Min(piece, data.Length - offset)));
        }
        Assert.Equal(Ciphertext, data);
    }

    [Fact]
    public void Counter_wraps_as_one_128_bit_big_endian_number()
    {
        // openssl enc -aes-256-ctr -K <Key> -iv ffffffffffffffffffffffffffffffff over 40 zero bytes
        using var ctr = new AesCtr(Key, Convert.FromHexString("ffffffffffffffffffffffffffffffff"));
        var data = new byte[40];
        ctr.Transform(data);
        Assert.Equal("3b3c2921c85a24de9ac606ce6d1d60cce568f68194cf76d6174d4cc04310a85491151e5d0b7a1f1b", Convert.ToHexStringLower(data));
    }

    [Fact]
    public void Decryption_is_the_same_transform()
    {
        using var ctr = new AesCtr(Key, Counter);
        var data = Ciphertext.ToArray();
        ctr.Transform(data);
        Assert.Equal(Plaintext, data);
    }
}
