namespace HlSharp;

/// <summary>How the callbacks of <see cref="HlVm.Timers"/> run when they are due.</summary>
public enum HlTimerMode
{
    /// <summary>
    /// In parallel, on the VM's timer pool threads (known to the VM, announced to
    /// <see cref="HlVm.ThreadStarted"/> as <see cref="HlThreadKind.Timer"/>): a slow callback
    /// holds up only itself. Callbacks that share state must synchronise.
    /// </summary>
    Threaded,

    /// <summary>One at a time, in due order, on one timer thread of the VM (the default): callbacks never overlap each other, but they run alongside the host's threads.</summary>
    Serialized,

    /// <summary>
    /// On the host's thread: due callbacks wait until the host calls <see cref="HlVm.Update"/> or
    /// <see cref="HlTimers.Pump(TimeSpan)"/>, and run inside that call, one at a time.
    /// </summary>
    Pumped,
}
