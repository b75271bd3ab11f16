using System.Text;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The state one VM's natives share: name hashes, the standard streams, the program arguments,
/// and per-thread Haxe state. Nothing here is static, so VMs in one process stay apart.
/// </summary>
internal sealed class HlVmContext : IDisposable
{
    private readonly ThreadLocal<HlThreadState> _threads = new(() => new HlThreadState());

    public HlVmContext(Stream stdout, Stream stderr, IReadOnlyList<string> args)
    {
        Out = new StreamWriter(stdout, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = false };
        Error = new StreamWriter(stderr, new UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true };
        Args = args;
    }

    public NameHash Hashes { get; } = new();

    public StreamWriter Out { get; }

    public StreamWriter Error { get; }

    public IReadOnlyList<string> Args { get; }

    /// <summary>What the system natives keep for this VM (standard input, current directory, program path).</summary>
    public Natives.SysState Sys { get; } = new();

    /// <summary>The module running in this VM (set once loaded).</summary>
    public HlModule Module { get; set; } = null!;

    /// <summary>The calling thread's Haxe state.</summary>
    public HlThreadState Thread => _threads.Value!;

    /// <summary>What the program last passed to <c>hl.Gc.enable</c> (the CLR's collector keeps running either way).</summary>
    public bool GcEnabled { get; set; } = true;

    /// <summary>The flags the program set with <c>hl.Gc.flags</c>.</summary>
    public int GcFlags { get; set; }

    /// <summary>The threads Haxe code started that are still running.</summary>
    public VmThreads Threads { get; } = new();

    /// <summary>This VM's stop request: what compiled code polls and blocking natives wait on.</summary>
    public VmStop Stop { get; } = new();

    /// <summary>The exit code a Haxe thread asked for with <c>Sys.exit</c>, if any.</summary>
    public int? RequestedExitCode => Stop.ExitCode;

    /// <summary><c>Sys.exit</c> on any thread: every Haxe thread of this VM unwinds at its next safe point.</summary>
    public void RequestExit(int code) => Stop.RequestExit(code);

    /// <summary>Prints an exception no Haxe code caught on a Haxe thread, as HashLink does, to standard output.</summary>
    public void ReportUncaught(Exception exception)
    {
        var module = Module;
        var value = module.ValueOf(exception);
        var stack = StackTraces.Capture(module, exception);
        lock (Out)
        {
            Out.Write("Uncaught exception: ");
            Out.WriteLine(Natives.ValueFormatter.Format(module, value));
            foreach (var frame in stack)
            {
                Out.Write("Called from ");
                Out.WriteLine(HlVm.FormatFrame(frame));
            }

            Out.Flush();
        }
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

/// <summary>What one thread remembers between Haxe frames: the last exception's stack.</summary>
internal sealed class HlThreadState
{
    /// <summary>The Haxe stack of the exception most recently caught on this thread, innermost first.</summary>
    public IReadOnlyList<HlStackFrame> ExceptionStack { get; set; } = [];

    /// <summary>This thread's handle as Haxe's <c>Thread.current()</c> sees it (created on first use).</summary>
    public Natives.StdThread.ThreadHandle? Handle { get; set; }
}

/// <summary>One Haxe frame: the function and, when debug information says, its source position.</summary>
internal readonly record struct HlStackFrame(string Function, string? File, int Line);
