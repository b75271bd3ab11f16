using System.CommandLine;
using HlSharp.Cli.Hosting;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp watch app.hl [args...]</c>: runs a program as <c>hlsharp run</c> does, with hot reload
/// on, and reloads it whenever its file is rebuilt (<see cref="HlVm.WatchForChanges"/>: a file
/// watcher and a debounce, the reload applied between two frames of the program's event loop).
/// Each reload attempt prints one line on standard error (<see cref="HlReloadResult.ToString"/>:
/// what changed, or what was refused and why), so the program's standard output stays its own.
/// A refused build leaves the program running as it was. The tool runs the program's event loop
/// itself, frame by frame, and keeps going while the program has work (its timers,
/// <c>haxe.MainLoop</c>, posted events, <c>hlsharp.Timers</c>), until it exits or Ctrl+C.
/// Reloads land between frames, so a <c>main</c> that never returns gets none (such a program
/// calls <c>hl.Api.checkReload()</c> itself under <c>hlsharp run --hot-reload</c>).
/// </summary>
internal sealed class WatchCommand : CliCommand
{
    /// <summary>The exit code after Ctrl+C, as shells report a process ended by SIGINT.</summary>
    private const int Interrupted = 130;

    /// <summary>The longest the loop sleeps between frames, so it notices a due reload or Ctrl+C soon.</summary>
    private static readonly TimeSpan FrameWait = TimeSpan.FromMilliseconds(20);

    private readonly Argument<string> _file = new("file") { Description = "The .hl bytecode file to run and watch." };

    private readonly Argument<string[]> _arguments = new("args")
    {
        Description = "Arguments passed to the program (Sys.args()); put them after -- if they start with a dash.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<int> _debounce = new("--debounce")
    {
        Description = "How long, in milliseconds, the file must stay unchanged after a write before it is reloaded.",
        DefaultValueFactory = _ => (int)HlVm.DefaultReloadDebounce.TotalMilliseconds,
    };

    public WatchCommand()
        : base("watch", "Run a .hl program and hot-reload it whenever the file is rebuilt (one line per reload on stderr).")
    {
        Arguments.Add(_file);
        Arguments.Add(_arguments);
        Options.Add(_debounce);
    }

    protected override int Execute(ParseResult parseResult)
    {
        var path = parseResult.GetRequiredValue(_file);
        _ = BytecodeFile.Read(path);
        var args = parseResult.GetValue(_arguments) ?? [];
        var debounce = parseResult.GetValue(_debounce);
        if (debounce < 0)
        {
            throw new CommandFailedException($"--debounce {debounce}: must be 0 or more milliseconds");
        }

        using var interrupted = new ManualResetEventSlim();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Set();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return ProgramThread.Run(path, () => Watch(Path.GetFullPath(path), args, TimeSpan.FromMilliseconds(debounce), interrupted));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Watch(string path, string[] args, TimeSpan debounce, ManualResetEventSlim interrupted)
    {
        // Collectible code: a replaced body is unloaded once no frame runs it, so reloads keep memory flat.
        using var vm = HlVm.LoadFile(path, new HlVmOptions { Arguments = args, ProgramPath = path, HotReload = true, CollectibleCode = true });
        ProgramRunner.ReportTimerFailures(vm);
        vm.Reloaded += (_, result) =>
        {
            Console.Error.WriteLine("hlsharp watch: " + result);
            Console.Error.Flush();
        };
        using var watching = vm.WatchForChanges(debounce);
        try
        {
            vm.RunEntry();
            while (!interrupted.IsSet && vm.ExitCode is null && (vm.HasPendingWork || !vm.Timers.IsIdle))
            {
                vm.Update();
                var next = vm.TimeUntilNextWork;
                var wait = next is { } due && due < FrameWait ? due : FrameWait;
                if (wait > TimeSpan.Zero)
                {
                    interrupted.Wait(wait);
                }
            }
        }
        catch (HlHaxeException e)
        {
            Console.Out.Write(e.UncaughtReport);
            Console.Out.Flush();
            return ExitCodes.Failure;
        }

        return vm.ExitCode ?? (interrupted.IsSet ? Interrupted : ExitCodes.Success);
    }
}
