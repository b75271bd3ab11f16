namespace HlSharp;

/// <summary>
/// A thread running a VM's Haxe code, as <see cref="HlVm.ThreadStarted"/>, <see cref="HlVm.ThreadExiting"/>
/// and <see cref="HlVm.UnhandledException"/> describe it. One instance stands for one stretch of
/// the thread's life with the VM, from its outermost registration to its end, so the
/// <see cref="HlVm.ThreadStarted"/> and <see cref="HlVm.ThreadExiting"/> of that stretch receive
/// the same object.
/// </summary>
public sealed class HlThread
{
    internal HlThread(Thread thread, HlThreadKind kind)
    {
        ManagedThreadId = thread.ManagedThreadId;
        Name = thread.Name;
        Kind = kind;
        IsBackground = thread.IsBackground;
    }

    /// <summary>The thread's <see cref="Environment.CurrentManagedThreadId"/>.</summary>
    public int ManagedThreadId { get; }

    /// <summary>The thread's .NET name when it registered (threads Haxe starts are named <c>haxe thread</c>), or null.</summary>
    public string? Name { get; }

    /// <summary>Why the thread runs the VM's Haxe code.</summary>
    public HlThreadKind Kind { get; }

    /// <summary>Whether the thread was a background thread when it registered (every thread the VM starts is one).</summary>
    public bool IsBackground { get; }

    /// <summary>For example <c>Haxe thread 14 'haxe thread'</c>.</summary>
    public override string ToString() => Name is { } name ? $"{Kind} thread {ManagedThreadId} '{name}'" : $"{Kind} thread {ManagedThreadId}";
}
