namespace HlSharp.Timers;

/// <summary>What a timer waits for, and whether it repeats.</summary>
internal enum TimerKind
{
    /// <summary>Fires once, a delay after it was added.</summary>
    After,

    /// <summary>Fires every interval.</summary>
    Every,

    /// <summary>Fires once, a number of frames after it was added.</summary>
    AfterFrames,

    /// <summary>Fires every number of frames.</summary>
    EveryFrames,
}

/// <summary>What a timer's kind means.</summary>
internal static class TimerKinds
{
    public static bool Repeats(this TimerKind kind) => kind is TimerKind.Every or TimerKind.EveryFrames;

    public static bool CountsFrames(this TimerKind kind) => kind is TimerKind.AfterFrames or TimerKind.EveryFrames;
}
