using System.CommandLine;
using System.Reflection;
using Dockyard.Hosting.Configuration;
using Dockyard.Server.Cli.Admin;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary>The original Dockyard's command line: <c>dockyard web --address A --port P</c>, <c>dockyard help</c>, <c>--version</c>.</summary>
internal static class DockyardCommands
{
    public static RootCommand Create()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = $"runtime.conf to read (default: $DOCKYARD_CONFIG, else {RuntimeSettings.DefaultConfigPath} when present)",
            Recursive = true,
        };
        var address = new Option<string>("--address", "-a") { Description = "IP address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        var port = new Option<int>("--port", "-p") { Description = "port to listen on", DefaultValueFactory = _ => 5000 };

        var web = new Command("web", "Start the Dockyard registry web server") { address, port };
        web.SetAction(async (result, cancellationToken) =>
            await RunWebAsync(result.GetValue(config), result.GetRequiredValue(address), result.GetValue(port)));

        var admin = new AdminOptions(config);
        var root = new RootCommand("Dockyard: a container image registry (Docker V2 / OCI distribution, V1, appc)")
        {
            config, web, UserCommands.Create(admin), OrganizationCommands.Create(admin), TeamCommands.Create(admin),
            RepositoryCommands.Create(admin, config), TagCommands.Create(admin), GcCommand.Create(config), ImageCommands.Create(config),
        };
        var help = new Command("help", "Show help for dockyard or one of its commands");
        var topic = new Argument<string?>("command") { Arity = ArgumentArity.ZeroOrOne };
        help.Arguments.Add(topic);
        help.SetAction(result =>
            root.Parse(result.GetValue(topic) is { } name ? [name, "--help"] : ["--help"]).Invoke());
        root.Subcommands.Add(help);
        return root;
    }

    public static string Version =>
        typeof(DockyardCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static async Task<int> RunWebAsync(string? configFile, string address, int port)
    {
        WebApplication app;
        try
        {
            app = DockyardHost.Build(RuntimeSettings.Load(configFile), address, port);
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync("dockyard: " + e.Message);
            return 2;
        }
        // The metadata store's schema is made while the server starts; when that fails, the host stops.
        var preparation = app.Services.GetRequiredService<StorePreparationService>();
        await app.RunAsync();
        if (preparation.Failure is { } failure)
        {
            await Console.Error.WriteLineAsync("dockyard: " + failure.Message);
            return 2;
        }
        return 0;
    }
}
