using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Writes two adapters per native of a program compiled ahead of time. The direct one calls the
/// implementation HlSharp's registry gave at compile time, with its context in a static of the
/// written assembly; the loader uses it when the running VM binds the same implementation. The
/// calling-through one boxes the arguments and asks the module (<see cref="HlModule.CallNativeDynamic"/>),
/// which calls whatever the running VM bound: a host's delegate, another implementation, or a
/// thrower for a native nobody provides.
/// </summary>
internal sealed class NativeAdapterWriter(ProgramAssemblyWriter writer, HlModule module, StaticStorageEmitter storage, TypeBuilder statics)
{
    private readonly Dictionary<object, int> _contextIndex = new(ReferenceEqualityComparer.Instance);

    /// <summary>The direct adapters: function index, the context index (-1 for none), the method.</summary>
    public List<(int FunctionIndex, int Context, MethodBuilder Method)> Direct { get; } = [];

    /// <summary>The direct adapter of each native that has one, by function index.</summary>
    public IReadOnlyDictionary<int, MethodBuilder> DirectByIndex => field ??= Direct.ToDictionary(d => d.FunctionIndex, d => d.Method);

    /// <summary>The calling-through adapter of every native, by function index.</summary>
    public Dictionary<int, MethodBuilder> Dynamic { get; } = [];

    /// <summary>The context statics, by context index.</summary>
    public List<FieldBuilder> Contexts { get; } = [];

    public void WriteAll()
    {
        var type = writer.DefineType("hl.$Natives", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        foreach (var native in module.Code.Natives)
        {
            var binding = module.Natives.BindingOf(native.Index);
            Dynamic[native.Index] = WriteDynamic(type, binding);
            if (binding is { Missing: NativeAdapters.MissingKind.None, Target: { Host: null } target })
            {
                var method = type.DefineMethod($"n{native.Index}", MethodAttributes.Public | MethodAttributes.Static, binding.Return, binding.Parameters);
                var context = -1;
                NativeAdapters.EmitCall(method.GetILGenerator(), target, binding.Parameters, binding.Return, c => Contexts[context = ContextIndex(c)]);
                Direct.Add((native.Index, context, method));
            }
        }
    }

    private int ContextIndex(object context)
    {
        if (!_contextIndex.TryGetValue(context, out var index))
        {
            index = Contexts.Count;
            Contexts.Add(statics.DefineField($"Context{index}", context.GetType(), FieldAttributes.Public | FieldAttributes.Static));
            _contextIndex[context] = index;
        }

        return index;
    }

    private MethodBuilder WriteDynamic(TypeBuilder type, NativeAdapters.Binding binding)
    {
        var method = type.DefineMethod($"d{binding.Native.Index}", MethodAttributes.Public | MethodAttributes.Static, binding.Return, binding.Parameters);
        var il = method.GetILGenerator();
        storage.EmitLoadModule(il);
        il.Emit(OpCodes.Castclass, typeof(HlModule));
        il.Emit(OpCodes.Ldc_I4, binding.Native.Index);
        BoxedArguments.Emit(il, binding.Parameters, firstArgument: 0);
        il.Emit(OpCodes.Callvirt, typeof(HlModule).GetMethod(nameof(HlModule.CallNativeDynamic))!);
        if (binding.Return == typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }
        else if (binding.Return.IsValueType)
        {
            // The module returns the storage form, boxed.
            il.Emit(OpCodes.Unbox_Any, binding.Return);
        }

        il.Emit(OpCodes.Ret);
        return method;
    }
}
