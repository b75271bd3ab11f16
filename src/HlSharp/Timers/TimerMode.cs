namespace HlSharp.Timers;

/// <summary>How due callbacks run (the façade shows it as <c>HlTimerMode</c>, member for member).</summary>
internal enum TimerMode
{
    Threaded,
    Serialized,
    Pumped,
}
