namespace HlSharp;

/// <summary>What raised an <see cref="HlVm.UnhandledException"/>.</summary>
public enum HlUnhandledExceptionSource
{
    /// <summary>Haxe code on a thread the VM started threw an exception nothing caught; the thread ended, the program goes on.</summary>
    HaxeThread,

    /// <summary>A <see cref="HlVm.ThreadStarted"/> handler threw; the thread goes on.</summary>
    ThreadStartedHandler,

    /// <summary>A <see cref="HlVm.ThreadExiting"/> handler threw; the thread still ends.</summary>
    ThreadExitingHandler,

    /// <summary>A timer callback (of <see cref="HlVm.Timers"/>, C# or Haxe) threw; its timer stopped, the others go on.</summary>
    TimerCallback,

    /// <summary>
    /// The initialiser of a static variable a reload added threw: the reload stays applied (every
    /// new body is in place) and that static keeps what the initialiser had set, its default if nothing.
    /// </summary>
    ReloadInitializer,

    /// <summary>A <see cref="HlVm.Reloaded"/> handler threw; the reload's result stands and the call that made it returns it.</summary>
    ReloadedHandler,
}

/// <summary>An exception that no code could catch, reported by <see cref="HlVm.UnhandledException"/>.</summary>
public sealed class HlUnhandledExceptionEventArgs : EventArgs
{
    internal HlUnhandledExceptionEventArgs(Exception exception, HlThread thread, HlUnhandledExceptionSource source)
    {
        Exception = exception;
        Thread = thread;
        Source = source;
    }

    /// <summary>
    /// The exception: an <see cref="HlHaxeException"/> (or another <see cref="HlException"/>) for
    /// Haxe code, as a host call would see it; the handler's own exception for a hook.
    /// </summary>
    public Exception Exception { get; }

    /// <summary>The thread it happened on (the handler runs on that thread).</summary>
    public HlThread Thread { get; }

    /// <summary>What raised it.</summary>
    public HlUnhandledExceptionSource Source { get; }
}
