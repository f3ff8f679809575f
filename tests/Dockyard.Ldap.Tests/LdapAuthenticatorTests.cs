using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dockyard.Core.Access;

namespace Dockyard.Ldap.Tests;

public sealed class LdapAuthenticatorTests
{
    [Fact]
    public async Task Right_password_succeeds_with_the_entrys_mail()
    {
        if (TestDirectory.Address is not { } address)
        {
            return;
        }
        var (outcome, email) = await TestDirectory.Authenticator(address).AuthenticateAsync("alice", TestDirectory.AlicePassword, default);
        Assert.Equal(AuthenticationOutcome.Succeeded, outcome);
        Assert.Equal(TestDirectory.AliceMail, email);
    }

    [Theory]
    [InlineData("alice", "bob-secret")]
    [InlineData("alice", "alice-secret ")]
    [InlineData("nobody", "alice-secret")]
    [InlineData("alice", "")]
    [InlineData("Alice", "alice-secret")]
    public async Task Wrong_password_unknown_user_and_empty_password_are_invalid_credentials(string user, string password)
    {
        if (TestDirectory.Address is not { } address)
        {
            return;
        }
        var (outcome, email) = await TestDirectory.Authenticator(address).AuthenticateAsync(user, password, default);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, outcome);
        Assert.Null(email);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("a,dc=x")]
    [InlineData("a)(uid=*")]
    [InlineData("alice,ou=people")]
    [InlineData("alice\0")]
    [InlineData("uid=alice")]
    [InlineData("alice\\2c")]
    [InlineData("")]
    public async Task Malicious_user_names_are_refused_without_contacting_the_directory(string user)
    {
        // Pointed at a listener that records connections: a refused name must not open one.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var (outcome, _) = await TestDirectory.Authenticator(address, timeout: TimeSpan.FromSeconds(1)).AuthenticateAsync(user, "alice-secret", default);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, outcome);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_closed_port_is_unavailable_quickly()
    {
        var watch = Stopwatch.StartNew();
        var (outcome, _) = await TestDirectory.Authenticator(TestDirectory.ClosedAddress()).AuthenticateAsync("alice", "alice-secret", default);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unavailable_after_the_timeout()
    {
        // The kernel completes the TCP handshake, but nothing ever reads or answers the bind.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var watch = Stopwatch.StartNew();
        var (outcome, _) = await TestDirectory.Authenticator(address, timeout: TimeSpan.FromSeconds(1)).AuthenticateAsync("alice", "alice-secret", default);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Ldaps_with_insecuretlsskipverify_accepts_a_self_signed_certificate()
    {
        if (TestDirectory.TlsAddress is not { } address)
        {
            return;
        }
        var (outcome, email) = await TestDirectory.Authenticator(address, tls: true, skipVerify: true).AuthenticateAsync("alice", TestDirectory.AlicePassword, default);
        Assert.Equal(AuthenticationOutcome.Succeeded, outcome);
        Assert.Equal(TestDirectory.AliceMail, email);
        var (wrong, _) = await TestDirectory.Authenticator(address, tls: true, skipVerify: true).AuthenticateAsync("alice", "bob-secret", default);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, wrong);
    }

    [Fact]
    public async Task Ldaps_verifies_the_certificate_by_default()
    {
        if (TestDirectory.TlsAddress is not { } address)
        {
            return;
        }
        var (outcome, _) = await TestDirectory.Authenticator(address, tls: true).AuthenticateAsync("alice", TestDirectory.AlicePassword, default);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
    }

    [Fact]
    public async Task Plain_ldap_to_the_ldaps_port_is_unavailable_not_a_crash()
    {
        if (TestDirectory.TlsAddress is not { } address)
        {
            return;
        }
        var (outcome, _) = await TestDirectory.Authenticator(address, timeout: TimeSpan.FromSeconds(2)).AuthenticateAsync("alice", TestDirectory.AlicePassword, default);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
    }
}
