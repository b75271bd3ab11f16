namespace HlSharp.Threading;

/// <summary>
/// What the thread registry tells the façade, always on the thread concerned: the façade raises
/// the public lifecycle events, and reports an exception no Haxe code caught on a VM thread.
/// </summary>
internal interface IThreadEvents
{
    /// <summary>The thread registered (its outermost registration), before any of its Haxe code runs.</summary>
    void Started(VmThread thread);

    /// <summary>The thread is about to end its outermost registration, after its last Haxe code.</summary>
    void Exiting(VmThread thread);

    /// <summary>Haxe code on a thread the VM started threw an exception nothing caught (already printed as HashLink does).</summary>
    void Uncaught(VmThread thread, Exception exception);
}
