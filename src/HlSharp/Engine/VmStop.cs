using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// One VM's safe points and stop request. Compiled code polls <see cref="FlagAddress"/> at every
/// function entry and loop back-edge (one load and a branch) and, when it is non-zero, calls
/// <see cref="Arrive"/>. The flag counts reasons for attention: a stop (<c>Sys.exit</c> on any
/// Haxe thread, or <see cref="HlVm.Dispose"/>), which is never withdrawn, and interrupts of single
/// threads (<see cref="ThreadWake.Interrupt"/>), each withdrawn once its thread attended.
/// The blocking natives wait through the methods here, which a stop or a wake of the waiting
/// thread interrupts, so every Haxe thread notices soon, running or waiting.
/// </summary>
internal sealed class VmStop : IDisposable
{
    /// <summary>How late a wait on a .NET monitor (mutexes, conditions, deques) may notice a request: monitors cannot wait on a token.</summary>
    private static readonly TimeSpan MonitorSlice = TimeSpan.FromMilliseconds(20);

    // On the pinned object heap, so its address never changes and compiled code holds it as a
    // constant instead of reaching it through a static (statics of collectible code cost a load).
    private readonly int[] _flag = GC.AllocateArray<int>(1, pinned: true);
    private readonly CancellationTokenSource _cancel = new();
    private readonly ThreadLocal<ThreadWake> _wakes;
    private int _exitCode;
    private volatile bool _requested;
    private volatile bool _disposing;
    private volatile IThreadAttention? _pause;
    private bool _withdrawn;

    /// <summary>The address of a 32-bit flag, non-zero while some thread's attention is asked; valid while this object lives.</summary>
    public nint FlagAddress { get; }

