using System.Net;
using System.Net.Sockets;
using Dockyard.Core.Access;

namespace Dockyard.Ldap.Tests;

public sealed class LdapAuthenticatorTests
{
    // Only a guard against a test that hangs, never a speed claim (speed belongs in bench/): far longer than any
    // timeout these tests configure, far shorter than a login that waits forever.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

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
    public async Task A_closed_port_is_unavailable_without_waiting_out_the_timeout()
    {
        // A timeout far beyond the hang guard: only a refused connection reported as such (not waited out) ends in time.
        var authenticator = TestDirectory.Authenticator(TestDirectory.ClosedAddress(), timeout: TimeSpan.FromHours(1));
        var (outcome, _) = await authenticator.AuthenticateAsync("alice", "alice-secret", default).WaitAsync(HangGuard);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unavailable_after_the_timeout()
    {
        // The kernel completes the TCP handshake, but nothing ever reads or answers the bind: only the configured
        // timeout can end this login, so reaching the outcome at all (before the hang guard) shows it is honoured.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var authenticator = TestDirectory.Authenticator(address, timeout: TimeSpan.FromSeconds(1));
        var (outcome, email) = await authenticator.AuthenticateAsync("alice", "alice-secret", default).WaitAsync(HangGuard);
        Assert.Equal(AuthenticationOutcome.Unavailable, outcome);
        Assert.Null(email);
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
