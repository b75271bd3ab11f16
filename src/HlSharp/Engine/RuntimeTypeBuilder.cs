using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

// The runtime's object base, not the public view of the same name in the enclosing HlSharp namespace.

/// <summary>
/// Builds the run-time view of every bytecode type and emits one .NET class per HashLink class,
/// super classes first, with a typed field per HashLink field.
/// </summary>
internal static class RuntimeTypeBuilder
{
    /// <summary>
    /// Builds every type of <paramref name="code"/>. With <paramref name="hotReload"/>, root classes
    /// derive from <see cref="HlReloadableInstance"/> (room for fields a reload adds); without, from
    /// <see cref="HlInstance"/>, so the layout is exactly as if hot reload did not exist.
    /// </summary>
    public static HlRuntimeType[] Build(HlCode code, NameHash hashes, IClassSource module, bool hotReload = false)
    {
        var root = hotReload ? typeof(HlReloadableInstance) : typeof(HlInstance);
        var types = new HlRuntimeType[code.Types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            var t = code.Types[i];
            types[i] = new HlRuntimeType(t, t switch
            {
                HlObjectType o => o.Name,
                HlEnumType e => e.Name,
                HlAbstractType a => a.Name,
                _ => HlTypeNames.PrimitiveName(t.Kind),
            });
        }

        for (var i = 0; i < types.Length; i++)
        {
            Link(code.Types[i], types[i], types, hashes);
        }

        // Without hot reload the classes are all known now: one that nothing derives from is a leaf.
        // A reload may add a subclass to any class, so with it none is.
        var supers = hotReload ? null : new HashSet<HlRuntimeType>(types.Select(t => t.Super).OfType<HlRuntimeType>());
        var emitted = new Dictionary<HlRuntimeType, Type>();
        foreach (var rt in types)
        {
            if (rt.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
            {
                Emit(rt, module, emitted, [], types, hashes, root, supers);
            }
        }

        var methodsDone = new HashSet<HlRuntimeType>();
        foreach (var rt in types)
        {
            if (rt.Kind is HlTypeKind.Obj or HlTypeKind.Struct)
            {
                BuildMethods(rt, code, hashes, methodsDone);
            }
        }

        return types;
    }

    /// <summary>
    /// A run-time type for a type a hot reload added (a class, a function or method type, a
    /// virtual, a reference, a null, an abstract, an enum), linked afterwards by
    /// <see cref="LinkAdded"/> once every added type exists; classes are then emitted by <see cref="BuildAdded"/>.
    /// </summary>
    public static HlRuntimeType Unlinked(HlType source) => new(source, source switch
    {
        HlObjectType o => o.Name,
        HlEnumType e => e.Name,
        HlAbstractType a => a.Name,
        _ => HlTypeNames.PrimitiveName(source.Kind),
    });

    /// <summary>Links a type <see cref="Unlinked"/> made through <paramref name="byNextIndex"/>: the new version's type indices to the module's run-time types.</summary>
    public static void LinkAdded(HlType source, HlRuntimeType rt, HlRuntimeType[] byNextIndex, NameHash hashes) => Link(source, rt, byNextIndex, hashes);

    private static void Link(HlType source, HlRuntimeType rt, HlRuntimeType[] all, NameHash hashes)
    {
        switch (source)
        {
            case HlFunctionType f:
                rt.Arguments = [.. f.Arguments.Select(a => all[a.Index])];
                rt.Return = all[f.ReturnType.Index];
                break;
            case HlWrapperType w:
                rt.Inner = all[w.Inner.Index];
                break;
            case HlEnumType e:
                rt.Constructs = [.. e.Constructs];
                rt.ConstructArgs = [.. e.Constructs.Select(c => c.Parameters.Select(p => all[p.Index]).ToArray())];
                rt.GlobalIndex = e.GlobalIndex ?? -1;
                break;
            case HlVirtualType v:
                rt.Fields = [.. v.Fields.Select(f => new HlRuntimeField(f.Name, hashes.Hash(f.Name), all[f.Type.Index]))];
                break;
            case HlObjectType o:
                rt.GlobalIndex = o.GlobalIndex ?? -1;
                if (o.Super is not null)
                {
                    rt.Super = all[o.Super.Index];
                }

                break;
        }
    }

    /// <summary>
    /// Emits the classes a hot reload added (already linked, <see cref="LinkAdded"/>) into the
    /// reload's <paramref name="arena"/>, deriving from the module's classes where they extend one,
    /// and builds their method tables; <paramref name="map"/> sends the new version's function
    /// indices to the module's. The module's own classes are neither emitted nor rebuilt again; a
    /// new class below one whose table the same reload changes inherits the table as
    /// <paramref name="planned"/> has it (published after the new code compiled).
    /// </summary>
    [RequiresDynamicCode("Emits IL at run time; a precompiled program (hlsharp compile) has this code written out")]
    public static void BuildAdded(IReadOnlyList<HlRuntimeType> classes, IEnumerable<HlRuntimeType> live, HlCode next, CodeIndexMap map, HlRuntimeType[] byNextIndex, NameHash hashes, ICodeTarget arena, IReadOnlyList<MethodTablePlan> planned)
    {
        var liveTypes = live.ToList();
        var emitted = liveTypes.Where(t => t.ClrType is not null).ToDictionary(t => t, t => t.ClrType!);
        var source = new EmittedClasses(arena);
        foreach (var rt in classes)
        {
            Emit(rt, source, emitted, [], byNextIndex, hashes, typeof(HlReloadableInstance), supers: null); // added classes only exist with HotReload on, where none is sealed
        }

        var done = new HashSet<HlRuntimeType>(liveTypes);
        var tables = planned.ToDictionary(p => p.Type);
        foreach (var rt in classes)
        {
            BuildMethods(rt, next, hashes, done, map, tables);
        }
    }

    /// <summary>Fills the method table (slot to function) and the by-name method lookup, super classes first.</summary>
    private static void BuildMethods(HlRuntimeType rt, HlCode code, NameHash hashes, HashSet<HlRuntimeType> done, CodeIndexMap? map = null, Dictionary<HlRuntimeType, MethodTablePlan>? planned = null)
    {
        map ??= CodeIndexMap.Identity;
        if (!done.Add(rt))
        {
            return;
        }

        var vtable = new List<int>();
        if (rt.Super is { } super)
        {
            BuildMethods(super, code, hashes, done, map, planned);
            var table = planned?.GetValueOrDefault(super);
            vtable.AddRange(table?.VTable ?? super.VTable);
            foreach (var (hash, findex) in table?.MethodsByHash ?? super.MethodsByHash)
            {
                rt.MethodsByHash[hash] = findex;
            }
        }

        foreach (var proto in ((HlObjectType)rt.Source!).Protos)
        {
            if (proto.SlotIndex >= 0)
            {
                while (vtable.Count <= proto.SlotIndex)
                {
                    vtable.Add(-1);
                }

                vtable[proto.SlotIndex] = map.Function(proto.FunctionIndex);
            }

            rt.MethodsByHash[hashes.Hash(proto.Name)] = map.Function(proto.FunctionIndex);
        }

        // Arrays filled by loops here, not LINQ or lists: those over these tuples have no
        // ReadyToRun code, and were JIT-compiled at every start (a tenth of loading a small program).
        var protos = ((HlObjectType)rt.Source!).Protos;
        var named = new (string Name, int Slot, int FunctionIndex)[protos.Count];
        for (var i = 0; i < named.Length; i++)
        {
            named[i] = (protos[i].Name, protos[i].SlotIndex, map.Function(protos[i].FunctionIndex));
        }

        rt.Protos = named;
        rt.VTable = [.. vtable];
        rt.Bindings = Bindings(rt, code, map);
    }

    /// <summary>
    /// Bindings: a field holding a function, set on every allocation (HashLink's obj.c), the super
    /// class's first, a class's own replacing one of the same field. A function-typed field whose
    /// function takes as many arguments is a static closure; otherwise the closure is bound to the instance.
    /// </summary>
    private static (HlRuntimeField Field, int FunctionIndex, bool BindInstance)[] Bindings(HlRuntimeType rt, HlCode code, CodeIndexMap map)
    {
        var inherited = rt.Super?.Bindings;
        var own = ((HlObjectType)rt.Source!).Bindings;
        if (own.Count == 0)
        {
            return inherited ?? [];
        }

        var bindings = new (HlRuntimeField Field, int FunctionIndex, bool BindInstance)[(inherited?.Length ?? 0) + own.Count];
        inherited?.CopyTo(bindings, 0);
        var count = inherited?.Length ?? 0;
        foreach (var binding in own)
        {
            if ((uint)binding.FieldIndex >= (uint)rt.Fields.Length)
            {
                continue;
            }

            var field = rt.Fields[binding.FieldIndex];
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                if (!ReferenceEquals(bindings[i].Field, field))
                {
                    bindings[kept++] = bindings[i];
                }
            }

            count = kept;
            var staticFun = field.Type.Kind == HlTypeKind.Fun && code.GetFunctionType(binding.FunctionIndex).Arguments.Count == field.Type.Arguments.Length;
            bindings[count++] = (field, map.Function(binding.FunctionIndex), !staticFun);
        }

        return count == bindings.Length ? bindings : bindings[..count];
    }

