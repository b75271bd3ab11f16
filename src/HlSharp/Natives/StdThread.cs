using HlSharp.Runtime;
using HlSharp.Threading;

namespace HlSharp.Natives;

/// <summary>
/// Threads and their primitives (HashLink's <c>std/thread.c</c>) on .NET's: a Haxe thread is a
/// .NET thread known to the VM, mutexes are recursive monitors, <c>Lock</c> is a counting
/// semaphore, <c>Deque</c> a monitor-guarded list, <c>Tls</c> a <see cref="ThreadLocal{T}"/>.
/// </summary>
internal static class StdThread
{
    /// <summary>Threads Haxe code starts get as much stack as the main thread of <c>hlsharp run</c>.</summary>
    private const int ThreadStackSize = HlVm.ThreadStackSize;

    /// <summary>A thread's identity as Haxe sees it (<c>sys.thread.Thread</c>'s handle); one per thread, so handles compare by reference.</summary>
    internal sealed class ThreadHandle
    {
        public string? Name { get; set; }
    }

    [HlNative("std", "thread_current")]
    public static ThreadHandle Current(NativeContext m) => m.CurrentThreadHandle;

    [HlNative("std", "thread_create")]
    public static ThreadHandle Create(NativeContext m, HlClosure callback)
    {
        var handle = new ThreadHandle();
        Start(m, handle, () => m.Runtime.CallDynamic(callback, []));
        return handle;
    }

    /// <summary>
    /// Starts a Haxe thread: the one way every native starts a .NET thread that runs Haxe code.
    /// The VM knows the thread from before it starts until <paramref name="body"/> has ended and
    /// its exit hooks have run; on the thread, the <c>ThreadStarted</c> hooks run before
    /// <paramref name="body"/> and the <c>ThreadExiting</c> hooks after it, however it ends.
    /// <c>Sys.exit</c> in it stops the VM, an exception nothing caught is reported (printed, and
    /// raised as the VM's <c>UnhandledException</c>; the program goes on), and a thread of a VM
    /// being disposed ends quietly. Nothing escapes to the host process.
    /// </summary>
    public static Thread Start(NativeContext m, ThreadHandle handle, Action body, VmThreadKind kind = VmThreadKind.Haxe)
    {
        var thread = new Thread(() => RunThread(m, handle, body, kind), ThreadStackSize) { IsBackground = true, Name = "haxe thread" };
        m.Threads.ExpectStart();
        try
        {
            thread.Start();
        }
        catch
        {
            m.Threads.CancelStart();
            throw;
        }

        return thread;
    }

