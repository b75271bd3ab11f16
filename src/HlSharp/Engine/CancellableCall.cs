namespace HlSharp.Engine;

/// <summary>
/// Makes a call into Haxe code on the calling thread cancellable: when the token is cancelled, the
/// thread is interrupted (<see cref="ThreadWake.Interrupt"/>) and, at its next safe point or
/// blocking wait, its Haxe code unwinds with <see cref="HaxeCallCanceledException"/>, which Haxe
/// code cannot catch. Dispose it when the call returns. One object per call; nested cancellable
/// calls each have their own, and the first one cancelled unwinds everything inside it.
/// </summary>
internal sealed class CancellableCall : IThreadAttention, IDisposable
{
    private readonly ThreadWake _wake;
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private volatile bool _cancelled;
    private bool _thrown;

    private CancellableCall(ThreadWake wake, CancellationToken token)
    {
        _wake = wake;
        _token = token;
        wake.Add(this);
        _registration = token.Register(static state =>
        {
            var call = (CancellableCall)state!;
            call._cancelled = true;
            call._wake.Interrupt();
        }, this);
    }

    /// <summary>
    /// Starts a cancellable call on the calling thread, or returns null when the token can never
    /// be cancelled. Throws <see cref="OperationCanceledException"/> at once when it already is.
    /// </summary>
    public static CancellableCall? Begin(VmStop stop, CancellationToken token)
    {
        if (!token.CanBeCanceled)
        {
            return null;
        }

        token.ThrowIfCancellationRequested();
        return new CancellableCall(stop.CurrentThread, token);
    }

    /// <inheritdoc/>
    public void Attend()
    {
        // Thrown once: the exception unwinds every Haxe frame of the call, and code the host runs
        // while it unwinds (a native's cleanup) must not see it again.
        if (_cancelled && !_thrown)
        {
            _thrown = true;
            throw new HaxeCallCanceledException(this, _token);
        }
    }

    /// <summary>
    /// Ends the call. Disposing the registration waits for a cancellation callback that is running,
    /// so none raises the polls after this; one that raised them for a call that then returned
    /// without attending is withdrawn by <see cref="ThreadWake.Remove"/>.
    /// </summary>
    public void Dispose()
    {
        _registration.Dispose();
        _wake.Remove(this);
    }
}

/// <summary>
/// Unwinds Haxe code whose host call was cancelled. Haxe traps never catch it (<see cref="Traps.CatchValue"/>);
/// the host sees it as the <see cref="OperationCanceledException"/> it is, carrying the call's token.
/// </summary>
internal sealed class HaxeCallCanceledException(CancellableCall call, CancellationToken token)
    : OperationCanceledException("the call into Haxe code was cancelled", token)
{
    /// <summary>The call it unwinds: only that call's host boundary turns it into the host's exception.</summary>
    public CancellableCall Call { get; } = call;
}
