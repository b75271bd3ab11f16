using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Binds the natives a program names to their implementations. Each is resolved at load (so what
/// is missing is known then) and gets, on its first call, an adapter method with the erased
/// signature compiled code calls through the slot; the adapter passes the native's context, if it
/// takes one, and casts arguments to the implementation's parameter types. A native nobody
/// provides still gets an adapter, which raises <see cref="HlMissingNativeException"/> when
/// called, so loading never fails for it.
/// </summary>
internal sealed class NativeAdapters
{
    private readonly HlModule _module;
    private readonly INativeResolver _resolver;
    private readonly Dictionary<int, MethodInfo> _adapters = [];
    private readonly Dictionary<int, Binding> _pending = [];
    private readonly List<string> _missing = [];
    private readonly Dictionary<object, FieldBuilder> _contextFields = new(ReferenceEqualityComparer.Instance);

    public NativeAdapters(HlModule module, INativeResolver resolver)
    {
        _module = module;
        _resolver = resolver;
    }

    /// <summary>Natives the program names that nothing implements, as <c>lib@name</c> (with the reason when one exists but cannot bind).</summary>
    public IReadOnlyList<string> Missing => _missing;

    /// <summary>
    /// The adapter of a native the program names, emitted on first use (the caller holds the
    /// module's compile lock): most programs name hundreds of natives and call a few, and emitting
    /// them all at load was a tenth of hello world's start-up.
    /// </summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    public MethodInfo GetAdapter(int functionIndex)
    {
        // _adapters and _pending are only touched here and in BindAll, under the compile lock or before any code runs.
        if (_adapters.TryGetValue(functionIndex, out var done))
        {
            return done;
        }

        var binding = _pending[functionIndex];
        var builder = _module.DefineType($"hl.$natives.{binding.Name}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var adapter = Emit(builder, [binding])[0].Adapter;
        _adapters[functionIndex] = adapter;
        _pending.Remove(functionIndex);
        return adapter;
    }

    /// <summary>How many adapters have been emitted so far (for tests, read while nothing compiles: the others are resolved only).</summary>
    internal int EmittedCount => _adapters.Count;

    /// <summary>
    /// Resolves every native the program names (so <see cref="Missing"/> is known at load); their
    /// adapters are emitted on first call. <paramref name="writtenDirect"/> lists, for a program
    /// compiled ahead of time, the natives whose direct adapter it has: the resolver then holds the
    /// host's natives only, and one of these it does not provide is bound to that adapter, which
    /// calls what HlSharp's registry gave when the program was compiled (the same build of HlSharp
    /// runs it, so the registry would give the same; looking it up again was most of a load).
    /// </summary>
    public void BindAll(IReadOnlySet<int>? writtenDirect = null)
    {
        foreach (var native in _module.Code.Natives)
        {
            _pending[native.Index] = Resolve(native, native.Index, CodeIndexMap.Identity, _missing, writtenDirect);
        }
    }

    /// <summary>
    /// Binds natives a hot reload added (docs/HOT-RELOAD.md section 5) as the load binds the
    /// program's, into a type of the reload's <paramref name="arena"/>, each for its reserved slot;
    /// <paramref name="map"/> sends the new version's type indices to the module's. Returns the
    /// adapter of each live index and, in <paramref name="missing"/>, the natives nobody provides
    /// (bound to a thrower, as at load).
    /// </summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    public IReadOnlyList<(int LiveIndex, MethodInfo Adapter)> BindAdded(DynamicCodeArena arena, IReadOnlyList<(HlNative Native, int LiveIndex)> natives, CodeIndexMap map, List<string> missing)
    {
        var builder = arena.DefineType("hl.$natives", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        return Emit(builder, [.. natives.Select(n => Resolve(n.Native, n.LiveIndex, map, missing))]);
    }

    /// <summary>
    /// What a native the program names is bound to, for code that writes or calls adapters of its
    /// own (a program compiled ahead of time): only before <see cref="GetAdapter"/> emitted one.
    /// </summary>
    public Binding BindingOf(int functionIndex) => _pending[functionIndex];

    /// <summary>
    /// What a native is bound to, decided at load: the adapter is emitted from it later. No target
    /// and nothing missing is the direct adapter of a program compiled ahead of time.
    /// </summary>
    internal sealed record Binding(HlNative Native, int LiveIndex, string Name, Type[] Parameters, Type Return, NativeTarget? Target, MissingKind Missing);

    /// <summary>How a native without a usable implementation fails when called.</summary>
    internal enum MissingKind
    {
        /// <summary>It has one (<see cref="Binding.Target"/>).</summary>
        None,

        /// <summary><see cref="HlMissingNativeException"/>, for the host.</summary>
        Throw,

        /// <summary>A Haxe error, for a native of an optional library that is not there.</summary>
        NotLoaded,
    }

    private Binding Resolve(HlNative native, int live, CodeIndexMap map, List<string> missing, IReadOnlySet<int>? writtenDirect = null)
    {
        var name = $"{native.Library}@{native.Name}#{live}";
        var parameters = native.Type.Arguments.Select(StorageTypes.OfArgument).ToArray();
        var ret = StorageTypes.Of(native.Type.ReturnType);
        // A library named "?std" is optional: its natives are looked up as "std"'s, and one that
        // is missing throws a Haxe error when called (hl.Api.isPrimLoaded tells), where a missing
        // native of a required library is the host's HlMissingNativeException.
        var optional = native.Library.StartsWith('?');
        if (_resolver.Resolve(optional ? native.Library[1..] : native.Library, native.Name) is not { } target)
        {
            if (writtenDirect?.Contains(live) == true)
            {
                return new Binding(native, live, name, parameters, ret, null, MissingKind.None);
            }

            missing.Add($"{native.Library}@{native.Name}");
            return new Binding(native, live, name, parameters, ret, null, optional ? MissingKind.NotLoaded : MissingKind.Throw);
        }

        if (target.Host is { } host)
        {
            host.Arguments = [.. native.Type.Arguments.Select(a => _module.Types[map.Type(a.Index)])];
            host.Return = _module.Types[map.Type(native.Type.ReturnType.Index)];
            host.Values ??= _module.HostNativeValues; // null at load: the VM attaches them once loaded
            return new Binding(native, live, name, parameters, ret, target, MissingKind.None);
        }

        if (BindProblem(target, parameters, ret) is { } problem)
        {
            missing.Add($"{native.Library}@{native.Name} ({problem})");
            return new Binding(native, live, name, parameters, ret, null, MissingKind.Throw);
        }

        return new Binding(native, live, name, parameters, ret, target, MissingKind.None);
    }

    /// <summary>Emits one adapter per binding as a method of <paramref name="builder"/>, and creates the type.</summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    private List<(int LiveIndex, MethodInfo Adapter)> Emit(TypeBuilder builder, IReadOnlyList<Binding> bindings)
    {
        _contextFields.Clear();
        foreach (var binding in bindings)
        {
            var native = binding.Native;
            var method = builder.DefineMethod(binding.Name, MethodAttributes.Public | MethodAttributes.Static, binding.Return, binding.Parameters);
            var il = method.GetILGenerator();
            if (binding.Missing == MissingKind.NotLoaded)
            {
                EmitNotLoaded(il);
            }
            else if (binding.Target is not { } target)
            {
                EmitMissing(il, native);
            }
            else if (target.Host is { } host)
            {
                EmitHostCall(builder, il, host, binding.Parameters, binding.Return);
            }
            else
            {
                EmitCall(il, target, binding.Parameters, binding.Return, context => ContextField(builder, context));
            }
        }

        var created = builder.CreateType();
        foreach (var (context, field) in _contextFields)
        {
            created.GetField(field.Name)!.SetValue(null, context);
        }

        return [.. bindings.Select(b => (b.LiveIndex, created.GetMethod(b.Name)!))];
    }

    /// <summary>Emits the body of an adapter of a native nobody provides: it throws <see cref="HlMissingNativeException"/>.</summary>
    public static void EmitMissing(ILGenerator il, HlNative native)
    {
        il.Emit(OpCodes.Ldstr, native.Library);
        il.Emit(OpCodes.Ldstr, native.Name);
        il.Emit(OpCodes.Newobj, typeof(HlMissingNativeException).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)[0]);
        il.Emit(OpCodes.Throw);
    }

    /// <summary>Emits the body of an adapter of an optional library's native that is not there: it throws the Haxe error HashLink throws.</summary>
    public static void EmitNotLoaded(ILGenerator il)
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
                Boxing.Emit(il, parameters[i]);
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
            Boxing.Emit(il, returns);
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

    /// <summary>
    /// Emits the body of an adapter that calls a static native method: the context from the field
    /// <paramref name="contextField"/> gives for it, then the arguments, cast where the method
    /// takes a narrower reference type than the bytecode passes.
    /// </summary>
    public static void EmitCall(ILGenerator il, NativeTarget target, Type[] parameters, Type ret, Func<object, FieldInfo> contextField)
    {
        var ps = target.Method.GetParameters().Select(p => p.ParameterType).ToArray();
        var offset = 0;
        if (target.Context is { } context)
        {
            // The context lives in a static of the adapters' own type, typed as the context is,
            // so passing it costs one load.
            il.Emit(OpCodes.Ldsfld, contextField(context));
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
