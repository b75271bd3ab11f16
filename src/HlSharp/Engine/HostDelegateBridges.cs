using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The reflection-only form of <see cref="HostDelegates"/>, for runtimes that cannot generate code
/// (NativeAOT): a host delegate is one of the generic bridge methods below, instantiated with the
/// delegate's parameter and return types and bound to its <see cref="HostCallTarget"/> with
/// <see cref="Delegate.CreateDelegate(Type, object, MethodInfo)"/>. Every call takes the untyped
/// lane (<see cref="IHostCalls.Invoke"/>), which checks the gate and the thread, converts through
/// the one table and maps exceptions, so the results are those of the emitted delegates; only
/// the direct delegates' speed is lost.
/// </summary>
internal static partial class HostDelegateBridges
{
    /// <summary>The most parameters a delegate may have here.</summary>
    public const int MaxParameters = 6;

    /// <summary>A delegate of <paramref name="delegateType"/> whose calls go to <see cref="IHostCalls.Invoke"/> for <paramref name="target"/>.</summary>
    /// <exception cref="NotSupportedException">The runtime has no compiled code for this signature, or it has too many parameters.</exception>
    public static Delegate Create(HostCallTarget target, Type delegateType)
    {
        var invoke = DelegateInvoke.Of(delegateType);
        Type[] parameters = [.. invoke.GetParameters().Select(p => p.ParameterType)];
        var ret = invoke.ReturnType;
        if (parameters.Length > MaxParameters)
        {
            throw NotAheadOfTime(delegateType, $"it has more than {MaxParameters} parameters", null);
        }

        try
        {
            return Delegate.CreateDelegate(delegateType, target, Bridge(parameters, ret));
        }
        catch (NotSupportedException e)
        {
            throw NotAheadOfTime(delegateType, "NativeAOT compiled no code for this combination of value types "
                + "(HlSharp has it for up to one parameter of any type, or two of int, double or reference types)", e);
        }
    }

    // Under NativeAOT an instantiation over value types the compiler did not see has no code, and
    // making or binding it throws NotSupportedException, which Create turns into a clear message.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "A missing instantiation throws NotSupportedException, caught by Create.")]
    private static MethodInfo Bridge(Type[] parameters, Type ret)
    {
        var isAction = ret == typeof(void);
        var name = (isAction, parameters.Length) switch
        {
            (true, 0) => nameof(Action0),
            (true, 1) => nameof(Action1),
            (true, 2) => nameof(Action2),
            (true, 3) => nameof(Action3),
            (true, 4) => nameof(Action4),
            (true, 5) => nameof(Action5),
            (true, 6) => nameof(Action6),
            (false, 0) => nameof(Func0),
            (false, 1) => nameof(Func1),
            (false, 2) => nameof(Func2),
            (false, 3) => nameof(Func3),
            (false, 4) => nameof(Func4),
            (false, 5) => nameof(Func5),
            _ => nameof(Func6),
        };
        var definition = typeof(HostDelegateBridges).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;
        GC.KeepAlive(Compiled);
        return isAction && parameters.Length == 0 ? definition : definition.MakeGenericMethod(isAction ? parameters : [.. parameters, ret]);
    }

    private static NotSupportedException NotAheadOfTime(Type delegateType, string why, Exception? inner) => new(
        $"HlSharp cannot make a {CSharpTypeNames.Of(delegateType)} delegate ahead of time: {why}. Call the function with HlVm.CallStatic instead.",
        inner);

    private static object? Call(HostCallTarget t, Type ret, object?[] args) => t.Gate.Calls.Invoke(t.FunctionIndex, t.Closure, args, ret);

    private static void Action0(HostCallTarget t) => Call(t, typeof(void), []);

    private static void Action1<T1>(HostCallTarget t, T1 a1) => Call(t, typeof(void), [a1]);

    private static void Action2<T1, T2>(HostCallTarget t, T1 a1, T2 a2) => Call(t, typeof(void), [a1, a2]);

    private static void Action3<T1, T2, T3>(HostCallTarget t, T1 a1, T2 a2, T3 a3) => Call(t, typeof(void), [a1, a2, a3]);

    private static void Action4<T1, T2, T3, T4>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4) => Call(t, typeof(void), [a1, a2, a3, a4]);

    private static void Action5<T1, T2, T3, T4, T5>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => Call(t, typeof(void), [a1, a2, a3, a4, a5]);

    private static void Action6<T1, T2, T3, T4, T5, T6>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => Call(t, typeof(void), [a1, a2, a3, a4, a5, a6]);

    // (TResult)null of a value type is the null access the emitted unbox.any makes.
    private static TResult Func0<TResult>(HostCallTarget t) => (TResult)Call(t, typeof(TResult), [])!;

    private static TResult Func1<T1, TResult>(HostCallTarget t, T1 a1) => (TResult)Call(t, typeof(TResult), [a1])!;

    private static TResult Func2<T1, T2, TResult>(HostCallTarget t, T1 a1, T2 a2) => (TResult)Call(t, typeof(TResult), [a1, a2])!;

    private static TResult Func3<T1, T2, T3, TResult>(HostCallTarget t, T1 a1, T2 a2, T3 a3) => (TResult)Call(t, typeof(TResult), [a1, a2, a3])!;

    private static TResult Func4<T1, T2, T3, T4, TResult>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4) => (TResult)Call(t, typeof(TResult), [a1, a2, a3, a4])!;

    private static TResult Func5<T1, T2, T3, T4, T5, TResult>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => (TResult)Call(t, typeof(TResult), [a1, a2, a3, a4, a5])!;

    private static TResult Func6<T1, T2, T3, T4, T5, T6, TResult>(HostCallTarget t, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) =>
        (TResult)Call(t, typeof(TResult), [a1, a2, a3, a4, a5, a6])!;
}
