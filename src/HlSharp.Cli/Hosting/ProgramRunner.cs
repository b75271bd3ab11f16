using System.Runtime.ExceptionServices;

namespace HlSharp.Cli.Hosting;

/// <summary>
/// How a program runs as <c>hl app.hl</c> runs it: on a thread with HashLink's main-thread stack,
/// an uncaught exception reported as hl reports it with exit code 1, timers keeping the process
/// alive, the exit code of <c>Sys.exit</c>. Shared by <c>hlsharp run</c> and the native executables
/// <c>hlsharp compile --native</c> publishes: this file is compiled into the tool and its source is
/// embedded in the tool and compiled into every native host (<see cref="NativeHostProject"/>), so the
/// two behave the same by construction. It may use only the public API of HlSharp and the BCL.
/// </summary>
internal static class ProgramRunner
{
    /// <summary>How often the runner looks whether the program's last timer has ended.</summary>
    private static readonly TimeSpan TimerCheckInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Runs <paramref name="program"/> on a thread with the stack HashLink's main thread has (and
    /// no more: a runaway recursion is caught sooner on a smaller stack), whatever the host
    /// process's main thread has; returns its exit code, or rethrows what it threw on the calling
    /// thread.
    /// </summary>
    public static int RunOnProgramThread(Func<int> program)
    {
        var exitCode = ExitCodes.Success;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    exitCode = program();
                }
#pragma warning disable CA1031 // Rethrown on the calling thread, which owns the reporting of failures.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            HlVm.ThreadStackSize)
        { Name = "hlsharp main" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return exitCode;
    }

    /// <summary>
    /// Runs a loaded program to its end (loaded with <see cref="HlVmOptions.RunEventLoop"/>: the
    /// Haxe event loop runs after main, as hl runs it): static initialisation and main, then its
    /// timers; returns the exit code <c>hl</c> would end with.
    /// </summary>
    public static int RunToEnd(HlVm vm)
    {
        ReportTimerFailures(vm);
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

    /// <summary>A timer callback's uncaught exception is reported as hl reports one; its timer stops and the program goes on.</summary>
    public static void ReportTimerFailures(HlVm vm) =>
        vm.UnhandledException += (_, e) =>
        {
            if (e.Source == HlUnhandledExceptionSource.TimerCallback && e.Exception is HlHaxeException haxe)
            {
                Console.Out.Write(haxe.UncaughtReport);
                Console.Out.Flush();
            }
        };

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
