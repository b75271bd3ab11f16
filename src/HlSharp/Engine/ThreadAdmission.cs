namespace HlSharp.Engine;

/// <summary>
/// Whether the calling thread may enter one VM's Haxe code, in the form every host call checks
/// first: the thread registry (<c>Threading</c>) keeps one per thread it knows and makes it the
/// thread's <see cref="Current"/> when the thread registers. A call whose <see cref="Current"/>
/// names the VM's gate enters with one thread-static read and one compare; any other call takes
/// the slow path (<see cref="HostGate.AdmitSlow"/>), which looks the thread up, registers it for
/// the call when the host asked for that, or refuses it with <see cref="HlThreadException"/>.
/// </summary>
internal sealed class ThreadAdmission
{
    /// <summary>
    /// The admission the calling thread used last (read straight by the emitted host delegates).
    /// One per thread, not per VM: a thread that calls into two VMs in turn takes the slow path on
    /// each switch, which finds its admission to the other VM and caches that one here.
    /// </summary>
    [ThreadStatic]
    internal static ThreadAdmission? CurrentField;

    /// <summary>The calling thread's last admission (see <see cref="CurrentField"/>).</summary>
    public static ThreadAdmission? Current
    {
        get => CurrentField;
        set => CurrentField = value;
    }

    /// <summary>
    /// The VM's gate while the thread may call into its Haxe code: it is registered and not inside
    /// a <c>Blocking()</c> region; null otherwise.
    /// </summary>
    public volatile HostGate? Gate;

    /// <summary>
    /// Host calls into the VM's Haxe code in progress on this thread (nested calls count), or 1
    /// for the whole life of a thread the VM started. Written only by the thread itself; the VM's
    /// Dispose reads it to know whom to wait for.
    /// </summary>
    public int Running;
}
