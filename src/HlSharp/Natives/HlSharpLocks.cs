using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's VM locks: <c>Critical.run</c>, one recursive lock for the whole VM,
/// and named locks, one per name for the life of the VM. Both are <see cref="VmLock"/>s, so
/// deadlock detection sees them.
/// </summary>
internal static class HlSharpLocks
{
    [HlNative("hlsharp", "critical_run")]
    public static object? CriticalRun(NativeContext m, HlClosure body)
    {
        var critical = m.ThreadLibrary.Critical;
        critical.Acquire(m);
        try
        {
            return m.Runtime.CallDynamic(body, []);
        }
        finally
        {
            critical.Release(m);
        }
    }

    [HlNative("hlsharp", "named_lock_get")]
    public static VmLock NamedLockGet(NativeContext m, HlBytes name, int length) => m.ThreadLibrary.Named(name.ReadUcs2(length));

    [HlNative("hlsharp", "named_lock_lock")]
    public static void NamedLockLock(NativeContext m, VmLock named) => named.Acquire(m);

    [HlNative("hlsharp", "named_lock_try_lock")]
    public static bool NamedLockTryLock(NativeContext m, VmLock named, object? timeoutSeconds) =>
        named.TryAcquire(m, timeoutSeconds is null ? TimeSpan.Zero : WaitTimeouts.FromSeconds(timeoutSeconds));

    [HlNative("hlsharp", "named_lock_unlock")]
    public static void NamedLockUnlock(NativeContext m, VmLock named) => named.Release(m);

    [HlNative("hlsharp", "named_lock_held")]
    public static bool NamedLockHeld(VmLock named) => named.IsHeldByCurrentThread;
}
