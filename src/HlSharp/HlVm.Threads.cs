using HlSharp.Engine;
using HlSharp.Threading;

namespace HlSharp;

/// <summary>
/// The threading contract: every thread that runs Haxe code is known to the VM; a host thread
/// registers with <see cref="EnterThread"/> (or <see cref="HlVmOptions.AutoRegisterThreads"/>),
/// and a native marks a wait outside Haxe code with <see cref="Blocking"/>; the lifecycle hooks
/// run on the thread itself, before its first Haxe code and after its last.
/// </summary>
public sealed partial class HlVm
{
    private readonly ThreadRegistry _threads;
    private ThreadRegistration? _mainRegistration;

    /// <summary>
    /// Raised on a thread before any of its Haxe code runs: a thread Haxe code starts (before its
    /// function), a host thread at its outermost <see cref="EnterThread"/>, a thread registered
    /// automatically before its call, and the main thread at <see cref="RunEntry"/> (subscribe
    /// after loading; for a dedicated VM thread, in the <c>beforeEntry</c> callback of
    /// <see cref="StartOnDedicatedThread(string, HlVmOptions?, Action{HlVm}?)"/>). State a handler sets up for the thread (a <see cref="ThreadLocal{T}"/>)
    /// is there for the host natives Haxe code calls on it. A handler that throws is reported
    /// through <see cref="UnhandledException"/> and the thread goes on.
    /// </summary>
    public event EventHandler<HlThread>? ThreadStarted;

    /// <summary>
    /// Raised on a thread after its last Haxe code, with the <see cref="HlThread"/> its
    /// <see cref="ThreadStarted"/> received: a thread Haxe started when its function ends (also
    /// by an uncaught exception, <c>Sys.exit</c> or <see cref="Dispose"/>), a host thread when its
    /// outermost <see cref="EnterThread"/> handle is disposed, an automatically registered thread
    /// after its call, and the main thread in <see cref="Dispose"/> when Dispose is called on it
    /// (called on another thread, Dispose cannot run code on the main thread, and the main
    /// thread's handlers are not raised). A handler that throws is reported through
    /// <see cref="UnhandledException"/>.
    /// </summary>
    public event EventHandler<HlThread>? ThreadExiting;

    /// <summary>
    /// Raised, on the thread concerned, for an exception no code could catch: Haxe code on a
    /// thread the VM started threw and nothing caught it (the HashLink-style report is printed to
    /// the program's standard output as well, the thread ends, the program goes on), or a
    /// <see cref="ThreadStarted"/> or <see cref="ThreadExiting"/> handler threw. Neither ends
    /// the VM or the process. With no handler, a throwing hook is reported in one line on the
    /// program's standard error; so is a handler of this event that throws.
    /// </summary>
    public event EventHandler<HlUnhandledExceptionEventArgs>? UnhandledException;

    /// <summary>What the thread that runs <see cref="RunEntry"/> is: the main thread, or the VM's dedicated thread.</summary>
    internal HlThreadKind EntryThreadKind { get; set; } = HlThreadKind.Main;

    /// <summary>The registry of the threads running this VM's Haxe code (for tests that look inside, and later hot reload).</summary>
    internal ThreadRegistry Threads => _threads;

