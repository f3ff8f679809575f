using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;

namespace Dockyard.Core.Tests.Accounts;

public sealed class AccountNamesTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("a1")]
    [InlineData("my-org.io")]
    [InlineData("a_b")]
    [InlineData("admin")]
    public void Valid_namespaces(string name) => Assert.Equal(name, AccountNames.RequireNamespace(name, "name"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a")]
    [InlineData("Alice")]
    [InlineData("-alice")]
    [InlineData("alice-")]
    [InlineData("a--b.")]
    [InlineData("a/b")]
    [InlineData("v2")]
    [InlineData("uam")]
    [InlineData("library")]
    public void Invalid_namespaces_name_the_field(string? name)
    {
        var e = Assert.Throws<RegistryException>(() => AccountNames.RequireNamespace(name, "orgname"));
        Assert.Equal(RegistryErrorCode.InvalidField, e.Code);
        Assert.StartsWith("orgname:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_are_at_most_64_characters()
    {
        Assert.Equal(64, AccountNames.RequireNamespace(new string('a', 64), "name").Length);
        Assert.Throws<RegistryException>(() => AccountNames.RequireNamespace(new string('a', 65), "name"));
    }

    [Theory]
    [InlineData("Devs", true)]
    [InlineData("team_1.x-y", true)]
    [InlineData("bad team", false)]
    [InlineData(".hidden", false)]
    [InlineData("", false)]
    public void Team_names(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, AccountNames.RequireTeam(name, "teamname"));
        }
        else
        {
            Assert.StartsWith("teamname:", Assert.Throws<RegistryException>(() => AccountNames.RequireTeam(name, "teamname")).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Password_hashes_verify_only_the_same_password()
    {
        var hash = PasswordHasher.Hash("correct horse", iterations: 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse", hash));
        Assert.False(PasswordHasher.Verify("correct horsE", hash));
        Assert.NotEqual(hash, PasswordHasher.Hash("correct horse", iterations: 1000));
        Assert.False(PasswordHasher.Verify("correct horse", "md5$1$x$y"));
        Assert.False(PasswordHasher.Verify("correct horse", "pbkdf2-sha256$0$AA==$AA=="));
        Assert.False(PasswordHasher.Verify("correct horse", "pbkdf2-sha256$10$not base64$AA=="));
    }

    [Theory]
    [InlineData(RepositoryActions.None, "")]
    [InlineData(RepositoryActions.Pull, "pull")]
    [InlineData(RepositoryActions.Push | RepositoryActions.Pull, "pull,push")]
    [InlineData(RepositoryActions.All, "pull,push,delete")]
    public void Action_names_format_in_scope_order(RepositoryActions actions, string expected)
    {
        Assert.Equal(expected, string.Join(',', RepositoryActionNames.Format(actions)));
        Assert.Equal(actions, RepositoryActionNames.Parse(expected));
    }
}
