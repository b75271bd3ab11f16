using HlSharp.Natives;

namespace HlSharp;

/// <summary>The host-owned loop: <see cref="Update"/> runs one frame of the main thread's Haxe event loop.</summary>
public sealed partial class HlVm
{
    private Thread? _entryThread;
    private MainEventLoop? _mainLoop;
    private bool _updating;

    private MainEventLoop MainLoop => _mainLoop ??= new MainEventLoop(_module, _natives);

    /// <summary>
    /// Runs one frame of the main thread's Haxe event loop: the <c>haxe.Timer</c> callbacks that
    /// are due, the <c>haxe.MainLoop</c> callbacks, and the events posted with
    /// <c>Thread.current().events.run</c> or <c>MainLoop.runInMainThread</c> (from any thread),
    /// each once. Events that a callback adds run in the next frame. Then it counts a frame of
    /// <see cref="Timers"/> and, in <see cref="HlTimerMode.Pumped"/> mode, runs their due callbacks. It never waits: call it from
    /// the host's loop, or when <see cref="TimeUntilNextWork"/> says something is due. Call it on
    /// the thread that ran <see cref="RunEntry"/>, which Haxe code knows as its main thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <see cref="RunEntry"/> has not run, this is not the thread that ran it, or a Haxe callback
    /// called <see cref="Update"/> again.
    /// </exception>
    /// <exception cref="NotSupportedException">The program's event loop is not the one of Haxe 4.2.5's standard library, which HlSharp drives.</exception>
    /// <exception cref="HlHaxeException">A callback threw an exception that nothing caught (the frame's later callbacks do not run).</exception>
    /// <exception cref="HlMissingNativeException">A callback called a native HlSharp does not provide.</exception>
    /// <exception cref="HlCompileException">A callback's bytecode cannot be compiled.</exception>
    public void Update()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_entryThread is null)
        {
            throw new InvalidOperationException("Update runs the program's event loop, which exists once RunEntry has run; call RunEntry first.");
        }

        if (_entryThread != Thread.CurrentThread)
        {
            throw new InvalidOperationException(
                $"Update runs the main thread's event loop, so it must be called on the thread that ran RunEntry " +
                $"(managed thread {_entryThread.ManagedThreadId}{ThreadName(_entryThread)}), not on managed thread " +
                $"{Environment.CurrentManagedThreadId}{ThreadName(Thread.CurrentThread)}.");
        }

        if (_updating)
        {
            throw new InvalidOperationException("Update was called from inside Update (by a Haxe callback); the event loop does not run re-entrantly.");
        }

        if (ExitCode is not null)
        {
            // The program has called Sys.exit: it runs no more Haxe code.
            return;
        }

        ThrowIfUnsupported();

        // A rebuild the watcher found is applied before the frame, never in the middle of one.
        ApplyDueReload();
        _updating = true;
        try
        {
            RunHaxe(() => MainLoop.Progress(), ownsStackRange: true);
        }
        finally
        {
            try
            {
                // The frame counts, and pumped timers run, even when an event-loop callback threw.
                Timers.OnUpdate();
            }
            finally
            {
                _updating = false;
            }
        }
    }

    /// <summary>
    /// Whether the main thread's event loop has work left: an event posted and not yet run, a
    /// timer or <c>haxe.MainLoop</c> callback not stopped, or an event promised by a thread
    /// (<c>MainLoop.addThread</c>). Under <c>hl</c> (and with <see cref="HlVmOptions.RunEventLoop"/>)
    /// the program ends when this becomes false. False before <see cref="RunEntry"/> and after
    /// the program called <c>Sys.exit</c>. Any thread may read it.
    /// </summary>
    public bool HasPendingWork => ReadLoop().Pending;

    /// <summary>
    /// How long until the main thread's event loop has something to run: <see cref="TimeSpan.Zero"/>
    /// when an event is waiting or a timer or <c>haxe.MainLoop</c> callback is due, the time to
    /// the earliest timer otherwise (on <see cref="HlVmOptions.Clock"/>, which also decides which
    /// timers <see cref="Update"/> finds due), and null when nothing is scheduled (there may still be
    /// pending work, an event a thread promised to post, as <see cref="HasPendingWork"/> says).
    /// Any thread may read it. Pumped <see cref="Timers"/> are not counted here (they are the
    /// host's, not the program's): a host loop that sleeps until the next work also reads
    /// <see cref="HlTimers.TimeUntilNextDue"/>.
    /// </summary>
    public TimeSpan? TimeUntilNextWork => ReadLoop().Next;

    private (bool Pending, TimeSpan? Next) ReadLoop()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_entryThread is null || ExitCode is not null)
        {
            return (false, null);
        }

        ThrowIfUnsupported();
        return MainLoop.Peek();
    }

    private void ThrowIfUnsupported()
    {
        if (MainLoop.Unsupported is { } reason)
        {
            throw new NotSupportedException(reason);
        }
    }

    private static string ThreadName(Thread thread) => thread.Name is { } name ? $" '{name}'" : string.Empty;
}
