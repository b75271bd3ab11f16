using System.Runtime.ExceptionServices;
using HlSharp.Engine;
using HlSharp.Threading;

namespace HlSharp;

/// <summary>
/// A <see cref="HlVm"/> that lives on a thread of its own (<see cref="HlVm.StartOnDedicatedThread(string, HlVmOptions?, Action{HlVm}?)"/>):
/// the program loaded there, its static initialisation, <c>main</c> and event loop run there, and
/// the host reaches it by posting calls (<see cref="Invoke{T}(Func{HlVm, T})"/>,
/// <see cref="InvokeAsync{T}(Func{HlVm, T}, CancellationToken)"/>), which run on that thread.
/// <para>
/// Posted calls are served only where the thread waits, never at a poll in running code: in
/// blocking natives (<c>Sys.sleep</c>, <c>Lock.wait</c>, <c>Deque.pop</c>, mutex and condition
/// waits) while <c>main</c> runs; between the frames of the program's event loop, which the thread
/// runs after <c>main</c> as <c>hl</c> does; and, once that loop has nothing left, in the thread's
/// idle wait, until the host stops it. A <c>main</c> that loops without ever waiting
/// (<c>while (true) {}</c>) serves nothing, but still stops. A call made on the VM thread itself
/// (from inside a posted call or a host native) runs at once, inline.
/// </para>
/// <para>
/// A call served inside a blocking native runs nested in it, like a Haxe callback of the event
/// loop, and <c>main</c> continues when it returns. That is safe because such a native holds no VM
/// state, only what it waits on: a deque's or condition's monitor is released while the call
/// runs, as it is while waiting. The call does hold the Haxe mutexes <c>main</c> holds (they are
/// recursive, and it runs on the same thread). A served call that blocks serves the next one
/// nested inside it. Cancelling a call that has started unwinds the Haxe code it runs at its next
/// safe point; when calls are nested, cancelling the outer one unwinds the inner one too.
/// </para>
/// <para>
/// Hot reload needs no entry point of its own here: <see cref="HlVm.Reload()"/> and its variants may
/// be called on the <see cref="HlVm"/> from any thread (keep it from the <c>beforeEntry</c>
/// callback): the VM thread is parked at its next safe point while the new version is
/// published, even in a loop that never waits, where a posted call would never be served. Posted
/// (<c>Invoke(vm =&gt; vm.Reload())</c>), the reload runs between frames instead.
/// <see cref="HlVm.WatchForChanges"/> applies its reloads on the VM thread, between frames or
/// where the thread waits for posted calls.
/// </para>
/// </summary>
/// <remarks>
/// Named for the mode (DESIGN.md's "dedicated VM thread") rather than for the thread: it owns
/// the VM and its thread together, and <c>HlVmThread</c> would read as one of the VM's threads.
/// </remarks>
public sealed partial class HlDedicatedVm : IAsyncDisposable, IDisposable
{
    /// <summary>How long <see cref="DisposeAsync"/> and <see cref="Dispose"/> wait for the thread to stop.</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly TaskCompletionSource _loaded = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private HlVm? _vm;
    private PostedCallQueue? _queue;
    private ExceptionDispatchInfo? _programFailure;
    private ExceptionDispatchInfo? _threadFailure;
    private volatile Phase _phase;
    private bool _stopRequested;

    private HlDedicatedVm(Func<HlVm> load)
    {
        _thread = new Thread(() => Run(load), HlVm.ThreadStackSize)
        {
            Name = "hlsharp vm",
            // A host that forgets to stop the VM still exits, as it would with a forgotten timer.
            IsBackground = true,
        };
    }

    /// <summary>
    /// Completes when the program's <c>main</c> and its event loop have returned, or the program
    /// called <c>Sys.exit</c> (<see cref="ExitCode"/>); faults with the exception <c>main</c>
    /// threw (an <see cref="HlHaxeException"/> for an uncaught Haxe exception); is cancelled when
    /// the VM was stopped before <c>main</c> ended. The thread goes on serving calls after it completes.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// The code passed to <c>Sys.exit</c>, once the program has called it (on any of its threads).
    /// After that, as on <see cref="HlVm"/>, the program runs no more Haxe code: calls into it
    /// return default values.
    /// </summary>
    public int? ExitCode => _vm?.ExitCode;

