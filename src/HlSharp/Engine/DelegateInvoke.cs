using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace HlSharp.Engine;

/// <summary>The <c>Invoke</c> method of a delegate type: its signature, which host calls are checked and made against.</summary>
internal static class DelegateInvoke
{
    /// <summary>The <c>Invoke</c> method of <paramref name="delegateType"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification =
        "The trimmer keeps Invoke (and the constructor) of every delegate type it keeps: it is how the delegate is called.")]
    public static MethodInfo Of(Type delegateType) =>
        delegateType.GetMethod("Invoke") ?? throw new ArgumentException($"{delegateType} is not a delegate type", nameof(delegateType));
}
