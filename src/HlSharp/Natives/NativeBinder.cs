using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// Binds the natives a program names to their implementations. Each gets an adapter method with
/// the erased signature compiled code calls through the slot; the adapter casts arguments to the
/// implementation's parameter types. A native nobody provides still gets an adapter, which raises
/// <see cref="HlMissingNativeException"/> when called, so loading never fails for it.
/// </summary>
internal sealed class NativeBinder
{
    private readonly HlModule _module;
    private readonly NativeRegistry _registry;
    private readonly Dictionary<int, MethodInfo> _adapters = [];
    private readonly List<string> _missing = [];

    public NativeBinder(HlModule module, NativeRegistry registry)
    {
        _module = module;
        _registry = registry;
    }

    /// <summary>Natives the program names that nothing implements, as <c>lib@name</c> (with the reason when one exists but cannot bind).</summary>
    public IReadOnlyList<string> Missing => _missing;

    public MethodInfo GetAdapter(int functionIndex) => _adapters[functionIndex];

    public void BindAll()
    {
        var natives = _module.Code.Natives;
        if (natives.IsEmpty)
        {
            return;
        }

        var builder = _module.DefineType("hl.$natives", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var names = new List<(int FunctionIndex, string Method)>();
        foreach (var native in natives)
        {
            var name = $"{native.Library}@{native.Name}#{native.Index}";
            var parameters = native.Type.Arguments.Select(StorageTypes.OfArgument).ToArray();
            var ret = StorageTypes.Of(native.Type.ReturnType);
            var method = builder.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, ret, parameters);
            var il = method.GetILGenerator();
            if (!_registry.TryGet(native.Library, native.Name, out var target))
            {
                _missing.Add($"{native.Library}@{native.Name}");
                EmitMissing(il, native);
            }
            else if (BindProblem(target, parameters, ret) is { } problem)
            {
                _missing.Add($"{native.Library}@{native.Name} ({problem})");
                EmitMissing(il, native);
            }
            else
            {
                EmitCall(il, target, parameters, ret);
            }

            names.Add((native.Index, name));
        }

        var created = builder.CreateType();
        foreach (var (index, name) in names)
        {
            var adapter = created.GetMethod(name)!;
            _adapters[index] = adapter;
        }
    }

    private static void EmitMissing(ILGenerator il, HlNative native)
    {
        il.Emit(OpCodes.Ldstr, native.Library);
        il.Emit(OpCodes.Ldstr, native.Name);
        il.Emit(OpCodes.Newobj, typeof(HlMissingNativeException).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)[0]);
        il.Emit(OpCodes.Throw);
    }

    private static bool TakesModule(MethodInfo target) =>
        target.GetParameters() is { Length: > 0 } ps && ps[0].ParameterType == typeof(HlModule);

    private static string? BindProblem(MethodInfo target, Type[] parameters, Type ret)
    {
        var ps = target.GetParameters().Select(p => p.ParameterType).Skip(TakesModule(target) ? 1 : 0).ToArray();
        if (ps.Length != parameters.Length)
        {
            return $"takes {ps.Length} arguments, the bytecode passes {parameters.Length}";
        }

        for (var i = 0; i < ps.Length; i++)
        {
            if (!Compatible(parameters[i], ps[i]))
            {
                return $"argument {i} is {ps[i].Name}, the bytecode passes {parameters[i].Name}";
            }
        }

        return ret == typeof(void) || Compatible(target.ReturnType, ret) ? null : $"returns {target.ReturnType.Name}, the bytecode expects {ret.Name}";
    }

    private static bool Compatible(Type from, Type to) =>
        from == to || (from == typeof(object) && !to.IsValueType) || (to == typeof(object) && !from.IsValueType);

    private void EmitCall(ILGenerator il, MethodInfo target, Type[] parameters, Type ret)
    {
        var ps = target.GetParameters().Select(p => p.ParameterType).ToArray();
        var offset = 0;
        if (TakesModule(target))
        {
            _module.Storage.EmitLoadModule(il);
            offset = 1;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, i);
            var want = ps[i + offset];
            if (parameters[i] == typeof(object) && want != typeof(object))
            {
                il.Emit(OpCodes.Castclass, want);
            }
        }

        il.Emit(OpCodes.Call, target);
        if (ret == typeof(void) && target.ReturnType != typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }

        il.Emit(OpCodes.Ret);
    }
}
