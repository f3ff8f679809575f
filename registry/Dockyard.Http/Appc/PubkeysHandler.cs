using System.Text;
using Dockyard.Core.Appc;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Http.Requests;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// The trusted OpenPGP keys of appc images: <c>GET /pubkeys</c> (the registry-wide keys of the key folder),
/// <c>GET /appc/&lt;name&gt;/pubkeys</c> (every key trusted for the repository, the discovery pubkeys URL) and
/// <c>POST /appc/&lt;name&gt;/pubkeys</c> (trust an armored key for the repository, as <c>gpg --armor --export</c> writes it).
/// </summary>
public sealed class PubkeysHandler(AciKeyRing keys)
{
    private const int MaxKeyBytes = 256 * 1024;

    public Task GetRegistryWideAsync(HttpContext context, RouteValues values) => WriteKeysAsync(context, keys.GetRegistryWide());

    public async Task GetAsync(HttpContext context, RouteValues values) =>
        await WriteKeysAsync(context, await keys.GetAsync(RepositoryName.Parse(values["name"]), context.RequestAborted));

    public async Task AddAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        var armored = Encoding.UTF8.GetString((await RequestBody.ReadAsync(context.Request, MaxKeyBytes, "a public key")).Span);
        var fingerprints = await keys.AddAsync(repository, armored, context.RequestAborted);
        await PushHandler.WriteJsonAsync(context, StatusCodes.Status201Created,
            new Dictionary<string, object> { ["repository"] = repository.Value, ["fingerprints"] = fingerprints.ToArray() });
    }

    private static async Task WriteKeysAsync(HttpContext context, IReadOnlyList<string> armored)
    {
        if (armored.Count == 0)
        {
            throw new RegistryException(RegistryErrorCode.NotFound, "no public keys are trusted here");
        }
        context.Response.ContentType = "application/pgp-keys";
        await context.Response.WriteAsync(string.Join("\n", armored.Select(k => k.TrimEnd() + "\n")), context.RequestAborted);
    }
}
