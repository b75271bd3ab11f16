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
        // A timer callback's uncaught exception is reported as hl reports one; its timer stops and the program goes on.
        vm.UnhandledException += (_, e) =>
        {
            if (e.Source == HlUnhandledExceptionSource.TimerCallback && e.Exception is HlHaxeException haxe)
            {
                Console.Out.Write(haxe.UncaughtReport);
                Console.Out.Flush();
            }
        };
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

        WaitForTimers(vm);
        return vm.ExitCode ?? ExitCodes.Success;
    }

    /// <summary>How often the tool looks whether the program's last timer has ended.</summary>
    private static readonly TimeSpan TimerCheckInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Timers Haxe code scheduled with <c>hlsharp.Timers</c> fire on the VM's timer threads; as
    /// <c>haxe.Timer</c> keeps <c>hl</c> running, they keep the program running until none is left
    /// and no callback runs, or it exits. The Haxe event loop has ended by then, so an event they post to the main
    /// thread (<c>haxe.Timer</c>, <c>runInMainThread</c>) does not run.
    /// </summary>
    private static void WaitForTimers(HlVm vm)
    {
        while (vm.ExitCode is null && !vm.Timers.IsIdle)
        {
            Thread.Sleep(TimerCheckInterval);
        }
    }
}
