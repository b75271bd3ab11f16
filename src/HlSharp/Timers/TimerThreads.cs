using HlSharp.Threading;

namespace HlSharp.Timers;

/// <summary>
/// The threads that fire timers, all started on first need and known to the VM as timer
/// threads (announced to its lifecycle hooks, waited for by its Dispose): one dispatcher, which
/// waits for due times and runs serialized callbacks itself, and the pool it hands threaded
/// callbacks to.
/// </summary>
internal sealed class TimerThreads
{
    private readonly TimerScheduler _scheduler;
    private readonly ThreadRegistry _registry;
    private readonly int _stackSize;
    private readonly object _lock = new();
    private bool _dispatcherStarted;
    private bool _closed;

    public TimerThreads(TimerScheduler scheduler, ThreadRegistry registry, int stackSize)
    {
        _scheduler = scheduler;
        _registry = registry;
        _stackSize = stackSize;
        Pool = new TimerWorkerPool(scheduler, this);
    }

    public TimerWorkerPool Pool { get; }

    /// <summary>Starts the dispatcher, once.</summary>
    public void EnsureDispatcher()
    {
        lock (_lock)
        {
            if (_dispatcherStarted || _closed)
            {
                return;
            }

            _dispatcherStarted = true;
        }

        Start("hlsharp timer dispatcher", _scheduler.Dispatch);
    }

    /// <summary>Ends the threads once their callbacks return (the scheduler is closed already, so the dispatcher's loop ends).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        Pool.Close();
    }

    /// <summary>Starts a timer thread: registered with the VM from before it starts until its loop has ended and its exit hooks have run.</summary>
    public void Start(string name, Action loop)
    {
        var thread = new Thread(() => Run(loop), _stackSize) { IsBackground = true, Name = name };
        _registry.ExpectStart();
        try
        {
            thread.Start();
        }
        catch
        {
            _registry.CancelStart();
            throw;
        }
    }

    private void Run(Action loop)
    {
        var registration = _registry.Register(VmThreadKind.Timer);
        try
        {
            loop();
        }
        finally
        {
            _registry.EndStarted(registration);
        }
    }
}

/// <summary>
/// The pool threads of threaded mode: a queue of timers handed over by the dispatcher, and up
/// to <see cref="MaxThreads"/> threads taking from it, each started when a timer is handed over
/// and no thread is idle. A callback that blocks holds its thread; others go on on the rest.
/// </summary>
internal sealed class TimerWorkerPool(TimerScheduler scheduler, TimerThreads threads)
{
    /// <summary>How many callbacks may run at once: enough for the cores, and for a few that block.</summary>
    public static readonly int MaxThreads = Math.Max(4, Environment.ProcessorCount);

    private readonly object _lock = new();
    // Made by the first timer handed over: a VM whose timers never run threaded (most) does not
    // JIT-compile this queue's code (no ReadyToRun code exists for it over this tuple).
    private Queue<(TimerEntry Entry, long Ticket)>? _queue;
    private int _threads;
    private int _idle;
    private bool _closed;

    /// <summary>Hands a due timer to a pool thread (called by the dispatcher, with the scheduler's lock held; this lock is taken only inside it).</summary>
    public void Post(TimerEntry entry, long ticket)
    {
        bool startThread;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            (_queue ??= new()).Enqueue((entry, ticket));
            startThread = _idle == 0 && _threads < MaxThreads;
            if (startThread)
            {
                _threads++;
            }
            else
            {
                Monitor.Pulse(_lock);
            }
        }

        if (startThread)
        {
            threads.Start("hlsharp timer pool", Work);
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _queue?.Clear();
            Monitor.PulseAll(_lock);
        }
    }

    private void Work()
    {
        while (Take() is { } next)
        {
            scheduler.RunDispatched(next.Entry, next.Ticket);
        }
    }

    private (TimerEntry Entry, long Ticket)? Take()
    {
        lock (_lock)
        {
            while (_queue is not { Count: > 0 })
            {
                if (_closed)
                {
                    return null;
                }

                _idle++;
                Monitor.Wait(_lock);
                _idle--;
            }

            return _queue.Dequeue();
        }
    }
}
