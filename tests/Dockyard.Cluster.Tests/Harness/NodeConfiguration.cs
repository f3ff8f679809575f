using System.Text;
using Dockyard.Http.Auth;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// The runtime.conf of each node. Every node gets the same backend sections and the same token key pair — the key
/// that signs docker tokens (and from which V1 tokens' MAC key is derived), so a token one node issued verifies on the
/// others — and <c>runmode = prod</c>, which refuses to start without those files instead of generating a key of its
/// own. Only <c>[dockyard] path</c> (the node's local read cache and scratch) differs.
/// </summary>
public sealed class NodeConfiguration
{
    private readonly ClusterBackend backend;
    private readonly string privateKey;
    private readonly string certificate;

    private NodeConfiguration(ClusterBackend backend, string privateKey, string certificate)
    {
        this.backend = backend;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    public const string Issuer = "dockyard-cluster-issuer";

    /// <summary><c>[dockyard] domains</c>: the public name ACI names start with, the same on every node.</summary>
    public const string Domain = "registry.test";

    /// <summary>Makes the one token key pair of the cluster under <paramref name="folder"/>.</summary>
    public static NodeConfiguration Create(ClusterBackend backend, string folder)
    {
        var keys = Path.Combine(folder, "keys");
        Directory.CreateDirectory(keys);
        var privateKey = Path.Combine(keys, "token.key");
        var certificate = Path.Combine(keys, "token.crt");
        TokenKeys.Generate(privateKey, certificate, Issuer);
        return new NodeConfiguration(backend, privateKey, certificate);
    }

    /// <summary>Writes <c>conf/runtime.conf</c> under the node's data folder and returns its path.</summary>
    public string Write(string nodeFolder)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>
        {
            [""] = new() { ["runmode"] = "prod", ["listenmode"] = "http" },
            ["log"] = new() { ["level"] = "Warning" },
            ["dockyard"] = new() { ["path"] = nodeFolder, ["standalone"] = "false", ["domains"] = Domain },
            ["token"] = new() { ["rootcertbundle"] = certificate, ["issuer"] = Issuer, ["service"] = "token-service" },
            ["auth_server"] = new() { ["privateKey"] = privateKey, ["issuer"] = Issuer },
            ["gc"] = new() { ["interval"] = "0" },
        };
        foreach (var (name, keys) in backend.Sections)
        {
            var section = sections.TryGetValue(name, out var existing) ? existing : sections[name] = [];
            foreach (var (key, value) in keys)
            {
                section[key] = value;
            }
        }
        var text = new StringBuilder("# one node of a test cluster (tests/Dockyard.Cluster.Tests)\n");
        foreach (var (name, keys) in sections.OrderBy(s => s.Key.Length > 0))
        {
            text.Append(name.Length > 0 ? $"\n[{name}]\n" : "");
            foreach (var (key, value) in keys)
            {
                text.Append(key).Append(" = ").Append(value).Append('\n');
            }
        }
        var path = Path.Combine(nodeFolder, "conf", "runtime.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
