using System.CommandLine;
using System.CommandLine.Help;
using HlSharp.Cli;
using HlSharp.Cli.Commands;

// The common case, `hlsharp run app.hl [args...]`, starts without building the parser.
if (RunCommand.TryRunDirectly(args, out var exitCode))
{
    return exitCode;
}

// A plain Command rather than RootCommand: RootCommand names itself after the executable
// ("HlSharp.Cli"), and the help should show the name users type.
var root = new Command("hlsharp", "Runs and inspects HashLink (.hl) bytecode on .NET.")
{
    new HelpOption(),
    new VersionOption(),
    new RunCommand(),
    new WatchCommand(),
    new DumpCommand(),
    new CompileCommand(),
};
var parsed = root.Parse(args);
return parsed.Errors.Count > 0 ? UsageError.Report(parsed) : parsed.Invoke();
