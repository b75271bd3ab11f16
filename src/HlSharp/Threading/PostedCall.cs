using HlSharp.Engine;

namespace HlSharp.Threading;

/// <summary>
/// A call another thread posted to a dedicated VM thread (<see cref="PostedCallQueue"/>): it runs
/// once on that thread, or is cancelled or failed before it starts, never both. Each call has its
/// own completion, so concurrent callers never share a wake-up or see each other's results.
/// </summary>
internal abstract class PostedCall
{
    private const int Queued = 0, Running = 1, Finished = 2;
    private int _state;

    /// <summary>Runs the call on the VM thread, unless it was cancelled or failed first.</summary>
    public void Run(VmStop stop)
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) == Queued)
        {
            Execute(stop);
        }
    }

    /// <summary>Completes the call with <paramref name="reason"/> if it has not started; false when it had.</summary>
    public bool TryFail(Exception reason) => TryFinishUnstarted() && SetFailed(reason);

    /// <summary>Cancels the call if it has not started (its token was cancelled while it waited in the queue).</summary>
    protected bool TryCancelUnstarted(CancellationToken token) => TryFinishUnstarted() && SetCanceled(token);

    private bool TryFinishUnstarted() => Interlocked.CompareExchange(ref _state, Finished, Queued) == Queued;

    /// <summary>Runs the delegate and completes the call with its outcome.</summary>
    protected abstract void Execute(VmStop stop);

    protected abstract bool SetFailed(Exception reason);

    protected abstract bool SetCanceled(CancellationToken token);
}

/// <summary>A posted call with a result of type <typeparamref name="T"/>, completed through its own <see cref="Task"/>.</summary>
internal sealed class PostedCall<T> : PostedCall
{
    private readonly Func<T> _body;
    private readonly CancellationToken _token;
    private readonly CancellationTokenRegistration _whileQueued;

    // Continuations never run on the VM thread: a caller's await must not take it over.
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostedCall(Func<T> body, CancellationToken token)
    {
        _body = body;
        _token = token;
        if (token.CanBeCanceled)
        {
            _whileQueued = token.Register(static state => ((PostedCall<T>)state!).CancelIfQueued(), this);
        }
    }

    /// <summary>The call's outcome: its result, its exception, or cancelled.</summary>
    public Task<T> Task => _result.Task;

    private void CancelIfQueued() => TryCancelUnstarted(_token);

    protected override void Execute(VmStop stop)
    {
        // From here on the token cancels the Haxe code the delegate runs, at its next safe point.
        _whileQueued.Dispose();
        try
        {
            T value;
            using (CancellableCall.Begin(stop, _token))
            {
                value = _body();
            }

            _result.TrySetResult(value);
        }
        catch (OperationCanceledException) when (_token.IsCancellationRequested)
        {
            _result.TrySetCanceled(_token);
        }
#pragma warning disable CA1031 // Whatever the delegate throws belongs to its caller, never to the VM thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Captured with its stack: the caller's await rethrows it as it was thrown here.
            _result.TrySetException(e);
        }
    }

    protected override bool SetFailed(Exception reason)
    {
        _whileQueued.Dispose();
        return _result.TrySetException(reason);
    }

    protected override bool SetCanceled(CancellationToken token) => _result.TrySetCanceled(token);
}
