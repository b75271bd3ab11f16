namespace HlSharp.Timers;

/// <summary>What the scheduler needs from the VM: running a callback, with its failures reported.</summary>
internal interface ITimerHost
{
    /// <summary>
    /// Runs the callback of <paramref name="entry"/> on the calling thread, and reports an
    /// exception it throws (the VM's <c>UnhandledException</c>); never throws.
    /// </summary>
    TimerOutcome Run(TimerEntry entry);
}

/// <summary>How a callback ended, which decides whether its timer goes on.</summary>
internal enum TimerOutcome
{
    /// <summary>It returned, and a repeating timer goes on.</summary>
    Continue,

    /// <summary>It returned false: a repeating timer stops (unless restarted during the call).</summary>
    StopRepeating,

    /// <summary>It threw (reported), or the program ended in it: the timer stops, whatever was asked during the call.</summary>
    Failed,
}
