using HlSharp.Engine;

namespace HlSharp.Threading;

/// <summary>
/// Every thread running one VM's Haxe code, and why: the main (or dedicated) thread from
/// <c>RunEntry</c> to <c>Dispose</c>, the threads Haxe starts from before they run until they end,
/// host threads while registered (<c>EnterThread</c>, or one call when registration is automatic).
/// It runs the lifecycle hooks on the thread itself at the outermost registration and its end,
/// keeps each thread's <see cref="ThreadAdmission"/> right for the host call paths, tracks
/// <c>Blocking()</c> regions, and lets Dispose wait for the threads in Haxe code.
/// </summary>
internal sealed class ThreadRegistry
{
    /// <summary>How often <see cref="WaitForOthers"/> looks again: the direct host delegates end their calls without signalling.</summary>
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(2);

    private readonly object _lock = new();
    private readonly Dictionary<Thread, VmThread> _threads = [];
    private readonly IThreadEvents _events;
    private readonly bool _autoRegister;
    private HostGate? _gate;
    private int _starting;

    public ThreadRegistry(IThreadEvents events, bool autoRegister)
    {
        _events = events;
        _autoRegister = autoRegister;
    }

    /// <summary>The gate the VM's host calls check, which an admitted thread's <see cref="ThreadAdmission"/> names (set once loaded).</summary>
    public void Attach(HostGate gate) => _gate = gate;

    /// <summary>The calling thread, if the VM knows it.</summary>
    public VmThread? Current
    {
        get
        {
            lock (_lock)
            {
                return _threads.GetValueOrDefault(Thread.CurrentThread);
            }
        }
    }

    /// <summary>Whether a thread is inside a <c>Blocking()</c> region of this VM (Dispose and hot reload do not wait for it).</summary>
    public bool IsBlocking(Thread thread)
    {
        lock (_lock)
        {
            return _threads.TryGetValue(thread, out var known) && known.IsBlocking;
        }
    }

    /// <summary>The threads the VM knows now.</summary>
    public IReadOnlyList<VmThread> Snapshot()
    {
        lock (_lock)
        {
            return [.. _threads.Values];
        }
    }

    /// <summary>
    /// Registers the calling thread (nesting counts). The outermost registration makes the thread
    /// known, admits it to host calls and runs the <c>ThreadStarted</c> hooks, before it returns.
    /// </summary>
    public ThreadRegistration Register(VmThreadKind kind)
    {
        var current = Thread.CurrentThread;
        VmThread known;
        bool outermost;
        lock (_lock)
        {
            outermost = !_threads.TryGetValue(current, out known!);
            if (outermost)
            {
                known = new VmThread(current, kind);
                _threads.Add(current, known);
            }

            if (kind.StartedByVm())
            {
                // The thread was counted as starting (ExpectStart) and now counts as known.
                _starting--;
            }
        }

        var registration = new ThreadRegistration(this, known, kind);
        known.Push(registration);
        if (outermost)
        {
            Admit(known);
            _events.Started(known);
        }

        return registration;
    }

    /// <summary>
    /// Counts a thread the VM is about to start as running, so that a Dispose that comes before
    /// the thread registers still waits for it; the thread's <see cref="Register"/> ends the count
    /// (<see cref="CancelStart"/> does, if the thread could not start).
    /// </summary>
    public void ExpectStart()
    {
        lock (_lock)
        {
            _starting++;
        }
    }

