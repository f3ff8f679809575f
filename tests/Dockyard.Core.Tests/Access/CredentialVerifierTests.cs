using Dockyard.Core.Access;
using Dockyard.Core.Accounts;

namespace Dockyard.Core.Tests.Access;

public sealed partial class CredentialVerifierTests
{
    private readonly ManualTime time = new();
    private readonly FakeUsers users = new();
    private readonly CredentialVerifier verifier;

    public CredentialVerifierTests()
    {
        verifier = new CredentialVerifier(new FakeAccounts(users), new LoginThrottle(time), time);
        users.Put("alice", "password-1");
    }

    private Task<CredentialCheck> VerifyAsync(string user, string password) => verifier.VerifyAsync(user, password, "10.0.0.1", CancellationToken.None);

    [Fact]
    public async Task Right_and_wrong_passwords_and_unknown_users()
    {
        var ok = await VerifyAsync("alice", "password-1");
        Assert.Equal(AuthenticationOutcome.Succeeded, ok.Outcome);
        Assert.Equal(new Principal("alice", false), ok.Principal);
        Assert.Equal(AuthenticationOutcome.InvalidCredentials, (await VerifyAsync("alice", "password-2")).Outcome);
        Assert.Null((await VerifyAsync("nobody", "password-1")).Principal);
    }

    [Fact]
    public async Task A_remembered_login_ends_when_the_password_changes()
    {
        Assert.NotNull((await VerifyAsync("alice", "password-1")).Principal);
        users.Put("alice", "password-2");
        Assert.Null((await VerifyAsync("alice", "password-1")).Principal);
        Assert.NotNull((await VerifyAsync("alice", "password-2")).Principal);
    }

    [Fact]
    public async Task A_remembered_login_follows_the_admin_flag_and_the_users_removal()
    {
        Assert.False((await VerifyAsync("alice", "password-1")).Principal!.IsAdmin);
        users.Map["alice"] = users.Map["alice"] with { IsAdmin = true };
        Assert.True((await VerifyAsync("alice", "password-1")).Principal!.IsAdmin);
        users.Map.Remove("alice");
        Assert.Null((await VerifyAsync("alice", "password-1")).Principal);
    }

    [Fact]
    public async Task Too_many_failures_refuse_even_the_right_password_until_the_window_passes()
    {
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            Assert.False((await VerifyAsync("alice", "wrong")).Throttled);
        }
        var blocked = await VerifyAsync("alice", "password-1");
        Assert.True(blocked.Throttled);
        Assert.Null(blocked.Principal);
        time.Advance(LoginThrottle.Window);
        Assert.NotNull((await VerifyAsync("alice", "password-1")).Principal);
    }

    private sealed class FakeUsers : IUserStore
    {
        public Dictionary<string, User> Map { get; } = [];

        public void Put(string name, string password) =>
            Map[name] = new User(name, null, PasswordHasher.Hash(password, iterations: 1000), null, null, false, User.DatabaseSource, DateTimeOffset.UnixEpoch);

        /// <summary>How long a lookup takes: stands in for the real PBKDF2 run, which gives concurrent guesses their window.</summary>
        public TimeSpan Latency { get; set; }

        public async Task<User?> GetAsync(string name, CancellationToken cancellationToken)
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }
            return Map.GetValueOrDefault(name);
        }

        public Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken) => Task.FromResult(Map.TryAdd(user.Name, user));

        public Task<bool> UpdateAsync(User user, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Map.Remove(name));
    }

    private sealed class FakeAccounts(IUserStore users) : IAccountStore
    {
        public IUserStore Users => users;
        public IOrganizationStore Organizations => throw new NotSupportedException();
        public ITeamStore Teams => throw new NotSupportedException();
        public IRepositoryPolicyStore Repositories => throw new NotSupportedException();
    }
}
