using Dockyard.Core.Accounts;
using Dockyard.Web.Access;
using Dockyard.Web.Accounts;
using Dockyard.Web.Assets;
using Dockyard.Web.Browsing;
using Dockyard.Web.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dockyard.Web;

/// <summary>
/// The web UI's composition: Razor Pages from this assembly over Core's services (the host registers those, as
/// <c>AddDockyardRegistry</c> does), a cookie session, antiforgery tokens, and the embedded stylesheet. The host decides
/// which requests reach the UI; it should send the registry's own routes to the registry first.
/// </summary>
public static class WebRegistration
{
    public const string SessionCookie = "dockyard.session";
    public const string AntiforgeryCookie = "dockyard.antiforgery";

    public static IServiceCollection AddDockyardWeb(this IServiceCollection services, WebUiOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<BrowsingAccess>();
        services.AddSingleton<NamespaceListing>();
        services.AddSingleton<RepositoryListing>();
        services.AddSingleton<TagListing>();
        services.AddSingleton<OlderFormatListing>();
        services.AddSingleton<ManifestDetails>();
        services.AddSingleton<RepositoryUsage>();
        services.AddSingleton<RepositorySearch>();
        services.AddSingleton<OrganizationListing>();
        services.AddSingleton<NamespaceStorage>();
        services.AddSingleton<CollectionStatus>();
        services.AddRazorPages(pages => pages.RootDirectory = "/Pages").AddApplicationPart(typeof(WebRegistration).Assembly);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = SessionCookie;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // Every request: a session whose user is gone or whose password changed since sign-in ends here, so pages,
            // [Authorize] and the header all see the caller as anonymous (and the stale cookie is removed).
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var access = context.HttpContext.RequestServices.GetRequiredService<BrowsingAccess>();
                if (context.Principal is null || (await access.PrincipalAsync(context.Principal, context.HttpContext.RequestAborted)).IsAnonymous)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            };
        });
        services.AddAuthorization();
        // One key ring for every node, in the metadata store (StoredKeyRing); one application name so that nodes run
        // from different folders derive the same purposes (the default discriminator is the content root).
        services.AddDataProtection().SetApplicationName("dockyard");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(keys =>
            keys.XmlRepository = new StoredKeyRing(sp.GetRequiredService<ISessionKeyStore>(),
                options.KeyRingKey is { } key ? new KeyRingCipher(key) : null, sp.GetRequiredService<ILogger<StoredKeyRing>>())));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = AntiforgeryCookie;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>The UI's middleware; call after <c>UseRouting</c>.</summary>
    public static IApplicationBuilder UseDockyardWeb(this IApplicationBuilder app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<PageFaults>();
        app.UseMiddleware<FormLimits>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The UI's endpoints: the pages and <see cref="Stylesheet.Path"/>.</summary>
    public static IEndpointRouteBuilder MapDockyardWeb(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages();
        endpoints.MapGet(Stylesheet.Path, Stylesheet.WriteAsync);
        return endpoints;
    }
}
