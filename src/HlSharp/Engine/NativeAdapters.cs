using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Binds the natives a program names to their implementations. Each gets an adapter method with
/// the erased signature compiled code calls through the slot; the adapter passes the native's
/// context, if it takes one, and casts arguments to the implementation's parameter types. A
/// native nobody provides still gets an adapter, which raises <see cref="HlMissingNativeException"/>
/// when called, so loading never fails for it.
/// </summary>
internal sealed class NativeAdapters
{
    private readonly HlModule _module;
    private readonly INativeResolver _resolver;
    private readonly Dictionary<int, MethodInfo> _adapters = [];
    private readonly List<string> _missing = [];
    private readonly Dictionary<object, FieldBuilder> _contextFields = new(ReferenceEqualityComparer.Instance);

    public NativeAdapters(HlModule module, INativeResolver resolver)
    {
        _module = module;
        _resolver = resolver;
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
        foreach (var (index, method) in Bind(builder, [.. natives.Select(n => (n, n.Index))], CodeIndexMap.Identity, _missing))
        {
            _adapters[index] = method;
        }
    }

    /// <summary>
    /// Binds natives a hot reload added (docs/HOT-RELOAD.md section 5) as the load binds the
    /// program's, into a type of the reload's <paramref name="arena"/>, each for its reserved slot;
    /// <paramref name="map"/> sends the new version's type indices to the module's. Returns the
    /// adapter of each live index and, in <paramref name="missing"/>, the natives nobody provides
    /// (bound to a thrower, as at load).
    /// </summary>
    public IReadOnlyList<(int LiveIndex, MethodInfo Adapter)> BindAdded(DynamicCodeArena arena, IReadOnlyList<(HlNative Native, int LiveIndex)> natives, CodeIndexMap map, List<string> missing)
    {
        var builder = arena.DefineType("hl.$natives", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        return Bind(builder, natives, map, missing);
    }

    private List<(int LiveIndex, MethodInfo Adapter)> Bind(TypeBuilder builder, IReadOnlyList<(HlNative Native, int LiveIndex)> natives, CodeIndexMap map, List<string> missing)
    {
        var names = new List<(int FunctionIndex, string Method)>();
        _contextFields.Clear();
        foreach (var (native, live) in natives)
        {
            var name = $"{native.Library}@{native.Name}#{live}";
            var parameters = native.Type.Arguments.Select(StorageTypes.OfArgument).ToArray();
            var ret = StorageTypes.Of(native.Type.ReturnType);
            var method = builder.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, ret, parameters);
            var il = method.GetILGenerator();
            // A library named "?std" is optional: its natives are looked up as "std"'s, and one that
            // is missing throws a Haxe error when called (hl.Api.isPrimLoaded tells), where a missing
            // native of a required library is the host's HlMissingNativeException.
            var optional = native.Library.StartsWith('?');
            if (_resolver.Resolve(optional ? native.Library[1..] : native.Library, native.Name) is not { } target)
            {
                missing.Add($"{native.Library}@{native.Name}");
                if (optional)
                {
                    EmitNotLoaded(il);
                }
                else
                {
                    EmitMissing(il, native);
                }
            }
            else if (target.Host is { } host)
            {
                host.Arguments = [.. native.Type.Arguments.Select(a => _module.Types[map.Type(a.Index)])];
                host.Return = _module.Types[map.Type(native.Type.ReturnType.Index)];
                host.Values ??= _module.HostNativeValues; // null at load: the VM attaches them once loaded
                EmitHostCall(builder, il, host, parameters, ret);
            }
            else if (BindProblem(target, parameters, ret) is { } problem)
            {
                missing.Add($"{native.Library}@{native.Name} ({problem})");
                EmitMissing(il, native);
            }
            else
            {
                EmitCall(builder, il, target, parameters, ret);
            }

            names.Add((live, name));
        }

        var created = builder.CreateType();
        foreach (var (context, field) in _contextFields)
        {
            created.GetField(field.Name)!.SetValue(null, context);
        }

        return [.. names.Select(n => (n.FunctionIndex, created.GetMethod(n.Method)!))];
    }

