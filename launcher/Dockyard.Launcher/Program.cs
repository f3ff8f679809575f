using Dockyard.Launcher.Cli;

return await LauncherCommands.Create().Parse(args).InvokeAsync();
