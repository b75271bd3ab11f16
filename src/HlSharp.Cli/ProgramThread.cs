namespace HlSharp.Cli;

/// <summary>What <c>run</c> and <c>watch</c> share: the thread a program runs on, and how a timer's failure is reported.</summary>
internal static class ProgramThread
{
    /// <summary>
    /// Runs a program on a thread with the stack HashLink's main thread has (and no more: a
    /// runaway recursion is caught sooner on a smaller stack), whatever the host process's main
    /// thread has; returns its exit code, or rethrows what it threw on the calling thread (an
    /// <see cref="HlException"/> as the tool's one-line failure).
    /// </summary>
    public static int Run(string path, Func<int> program)
    {
        var exitCode = ExitCodes.Success;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    exitCode = program();
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
}
