namespace HlSharp.Timers;

/// <summary>
/// What a timer calls: a C# delegate, or a Haxe closure (the natives make those). The scheduler
/// never calls it itself: <see cref="ITimerHost.Run"/> does, so that Haxe code runs through the
/// VM's one host-call path and every failure is reported in one place.
/// </summary>
internal abstract class TimerHandler
{
    /// <summary>The handler's name, for <c>Dump</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether calling it runs Haxe code (which a thread must be admitted to run).</summary>
    public abstract bool RunsHaxeCode { get; }

    /// <summary>Whether this callback is <paramref name="handler"/>, the value a user passes to stop every timer with it.</summary>
    public abstract bool Matches(object handler);

    /// <summary>Calls it; false when a repeating timer's callback asks to stop.</summary>
    public abstract bool Invoke();
}

/// <summary>A C# callback: an <see cref="Action"/>, or a <see cref="Func{Boolean}"/> that returns false to stop repeating.</summary>
internal sealed class HostTimerHandler : TimerHandler
{
    private readonly Delegate _handler;

    public HostTimerHandler(Action handler) => _handler = handler;

    public HostTimerHandler(Func<bool> handler) => _handler = handler;

    public override string Name => _handler.Method.DeclaringType is { } type ? $"{type.Name}.{_handler.Method.Name}" : _handler.Method.Name;

    public override bool RunsHaxeCode => false;

    public override bool Matches(object handler) => _handler.Equals(handler);

    public override bool Invoke()
    {
        if (_handler is Func<bool> keepGoing)
        {
            return keepGoing();
        }

        ((Action)_handler)();
        return true;
    }
}
