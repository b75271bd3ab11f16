using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The mutable state of one running VM, beside its loaded <see cref="HlModule"/>: name hashes,
/// the standard streams, per-thread Haxe state, its stop request and a requested exit (the threads
/// running its Haxe code are known to the thread registry, in <c>Threading</c>). What only natives keep lives with them (<c>Natives.NativeContext</c>). Nothing here is
/// static, so VMs in one process stay apart.
/// </summary>
internal sealed class HlVmContext : IDisposable
{
    private readonly ThreadLocal<HlThreadState> _threads = new(() => new HlThreadState());

    public HlVmContext(Stream stdout, Stream stderr)
    {
        Out = new ProgramWriter(stdout, 4096, autoFlush: false);
        Error = new ProgramWriter(stderr, 1024, autoFlush: true);
    }

    public NameHash Hashes { get; } = new();

    public ProgramWriter Out { get; }

    public ProgramWriter Error { get; }

    /// <summary>The module running in this VM (set once loaded).</summary>
    public HlModule Module { get; set; } = null!;

    /// <summary>The calling thread's Haxe state.</summary>
    public HlThreadState Thread => _threads.Value!;

    /// <summary>This VM's stop request: what compiled code polls and blocking natives wait on.</summary>
    public VmStop Stop { get; } = new();

    /// <summary>The exit code a Haxe thread asked for with <c>Sys.exit</c>, if any.</summary>
    public int? RequestedExitCode => Stop.ExitCode;

    /// <summary><c>Sys.exit</c> on any thread: every Haxe thread of this VM unwinds at its next safe point.</summary>
    public void RequestExit(int code) => Stop.RequestExit(code);

    /// <summary>
    /// Prints an exception no Haxe code caught on a Haxe thread, as HashLink does, to standard
    /// output: mapped as the host would see it (<see cref="HostBoundary"/>), in the one report format.
    /// </summary>
    public void ReportUncaught(Exception exception)
    {
        var report = HostBoundary.ToHost(Module, exception) switch
        {
            HlHaxeException haxe => haxe.UncaughtReport,
            // HlSharp's own errors (a missing native, a function that cannot compile) carry no Haxe value.
            var own => HlHaxeException.FormatReport(own.Message, new HaxeStackText(StackTraces.Capture(Module, exception))),
        };
        Out.Write(report);
        Out.Flush();
    }

    /// <summary>Releases the streams; <paramref name="threadsEnded"/> is false when some Haxe thread may still touch the stop request.</summary>
    public void Dispose(bool threadsEnded)
    {
        if (threadsEnded)
        {
            Stop.Dispose();
        }

        Dispose();
    }

    public void Dispose()
    {
        Out.Flush();
        Out.Dispose();
        Error.Dispose();
        _threads.Dispose();
    }
}
