namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's condition variable and semaphore, shaped as Haxe 4.3's
/// <c>sys.thread.Condition</c> and <c>sys.thread.Semaphore</c>, with misuse (waiting or releasing
/// without the condition's lock, a negative or overflowing count) a Haxe exception that says so.
/// </summary>
internal static class HlSharpSync
{
    // ---- condition: a recursive lock with wait, signal and broadcast ----

    /// <summary>
    /// A monitor with a count of signals not yet taken: a waiter leaves only by taking one, and it
    /// checks for one after every slice of its wait, so a pulse it missed costs at most a slice.
    /// </summary>
    internal sealed class HaxeCondition
    {
        public readonly object Gate = new();

        /// <summary>Threads in <see cref="ConditionWait"/> (guarded by <see cref="Gate"/>).</summary>
        public int Waiters;

        /// <summary>Signals sent and not yet taken; never more than <see cref="Waiters"/> (guarded by <see cref="Gate"/>).</summary>
        public int Signals;
    }

    [HlNative("hlsharp", "condition_alloc")]
    public static HaxeCondition ConditionAlloc() => new();

    [HlNative("hlsharp", "condition_acquire")]
    public static void ConditionAcquire(NativeContext m, HaxeCondition c)
    {
        if (!Monitor.TryEnter(c.Gate))
        {
            m.Stop.Enter(c.Gate);
        }
    }

    [HlNative("hlsharp", "condition_try_acquire")]
    public static bool ConditionTryAcquire(HaxeCondition c) => Monitor.TryEnter(c.Gate);

    [HlNative("hlsharp", "condition_release")]
    public static void ConditionRelease(NativeContext m, HaxeCondition c)
    {
        RequireHeld(m, c, "release");
        Monitor.Exit(c.Gate);
    }

    [HlNative("hlsharp", "condition_wait")]
    public static void ConditionWait(NativeContext m, HaxeCondition c)
    {
        RequireHeld(m, c, "wait on");
        c.Waiters++;
        try
        {
            while (c.Signals == 0)
            {
                m.Stop.MonitorWait(c.Gate, Timeout.InfiniteTimeSpan);
            }

            c.Signals--;
        }
        finally
        {
            // A waiter the VM stopped leaves without its signal: keep no signal for nobody.
            c.Waiters--;
            c.Signals = Math.Min(c.Signals, c.Waiters);
        }
    }

    // Haxe 4.3 lets signal and broadcast run without the lock; a .NET pulse needs it, so take it for the pulse.
    [HlNative("hlsharp", "condition_signal")]
    public static void ConditionSignal(NativeContext m, HaxeCondition c) => Pulse(m, c, all: false);

    [HlNative("hlsharp", "condition_broadcast")]
    public static void ConditionBroadcast(NativeContext m, HaxeCondition c) => Pulse(m, c, all: true);

    private static void Pulse(NativeContext m, HaxeCondition c, bool all)
    {
        var held = Monitor.IsEntered(c.Gate);
        if (!held)
        {
            ConditionAcquire(m, c);
        }

        if (all)
        {
            c.Signals = c.Waiters;
            Monitor.PulseAll(c.Gate);
        }
        else if (c.Signals < c.Waiters)
        {
            c.Signals++;
            Monitor.Pulse(c.Gate);
        }

        if (!held)
        {
            Monitor.Exit(c.Gate);
        }
    }

    private static void RequireHeld(NativeContext m, HaxeCondition c, string what)
    {
        if (!Monitor.IsEntered(c.Gate))
        {
            throw m.Runtime.MakeError($"Can't {what} a Condition whose lock the current thread does not hold: call acquire() first");
        }
    }

    // ---- semaphore: a count of permits ----

    [HlNative("hlsharp", "semaphore_alloc")]
    public static SemaphoreSlim SemaphoreAlloc(NativeContext m, int value) =>
        value >= 0 ? new SemaphoreSlim(value) : throw m.Runtime.MakeError($"A Semaphore can't start with a negative count ({value})");

    [HlNative("hlsharp", "semaphore_acquire")]
    public static void SemaphoreAcquire(NativeContext m, SemaphoreSlim semaphore)
    {
        if (!semaphore.Wait(0))
        {
            m.Stop.Wait(semaphore, Timeout.InfiniteTimeSpan);
        }
    }

    // As Haxe 4.3: no timeout means do not wait.
    [HlNative("hlsharp", "semaphore_try_acquire")]
    public static bool SemaphoreTryAcquire(NativeContext m, SemaphoreSlim semaphore, object? timeoutSeconds)
    {
        if (semaphore.Wait(0))
        {
            return true;
        }

        var timeout = timeoutSeconds is null ? TimeSpan.Zero : WaitTimeouts.FromSeconds(timeoutSeconds);
        return timeout > TimeSpan.Zero && m.Stop.Wait(semaphore, timeout);
    }

    [HlNative("hlsharp", "semaphore_release")]
    public static void SemaphoreRelease(NativeContext m, SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            throw m.Runtime.MakeError("Can't release a Semaphore whose count is already the largest an Int holds");
        }
    }
}
