using System.Reflection;

namespace HlSharp.Engine;

/// <summary>
/// Says what implements a native the bytecode names. The engine binds natives without knowing
/// who provides them: the façade hands it a resolver (the standard natives' registry, say).
/// </summary>
internal interface INativeResolver
{
    /// <summary>The implementation of <paramref name="library"/>@<paramref name="name"/>, or null when nothing provides it.</summary>
    NativeTarget? Resolve(string library, string name);
}

/// <summary>
/// A native's implementation: a static method, and when <paramref name="Context"/> is set, the
/// object passed as its first argument (the state the native needs; the bytecode never passes it).
/// </summary>
internal sealed record NativeTarget(MethodInfo Method, object? Context)
{
    /// <summary>A native the host provides as a delegate: its adapter converts through the façade's table.</summary>
    public static NativeTarget ForHost(HostNative host) => new(host.Invoke, host) { Host = host };

    /// <summary>Set for a host delegate (then <see cref="Method"/> is its <c>Invoke</c>).</summary>
    public HostNative? Host { get; init; }
}

/// <summary>A resolver that provides nothing (under the host's natives, for a program compiled ahead of time, which has HlSharp's written in).</summary>
internal sealed class NoNatives : INativeResolver
{
    public static readonly NoNatives Instance = new();

    private NoNatives()
    {
    }

    public NativeTarget? Resolve(string library, string name) => null;
}
