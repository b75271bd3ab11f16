using System.CommandLine;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp run app.hl [args...]</c>: runs a program as <c>hl app.hl</c> does: the same standard
/// output, the exit code of <c>Sys.exit</c>, and for an uncaught exception HashLink's report
/// (<c>Uncaught exception: value</c> and its Haxe stack) with exit code 1.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    // HashLink's main thread gets the operating system's default stack; compiled .NET frames are
    // larger than HashLink's, so the program runs on a thread with room for deep recursion.
    private const int StackSize = 256 * 1024 * 1024;

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
        var code = BytecodeFile.Read(path);
        var args = parseResult.GetValue(_arguments) ?? [];
        var exitCode = ExitCodes.Success;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    exitCode = RunProgram(code, Path.GetFullPath(path), args);
                }
#pragma warning disable CA1031 // Reported on the calling thread, which owns the one-line failure contract.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                }
            },
            StackSize)
        { Name = "hlsharp main" };
        thread.Start();
        thread.Join();
        return failure switch
        {
            null => exitCode,
            HlException e => throw new CommandFailedException($"{path}: {e.Message}", ExitCodes.Failure),
            _ => throw failure,
        };
    }

    private static int RunProgram(Bytecode.HlCode code, string path, string[] args)
    {
        using var vm = HlVm.Load(code, new HlVmOptions { Arguments = args, ProgramPath = path });
        try
        {
            vm.RunEntry();
        }
        catch (HlHaxeException e)
        {
            Console.Out.Write(e.UncaughtReport);
            Console.Out.Flush();
            return ExitCodes.Failure;
        }

        return vm.ExitCode ?? ExitCodes.Success;
    }
}
