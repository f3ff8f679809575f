namespace Dockyard.Ldap.Tests;

public sealed class LdapOptionsTests
{
    [Theory]
    [InlineData("ldap.example.com:389", "ou=people,dc=example,dc=com")]
    [InlineData("127.0.0.1:636", "example.com")]
    [InlineData("[::1]:389", "o=Acme\\, Inc,c=us")]
    public void Valid_options_have_no_errors(string address, string domain) =>
        Assert.Empty(new LdapAuthenticatorOptions { Address = address, Domain = domain }.Validate());

    [Theory]
    [InlineData("ldap.example.com", "example.com", "[authn_ldap] addr")]
    [InlineData("ldap.example.com:0", "example.com", "[authn_ldap] addr")]
    [InlineData("ldap.example.com:99999", "example.com", "[authn_ldap] addr")]
    [InlineData(":389", "example.com", "[authn_ldap] addr")]
    [InlineData("ldap://ldap.example.com:389", "example.com", "[authn_ldap] addr")]
    [InlineData("ldap.example.com:389", "", "[authn_ldap] domain")]
    [InlineData("ldap.example.com:389", "ou=people,dc", "[authn_ldap] domain")]
    [InlineData("ldap.example.com:389", "ou=people)(x=*", "[authn_ldap] domain")]
    [InlineData("ldap.example.com:389", "exa mple.com", "[authn_ldap] domain")]
    public void Invalid_options_name_their_key(string address, string domain, string key)
    {
        var errors = new LdapAuthenticatorOptions { Address = address, Domain = domain }.Validate();
        Assert.Contains(errors, e => e.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void A_base_dn_domain_binds_as_uid_and_a_dns_domain_as_a_user_principal_name()
    {
        Assert.Equal("uid=alice,ou=people,dc=x", LdapBindName.For("alice", new LdapAuthenticatorOptions { Domain = "ou=people,dc=x" }));
        Assert.Equal("alice@example.com", LdapBindName.For("alice", new LdapAuthenticatorOptions { Domain = "example.com" }));
        Assert.Equal("dc=example,dc=com", LdapBindName.DomainToBaseDn("example.com"));
        Assert.Null(LdapBindName.For("a,b", new LdapAuthenticatorOptions { Domain = "example.com" }));
    }

    [Fact]
    public void Invalid_options_are_refused_at_registration()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddLdapAuthenticator(new LdapAuthenticatorOptions { Address = "nohost" }));
        Assert.Contains("[authn_ldap] addr", error.Message, StringComparison.Ordinal);
    }
}
