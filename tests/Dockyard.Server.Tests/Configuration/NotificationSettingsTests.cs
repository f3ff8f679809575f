using Dockyard.Hosting.Configuration;

namespace Dockyard.Server.Tests.Configuration;

/// <summary><c>[notifications]</c> and its <c>[notifications.&lt;name&gt;]</c> sections, read from a real INI file.</summary>
public sealed class NotificationSettingsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dockyard-notify-conf-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Endpoints_are_read_from_sections_of_their_own_with_Distributions_keys()
    {
        var settings = Load("""
            [notifications]
            endpoints = audit, ci

            [notifications.audit]
            url = https://audit.example.com/events
            header.Authorization = Bearer abc, def
            header.X-Source = dockyard
            timeout = 500ms
            threshold = 5
            backoff = 2s
            maxbackoff = 1m
            ignoredmediatypes = application/octet-stream
            ignoredactions = pull

            [notifications.ci]
            url = http://ci.local:8080/hook
            mediatypes = application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json
            disabled = true
            """);
        RuntimeSettingsValidator.Validate(settings);
        var options = settings.Notifications.ToOptions();
        var audit = Assert.Single(options.Endpoints);
        Assert.Equal("audit", audit.Name);
        Assert.Equal(new Uri("https://audit.example.com/events"), audit.Url);
        Assert.Equal("Bearer abc, def", audit.Headers["Authorization"]);
        Assert.Equal("dockyard", audit.Headers["X-Source"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), audit.Timeout);
        Assert.Equal(5, audit.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(2), audit.Backoff);
        Assert.Equal(TimeSpan.FromMinutes(1), audit.MaxBackoff);
        Assert.False(audit.Accepts("pull", "application/vnd.oci.image.manifest.v1+json"));
        Assert.False(audit.Accepts("push", "application/octet-stream"));
        Assert.True(audit.Accepts("push", "application/vnd.oci.image.manifest.v1+json"));
        Assert.True(audit.Accepts("delete", null));
        // Retries at once below the threshold, then backs off doubling up to maxbackoff.
        Assert.Equal([0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(0, 12).Select(n => audit.RetryDelay(n).TotalSeconds));
        Assert.True(settings.Notifications.Sections["ci"].Disabled);
    }

    [Fact]
    public void Sections_may_be_named_with_an_underscore_where_names_cannot_hold_a_dot()
    {
        // As Linux app settings arrive: notifications__endpoints, notifications_my_hook__url.
        var settings = RuntimeSettings.Load(Write("[dockyard]\npath = data\n"), new Dictionary<string, string?>
        {
            ["notifications:endpoints"] = "my_hook",
            ["notifications_my_hook:url"] = "http://127.0.0.1:9/events",
            ["notifications_my_hook:timeout"] = "250ms",
        });
        RuntimeSettingsValidator.Validate(settings);
        var endpoint = Assert.Single(settings.Notifications.ToOptions().Endpoints);
        Assert.Equal(("my_hook", TimeSpan.FromMilliseconds(250)), (endpoint.Name, endpoint.Timeout));
    }

    [Fact]
    public void No_endpoints_means_notifications_are_off()
    {
        var settings = Load("[dockyard]\npath = data\n");
        RuntimeSettingsValidator.Validate(settings);
        Assert.False(settings.Notifications.ToOptions().Enabled);
    }

    [Theory]
    [InlineData("[notifications]\nendpoints = hook\n", "'hook' has no [notifications.hook] section")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\ntimeout = 1s\n", "[notifications.hook] url")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = ftp://x/y\n", "[notifications.hook] url")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\ntimeout = soon\n", "[notifications.hook] timeout")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\ntimeout = 0\n", "[notifications.hook] timeout")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nbackoff = -1s\n", "[notifications.hook] backoff")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nbackoff = 10s\nmaxbackoff = 1s\n", "[notifications.hook] maxbackoff")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nthreshold = -2\n", "[notifications.hook] threshold")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nignoredactions = pull, mount\n", "[notifications.hook] ignoredactions: 'mount'")]
    [InlineData("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nheader.Bad Name = 1\n", "[notifications.hook] header.Bad Name")]
    [InlineData("[notifications]\nendpoints = hook, HOOK\n[notifications.hook]\nurl = http://x/\n", "'hook' is listed twice")]
    [InlineData("[notifications]\nendpoints = a/b\n", "'a/b' is not a name")]
    [InlineData("[notifications.stray]\nurl = http://x/\n", "[notifications.stray]: not listed")]
    public void Validation_names_the_wrong_key(string ini, string expected)
    {
        var settings = Load(ini);
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(settings));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_threshold_that_is_no_number_names_its_key()
    {
        var error = Assert.Throws<StartupException>(() => Load("[notifications]\nendpoints = hook\n[notifications.hook]\nurl = http://x/\nthreshold = many\n"));
        Assert.Contains("notifications.hook:threshold", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private RuntimeSettings Load(string ini) => RuntimeSettings.Load(Write(ini));

    private string Write(string ini)
    {
        var path = Path.Combine(folder, "runtime.conf");
        File.WriteAllText(path, ini);
        return path;
    }
}
