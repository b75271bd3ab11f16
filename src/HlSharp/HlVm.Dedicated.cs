using System.Diagnostics.CodeAnalysis;
using HlSharp.Engine;

namespace HlSharp;

/// <summary>Dedicated-thread mode: the VM loads and runs on a thread of its own, and the host posts calls to it.</summary>
public sealed partial class HlVm
{
    /// <summary>
    /// Starts a thread of the VM's own (stack <see cref="ThreadStackSize"/>, named
    /// <c>hlsharp vm</c>), loads the bytecode file there, and runs static initialisation,
    /// <c>main</c> and then the program's event loop on it until the loop has nothing left, as
    /// <c>hl</c> runs them (whatever <see cref="HlVmOptions.RunEventLoop"/> says: the thread runs
    /// the loop one frame at a time, and serves posted calls between frames). <c>main</c> may loop forever. Returns
    /// once the program is loaded; the host reaches it through the returned owner's
    /// <see cref="HlDedicatedVm.Invoke{T}(Func{HlVm, T})"/> and <see cref="HlDedicatedVm.InvokeAsync{T}(Func{HlVm, T}, CancellationToken)"/>,
    /// and ends it with <see cref="HlDedicatedVm.StopAsync"/> or by disposing it.
    /// <paramref name="beforeEntry"/>, when given, runs on the VM thread once the program is
    /// loaded and before any of its Haxe code: the place to subscribe to
    /// <see cref="ThreadStarted"/>, <see cref="ThreadExiting"/> and <see cref="UnhandledException"/>,
    /// so that they see the VM thread itself start; what it throws is thrown here, and the VM is released.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file (any exception <see cref="LoadFile"/> throws is thrown here, on the caller's thread).</exception>
    /// <exception cref="HlFormatException">The file is not valid HashLink bytecode.</exception>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    [RequiresDynamicCode(JitNeedsDynamicCode)]
    public static HlDedicatedVm StartOnDedicatedThread(string path, HlVmOptions? options = null, Action<HlVm>? beforeEntry = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return HlDedicatedVm.Start(() => Prepared(LoadFile(path, options), beforeEntry));
    }

    /// <summary>
    /// Starts a dedicated VM thread over bytecode in memory (the bytes are copied), as
    /// <see cref="StartOnDedicatedThread(string, HlVmOptions?, Action{HlVm}?)"/> does over a file.
    /// </summary>
    /// <exception cref="HlFormatException">The bytes are not valid HashLink bytecode.</exception>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    [RequiresDynamicCode(JitNeedsDynamicCode)]
    public static HlDedicatedVm StartOnDedicatedThread(ReadOnlySpan<byte> bytecode, HlVmOptions? options = null, Action<HlVm>? beforeEntry = null)
    {
        var copy = bytecode.ToArray();
        return HlDedicatedVm.Start(() => Prepared(Load(copy, options), beforeEntry));
    }

    private static HlVm Prepared(HlVm vm, Action<HlVm>? beforeEntry)
    {
        try
        {
            beforeEntry?.Invoke(vm);
            return vm;
        }
        catch
        {
            vm.Dispose();
            throw;
        }
    }

    /// <summary>This VM's safe points and stop request, which the dedicated thread serves calls at and stops through.</summary>
    internal VmStop StopRequest => _context.Stop;

    /// <summary>Whether <see cref="Update"/> can drive this program's event loop (the loop of Haxe 4.2.5's standard library, or none).</summary>
    internal bool CanDriveEventLoop => MainLoop.Unsupported is null;

    /// <summary>
    /// Sets whether <see cref="RunEntry"/> runs the program's own event loop after <c>main</c>,
    /// whatever the options said (the entry compiles on its first call, so this holds until then).
    /// </summary>
    internal void SetEntryRunsEventLoop(bool runs) => _module.SkipEntryEventLoop = !runs;

    /// <summary>
    /// Lets host calls in while <see cref="RunEntry"/> is still running, for a call posted to the
    /// dedicated thread and served while <c>main</c> waits. Such a call runs only where the entry
    /// thread is blocked, which is in <c>main</c> or its event loop once static initialisation
    /// has run (only a static initialiser that itself blocks would be caught half-way).
    /// </summary>
    internal void OpenForPostedCalls()
    {
        if (!Gate.Ready && !_disposed)
        {
            Gate.SetReady(true);
        }
    }

    /// <summary>
    /// Asks every thread running this VM's Haxe code to unwind at its next safe point, as
    /// <see cref="Dispose"/> does, without waiting or releasing anything: the dedicated thread then
    /// disposes the VM itself, on its own thread.
    /// </summary>
    internal void RequestStop() => _context.Stop.RequestDispose();
}
