using System.Runtime.CompilerServices;

namespace HlSharp.Engine;

/// <summary>
/// The check every compiled function starts with, which is both its stack check and its
/// safe-point poll (the "stack limit poisoning" of V8 and JVMs). Compiled code compares the
/// address of one of its locals with <see cref="Limit"/>, the calling thread's limit, read from a
/// thread static (an inlined TLS read); at or below it, <see cref="Arrive(nuint, HlModule)"/> runs.
/// That slow path checks the stack for real (a short stack throws
/// <see cref="InsufficientExecutionStackException"/>, which Haxe code sees as <c>Stack overflow</c>),
/// moves the limit <see cref="Stride"/> below the point just checked, and attends to the VM.
/// To make every call take the slow path, <see cref="RaiseAttention"/> sets the limit of every
/// thread to the highest address (poisons it) until the last reason is lowered; the VMs' stop
/// flags then say which VM is asked. So the entry poll costs nothing the stack check did not
/// already cost, and the stack check is one compare instead of a call.
/// <para>
/// A thread-static read is a call on some platforms (<c>__tls_get_addr</c> on Linux), a tenth of
/// a short call's cost. So one thread at a time, the owner (a program's main thread in
/// <c>RunEntry</c> or <c>Update</c>, <see cref="TryOwn"/>), is checked against two plain
/// statics instead: a probe strictly between <see cref="OwnerLow"/> and <see cref="OwnerTop"/>
/// lies in the owner's own stack above its checked limit, whichever thread compares. Any other
/// probe goes on to the thread-static limit.
/// The owner's range is published by its own slow path and withdrawn before its call returns,
/// so it never outlives the stack it describes (a later thread may reuse those addresses).
/// </para>
/// </summary>
internal static class StackGuard
{
    /// <summary>
    /// How far below a point the full check found enough stack (at least 128 KB on 64-bit .NET)
    /// the next full check comes: every function starts with at least 96 KB left, and only a
    /// thread reaching a new depth pays for the full check.
    /// </summary>
    private const uint Stride = 32 * 1024;

    private static readonly List<WeakReference<ThreadLimit>> s_threads = [];
    private static int s_attention;

    [ThreadStatic]
    private static ThreadLimit? t_limit;

    private static ThreadLimit? s_owner;
    private static nuint s_ownerLow = nuint.MaxValue;
    private static nuint s_ownerTop;

    /// <summary>The owner's checked limit: a probe above it and below <see cref="OwnerTop"/> has stack enough; the highest address when there is no owner or attention is raised.</summary>
    public static nuint OwnerLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_ownerLow;
    }

    /// <summary>Just above the highest probe the owner's slow path saw (zero when there is no owner).</summary>
    public static nuint OwnerTop
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_ownerTop;
    }

    /// <summary>The calling thread's limit: the highest address when unset, so the first call takes the slow path.</summary>
    public static nuint Limit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_limit is { } limit ? limit.Current : nuint.MaxValue;
    }

    /// <summary>The slow path of compiled code with safe-point polls: checks the stack at <paramref name="here"/>, then attends to the module's VM if asked.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Arrive(nuint here, HlModule module)
    {
        Check(here);
        if (module.Vm.Stop.IsAttentionRaised)
        {
            module.AtSafePoint();
        }
    }

    /// <summary>
    /// The slow path without polls (and the first part of <see cref="Arrive(nuint, HlModule)"/>):
    /// throws <see cref="InsufficientExecutionStackException"/> when the stack at
    /// <paramref name="here"/> is short, else lowers the thread's limit below it if needed and
    /// restores it unless attention is raised.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Check(nuint here)
    {
        var limit = t_limit ??= Register();
        if (here <= limit.Checked)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            limit.Checked = here > Stride ? here - Stride : 0;
        }

        // Restore, then look again: a RaiseAttention that this read misses poisons after the write.
        Volatile.Write(ref limit.Current, limit.Checked);
        if (ReferenceEquals(Volatile.Read(ref s_owner), limit))
        {
            // The top first: until the new low is out, the range stays within what was published.
            if (here >= s_ownerTop)
            {
                Volatile.Write(ref s_ownerTop, here + 1);
            }

            Volatile.Write(ref s_ownerLow, limit.Checked);
        }

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref s_attention) != 0)
        {
            Volatile.Write(ref limit.Current, nuint.MaxValue);
            Volatile.Write(ref s_ownerLow, nuint.MaxValue);
        }
    }

    /// <summary>
    /// Makes the calling thread the owner when there is none, until <see cref="Disown"/> on the
    /// same thread, which the caller must reach before its stack unwinds past this call (a
    /// finally block). False when another thread owns, or this one already does (a nested call).
    /// </summary>
    public static bool TryOwn()
    {
        var limit = t_limit ??= Register();
        if (Interlocked.CompareExchange(ref s_owner, limit, null) is not null)
        {
            return false;
        }

        // Send the next call to the slow path, which publishes the range.
        Volatile.Write(ref limit.Current, nuint.MaxValue);
        return true;
    }

    /// <summary>Withdraws the calling thread's range and ownership (after a <see cref="TryOwn"/> that returned true).</summary>
    public static void Disown()
    {
        Volatile.Write(ref s_ownerLow, nuint.MaxValue);
        Volatile.Write(ref s_ownerTop, 0);
        Volatile.Write(ref s_owner, null);
    }

    /// <summary>One more reason for every thread's next call to take the slow path (a VM's stop flag was raised).</summary>
    public static void RaiseAttention()
    {
        Interlocked.Increment(ref s_attention);
        Volatile.Write(ref s_ownerLow, nuint.MaxValue);
        lock (s_threads)
        {
            foreach (var weak in s_threads)
            {
                if (weak.TryGetTarget(out var limit))
                {
                    Volatile.Write(ref limit.Current, nuint.MaxValue);
                }
            }
        }
    }

    /// <summary>The matching end of <see cref="RaiseAttention"/>; each poisoned thread restores its own limit at its next slow path.</summary>
    public static void LowerAttention() => Interlocked.Decrement(ref s_attention);

    private static ThreadLimit Register()
    {
        var limit = new ThreadLimit();
        lock (s_threads)
        {
            if (s_threads.Count >= 64 && (s_threads.Count & (s_threads.Count - 1)) == 0)
            {
                // Threads come and go: drop the ended ones whenever the list doubles.
                s_threads.RemoveAll(static weak => !weak.TryGetTarget(out _));
            }

            s_threads.Add(new WeakReference<ThreadLimit>(limit));
        }

        return limit;
    }

    /// <summary>One thread's limits; only <see cref="Current"/> is written by other threads.</summary>
    private sealed class ThreadLimit
    {
        /// <summary>What compiled code compares with: <see cref="Checked"/>, or the highest address while poisoned.</summary>
        public nuint Current = nuint.MaxValue;

        /// <summary>The address below which the stack was not checked yet (the highest address until the first check).</summary>
        public nuint Checked = nuint.MaxValue;
    }
}