    /// <summary>The thread <see cref="ExpectStart"/> counted did not start.</summary>
    public void CancelStart()
    {
        lock (_lock)
        {
            _starting--;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Ends a registration on its thread; the outermost one's end runs the <c>ThreadExiting</c> hooks, then forgets the thread.</summary>
    public void Unregister(ThreadRegistration registration) => End(registration, checkRunning: true);

    /// <summary>
    /// Ends the main thread's registration at Dispose, if Dispose runs on that thread and nothing
    /// registered after it is still open; a main thread that calls Dispose from inside Haxe code ends it too.
    /// </summary>
    public void EndMain(ThreadRegistration main)
    {
        if (!main.Ended && main.Thread.Thread == Thread.CurrentThread && main.Thread.InnermostRegistration == main)
        {
            End(main, checkRunning: false);
        }
    }

    /// <summary>
    /// Ends the registration of a thread the VM started, as its last act: registrations its Haxe
    /// code left open (a native's <c>EnterThread</c> never disposed) end with it, since nothing
    /// may escape the thread.
    /// </summary>
    public void EndStarted(ThreadRegistration registration)
    {
        var known = registration.Thread;
        while (known.InnermostRegistration is { } inner && inner != registration)
        {
            inner.Ended = true;
            known.Pop();
        }

        End(registration, checkRunning: false);
    }

    private void End(ThreadRegistration registration, bool checkRunning)
    {
        var known = registration.Thread;
        var current = Thread.CurrentThread;
        if (known.Thread != current)
        {
            throw HlThreadException.WrongThread(registration.Description, known.Thread, current);
        }

        if (registration.Ended)
        {
            throw HlThreadException.DisposedTwice(registration.Description, current);
        }

        if (known.InnermostRegistration != registration)
        {
            throw HlThreadException.OutOfOrder(registration.Description, current);
        }

        var outermost = known.Depth == 1;
        if (outermost && checkRunning && registration.Kind == VmThreadKind.Host && known.IsRunningHaxe)
        {
            throw HlThreadException.EndedInsideHaxe(current);
        }

        registration.Ended = true;
        if (!outermost)
        {
            known.Pop();
            return;
        }

        try
        {
            // The hooks run while the thread is still known: one that calls into Haxe code may.
            _events.Exiting(known);
        }
        finally
        {
            known.Pop();
            known.Admission.Gate = null;
            if (ThreadAdmission.Current == known.Admission)
            {
                ThreadAdmission.Current = null;
            }

            lock (_lock)
            {
                _threads.Remove(current);
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// The slow path of a host call's thread check (see <see cref="ThreadAdmission"/>): the
    /// calling thread's admission, cached as its current one; a registration for this call alone
    /// when registration is automatic; or the reason it may not call in.
    /// </summary>
    public ThreadAdmission AdmitCall(out IDisposable? autoRegistration)
    {
        autoRegistration = null;
        var current = Thread.CurrentThread;
        var known = Current;
        if (known is null)
        {
            if (!_autoRegister)
            {
                throw HlThreadException.NotRegistered(current);
            }

            var registration = Register(VmThreadKind.AutoRegistered);
            autoRegistration = registration;
            return registration.Thread.Admission;
        }

        if (known.IsBlocking)
        {
            throw HlThreadException.InsideBlocking(current);
        }

        // Known and admitted, but another VM's admission was this thread's current one.
        ThreadAdmission.Current = known.Admission;
        return known.Admission;
    }

    /// <summary>Opens a <c>Blocking()</c> region on the calling thread, which must be running this VM's Haxe code.</summary>
    public BlockingRegion EnterBlocking()
    {
        var current = Thread.CurrentThread;
        if (Current is not { IsRunningHaxe: true } known)
        {
            throw HlThreadException.BlockingOutsideHaxe(current);
        }

        var region = new BlockingRegion(this, known);
        known.PushBlocking(region);
        known.Admission.Gate = null;
        return region;
    }

    /// <summary>Ends a <c>Blocking()</c> region on its thread; the thread may call into Haxe code again once its last region ends.</summary>
    public void EndBlocking(BlockingRegion region)
    {
        const string What = "a vm.Blocking() region";
        var known = region.Thread;
        var current = Thread.CurrentThread;
        if (known.Thread != current)
        {
            throw HlThreadException.WrongThread(What, known.Thread, current);
        }

        if (region.Ended)
        {
            throw HlThreadException.DisposedTwice(What, current);
        }

        if (known.InnermostBlocking != region)
        {
            throw HlThreadException.OutOfOrder(What, current);
        }

        region.Ended = true;
        known.PopBlocking();
        if (!known.IsBlocking && known.Depth > 0)
        {
            Admit(known);
        }

        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }

        // Back in Haxe code once this returns: during a hot reload's pause, the thread parks here first.
        _gate?.ParkIfPaused();
    }

    /// <summary>Reports an exception no Haxe code caught on a thread the VM started (on that thread).</summary>
    public void ReportUncaught(VmThread thread, Exception exception) => _events.Uncaught(thread, exception);

    /// <summary>
    /// Waits until no thread but the caller runs this VM's Haxe code (threads in a <c>Blocking()</c>
    /// region excepted; threads the VM started count until they end), or the timeout passes;
    /// returns how many are left then.
    /// </summary>
    public int WaitForOthers(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var self = Thread.CurrentThread;
        lock (_lock)
        {
            while (true)
            {
                var others = _starting + _threads.Values.Count(t => t.Thread != self && !t.IsBlocking && (t.Kind.StartedByVm() || t.IsRunningHaxe));
                var left = deadline - DateTime.UtcNow;
                if (others == 0 || left <= TimeSpan.Zero)
                {
                    return others;
                }

                Monitor.Wait(_lock, left < RecheckInterval ? left : RecheckInterval);
            }
        }
    }

    private void Admit(VmThread known)
    {
        known.Admission.Gate = known.IsBlocking ? null : _gate;
        ThreadAdmission.Current = known.Admission;
    }
}