    private static void RunThread(NativeContext m, ThreadHandle handle, Action body, VmThreadKind kind)
    {
        m.CurrentThreadHandle = handle;
        var registration = m.Threads.Register(kind);
        var admission = registration.Thread.Admission;
        admission.Running++;
        try
        {
            body();
        }
        catch (HaxeExit exit)
        {
            m.RequestExit(exit.Code);
        }
#pragma warning disable CA1031 // A disposed VM's thread ends quietly, whatever its last Haxe code hit.
        catch (Exception) when (m.Stop.IsDisposing)
#pragma warning restore CA1031
        {
        }
#pragma warning disable CA1031 // Nothing may escape a thread the VM started: it would end the host process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // As HashLink does: report the uncaught exception; the thread ends, the program goes on.
            m.ReportUncaught(e);
            m.Threads.ReportUncaught(registration.Thread, e);
        }
        finally
        {
            admission.Running--;
            m.Threads.EndStarted(registration);
        }
    }

    [HlNative("std", "thread_set_name")]
    public static void SetName(ThreadHandle thread, HlBytes name) => thread.Name = name.ReadUtf8Terminated();

    [HlNative("std", "thread_get_name")]
    public static HlBytes? GetName(ThreadHandle thread) => thread.Name is { } name ? HlBytes.FromUtf8(name) : null;

    // ---- mutex: recursive, released by the thread that holds it; a VM lock, so deadlock detection sees it ----

    [HlNative("std", "mutex_alloc")]
    public static VmLock MutexAlloc(NativeContext m, bool gcThread)
    {
        _ = gcThread;
        return m.ThreadLibrary.NewMutex();
    }

    [HlNative("std", "mutex_acquire")]
    public static void MutexAcquire(NativeContext m, VmLock mutex) => mutex.Acquire(m);

    [HlNative("std", "mutex_try_acquire")]
    public static bool MutexTryAcquire(NativeContext m, VmLock mutex) => mutex.TryAcquire(m, TimeSpan.Zero);

    [HlNative("std", "mutex_release")]
    public static void MutexRelease(NativeContext m, VmLock mutex) => mutex.Release(m);

    [HlNative("std", "mutex_free")]
    public static void MutexFree(VmLock mutex) => _ = mutex;

    // ---- lock: release adds one permit, wait takes one ----

    [HlNative("std", "lock_create")]
    public static SemaphoreSlim LockCreate() => new(0);

    [HlNative("std", "lock_release")]
    public static void LockRelease(SemaphoreSlim handle) => handle.Release();

    [HlNative("std", "lock_wait")]
    public static bool LockWait(NativeContext m, SemaphoreSlim handle, object? timeoutSeconds) => Wait(m, handle, timeoutSeconds);

    private static bool Wait(NativeContext m, SemaphoreSlim semaphore, object? timeoutSeconds)
    {
        if (timeoutSeconds is null)
        {
            return m.Stop.Wait(semaphore, Timeout.InfiniteTimeSpan);
        }

        var seconds = RuntimeOps.DynToDouble(timeoutSeconds);
        return m.Stop.Wait(semaphore, seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds));
    }

    // ---- semaphore ----

    [HlNative("std", "semaphore_alloc")]
    public static SemaphoreSlim SemaphoreAlloc(int value) => new(Math.Max(value, 0));

    [HlNative("std", "semaphore_acquire")]
    public static void SemaphoreAcquire(NativeContext m, SemaphoreSlim semaphore) => m.Stop.Wait(semaphore, Timeout.InfiniteTimeSpan);

    [HlNative("std", "semaphore_try_acquire")]
    public static bool SemaphoreTryAcquire(NativeContext m, SemaphoreSlim semaphore, object? timeoutSeconds) =>
        timeoutSeconds is null ? semaphore.Wait(0) : Wait(m, semaphore, timeoutSeconds);

    [HlNative("std", "semaphore_release")]
    public static void SemaphoreRelease(SemaphoreSlim semaphore) => semaphore.Release();

    [HlNative("std", "semaphore_free")]
    public static void SemaphoreFree(SemaphoreSlim semaphore) => semaphore.Dispose();

    // ---- condition: a monitor with wait and signal ----

    internal sealed class Condition
    {
        public readonly object Gate = new();
    }

    [HlNative("std", "condition_alloc")]
    public static Condition ConditionAlloc() => new();

    [HlNative("std", "condition_acquire")]
    public static void ConditionAcquire(NativeContext m, Condition c) => m.Stop.Enter(c.Gate);

    [HlNative("std", "condition_try_acquire")]
    public static bool ConditionTryAcquire(Condition c) => Monitor.TryEnter(c.Gate);

    [HlNative("std", "condition_release")]
    public static void ConditionRelease(Condition c) => Monitor.Exit(c.Gate);

    [HlNative("std", "condition_wait")]
    public static void ConditionWait(NativeContext m, Condition c) => m.Stop.MonitorWait(c.Gate, Timeout.InfiniteTimeSpan);

    [HlNative("std", "condition_timed_wait")]
    public static bool ConditionTimedWait(NativeContext m, Condition c, double seconds) => m.Stop.MonitorWait(c.Gate, TimeSpan.FromSeconds(Math.Max(seconds, 0)));

    [HlNative("std", "condition_signal")]
    public static void ConditionSignal(Condition c) => Monitor.Pulse(c.Gate);

    [HlNative("std", "condition_broadcast")]
    public static void ConditionBroadcast(Condition c) => Monitor.PulseAll(c.Gate);

    // ---- tls ----

    [HlNative("std", "tls_alloc")]
    public static ThreadLocal<object?> TlsAlloc(bool gcValue)
    {
        _ = gcValue;
        return new ThreadLocal<object?>();
    }

    [HlNative("std", "tls_get")]
    public static object? TlsGet(ThreadLocal<object?> tls) => tls.Value;

    [HlNative("std", "tls_set")]
    public static void TlsSet(ThreadLocal<object?> tls, object? value) => tls.Value = value;

    // ---- deque: add appends, push prepends, pop takes the first ----

    internal sealed class Deque
    {
        public readonly LinkedList<object?> Items = new();
    }

    [HlNative("std", "deque_alloc")]
    public static Deque DequeAlloc() => new();

    [HlNative("std", "deque_add")]
    public static void DequeAdd(Deque deque, object? value)
    {
        lock (deque.Items)
        {
            deque.Items.AddLast(value);
            Monitor.Pulse(deque.Items);
        }
    }

    [HlNative("std", "deque_push")]
    public static void DequePush(Deque deque, object? value)
    {
        lock (deque.Items)
        {
            deque.Items.AddFirst(value);
            Monitor.Pulse(deque.Items);
        }
    }

    [HlNative("std", "deque_pop")]
    public static object? DequePop(NativeContext m, Deque deque, bool block)
    {
        lock (deque.Items)
        {
            while (deque.Items.Count == 0)
            {
                if (!block)
                {
                    return null;
                }

                m.Stop.MonitorWait(deque.Items, Timeout.InfiniteTimeSpan);
            }

            var value = deque.Items.First!.Value;
            deque.Items.RemoveFirst();
            return value;
        }
    }

    // ---- atomics on hl.Ref cells ----

    [HlNative("std", "atomic_add32")]
    public static int AtomicAdd32(HlRef<int> cell, int value) => Interlocked.Add(ref cell.Value, value) - value;

    [HlNative("std", "atomic_sub32")]
    public static int AtomicSub32(HlRef<int> cell, int value) => Interlocked.Add(ref cell.Value, -value) + value;

    [HlNative("std", "atomic_and32")]
    public static int AtomicAnd32(HlRef<int> cell, int value) => Interlocked.And(ref cell.Value, value);

    [HlNative("std", "atomic_or32")]
    public static int AtomicOr32(HlRef<int> cell, int value) => Interlocked.Or(ref cell.Value, value);

    [HlNative("std", "atomic_xor32")]
    public static int AtomicXor32(HlRef<int> cell, int value)
    {
        int old;
        do
        {
            old = Volatile.Read(ref cell.Value);
        }
        while (Interlocked.CompareExchange(ref cell.Value, old ^ value, old) != old);
        return old;
    }

    [HlNative("std", "atomic_compare_exchange32")]
    public static int AtomicCompareExchange32(HlRef<int> cell, int expected, int replacement) =>
        Interlocked.CompareExchange(ref cell.Value, replacement, expected);

    [HlNative("std", "atomic_compare_exchange_ptr")]
    public static object? AtomicCompareExchangePtr(HlRef<object?> cell, object? expected, object? replacement) =>
        Interlocked.CompareExchange(ref cell.Value, replacement, expected);

    [HlNative("std", "atomic_exchange32")]
    public static int AtomicExchange32(HlRef<int> cell, int value) => Interlocked.Exchange(ref cell.Value, value);

    [HlNative("std", "atomic_exchange_ptr")]
    public static object? AtomicExchangePtr(HlRef<object?> cell, object? value) => Interlocked.Exchange(ref cell.Value, value);

    [HlNative("std", "atomic_load32")]
    public static int AtomicLoad32(HlRef<int> cell) => Volatile.Read(ref cell.Value);

    [HlNative("std", "atomic_load_ptr")]
    public static object? AtomicLoadPtr(HlRef<object?> cell) => Volatile.Read(ref cell.Value);

    [HlNative("std", "atomic_store32")]
    public static int AtomicStore32(HlRef<int> cell, int value)
    {
        Volatile.Write(ref cell.Value, value);
        return value;
    }

    [HlNative("std", "atomic_store_ptr")]
    public static object? AtomicStorePtr(HlRef<object?> cell, object? value)
    {
        Volatile.Write(ref cell.Value, value);
        return value;
    }
}
