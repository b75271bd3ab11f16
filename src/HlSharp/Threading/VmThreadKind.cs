namespace HlSharp.Threading;

/// <summary>Why a thread runs a VM's Haxe code (the façade shows it as <c>HlThreadKind</c>, member for member).</summary>
internal enum VmThreadKind
{
    Main,
    Haxe,
    Host,
    AutoRegistered,
    Dedicated,
    Timer,
}

/// <summary>What a thread's kind means for the VM.</summary>
internal static class VmThreadKinds
{
    /// <summary>Threads the VM itself started: <c>Dispose</c> waits for them to end, even while they run no Haxe code.</summary>
    public static bool StartedByVm(this VmThreadKind kind) => kind is VmThreadKind.Haxe or VmThreadKind.Timer;
}