    /// <summary>
    /// Registers the calling thread with the VM until the returned handle is disposed, so that it
    /// may call into Haxe code (typed delegates, <see cref="CallStatic(string, string, object?[])"/>,
    /// methods of the views). Registrations nest and count; only the outermost raises
    /// <see cref="ThreadStarted"/>, and the end of the outermost raises <see cref="ThreadExiting"/>.
    /// Dispose the handle on the same thread, once, innermost first, and not from inside Haxe code
    /// (a native); anything else throws <see cref="HlThreadException"/>. A thread Haxe code
    /// started, and the thread that ran <see cref="RunEntry"/>, are known already. Reading and
    /// writing values through the views (<see cref="HlObject.Get{T}"/>, <see cref="HlClass.Set"/>,
    /// <see cref="HlArray{T}"/>, <see cref="HlMap{TKey, TValue}"/>) runs no Haxe code and needs no registration.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The VM was disposed.</exception>
    public IDisposable EnterThread()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _threads.Register(VmThreadKind.Host);
    }

    /// <summary>
    /// Marks, inside a host native called from Haxe code, a stretch where the thread waits outside
    /// Haxe code (a socket read, a wait on a host event): until the returned region is disposed,
    /// <see cref="Dispose"/> does not wait for this thread, and a call into Haxe code from it is
    /// refused with <see cref="HlThreadException"/>. Regions nest; dispose each on the same thread,
    /// once, innermost first.
    /// </summary>
    /// <exception cref="HlThreadException">The calling thread is not running this VM's Haxe code.</exception>
    public IDisposable Blocking() => _threads.EnterBlocking();

    private void RegisterEntryThread() => _mainRegistration ??= _threads.Register((VmThreadKind)EntryThreadKind);

    private void EndEntryThread()
    {
        if (_mainRegistration is { } main)
        {
            _threads.EndMain(main);
        }
    }

    private static HlThread ViewOf(VmThread thread) =>
        (HlThread)(thread.HostView ??= new HlThread(thread.Thread, (HlThreadKind)thread.Kind));

    private void RaiseLifecycle(EventHandler<HlThread>? handlers, VmThread thread, HlUnhandledExceptionSource source)
    {
        if (handlers is not null)
        {
            var view = ViewOf(thread);
            RaiseEach(handlers, view, view, source);
        }
    }

    /// <summary>Raises a hook, each handler on its own: one that throws is reported (as <paramref name="source"/>, on <paramref name="thread"/>) and the others still run.</summary>
    private void RaiseEach<T>(EventHandler<T> handlers, T args, HlThread thread, HlUnhandledExceptionSource source)
    {
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // A hook's exception is reported, never allowed to end the thread or the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ReportUnhandled(new HlUnhandledExceptionEventArgs(e, thread, source), reportIfUnheard: true);
            }
        }
    }

    /// <summary>The calling thread as hooks see it: its VM view when the VM knows it, else a host thread.</summary>
    private HlThread CurrentThreadView() => _threads.Current is { } known ? ViewOf(known) : new HlThread(Thread.CurrentThread, HlThreadKind.Host);

    private void ReportUnhandled(HlUnhandledExceptionEventArgs args, bool reportIfUnheard)
    {
        var handlers = UnhandledException;
        if (handlers is null)
        {
            if (reportIfUnheard)
            {
                WriteErrorLine($"HlSharp: a {args.Source} on {args.Thread} threw {args.Exception.GetType().Name}: {args.Exception.Message}");
            }

            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<HlUnhandledExceptionEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // The last line of defence: nothing a handler throws may end the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                WriteErrorLine($"HlSharp: an UnhandledException handler threw {e.GetType().Name} ({e.Message}) while reporting {args.Exception.GetType().Name} on {args.Thread}");
            }
        }
    }

    /// <summary>One line on the program's standard error, or the process's once the VM has released its streams.</summary>
    private void WriteErrorLine(string line)
    {
        try
        {
            lock (_context.Error)
            {
                _context.Error.WriteLine(line);
            }
        }
        catch (ObjectDisposedException)
        {
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>What the thread registry tells the façade.</summary>
    private sealed class ThreadEvents(HlVm vm) : IThreadEvents
    {
        public void Started(VmThread thread) => vm.RaiseLifecycle(vm.ThreadStarted, thread, HlUnhandledExceptionSource.ThreadStartedHandler);

        public void Exiting(VmThread thread) => vm.RaiseLifecycle(vm.ThreadExiting, thread, HlUnhandledExceptionSource.ThreadExitingHandler);

        public void Uncaught(VmThread thread, Exception exception) =>
            vm.ReportUnhandled(new HlUnhandledExceptionEventArgs(vm.MapFailure(exception) ?? exception, ViewOf(thread), HlUnhandledExceptionSource.HaxeThread), reportIfUnheard: false);
    }
}
