using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Field access and method calls by name (virtual types and <c>Dynamic</c>) through per-site
/// inline caches (<see cref="FieldGetSite{T}"/>, <see cref="FieldSetSite{T}"/>, <see cref="MethodSite"/>):
/// each site gets its own cache, which compiled code reaches at a constant address (<see cref="SiteTable"/>).
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>Pushes a new site's cache.</summary>
    private void LoadSite(SiteKind kind, Type storage, int hash, HlRuntimeType? type)
    {
        var recipe = new SiteRecipe(kind, storage, hash, type is null ? -1 : Array.IndexOf(_m.Types, type));
        _m.Emitter.EmitLoadSite(_il, recipe.Create(_m.Runtime, type), recipe);
    }

    /// <summary>
    /// Reads field <paramref name="hash"/> of the object <paramref name="loadObject"/> pushes into
    /// <paramref name="dst"/>, as <see cref="HlRuntime.DynGetField"/> and a cast from dynamic would:
    /// a number arrives in the register's storage type, a reference is cast by the site.
    /// </summary>
    private void EmitGetByName(int dst, Action loadObject, int hash)
    {
        var storage = RegStorage(dst);
        if (storage == typeof(void))
        {
            LoadDynamics();
            loadObject();
            _il.Emit(OpCodes.Ldc_I4, hash);
            CallDynamics(nameof(HlRuntime.DynGetField));
            EmitCastFromDynamic(dst);
            Store(dst);
            return;
        }

        // The cast EmitCastFromDynamic would emit, done by the site (which skips it for a type it let through).
        var castTo = storage == typeof(object) && RegRt(dst).Kind != HlTypeKind.Dyn ? RegRt(dst) : null;
        var siteType = typeof(FieldGetSite<>).MakeGenericType(storage);
        LoadSite(SiteKind.FieldGet, storage, hash, castTo);
        loadObject();
        _il.Emit(OpCodes.Call, HelperMethods.Get(siteType, nameof(FieldGetSite<object>.Get)));
        Store(dst);
    }

    /// <summary>
    /// Writes register <paramref name="src"/> into field <paramref name="hash"/> of the object
    /// <paramref name="loadObject"/> pushes, boxed as <paramref name="boxKind"/> as
    /// <see cref="HlRuntime.DynSetField"/> takes it; a number whose box is its own storage type
    /// goes to the site unboxed (it boxes it only for an anonymous object).
    /// </summary>
    private void EmitSetByName(Action loadObject, int hash, int src, HlTypeKind boxKind)
    {
        var storage = RegStorage(src);
        var typed = boxKind == RegType(src).Kind && boxKind is HlTypeKind.I32 or HlTypeKind.I64 or HlTypeKind.F32 or HlTypeKind.F64 or HlTypeKind.Bool;
        var siteType = typeof(FieldSetSite<>).MakeGenericType(typed ? storage : typeof(object));
        LoadSite(SiteKind.FieldSet, typed ? storage : typeof(object), hash, null);
        loadObject();
        Load(src);
        if (!typed)
        {
            EmitBox(storage, boxKind);
        }

        _il.Emit(OpCodes.Call, HelperMethods.Get(siteType, nameof(FieldSetSite<object>.Set)));
    }

    /// <summary>
    /// A method call through a virtual type: the site finds the function (a class's method, or an
    /// anonymous object's closure) and its slot is called with typed arguments; when the site
    /// cannot (another signature, a host function, a field that is not a closure), the call goes
    /// by name with boxed arguments, as <see cref="HlRuntime.CallMethodByHash"/> always did.
    /// </summary>
    private void EmitVirtualMethodCall(int dst, HlRuntimeField method, IReadOnlyList<int> args)
    {
        var rest = args.Skip(1).ToArray();
        var signature = method.Type;
        var direct = signature.Kind is HlTypeKind.Fun or HlTypeKind.Method && signature.Return is { } ret
            && signature.Arguments.Length == rest.Length && ResultFits(dst, ret);
        var slow = _il.DefineLabel();
        var done = _il.DefineLabel();
        if (direct)
        {
            var parameters = signature.Arguments.Select(a => StorageTypes.OfArgument(a.Kind)).ToArray();
            var returned = signature.Return!.Storage;
            var function = _il.DeclareLocal(typeof(int));
            var self = _il.DeclareLocal(typeof(object));
            var bound = _il.DeclareLocal(typeof(bool));
            var castsResult = _il.DeclareLocal(typeof(bool));
            var found = _il.DefineLabel();
            var site = _il.DeclareLocal(typeof(MethodSite));
            LoadSite(SiteKind.Method, typeof(object), method.Hash, signature);
            _il.Emit(OpCodes.Stloc, site);
            EmitLastShapeCheck(site, args[0], function, self, bound, castsResult, found);
            _il.Emit(OpCodes.Ldloc, site);
            Load(args[0]);
            _il.Emit(OpCodes.Ldloca, self);
            _il.Emit(OpCodes.Ldloca, bound);
            _il.Emit(OpCodes.Ldloca, castsResult);
            _il.Emit(OpCodes.Call, HelperMethods.Get(typeof(MethodSite), nameof(MethodSite.Find)));
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Stloc, function);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Blt, slow);
            _il.MarkLabel(found);
            var target = StoreSlotAddress(() => LoadSlotAddress(() => _il.Emit(OpCodes.Ldloc, function)));
            EmitCalliWithOptionalSelf(() => _il.Emit(OpCodes.Ldloc, bound), () => _il.Emit(OpCodes.Ldloc, self), rest, signature.Arguments, target, parameters, returned);
            if (returned == typeof(object) && RegStorage(dst) == typeof(object) && RegRt(dst).Kind != HlTypeKind.Dyn)
            {
                // A function returning dyn for a typed site (MethodSite.Find): cast as the dynamic path below casts.
                var typed = _il.DefineLabel();
                _il.Emit(OpCodes.Ldloc, castsResult);
                _il.Emit(OpCodes.Brfalse, typed);
                EmitCastFromDynamic(dst);
                _il.MarkLabel(typed);
            }

            StoreResult(dst, returned);
            _il.Emit(OpCodes.Br, done);
        }

        _il.MarkLabel(slow);
        LoadDynamics();
        Load(args[0]);
        _il.Emit(OpCodes.Ldc_I4, method.Hash);
        PushBoxedArray(rest);
        CallDynamics(nameof(HlRuntime.CallMethodByHash));
        EmitCastFromDynamic(dst);
        Store(dst);
        _il.MarkLabel(done);
    }

    /// <summary>
    /// In line, what <see cref="MethodSite.Find"/> does first for a class instance of the shape the
    /// site remembered last (the first of <see cref="MethodSite.Methods"/>): sets the call's function, receiver,
    /// binding and cast and goes to <paramref name="found"/>; falls through to the call of
    /// <c>Find</c> for anything else (another shape, an anonymous object, null).
    /// </summary>
    private void EmitLastShapeCheck(LocalBuilder site, int receiver, LocalBuilder function, LocalBuilder self, LocalBuilder bound, LocalBuilder castsResult, Label found)
    {
        var find = _il.DefineLabel();
        var instance = _il.DeclareLocal(typeof(HlInstance));
        var entry = _il.DeclareLocal(typeof(MethodSite.Entry));
        Load(receiver);
        _il.Emit(OpCodes.Isinst, typeof(HlInstance));
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, instance);
        _il.Emit(OpCodes.Brfalse, find);
        var methods = _il.DeclareLocal(typeof(MethodSite.Entry[]));
        _il.Emit(OpCodes.Ldloc, site);
        _il.Emit(OpCodes.Ldfld, typeof(MethodSite).GetField(nameof(MethodSite.Methods), BindingFlags.Instance | BindingFlags.NonPublic)!);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, methods);
        _il.Emit(OpCodes.Brfalse, find);
        _il.Emit(OpCodes.Ldloc, methods);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Ldelem_Ref);
        _il.Emit(OpCodes.Stloc, entry);
        _il.Emit(OpCodes.Ldloc, instance);
        _il.Emit(OpCodes.Ldfld, typeof(HlInstance).GetField(nameof(HlInstance.Type))!);
        _il.Emit(OpCodes.Ldloc, entry);
        _il.Emit(OpCodes.Call, typeof(MethodSite.Entry).GetProperty(nameof(MethodSite.Entry.Type))!.GetMethod!);
        _il.Emit(OpCodes.Bne_Un, find);
        _il.Emit(OpCodes.Ldloc, entry);
        _il.Emit(OpCodes.Call, typeof(MethodSite.Entry).GetProperty(nameof(MethodSite.Entry.FunctionIndex))!.GetMethod!);
        _il.Emit(OpCodes.Stloc, function);
        _il.Emit(OpCodes.Ldloc, instance);
        _il.Emit(OpCodes.Stloc, self);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Stloc, bound);
        _il.Emit(OpCodes.Ldloc, entry);
        _il.Emit(OpCodes.Call, typeof(MethodSite.Entry).GetProperty(nameof(MethodSite.Entry.CastsResult))!.GetMethod!);
        _il.Emit(OpCodes.Stloc, castsResult);
        _il.Emit(OpCodes.Br, found);
        _il.MarkLabel(find);
    }

    /// <summary>
    /// True when storing a result of type <paramref name="ret"/> straight into <paramref name="dst"/>
    /// is what the dynamic path's box and cast would give: the same storage (and, for a reference,
    /// the same type or a dynamic register), or nothing to store.
    /// </summary>
    private bool ResultFits(int dst, HlRuntimeType ret)
    {
        var storage = RegStorage(dst);
        if (storage == typeof(void))
        {
            return true;
        }

        if (ret.Kind == HlTypeKind.Void || storage != ret.Storage)
        {
            return false;
        }

        return storage != typeof(object) || ReferenceEquals(RegRt(dst), ret) || RegRt(dst).Kind == HlTypeKind.Dyn;
    }
}