    /// <summary>The .NET name of a HashLink class's type (the type index makes it unique).</summary>
    public static string ClassName(string name, int typeIndex) => $"hl.{name}#{typeIndex}";

    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification =
        "The class is emitted here with a public parameterless constructor (no trimmer sees it), or comes from a compiled program's rooted assembly, whose allocations go through its written constructors (HlRuntimeType.Factory)")]
    private static Type Emit(HlRuntimeType rt, IClassSource module, Dictionary<HlRuntimeType, Type> emitted, HashSet<HlRuntimeType> inProgress, HlRuntimeType[] types, NameHash hashes,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.NonPublicConstructors)] Type root,
        HashSet<HlRuntimeType>? supers)
    {
        if (emitted.TryGetValue(rt, out var done))
        {
            return done;
        }

        if (!inProgress.Add(rt))
        {
            throw new HlLoadException($"class {rt.Name} is its own super class");
        }

        var source = (HlObjectType)rt.Source!;
        var parent = rt.Super is { } super ? Emit(super, module, emitted, inProgress, types, hashes, root, supers) : root;
        var inherited = rt.Super?.Fields ?? [];
        var declared = new (string Name, Type Storage)[source.Fields.Count];
        for (var i = 0; i < declared.Length; i++)
        {
            var f = source.Fields[i];
            declared[i] = (f.Name + "#" + (inherited.Length + i).ToString(CultureInfo.InvariantCulture), StorageTypes.Of(f.Type));
        }

        var parentConstructor = rt.Super is { } superType ? superType.ClrConstructor
            : root.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
        var (created, constructor, fieldInfos) = module.Class(source.Index, ClassName(rt.Name, source.Index), parent, parentConstructor, declared, leaf: supers is not null && !supers.Contains(rt));
        var all = new HlRuntimeField[inherited.Length + declared.Length];
        inherited.CopyTo(all, 0);
        for (var i = 0; i < declared.Length; i++)
        {
            var f = source.Fields[i];
            all[inherited.Length + i] = new HlRuntimeField(f.Name, hashes.Hash(f.Name), types[f.Type.Index])
            {
                Field = fieldInfos[i],
                Accessors = FieldAccessors.Instance,
            };
        }

        rt.Fields = all;
        rt.ClrType = created;
        rt.ClrConstructor = constructor;
        emitted[rt] = created;
        inProgress.Remove(rt);
        return created;
    }
}
