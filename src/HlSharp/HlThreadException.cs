namespace HlSharp;

/// <summary>
/// Thrown when a thread uses a VM in a way its threading contract forbids: a call into Haxe code
/// from a thread the VM does not know (see <see cref="HlVm.EnterThread"/> and
/// <see cref="HlVmOptions.AutoRegisterThreads"/>) or from inside a <see cref="HlVm.Blocking"/>
/// region, or a registration or region ended on the wrong thread, twice, or out of order. The
/// message names the thread by its managed id and name.
/// </summary>
public sealed class HlThreadException : HlException
{
    private HlThreadException(string message)
        : base(message)
    {
    }

    /// <summary>The managed id of the thread that broke the rule.</summary>
    public int ManagedThreadId { get; private init; }

    internal static HlThreadException NotRegistered(Thread thread) => new(
        $"{Describe(thread)} is not known to this HlVm, so it cannot call into Haxe code: " +
        "register it with `using (vm.EnterThread()) { ... }` or set HlVmOptions.AutoRegisterThreads")
    { ManagedThreadId = thread.ManagedThreadId };

    internal static HlThreadException InsideBlocking(Thread thread) => new(
        $"{Describe(thread)} is inside vm.Blocking(), a wait outside Haxe code, so it cannot call into Haxe code until that region is disposed")
    { ManagedThreadId = thread.ManagedThreadId };

    internal static HlThreadException BlockingOutsideHaxe(Thread thread) => new(
        $"vm.Blocking() marks a wait inside a native called from Haxe code, but {Describe(thread)} is not running this VM's Haxe code")
    { ManagedThreadId = thread.ManagedThreadId };

    internal static HlThreadException WrongThread(string what, Thread owner, Thread caller) => new(
        $"{what} of {Describe(owner)} was disposed on {Describe(caller)}: dispose it on the thread that made it")
    { ManagedThreadId = caller.ManagedThreadId };

    internal static HlThreadException DisposedTwice(string what, Thread thread) => new(
        $"{what} of {Describe(thread)} was disposed twice")
    { ManagedThreadId = thread.ManagedThreadId };

    internal static HlThreadException OutOfOrder(string what, Thread thread) => new(
        $"{what} of {Describe(thread)} was disposed before one made after it on that thread: dispose nested ones innermost first")
    { ManagedThreadId = thread.ManagedThreadId };

    internal static HlThreadException EndedInsideHaxe(Thread thread) => new(
        $"the outermost vm.EnterThread() of {Describe(thread)} was disposed while the thread runs Haxe code (from a native): " +
        "dispose it after the call into Haxe returns")
    { ManagedThreadId = thread.ManagedThreadId };

    /// <summary>"managed thread 12 'worker'": how every message names a thread.</summary>
    internal static string Describe(Thread thread) =>
        thread.Name is { } name ? $"managed thread {thread.ManagedThreadId} '{name}'" : $"managed thread {thread.ManagedThreadId}";
}
