using System.CommandLine;
using Dockyard.Server.Cli;

// SIGTERM and Ctrl-C stop the web host gracefully; System.CommandLine must not race it.
return await DockyardCommands.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
