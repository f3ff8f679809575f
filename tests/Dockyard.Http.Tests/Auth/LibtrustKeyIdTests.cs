using System.Security.Cryptography;
using System.Text;
using Dockyard.Core.Access;
using Dockyard.Http.Auth;

namespace Dockyard.Http.Tests.Auth;

/// <summary>Pure pieces of token auth: libtrust key ids, scope parsing, action names.</summary>
public sealed class LibtrustKeyIdTests
{
    /// <summary>
    /// libtrust's key id computed independently of the product: SHA-256 of the SPKI, first 30 bytes, RFC 4648 base32
    /// taken bit by bit, cut into 12 groups of 4.
    /// </summary>
    public static string Independent(byte[] spki)
    {
        var bits = new StringBuilder();
        foreach (var b in SHA256.HashData(spki).AsSpan(0, 30))
        {
            bits.Append(Convert.ToString(b, 2).PadLeft(8, '0'));
        }
        var text = new StringBuilder();
        for (var i = 0; i < bits.Length; i += 5)
        {
            text.Append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Convert.ToInt32(bits.ToString(i, 5), 2)]);
        }
        return string.Join(":", text.ToString().Chunk(4).Select(c => new string(c)));
    }

    [Fact]
    public void Matches_an_independent_computation_for_ec_and_rsa_keys()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        foreach (var spki in new[] { ec.ExportSubjectPublicKeyInfo(), rsa.ExportSubjectPublicKeyInfo() })
        {
            var kid = LibtrustKeyId.FromSubjectPublicKeyInfo(spki);
            Assert.Equal(Independent(spki), kid);
            Assert.Equal(59, kid.Length);
        }
    }

    [Fact]
    public void Known_vector_for_a_fixed_input()
    {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad; its first 30 bytes in base32.
        var kid = LibtrustKeyId.FromSubjectPublicKeyInfo("abc"u8);
        Assert.Equal("XJ4B:NP4P:AHH6:UQKB:IDPF:3LRC:EOYA:GYND:SYLX:VHFU:CD7W:D4QA", kid);
        Assert.Equal(Independent("abc"u8.ToArray()), kid);
    }

    [Theory]
    [InlineData("repository:team/app:pull,push", "repository", "team/app", "pull,push")]
    [InlineData("repository:localhost:5000/team/app:pull", "repository", "localhost:5000/team/app", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    [InlineData("repository:app: pull , push ", "repository", "app", "pull,push")]
    public void Scopes_split_at_the_first_and_last_colon(string text, string type, string name, string actions)
    {
        var scope = ResourceScope.TryParse(text);
        Assert.NotNull(scope);
        Assert.Equal(type, scope.Type);
        Assert.Equal(name, scope.Name);
        Assert.Equal(actions, string.Join(',', scope.Actions));
    }

    [Theory]
    [InlineData("")]
    [InlineData("repository")]
    [InlineData("repository:app")]
    [InlineData(":app:pull")]
    [InlineData("repository::pull")]
    public void Malformed_scopes_are_null(string text) => Assert.Null(ResourceScope.TryParse(text));

    [Fact]
    public void Scopes_print_as_they_parse() =>
        Assert.Equal("repository:h:5000/a:pull,push", ResourceScope.TryParse("repository:h:5000/a:pull,push")!.ToString());

    [Theory]
    [InlineData("pull", RepositoryActions.Pull)]
    [InlineData("push,pull", RepositoryActions.Pull | RepositoryActions.Push)]
    [InlineData("delete", RepositoryActions.Delete)]
    [InlineData("*", RepositoryActions.All)]
    [InlineData("pull,,bogus", RepositoryActions.Pull)]
    [InlineData("", RepositoryActions.None)]
    [InlineData("PULL", RepositoryActions.None)]
    public void Action_names_parse(string text, RepositoryActions expected) => Assert.Equal(expected, RepositoryActionNames.Parse(text));
}