    /// <summary>The managed thread id of the VM thread, on which every posted call runs.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    internal static HlDedicatedVm Start(Func<HlVm> load)
    {
        var owner = new HlDedicatedVm(load);
        owner._thread.Start();
        // Load failures belong to the caller, with their own stack: the same exceptions LoadFile throws.
        owner._loaded.Task.GetAwaiter().GetResult();
        return owner;
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the VM thread and returns its result, or rethrows what it
    /// threw (a Haxe exception as <see cref="HlHaxeException"/>, with the stack it was thrown with).
    /// Blocks until the thread serves it; on the VM thread itself it runs at once.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM is stopping or stopped; the call did not run.</exception>
    public T Invoke<T>(Func<HlVm, T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = Vm();
        return IsVmThread ? Served(vm, call) : Post(() => Served(vm, call), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="call"/> on the VM thread and returns when it has, as <see cref="Invoke{T}(Func{HlVm, T})"/> does.</summary>
    /// <exception cref="ObjectDisposedException">The VM is stopping or stopped; the call did not run.</exception>
    public void Invoke(Action<HlVm> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Invoke(Unit(call));
    }

    /// <summary>
    /// Posts <paramref name="call"/> to the VM thread; the task gives its result or what it threw
    /// (a Haxe exception as <see cref="HlHaxeException"/>). Continuations never run on the VM
    /// thread. Cancelling <paramref name="cancellationToken"/> before the call starts cancels it
    /// there and then; once it runs, the Haxe code it runs stops at its next safe point with
    /// <see cref="OperationCanceledException"/> and the thread goes on serving. On the VM thread
    /// itself the call runs at once and the task is complete when this returns.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM is stopping or stopped; the call did not run.</exception>
    public Task<T> InvokeAsync<T>(Func<HlVm, T> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = Vm();
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (!IsVmThread)
        {
            return Post(() => Served(vm, call), cancellationToken);
        }

        var inline = new PostedCall<T>(() => Served(vm, call), cancellationToken);
        inline.Run(vm.StopRequest);
        return inline.Task;
    }

    /// <summary>Posts <paramref name="call"/> to the VM thread, as <see cref="InvokeAsync{T}(Func{HlVm, T}, CancellationToken)"/> does.</summary>
    /// <exception cref="ObjectDisposedException">The VM is stopping or stopped; the call did not run.</exception>
    public Task InvokeAsync(Action<HlVm> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return InvokeAsync(Unit(call), cancellationToken);
    }

    /// <summary>
    /// Posts <paramref name="call"/> to the VM thread with a time limit: if it has not finished
    /// within <paramref name="timeout"/>, it is cancelled (as by a token) and the task faults with
    /// <see cref="TimeoutException"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM is stopping or stopped; the call did not run.</exception>
    public Task<T> InvokeAsync<T>(Func<HlVm, T> call, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            limit.CancelAfter(timeout);
            return WithinTimeout(InvokeAsync(call, limit.Token), limit, timeout, cancellationToken);
        }
        catch
        {
            limit.Dispose();
            throw;
        }
    }

    private static async Task<T> WithinTimeout<T>(Task<T> call, CancellationTokenSource limit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (limit)
        {
            try
            {
                return await call.ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
            {
                throw new TimeoutException($"the call posted to the dedicated VM thread did not finish within {timeout}, so it was cancelled", e);
            }
        }
    }

    /// <summary>
    /// Stops the VM: calls not yet served fail with <see cref="ObjectDisposedException"/>, and so
    /// do calls posted from now on; <c>main</c> (or the call running) unwinds at its next safe
    /// point, as do the program's other threads; the VM is disposed on its own thread (its exit
    /// hooks run there) and the thread ends. Then, if <c>main</c> threw, its exception is thrown
    /// here, so that it is never lost (it also faulted <see cref="Completion"/>). Calling it again
    /// waits again and throws the same.
    /// </summary>
    /// <exception cref="TimeoutException">
    /// The thread has not ended within <paramref name="timeout"/> (the message says what it was
    /// doing: a host native or host code of a posted call that does not return, where no safe
    /// point reaches it). The stop stays requested, so the thread ends once it reaches one:
    /// call <see cref="StopAsync"/> again to wait for it.
    /// </exception>
    /// <exception cref="HlHaxeException"><c>main</c> threw an exception that nothing caught.</exception>
    public async Task StopAsync(TimeSpan timeout)
    {
        RequestStop();
        try
        {
            await _ended.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"the dedicated VM thread '{_thread.Name}' (managed thread {_thread.ManagedThreadId}) did not stop within {timeout}: " +
                $"it is {Describe(_phase)} ({_queue?.Running ?? 0} posted call(s) running; thread state {_thread.ThreadState}), " +
                "probably in a host native or host code that does not return, where no safe point reaches it. " +
                "The stop stays requested and the thread ends at its next safe point; call StopAsync again to wait for it.");
        }

        if (!IsVmThread)
        {
            _thread.Join();
        }

        _threadFailure?.Throw();
        _programFailure?.Throw();
    }

    /// <summary>
    /// <see cref="StopAsync"/> with <see cref="DefaultStopTimeout"/>: throws its
    /// <see cref="TimeoutException"/>, and the exception <c>main</c> threw, if any.
    /// </summary>
    public async ValueTask DisposeAsync() => await StopAsync(DefaultStopTimeout).ConfigureAwait(false);

    /// <summary>Stops the VM and waits for its thread, as <see cref="DisposeAsync"/> does, blocking the caller.</summary>
    /// <exception cref="InvalidOperationException">Called on the VM thread, which cannot wait for itself to end (use <see cref="StopAsync"/>).</exception>
    public void Dispose()
    {
        if (IsVmThread)
        {
            throw new InvalidOperationException("Dispose was called on the dedicated VM thread, which cannot wait for itself to end; call StopAsync there, without waiting on it.");
        }

        StopAsync(DefaultStopTimeout).GetAwaiter().GetResult();
    }

    private bool IsVmThread => Thread.CurrentThread == _thread;

    private HlVm Vm()
    {
        if (Volatile.Read(ref _stopRequested))
        {
            throw Stopped();
        }

        return _vm!;
    }

    private static ObjectDisposedException Stopped() =>
        new(nameof(HlDedicatedVm), "the dedicated VM is stopping or stopped, so it serves no more calls");

    private Task<T> Post<T>(Func<T> call, CancellationToken cancellationToken)
    {
        var posted = new PostedCall<T>(call, cancellationToken);
        if (!_queue!.TryPost(posted))
        {
            throw Stopped();
        }

        return posted.Task;
    }

    /// <summary>A posted call as the VM thread runs it: while main runs, it is served only where main waits, past static initialisation.</summary>
    private static T Served<T>(HlVm vm, Func<HlVm, T> call)
    {
        vm.OpenForPostedCalls();
        return call(vm);
    }

    private static Func<HlVm, bool> Unit(Action<HlVm> call) => vm =>
    {
        call(vm);
        return true;
    };

    private void RequestStop()
    {
        IReadOnlyList<PostedCall> unserved;
        lock (_gate)
        {
            if (_stopRequested)
            {
                return;
            }

            Volatile.Write(ref _stopRequested, true);
            // Under the lock: the VM thread disposes the VM only after it saw the stop, so it is not disposed yet.
            if (_phase < Phase.Stopping)
            {
                _vm!.RequestStop();
            }

            unserved = _queue!.Close();
        }

        foreach (var call in unserved)
        {
            call.TryFail(Stopped());
        }
    }

    private static string Describe(Phase phase) => phase switch
    {
        Phase.Loading => "loading the program",
        Phase.RunningMain => "running main",
        Phase.EventLoop => "running the program's event loop after main",
        Phase.Idle => "idle after main, serving posted calls",
        Phase.Stopping => "disposing the VM",
        _ => "ended",
    };

    /// <summary>Where the VM thread is in its life, in order (a later phase never goes back).</summary>
    private enum Phase
    {
        Loading,
        RunningMain,
        EventLoop,
        Idle,
        Stopping,
        Ended,
    }
}
