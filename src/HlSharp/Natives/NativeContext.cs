using System.Runtime.CompilerServices;
using HlSharp.Engine;
using HlSharp.Runtime;
using HlSharp.Threading;
using HlSharp.Timers;

namespace HlSharp.Natives;

/// <summary>
/// What a native sees of its VM, passed as its first parameter when it declares one: the dynamic
/// operations on values (<see cref="Runtime"/>), the streams and arguments, what the system and
/// GC natives keep per VM, thread handles, and the few engine services natives use. Natives
/// never see the whole module.
/// </summary>
internal sealed class NativeContext
{
    private readonly HlVmContext _vm;
    private readonly ConditionalWeakTable<Thread, StdThread.ThreadHandle> _handles = [];
    private readonly TimerScheduler? _timers;
    private HlModule? _module;

    public NativeContext(HlVmContext vm, ThreadRegistry threads, IReadOnlyList<string> args, bool detectDeadlocks = false, TimeProvider? clock = null, TimerScheduler? timers = null)
    {
        _vm = vm;
        Clock = clock ?? TimeProvider.System;
        _timers = timers;
        Threads = threads;
        Args = args;
        ThreadLibrary = new ThreadLibrary(detectDeadlocks);
    }

    /// <summary>The loaded program's values and their dynamic operations.</summary>
    public HlRuntime Runtime => Module.Runtime;

    /// <summary>The program's bytecode.</summary>
    public Bytecode.HlCode Code => Module.Code;

    /// <summary>True when the index names a function with a body: the program's, or one a hot reload added.</summary>
    public bool IsBytecodeFunction(int functionIndex) => Module.IsBytecodeFunction(functionIndex);

    /// <summary>The program's standard output.</summary>
    public ProgramWriter Out => _vm.Out;

    /// <summary>The program's standard error.</summary>
    public ProgramWriter Error => _vm.Error;

    /// <summary>The VM's clock (<c>HlVmOptions.Clock</c>), which the time natives read.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The VM's timers, which the <c>hlsharp.Timers</c> natives add to and stop.</summary>
    public TimerScheduler Timers => _timers ?? throw new InvalidOperationException("this VM was made without timers");

    /// <summary>The VM's hot reload, which <c>std@sys_check_reload</c> asks; null when the VM was loaded without it.</summary>
    public Reload.IHotReloadHost? HotReload { get; set; }

    /// <summary>The program's arguments (<c>Sys.args</c>).</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>What the system natives keep for this VM (standard input, current directory, program path).</summary>
    public SysState Sys { get; } = new();

    /// <summary>What the program last passed to <c>hl.Gc.enable</c> (the CLR's collector keeps running either way).</summary>
    public bool GcEnabled { get; set; } = true;

    /// <summary>The flags the program set with <c>hl.Gc.flags</c>.</summary>
    public int GcFlags { get; set; }

    /// <summary>The calling thread's handle as Haxe's <c>Thread.current()</c> sees it (made on first use).</summary>
    public StdThread.ThreadHandle CurrentThreadHandle
    {
        get => _handles.GetValue(Thread.CurrentThread, static _ => new StdThread.ThreadHandle());
        set => _handles.AddOrUpdate(Thread.CurrentThread, value);
    }

    /// <summary>The VM's stop request, which every blocking native waits on so that <c>Sys.exit</c> and <c>Dispose</c> wake it.</summary>
    public VmStop Stop => _vm.Stop;

    /// <summary>What the threading natives keep for this VM: thread ids, named locks, the critical section, the wait-for graph.</summary>
    public ThreadLibrary ThreadLibrary { get; }

    /// <summary>Every thread running this VM's Haxe code, and why (<see cref="StdThread.Start"/> registers the ones Haxe starts).</summary>
    public ThreadRegistry Threads { get; }

    /// <summary>The Haxe stack of the exception most recently caught on this thread.</summary>
    public IReadOnlyList<HlStackFrame> ExceptionStack => _vm.Thread.ExceptionStack;

    /// <summary>The storage of the module's string and bytes constants made so far (see <see cref="HlModule.ConstantByteArrays"/>).</summary>
    public HashSet<byte[]> ConstantByteArrays() => Module.ConstantByteArrays();

    /// <summary>The Haxe frames of the calling thread's stack as it is now, innermost first (the caller of the native first).</summary>
    public IReadOnlyList<HlStackFrame> CallStack() => StackTraces.Current(Module);

    /// <summary>Natives the program names that nothing implements (see <see cref="NativeAdapters.Missing"/>).</summary>
    public IReadOnlyList<string> MissingNatives => Module.Natives.Missing;

    private HlModule Module => _module ?? throw new InvalidOperationException("no program is loaded yet");

    /// <summary>Tells the natives which module they serve, once it is loaded (natives are bound while it loads, and called only after).</summary>
    public void Attach(HlModule module) => _module = module;

    /// <summary>Asks the VM to exit with a code: every thread running its Haxe code unwinds at its next safe point.</summary>
    public void RequestExit(int code) => _vm.RequestExit(code);

    /// <summary>Prints an exception no Haxe code caught on a Haxe thread, as HashLink does.</summary>
    public void ReportUncaught(Exception exception) => _vm.ReportUncaught(exception);

    /// <summary>The value of a global.</summary>
    public object? GetGlobal(int index) => Module.GetGlobal(index);

    /// <summary>Sets a global.</summary>
    public void SetGlobal(int index, object? value) => Module.SetGlobal(index, value);

    /// <summary>
    /// A function's name as Haxe stack traces print it (<c>$Main.tick</c>, <c>Player.update</c>,
    /// <c>$Main.~main.0</c>), or null for a slot that is no function of the program (a wrapper).
    /// </summary>
    public string? FunctionName(int functionIndex) =>
        Module.FunctionName(functionIndex);

    /// <summary>A comparator calling a closure's compiled code directly, or null when its signature is not exactly <c>(T, T) -> i32</c>.</summary>
    public Func<T, T, int>? DirectComparer<T>(HlClosure closure) => ClosureDelegates.Comparer<T>(Module, closure);
}
