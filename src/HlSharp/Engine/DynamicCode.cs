using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HlSharp.Engine;

/// <summary>
/// Whether the engine may generate code at run time. Under NativeAOT (and any runtime without a
/// JIT) it may not, and every run-time service a precompiled program uses (field accessors,
/// invokers, host delegates, host views) takes its reflection-only form instead. The analyzers
/// treat <see cref="IsSupported"/> as a guard of <see cref="RequiresDynamicCodeAttribute"/> code.
/// </summary>
internal static class DynamicCode
{
    // Per thread, so a test forcing the reflection-only forms changes nothing for the tests that
    // run beside it; the forms are chosen when a service is first made, on the thread that asks.
    [ThreadStatic]
    private static bool t_forceReflection;

    /// <summary>True when code may be emitted: the runtime compiles it and no test forced the reflection-only forms on this thread.</summary>
    [FeatureGuard(typeof(RequiresDynamicCodeAttribute))]
    public static bool IsSupported
    {
        get
        {
            // This shape, not one && expression: the analyzer proves only it returns false whenever the runtime's check does.
            if (t_forceReflection)
            {
                return false;
            }

            return RuntimeFeature.IsDynamicCodeSupported;
        }
    }

    /// <summary>
    /// For tests: until the result is disposed, the services made on this thread take the form
    /// they take under NativeAOT, so the JIT's results can be compared with the ahead-of-time ones.
    /// </summary>
    public static IDisposable ForceReflectionOnly()
    {
        var previous = t_forceReflection;
        t_forceReflection = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => t_forceReflection = previous;
    }
}
