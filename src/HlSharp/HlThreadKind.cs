namespace HlSharp;

/// <summary>Why a thread runs a VM's Haxe code (<see cref="HlThread.Kind"/>).</summary>
public enum HlThreadKind
{
    /// <summary>The thread that ran <see cref="HlVm.RunEntry"/>: Haxe's main thread, known to the VM until <see cref="HlVm.Dispose"/>.</summary>
    Main,

    /// <summary>A thread Haxe code started (<c>sys.thread.Thread.create</c> and the <c>hlsharp</c> library).</summary>
    Haxe,

    /// <summary>A host thread registered with <see cref="HlVm.EnterThread"/>.</summary>
    Host,

    /// <summary>A host thread registered for one call by <see cref="HlVmOptions.AutoRegisterThreads"/>.</summary>
    AutoRegistered,

    /// <summary>The VM's own thread, which loaded it and runs its <c>main</c> (dedicated-thread mode).</summary>
    Dedicated,

    /// <summary>A thread the VM's timers fire on.</summary>
    Timer,
}
