using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// One VM's stop request: <c>Sys.exit</c> on any Haxe thread (stop with an exit code) or
/// <see cref="HlVm.Dispose"/> (stop for good). Compiled code polls <see cref="FlagAddress"/> at
/// every function entry and loop back-edge (one load and a branch) and throws
/// <see cref="StopException"/> when it is set; the blocking natives wait through the methods
/// here, which a request wakes, so every Haxe thread unwinds soon after a request.
/// A request is never withdrawn: once stopped, the VM runs no more Haxe code.
/// </summary>
internal sealed class VmStop : IDisposable
{
    /// <summary>How late a wait on a .NET monitor (mutexes, conditions, deques) may notice a request: monitors cannot wait on a token.</summary>
    private static readonly TimeSpan MonitorSlice = TimeSpan.FromMilliseconds(20);

    // On the pinned object heap, so its address never changes and compiled code holds it as a
    // constant instead of reaching it through a static (statics of collectible code cost a load).
    private readonly int[] _flag = GC.AllocateArray<int>(1, pinned: true);
    private readonly CancellationTokenSource _cancel = new();
    private int _exitCode;
    private volatile bool _disposing;

    /// <summary>The address of a 32-bit flag, non-zero once a stop was requested; valid while this object lives.</summary>
    public nint FlagAddress { get; }

    public VmStop() => FlagAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_flag, 0);

    public bool IsRequested => Volatile.Read(ref _flag[0]) != 0;

    /// <summary>True once the VM is being disposed (not merely exiting).</summary>
    public bool IsDisposing => _disposing;

    /// <summary>The exit code of the first <c>Sys.exit</c>, if one was requested.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Cancelled when a stop is requested; blocking waits observe it.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Asks every Haxe thread to end as <c>Sys.exit(code)</c> does; the first code wins.</summary>
    public void RequestExit(int code)
    {
        lock (_cancel)
        {
            if (ExitCode is null && !_disposing)
            {
                ExitCode = code;
                _exitCode = code;
            }
        }

        Raise();
    }

    /// <summary>Asks every Haxe thread to end because the VM is going away.</summary>
    public void RequestDispose()
    {
        lock (_cancel)
        {
            _disposing = true;
        }

        Raise();
    }

    /// <summary>The exception a thread unwinds with once stopped: <see cref="HaxeExit"/>, or <see cref="VmDisposedStop"/>.</summary>
    public Exception StopException() => _disposing && ExitCode is null ? new VmDisposedStop() : new HaxeExit(_exitCode);

    /// <summary>Throws the stop exception if a stop was requested (a safe point).</summary>
    public void ThrowIfRequested()
    {
        if (IsRequested)
        {
            Throw();
        }
    }

    [DoesNotReturn]
    public void Throw() => throw StopException();

    /// <summary><c>Sys.sleep</c>: sleeps, or ends early with the stop exception.</summary>
    public void Sleep(TimeSpan duration)
    {
        var longest = TimeSpan.FromMilliseconds(int.MaxValue);
        if (Token.WaitHandle.WaitOne(duration > longest ? longest : duration))
        {
            Throw();
        }
    }

    /// <summary>Takes one permit of a semaphore (<c>Lock.wait</c>, semaphores); false when the timeout passed first.</summary>
    public bool Wait(SemaphoreSlim semaphore, TimeSpan timeout)
    {
        try
        {
            return semaphore.Wait(timeout, Token);
        }
        catch (OperationCanceledException)
        {
            Throw();
            return false;
        }
    }

    /// <summary>Enters a monitor (<c>Mutex.acquire</c>), giving up with the stop exception when a stop is requested.</summary>
    public void Enter(object gate)
    {
        while (!Monitor.TryEnter(gate, MonitorSlice))
        {
            ThrowIfRequested();
        }
    }

    /// <summary>
    /// Waits on a monitor the caller holds until pulsed (true) or the timeout passes (false).
    /// Waits in slices: a pulse cannot be lost between them, because pulsing needs the monitor,
    /// which this thread holds again between slices.
    /// </summary>
    public bool MonitorWait(object gate, TimeSpan timeout)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var deadline = DateTime.UtcNow + (infinite ? TimeSpan.Zero : timeout);
        while (true)
        {
            ThrowIfRequested();
            var slice = infinite ? MonitorSlice : deadline - DateTime.UtcNow;
            if (slice <= TimeSpan.Zero)
            {
                return false;
            }

            if (Monitor.Wait(gate, slice < MonitorSlice ? slice : MonitorSlice))
            {
                return true;
            }
        }
    }

    private void Raise()
    {
        Volatile.Write(ref _flag[0], 1);
        _cancel.Cancel();
    }

    public void Dispose() => _cancel.Dispose();
}

/// <summary>
/// Unwinds a Haxe thread of a VM being disposed. Haxe traps never catch it
/// (<see cref="Traps.CatchValue"/>); the thread's entry swallows it.
/// </summary>
internal sealed class VmDisposedStop() : Exception("the VM was disposed");