    private static void EmitMissing(ILGenerator il, HlNative native)
    {
        il.Emit(OpCodes.Ldstr, native.Library);
        il.Emit(OpCodes.Ldstr, native.Name);
        il.Emit(OpCodes.Newobj, typeof(HlMissingNativeException).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)[0]);
        il.Emit(OpCodes.Throw);
    }

    private static void EmitNotLoaded(ILGenerator il)
    {
        // HashLink's message for an optional primitive that is not there.
        il.Emit(OpCodes.Ldstr, "Primitive or library is missing");
        il.Emit(OpCodes.Call, typeof(HlBytes).GetMethod(nameof(HlBytes.FromString))!);
        il.Emit(OpCodes.Newobj, typeof(HaxeThrow).GetConstructor([typeof(object)])!);
        il.Emit(OpCodes.Throw);
    }

    private static string? BindProblem(NativeTarget target, Type[] parameters, Type ret)
    {
        var all = target.Method.GetParameters().Select(p => p.ParameterType).ToArray();
        if (target.Context is { } context && (all.Length == 0 || !all[0].IsInstanceOfType(context)))
        {
            return $"its first parameter cannot take the native context {context.GetType().Name}";
        }

        var ps = all.Skip(target.Context is null ? 0 : 1).ToArray();
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

        return ret == typeof(void) || Compatible(target.Method.ReturnType, ret) ? null : $"returns {target.Method.ReturnType.Name}, the bytecode expects {ret.Name}";
    }

    /// <summary>
    /// The adapter of a host delegate: loads the delegate, passes each argument (numbers and bools
    /// as they are when the delegate takes them so, others converted by the façade), calls
    /// <c>Invoke</c>, and converts the result back the same way.
    /// </summary>
    private void EmitHostCall(TypeBuilder builder, ILGenerator il, HostNative host, Type[] parameters, Type ret)
    {
        var field = ContextField(builder, host);
        var wants = host.Invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        il.Emit(OpCodes.Ldsfld, field);
        il.Emit(OpCodes.Ldfld, typeof(HostNative).GetField(nameof(HostNative.Function))!);
        il.Emit(OpCodes.Castclass, host.Function.GetType());
        for (var i = 0; i < parameters.Length && i < wants.Length; i++)
        {
            if (parameters[i] == wants[i] && parameters[i].IsValueType)
            {
                il.Emit(OpCodes.Ldarg, i);
                continue;
            }

            il.Emit(OpCodes.Ldsfld, field);
            il.Emit(OpCodes.Ldarg, i);
            if (parameters[i].IsValueType)
            {
                il.Emit(OpCodes.Box, parameters[i]);
            }

            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, typeof(HostNative).GetMethod(nameof(HostNative.ArgumentToHost))!);
            il.Emit(OpCodes.Unbox_Any, wants[i]);
        }

        il.Emit(OpCodes.Callvirt, host.Invoke);
        var returns = host.Invoke.ReturnType;
        if (returns == ret && (ret.IsValueType || ret == typeof(void)))
        {
            il.Emit(OpCodes.Ret);
            return;
        }

        if (returns == typeof(void))
        {
            il.Emit(OpCodes.Ldnull);
        }
        else if (returns.IsValueType)
        {
            il.Emit(OpCodes.Box, returns);
        }

        var result = il.DeclareLocal(typeof(object));
        il.Emit(OpCodes.Stloc, result);
        il.Emit(OpCodes.Ldsfld, field);
        il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Call, typeof(HostNative).GetMethod(nameof(HostNative.ResultToHaxe))!);
        if (ret == typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }
        else if (ret.IsValueType)
        {
            il.Emit(OpCodes.Unbox_Any, ret);
        }

        il.Emit(OpCodes.Ret);
    }

    private FieldBuilder ContextField(TypeBuilder builder, object context)
    {
        if (!_contextFields.TryGetValue(context, out var field))
        {
            field = builder.DefineField("context" + _contextFields.Count, context.GetType(), FieldAttributes.Public | FieldAttributes.Static);
            _contextFields[context] = field;
        }

        return field;
    }

    private static bool Compatible(Type from, Type to) =>
        from == to || (from == typeof(object) && !to.IsValueType) || (to == typeof(object) && !from.IsValueType);

    private void EmitCall(TypeBuilder builder, ILGenerator il, NativeTarget target, Type[] parameters, Type ret)
    {
        var ps = target.Method.GetParameters().Select(p => p.ParameterType).ToArray();
        var offset = 0;
        if (target.Context is { } context)
        {
            // The context lives in a static of the adapters' own type, typed as the context is,
            // so passing it costs one load.
            il.Emit(OpCodes.Ldsfld, ContextField(builder, context));
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

        il.Emit(OpCodes.Call, target.Method);
        if (ret == typeof(void) && target.Method.ReturnType != typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }

        il.Emit(OpCodes.Ret);
    }
}
