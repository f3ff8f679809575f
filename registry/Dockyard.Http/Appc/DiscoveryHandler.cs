using System.Net;
using System.Reflection;
using Dockyard.Core.Appc;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Appc;

/// <summary>
/// appc meta discovery (<c>GET /&lt;name&gt;?ac-discovery=1</c> and <c>GET /appc/&lt;name&gt;?ac-discovery=1</c>): the page
/// rendered from <c>views/ac-discovery.html</c> (the working directory's when present, else the built-in one) with
/// <c>{{name}}</c>, <c>{{fetch}}</c>, <c>{{pubkeys}}</c> and <c>{{push}}</c> replaced, HTML-encoded.
/// </summary>
public sealed class DiscoveryHandler(AppcNames names, AppcOptions options)
{
    public const string TemplateFile = "ac-discovery.html";
    private static readonly string[] Reserved = ["v1", "v2", "uam", "appc", "pubkeys"];

    public Task GetAsync(HttpContext context, RouteValues values)
    {
        var repository = RepositoryName.Parse(values["name"]);
        if (Reserved.Contains(repository.Value.Split('/')[0]))
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "no appc discovery under a protocol prefix", new { name = repository.Value });
        }
        return RenderAsync(context, repository);
    }

    /// <summary>The original Dockyard's <c>/appc/&lt;name&gt;?ac-discovery=1</c>.</summary>
    public Task GetPrefixedAsync(HttpContext context, RouteValues values) => RenderAsync(context, RepositoryName.Parse(values["name"]));

    private async Task RenderAsync(HttpContext context, RepositoryName repository)
    {
        var request = context.Request;
        var repositoryUrl = AppcNames.RepositoryUrl(request, repository);
        var file = $"{AppcNames.BaseName(repository)}-{{version}}-{{os}}-{{arch}}.{{ext}}";
        var page = (await LoadTemplateAsync(context.RequestAborted))
            .Replace("{{name}}", WebUtility.HtmlEncode(names.AppName(request, repository)), StringComparison.Ordinal)
            .Replace("{{fetch}}", WebUtility.HtmlEncode($"{repositoryUrl}/fetch/{file}"), StringComparison.Ordinal)
            .Replace("{{pubkeys}}", WebUtility.HtmlEncode($"{repositoryUrl}/pubkeys"), StringComparison.Ordinal)
            .Replace("{{push}}", WebUtility.HtmlEncode($"{repositoryUrl}/push/{file}"), StringComparison.Ordinal);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(page, context.RequestAborted);
    }

    private async Task<string> LoadTemplateAsync(CancellationToken cancellationToken)
    {
        if (options.ViewsPath is { } folder && File.Exists(Path.Combine(folder, TemplateFile)))
        {
            return await File.ReadAllTextAsync(Path.Combine(folder, TemplateFile), cancellationToken);
        }
        await using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("Dockyard.Http.Appc." + TemplateFile)!;
        using var reader = new StreamReader(resource);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
