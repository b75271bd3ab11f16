using System.Reflection;
using System.Runtime.ExceptionServices;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>What a module does differently when its program is compiled ahead of time, or being compiled so.</summary>
internal sealed partial class HlModule
{
    private readonly CompiledProgram? _compiledProgram;

    /// <summary>The assembly this module compiles into ahead of time, or null when it compiles for itself.</summary>
    public ProgramAssemblyWriter? Writer { get; }

    /// <summary>Points a program compiled ahead of time at this module (once, at load); <paramref name="nativeContext"/> is what natives that take a context get.</summary>
    public void BindCompiledProgram(object nativeContext)
    {
        var program = _compiledProgram ?? throw new InvalidOperationException("the module's program is not compiled ahead of time");
        program.Bind(this, SkipEntryEventLoop, nativeContext);
        foreach (var (key, slot) in program.Manifest.Wrappers)
        {
            _wrapperSlots[key] = slot;
        }
    }

    /// <summary>
    /// Calls a native through whatever this VM bound it to: the adapter a program compiled ahead of
    /// time calls for a native it has no direct adapter in use for, which is then the host's
    /// delegate or nothing (HlSharp's own natives are bound to their direct adapters, see
    /// <see cref="NativeAdapters.BindAll"/>). Arguments and the result are in storage form, boxed.
    /// </summary>
    public object? CallNativeDynamic(int functionIndex, object?[] arguments)
    {
        var binding = Natives.BindingOf(functionIndex);
        switch (binding.Missing)
        {
            case NativeAdapters.MissingKind.Throw:
                throw new HlMissingNativeException(binding.Native.Library, binding.Native.Name);
            case NativeAdapters.MissingKind.NotLoaded:
                throw new HaxeThrow(HlBytes.FromString("Primitive or library is missing"));
        }

        var host = binding.Target?.Host ?? throw new InvalidOperationException($"native {binding.Native.Library}@{binding.Native.Name} has a direct adapter and is not called through the module");
        var converted = new object?[arguments.Length];
        for (var i = 0; i < converted.Length; i++)
        {
            converted[i] = host.ArgumentToHost(arguments[i], i);
        }

        try
        {
            var result = host.Function.DynamicInvoke(converted);
            return binding.Return == typeof(void) ? null : host.ResultToHaxe(host.Invoke.ReturnType == typeof(void) ? null : result);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    private static CompiledBody? CompiledBodyOf(CompiledProgram program, MethodBase method) =>
        program.Offsets(method) is var (index, offsets) ? new CompiledBody(index, program.Code.GetFunction(index)!, program.Code, CodeIndexMap.Identity, offsets) : null;

    /// <summary>Writes a wrapper for every storage signature the program's function types (and what binding their first arguments leaves) can ask a cast for.</summary>
    public void WriteAllWrappers()
    {
        foreach (var type in Types)
        {
            if (type.Kind is not (Bytecode.HlTypeKind.Fun or Bytecode.HlTypeKind.Method) || type.Return is null)
            {
                continue;
            }

            var parameters = type.Arguments.Select(a => StorageTypes.OfArgument(a.Kind)).ToArray();
            for (var skip = 0; skip <= parameters.Length; skip++)
            {
                WrapperSlot(parameters[skip..], type.Return.Storage);
            }
        }
    }
}
