using System.CommandLine;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp run app.hl [args...]</c>: runs a program, as <c>hl app.hl</c> does. The engine is not
/// built yet, so for now it checks the bytecode reads and says that execution is not available.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    private readonly Argument<string> _file = new("file") { Description = "The .hl bytecode file to run." };

    private readonly Argument<string[]> _arguments = new("args")
    {
        Description = "Arguments passed to the program (Sys.args()); put them after -- if they start with a dash.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public RunCommand()
        : base("run", "Run a .hl program (static initialisation, then main).")
    {
        Arguments.Add(_file);
        Arguments.Add(_arguments);
    }

    protected override int Execute(ParseResult parseResult)
    {
        var path = parseResult.GetRequiredValue(_file);
        _ = BytecodeFile.Read(path);
        _ = parseResult.GetValue(_arguments) ?? [];

        // The engine issue replaces this with: load the code into a VM, run its entry point, map a
        // Haxe exception to exit code 1 with its message and stack.
        throw new CommandFailedException(
            $"{path}: running programs is not available yet: the execution engine is under construction (use 'hlsharp dump' to read the bytecode)",
            ExitCodes.NotAvailable);
    }
}
