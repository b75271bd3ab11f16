namespace HlSharp;

/// <summary>How a <see cref="HlVm"/> loads and runs a program.</summary>
public sealed class HlVmOptions
{
    /// <summary>Where Haxe's standard output goes (<c>Sys.print</c>, <c>trace</c>); the process's standard output when null.</summary>
    public Stream? StandardOutput { get; init; }

    /// <summary>Where Haxe's standard error goes; the process's standard error when null.</summary>
    public Stream? StandardError { get; init; }

    /// <summary>
    /// Where Haxe's standard input comes from (<c>Sys.stdin()</c>, <c>Sys.getChar</c>); the process's
    /// standard input when null.
    /// </summary>
    public Stream? StandardInput { get; init; }

    /// <summary>
    /// The path of the <c>.hl</c> file, which <c>Sys.programPath()</c> reports; <see cref="HlVm.LoadFile"/>
    /// sets it when null. Without one, <c>Sys.programPath()</c> is the path of the .NET executable.
    /// </summary>
    public string? ProgramPath { get; init; }

    /// <summary>The program arguments <c>Sys.args()</c> returns.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// When true, loading fails with <see cref="HlLoadException"/> if the program names a native
    /// nobody provides. When false (the default), such a native raises
    /// <see cref="HlMissingNativeException"/> only if it is called.
    /// </summary>
    public bool StrictNatives { get; init; }

    /// <summary>
    /// Whether the code the VM compiles can be unloaded: when true (the default), disposing the VM
    /// releases its compiled code and types, so a host may load and dispose programs for as long as
    /// it runs. .NET compiles collectible code fully optimised on its first call, which makes a
    /// large program start slower (the Haxe unit suite: about 1.6x); a host that runs one program
    /// for the life of its process, as <c>hlsharp run</c> does, can set false to start faster, and
    /// then the code stays in memory until the process ends.
    /// </summary>
    public bool CollectibleCode { get; init; } = true;

    /// <summary>
    /// The natives the host provides, bound when the program loads (add them before
    /// <see cref="HlVm.LoadFile"/>): <c>options.Natives.Add("host", "log", (Action&lt;string&gt;)Console.WriteLine)</c>.
    /// </summary>
    public HlHostNatives Natives { get; } = new();

    /// <summary>
    /// Whether <see cref="HlVm.RunEntry"/> runs the program's own event loop after <c>main</c>, as
    /// <c>hl</c> does: timers, <c>haxe.MainLoop</c> callbacks and posted events run until none is
    /// left, and only then does it return. False (the default): the host owns the loop;
    /// <see cref="HlVm.RunEntry"/> returns when <c>main</c> returns and each
    /// <see cref="HlVm.Update"/> runs one frame of that loop.
    /// </summary>
    public bool RunEventLoop { get; init; }

    /// <summary>
    /// Whether the program can be reloaded while it runs (<see cref="HlVm.Reload()"/> and its
    /// overloads): the VM keeps room for
    /// functions and types a new version adds, and objects room for fields it adds. It must be set
    /// when the program is loaded; off (the default), nothing of it costs anything, and a reload is
    /// an <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool HotReload { get; init; }

    /// <summary>
    /// Whether the VM looks for deadlocks on its locks (Haxe's <c>sys.thread.Mutex</c>, and the
    /// <c>hlsharp</c> library's <c>NamedLock</c> and <c>Critical</c>): when a thread's wait for one
    /// of them, without a timeout, would close a cycle of threads each waiting for a lock the next
    /// holds, that thread gets a Haxe exception naming the threads and locks of the cycle instead
    /// of waiting forever. Off by default; when off, the locks cost what they cost without it.
    /// </summary>
    public bool DetectDeadlocks { get; init; }

    /// <summary>
    /// Whether compiled code polls for safe points (true, always, in use). False compiles without
    /// the polls, so a loop that calls nothing can then be stopped by nothing: it exists only for
    /// the benchmark that measures what the polls cost (bench/HlSharp.Bench, <c>polls</c>).
    /// </summary>
    internal bool SafePointPolls { get; init; } = true;

    /// <summary>
    /// Whether a call into Haxe code from a thread the VM does not know registers that thread for
    /// the call: <see cref="HlVm.ThreadStarted"/> is raised on it before the call and
    /// <see cref="HlVm.ThreadExiting"/> after (nested calls it makes count as one). False (the
    /// default): such a call throws <see cref="HlThreadException"/>, and host threads register with
    /// <see cref="HlVm.EnterThread"/>.
    /// </summary>
    public bool AutoRegisterThreads { get; init; }

    /// <summary>
    /// The VM's clock: what <c>Sys.time</c>, <c>haxe.Timer.stamp</c>, <c>Date.now</c>, the
    /// <c>haxe.Timer</c> events of the event loop and <c>vm.Timers</c> read.
    /// <see cref="TimeProvider.System"/> by default; a fake clock (<c>FakeTimeProvider</c>) lets a
    /// test move time by hand and fire every timer exactly. <c>Sys.sleep</c> and the timeouts of
    /// blocking waits are real time, whatever the clock, with one exception that is Haxe code, not
    /// a native: Haxe 4.2.5's <c>sys.thread.Lock.wait(timeout)</c> counts its timeout with
    /// <c>haxe.Timer.stamp</c>, so it follows this clock. <c>Sys.cpuTime</c> is CPU time, never this clock.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