    public VmStop()
    {
        FlagAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_flag, 0);
        _wakes = new ThreadLocal<ThreadWake>(() => new ThreadWake(this), trackAllValues: true);
    }

    /// <summary>True once a stop was requested.</summary>
    public bool IsRequested => _requested;

    /// <summary>True once the VM is being disposed (not merely exiting).</summary>
    public bool IsDisposing => _disposing;

    /// <summary>The exit code of the first <c>Sys.exit</c>, if one was requested.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Cancelled when a stop is requested.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The calling thread's wake record for this VM (made on first use).</summary>
    public ThreadWake CurrentThread => _wakes.Value!;

    /// <summary>The wake of every thread that has one (each thread gets its own when it first reaches a safe point or wait).</summary>
    public IReadOnlyList<ThreadWake> AllThreads => [.. _wakes.Values];

    /// <summary>The pause for a hot reload in progress, which every other thread of the VM attends to at its next safe point or wait; null when none.</summary>
    public IThreadAttention? Pause => _pause;

    /// <summary>
    /// Starts a pause every thread of the VM attends to (hot reload, docs/HOT-RELOAD.md section 7):
    /// every poll takes its slow path until <see cref="EndPause"/>, so a thread that reaches its
    /// very first safe point during the pause parks too (it has no wake to interrupt yet), and a
    /// wait that starts during the pause parks before it waits. Returns the wakes of the threads
    /// known so far, for the caller to wake from the waits they are in.
    /// </summary>
    public IReadOnlyList<ThreadWake> BeginPause(IThreadAttention pause)
    {
        _pause = pause;
        // A full fence (Interlocked): a wait that starts after this sees the pause, one that started before is in the wakes below.
        RaiseAttention();
        return AllThreads;
    }

    /// <summary>Ends what <see cref="BeginPause"/> started (before the pause releases its threads).</summary>
    public void EndPause()
    {
        _pause = null;
        LowerAttention();
    }

    /// <summary>
    /// Whether hot reload may pause this VM (<c>HlVmOptions.HotReload</c>): only then does a
    /// blocking wait pay a fence to look for a pause before it starts.
    /// </summary>
    public bool Pausable { get; set; }

    /// <summary>Attends to the pause in progress, if any, on the calling thread (its owner does not park).</summary>
    public void AttendPause()
    {
        Interlocked.MemoryBarrier();
        _pause?.Attend();
    }

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

    /// <summary>Throws the stop exception if a stop was requested.</summary>
    public void ThrowIfRequested()
    {
        if (_requested)
        {
            Throw();
        }
    }

    [DoesNotReturn]
    public void Throw() => throw StopException();

    /// <summary>The slow path of a safe-point poll: unwinds if stopping, else lets the calling thread attend to what was asked of it.</summary>
    public void Arrive()
    {
        ThrowIfRequested();
        CurrentThread.Attend();
    }

    /// <summary>
    /// One more reason for every poll to take its slow path (<see cref="ThreadWake.Interrupt"/>).
    /// The flag serves the polls at loop heads; function entries see it through <see cref="StackGuard"/>.
    /// </summary>
    internal void RaiseAttention()
    {
        Interlocked.Increment(ref _flag[0]);
        StackGuard.RaiseAttention();
    }

    /// <summary>The matching end of <see cref="RaiseAttention"/>.</summary>
    internal void LowerAttention()
    {
        Interlocked.Decrement(ref _flag[0]);
        StackGuard.LowerAttention();
    }

    /// <summary>True while some thread's attention is asked (the flag is non-zero).</summary>
    internal bool IsAttentionRaised => Volatile.Read(ref _flag[0]) != 0;

    /// <summary><c>Sys.sleep</c>: sleeps, attending to wakes, or ends early with the stop exception.</summary>
    public void Sleep(TimeSpan duration) =>
        Block(duration, static (token, left) => { _ = token.WaitHandle.WaitOne(left); return !token.IsCancellationRequested; });

    /// <summary>Takes one permit of a semaphore (<c>Lock.wait</c>, semaphores); false when the timeout passed first.</summary>
    public bool Wait(SemaphoreSlim semaphore, TimeSpan timeout) =>
        Block(timeout, (token, left) => semaphore.Wait(left, token));

    /// <summary>Enters a monitor (<c>Mutex.acquire</c>), attending to wakes while it waits, or unwinding when stopped.</summary>
    public void Enter(object gate) =>
        Block(Timeout.InfiniteTimeSpan, (token, _) =>
        {
            while (!Monitor.TryEnter(gate, MonitorSlice))
            {
                token.ThrowIfCancellationRequested();
            }

            return true;
        });

    /// <summary>
    /// Waits on a monitor the caller holds until pulsed or woken (true) or the timeout passes
    /// (false). It may also return true without either, after one slice of 20 ms: a spurious
    /// wake-up, as condition variables allow, so every caller re-checks its condition in a loop.
    /// That is what keeps a pulse from being lost: one sent just as a slice's
    /// <see cref="Monitor.Wait(object, TimeSpan)"/> times out reaches no waiter, and waiting another
    /// slice without looking would miss it for good. When the thread is woken, it attends with
    /// the monitor released, as it is while waiting (what it runs, a call posted to a dedicated VM
    /// thread say, may need it: a Deque push or a Lock release), and then returns true, a
    /// wake-up its caller treats as any other: it checks its condition again, which what it
    /// attended to may have changed.
    /// </summary>
    public bool MonitorWait(object gate, TimeSpan timeout)
    {
        var wake = CurrentThread;
        if (wake.Token.IsCancellationRequested || _pause is not null)
        {
            AttendReleased(gate, wake);
            return true;
        }

        if (timeout == Timeout.InfiniteTimeSpan)
        {
            _ = Monitor.Wait(gate, MonitorSlice);
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        // A timed wait returns false only once its whole timeout has passed without a pulse.
        return Monitor.Wait(gate, timeout < MonitorSlice ? timeout : MonitorSlice) || timeout > MonitorSlice;
    }

    /// <summary>Attends (or unwinds) with <paramref name="gate"/> released, and holds it again as often as before, as <see cref="Monitor.Wait(object)"/> does.</summary>
    private static void AttendReleased(object gate, ThreadWake wake)
    {
        var depth = 0;
        for (; Monitor.IsEntered(gate); depth++)
        {
            Monitor.Exit(gate);
        }

        try
        {
            wake.Attend(inWait: true);
        }
        finally
        {
            for (; depth > 0; depth--)
            {
                Monitor.Enter(gate);
            }
        }
    }

    /// <summary>
    /// Runs one blocking wait with the calling thread's wake token; when the token is cancelled
    /// (a stop, or a wake of this thread), unwinds if stopping, else attends and waits again for
    /// what is left of the timeout. <paramref name="wait"/> returns whether it got what it waited for.
    /// </summary>
    public bool Block(TimeSpan timeout, Func<CancellationToken, TimeSpan, bool> wait)
    {
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var longest = TimeSpan.FromMilliseconds(int.MaxValue - 1);
        var deadline = infinite ? DateTime.MaxValue : DateTime.UtcNow + (timeout > longest ? longest : timeout);
        var wake = CurrentThread;
        while (true)
        {
            // A wait that starts during a reload's pause parks first (the pause may have missed this thread's wake).
            if (Pausable)
            {
                AttendPause();
            }

            var token = wake.Token;
            var left = infinite ? Timeout.InfiniteTimeSpan : deadline - DateTime.UtcNow;
            if (!infinite && left < TimeSpan.Zero)
            {
                left = TimeSpan.Zero;
            }

            bool got;
            try
            {
                got = wait(token, left);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                got = false;
            }

            if (got)
            {
                return true;
            }

            if (!token.IsCancellationRequested)
            {
                return false;
            }

            wake.Attend(inWait: true);
            if (!infinite && DateTime.UtcNow >= deadline)
            {
                return false;
            }
        }
    }

    private void Raise()
    {
        lock (_cancel)
        {
            if (!_requested)
            {
                _requested = true;
                RaiseAttention();
            }
        }

        _cancel.Cancel();
    }

    /// <summary>Called once no thread runs this VM's code: withdraws the stop's reason for attention, which nothing else ever does.</summary>
    public void Dispose()
    {
        foreach (var wake in _wakes.Values)
        {
            wake.Dispose();
        }

        lock (_cancel)
        {
            if (_requested && !_withdrawn)
            {
                _withdrawn = true;
                LowerAttention();
            }
        }

        _wakes.Dispose();
        _cancel.Dispose();
    }
}

/// <summary>
/// Unwinds a Haxe thread of a VM being disposed. Haxe traps never catch it
/// (<see cref="Traps.CatchValue"/>); the thread's entry swallows it.
/// </summary>
internal sealed class VmDisposedStop() : Exception("the VM was disposed");
