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
internal sealed record NativeTarget(MethodInfo Method, object? Context);
