using System.CommandLine;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp run app.hl [args...]</c>: runs a program as <c>hl app.hl</c> does: the same standard
/// output, the exit code of <c>Sys.exit</c>, and for an uncaught exception HashLink's report
/// (<c>Uncaught exception: value</c> and its Haxe stack) with exit code 1.
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
        var code = BytecodeFile.Read(path);
        var args = parseResult.GetValue(_arguments) ?? [];
        var exitCode = ExitCodes.Success;
        Exception? failure = null;
        // The program gets the stack HashLink's main thread has (and no more: a runaway recursion
        // is caught sooner on a smaller stack), whatever the host process's main thread has.
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
            HlVm.ThreadStackSize)
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
        // As hl does, the program's own event loop runs after main (timers, MainLoop, posted events).
        // One program for the life of the process: its code need not be collectible, and code that
        // is not starts faster (.NET tiers it instead of fully optimising every method at once).
        using var vm = HlVm.Load(code, new HlVmOptions { Arguments = args, ProgramPath = path, CollectibleCode = false, RunEventLoop = true });
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
