namespace HlSharp.Engine;

/// <summary>
/// What the façade does for the delegates the engine emits for the host (<see cref="HostDelegates"/>):
/// the untyped call with conversions through the one conversion table, and the one exception mapping.
/// The engine states the need; the façade, which owns the conversion table and the public views, implements it.
/// </summary>
internal interface IHostCalls
{
    /// <summary>Calls a function index (or, when <paramref name="closure"/> is set, that Haxe closure) with host arguments, returning the result as <paramref name="returnType"/>.</summary>
    object? Invoke(int functionIndex, object? closure, object?[] arguments, Type returnType);

    /// <summary>Maps an exception that left Haxe code for the host; null when the program exited (<c>Sys.exit</c>) and the call returns a default result.</summary>
    Exception? Fail(Exception exception);

    /// <summary>The exception of a call made before <c>RunEntry</c> or after <c>Dispose</c>.</summary>
    Exception NotReady();

    /// <summary>
    /// The slow path of a call's thread check: the calling thread's admission when the VM knows
    /// it and it is not in a <c>Blocking()</c> region; a registration for this call alone
    /// (<paramref name="autoRegistration"/>, which the call ends by disposing it on the same thread)
    /// when the host turned on automatic registration; an <see cref="HlThreadException"/> otherwise.
    /// </summary>
    ThreadAdmission AdmitThread(out IDisposable? autoRegistration);
}

/// <summary>
/// The one object every host delegate of a VM holds. It is open once static initialisation has
/// run and until the VM is disposed; disposing drops the module and the façade, so a delegate the
/// host keeps after that holds nothing of the VM and throws <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class HostGate
{
    /// <summary>
    /// True while calls may enter (read by every emitted host delegate first): the VM is
    /// <see cref="Ready"/> and no hot reload's pause is on. When false, <see cref="AwaitOpen"/> decides.
    /// </summary>
    public volatile bool Open;

    private readonly Lock _lock = new();
    private volatile bool _ready;
    private volatile ReloadPause? _pause;
    private HlModule? _module;
    private IHostCalls? _calls;

    public HostGate(HlModule module, IHostCalls calls)
    {
        _module = module;
        _calls = calls;
    }

    /// <summary>What the façade does for delegates; throws once the VM is disposed.</summary>
    public IHostCalls Calls => _calls ?? throw Disposed();

    /// <summary>The entry address of a function, compiling it on first call.</summary>
    public nint EnsureCompiled(int functionIndex) => (_module ?? throw Disposed()).EnsureCompiled(functionIndex);

    /// <summary>True once static initialisation has run (or posted calls were let in) and until the VM is disposed, pause or not.</summary>
    public bool Ready => _ready;

    /// <summary>Lets calls in (ready) or keeps them out; a pause in progress keeps them waiting until it ends.</summary>
    public void SetReady(bool ready)
    {
        lock (_lock)
        {
            _ready = ready && _calls is not null;
            Open = _ready && _pause is null;
        }
    }

    /// <summary>Closes the gate for a hot reload's pause: calls that come meanwhile wait in <see cref="AwaitOpen"/> (parked) until <see cref="EndPause"/>.</summary>
    public void BeginPause(ReloadPause pause)
    {
        lock (_lock)
        {
            _pause = pause;
            Open = false;
        }
    }

    /// <summary>Opens the gate again as it was before the pause (before the pause releases its threads).</summary>
    public void EndPause()
    {
        lock (_lock)
        {
            _pause = null;
            Open = _ready;
        }
    }

    /// <summary>
    /// The slow path of the gate check: while a hot reload's pause is on, the calling thread parks
    /// in it (it counts as at a safe point) and goes on once it ends, into the new code; true
    /// when the call may enter then, false when the VM is not ready (the caller throws <see cref="NotReady"/>).
    /// The reloading thread itself passes.
    /// </summary>
    public bool AwaitOpen()
    {
        while (!Open)
        {
            if (_pause is not { } pause)
            {
                return Open;
            }

            if (pause.IsOwner)
            {
                return _ready;
            }

            pause.Attend();
        }

        return true;
    }

    /// <summary>Parks the calling thread while a hot reload's pause is on (a thread leaving a <c>Blocking()</c> region); the reloading thread passes.</summary>
    public void ParkIfPaused()
    {
        Interlocked.MemoryBarrier();
        _pause?.Attend();
    }

    /// <summary>The exception of a call that may not enter.</summary>
    public Exception NotReady() => _calls?.NotReady() ?? Disposed();

    /// <summary>Maps an exception that left Haxe code; null when the program exited.</summary>
    public Exception? Fail(Exception exception) => _calls is { } calls ? calls.Fail(exception) : exception;

    /// <summary>
    /// Admits the calling thread to a call into Haxe code and counts the call as running; the
    /// caller ends it with <see cref="EndCall"/> in a finally block. The emitted direct delegates
    /// inline the fast path (the thread's <see cref="ThreadAdmission.Current"/> names this gate).
    /// </summary>
    public ThreadAdmission BeginCall(out IDisposable? autoRegistration)
    {
        var admission = ThreadAdmission.CurrentField;
        if (admission is null || admission.Gate != this)
        {
            return AdmitSlow(out autoRegistration);
        }

        autoRegistration = null;
        admission.Running++;
        return admission;
    }

    /// <summary>The slow path of <see cref="BeginCall"/>: asks the façade's thread registry, then counts the call.</summary>
    public ThreadAdmission AdmitSlow(out IDisposable? autoRegistration)
    {
        var admission = (_calls ?? throw Disposed()).AdmitThread(out autoRegistration);
        admission.Running++;
        return admission;
    }

    /// <summary>The end of a call <see cref="BeginCall"/> or <see cref="AdmitSlow"/> began (a registration made for it ends too).</summary>
    public static void EndCall(ThreadAdmission admission, IDisposable? autoRegistration)
    {
        admission.Running--;
        autoRegistration?.Dispose();
    }

    /// <summary>Closes the gate for good and lets go of the VM.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _ready = false;
            Open = false;
        }

        _module = null;
        _calls = null;
    }

    private static ObjectDisposedException Disposed() => new("HlVm", "the VM this delegate or value belongs to was disposed");
}

/// <summary>What an untyped host delegate closes over: the gate, and the function or closure it calls.</summary>
internal sealed class HostCallTarget
{
    public HostCallTarget(HostGate gate, int functionIndex, object? closure)
    {
        Gate = gate;
        FunctionIndex = functionIndex;
        Closure = closure;
    }

    public readonly HostGate Gate;
    public readonly int FunctionIndex;
    public readonly object? Closure;
}
