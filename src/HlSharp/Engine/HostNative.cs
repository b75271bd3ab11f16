using System.Reflection;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>What the façade's conversion table does for a host native's adapter: arguments to host values, the result back.</summary>
internal interface IHostNativeValues
{
    /// <summary>Converts an argument in storage form to the host delegate's parameter type.</summary>
    object? ArgumentToHost(object? value, HlRuntimeType type, Type target);

    /// <summary>Converts the host delegate's result to the storage form of the native's return type.</summary>
    object? ResultToHaxe(object? value, HlRuntimeType type);
}

/// <summary>
/// A native the host provides as a delegate (<c>HlVmOptions.Natives</c>). Its adapter passes numbers
/// and bools straight through and converts everything else with the façade's table, which is
/// attached (<see cref="Values"/>) once the VM is loaded: a native cannot run before that.
/// </summary>
internal sealed class HostNative
{
    public HostNative(Delegate function)
    {
        Function = function;
        Invoke = function.GetType().GetMethod("Invoke")!;
    }

    /// <summary>The host's delegate (a field, so the adapter loads it with one load).</summary>
    public readonly Delegate Function;

    /// <summary>The delegate's <c>Invoke</c>, whose parameters the adapter converts to.</summary>
    public MethodInfo Invoke { get; }

    /// <summary>The conversion table, once the VM is loaded.</summary>
    public IHostNativeValues? Values { get; set; }

    /// <summary>The native's Haxe parameter types (set when it is bound).</summary>
    public HlRuntimeType[] Arguments { get; set; } = [];

    /// <summary>The native's Haxe return type (set when it is bound).</summary>
    public HlRuntimeType? Return { get; set; }

    public object? ArgumentToHost(object? value, int index) =>
        Values!.ArgumentToHost(value, Arguments[index], Invoke.GetParameters()[index].ParameterType);

    public object? ResultToHaxe(object? value) => Values!.ResultToHaxe(value, Return!);
}
