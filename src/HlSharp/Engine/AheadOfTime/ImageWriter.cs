using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Generates the written program's <see cref="CompiledProgramImage"/>: <c>Bind</c> as a list of
/// <c>ldftn</c> stores, and the lookups as switches over <c>ldtoken</c>, so the loader finds every
/// method, class and field without reflection by name.
/// </summary>
internal sealed class ImageWriter(ProgramAssemblyWriter writer, HlModule module, StaticStorageEmitter storage, NativeAdapterWriter natives)
{
    private static readonly MethodInfo MethodFromHandle = typeof(MethodBase).GetMethod(nameof(MethodBase.GetMethodFromHandle), [typeof(RuntimeMethodHandle)])!;
    private static readonly MethodInfo TypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle), [typeof(RuntimeTypeHandle)])!;
    private static readonly MethodInfo FieldFromHandle = typeof(FieldInfo).GetMethod(nameof(FieldInfo.GetFieldFromHandle), [typeof(RuntimeFieldHandle)])!;

    /// <summary>
    /// Defines the image type and the attribute that marks the assembly and makes the image
    /// (<see cref="CompiledProgramAttribute"/>); returns that attribute's constructor.
    /// </summary>
    public ConstructorBuilder Define(IReadOnlyDictionary<int, MethodBuilder> functions, MethodBuilder? hostedEntry, IReadOnlyList<(string Key, int Slot, MethodBuilder Method)> wrappers)
    {
        var type = writer.DefineType("hl.$Program", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(CompiledProgramImage));
        var constructor = type.DefineDefaultConstructor(MethodAttributes.Public);
        DefineBind(type, functions, hostedEntry, wrappers);
        DefineFunction(type, functions);
        var entry = functions.GetValueOrDefault(module.Code.EntryPoint);
        DefineEntry(type, nameof(CompiledProgramImage.HostedEntry), hostedEntry ?? entry);
        DefineEntry(type, nameof(CompiledProgramImage.Entry), entry);

        var classes = module.Types.Select((t, i) => (Type: t, Index: i)).Where(t => t.Type.ClrType is not null).ToList();
        DefineOverride(type, nameof(CompiledProgramImage.Class), typeof(Type), [typeof(int)], il =>
            EmitSwitch(il, classes.ToDictionary(c => c.Index, c => (Action)(() =>
            {
                il.Emit(OpCodes.Ldtoken, c.Type.ClrType!);
                il.Emit(OpCodes.Call, TypeFromHandle);
                il.Emit(OpCodes.Ret);
            }))));
        DefineOverride(type, nameof(CompiledProgramImage.OwnFields), typeof(FieldInfo[]), [typeof(int)], il =>
            EmitSwitch(il, classes.ToDictionary(c => c.Index, c => (Action)(() =>
            {
                var own = c.Type.Fields.Where(f => f.Field is not null && ReferenceEquals(f.Field.DeclaringType, c.Type.ClrType)).ToArray();
                il.Emit(OpCodes.Ldc_I4, own.Length);
                il.Emit(OpCodes.Newarr, typeof(FieldInfo));
                for (var i = 0; i < own.Length; i++)
                {
                    il.Emit(OpCodes.Dup);
                    il.Emit(OpCodes.Ldc_I4, i);
                    il.Emit(OpCodes.Ldtoken, own[i].Field!);
                    il.Emit(OpCodes.Call, FieldFromHandle);
                    il.Emit(OpCodes.Stelem_Ref);
                }

                il.Emit(OpCodes.Ret);
            }))));
        DefineOverride(type, nameof(CompiledProgramImage.New), typeof(Runtime.HlInstance), [typeof(int)], il =>
            EmitSwitch(il, classes.ToDictionary(c => c.Index, c => (Action)(() =>
            {
                il.Emit(OpCodes.Newobj, c.Type.ClrConstructor!);
                il.Emit(OpCodes.Ret);
            }))));
        return DefineMarker(constructor);
    }

    /// <summary>The assembly's <see cref="CompiledProgramAttribute"/>, whose CreateImage constructs the image.</summary>
    private ConstructorBuilder DefineMarker(ConstructorInfo imageConstructor)
    {
        var marker = writer.DefineType("hl.$ProgramAttribute", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(CompiledProgramAttribute));
        var constructor = marker.DefineDefaultConstructor(MethodAttributes.Public);
        var create = marker.DefineMethod(nameof(CompiledProgramAttribute.CreateImage), MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, typeof(CompiledProgramImage), []);
        var il = create.GetILGenerator();
        il.Emit(OpCodes.Newobj, imageConstructor);
        il.Emit(OpCodes.Ret);
        marker.DefineMethodOverride(create, typeof(CompiledProgramAttribute).GetMethod(nameof(CompiledProgramAttribute.CreateImage))!);
        return constructor;
    }

    /// <summary>
    /// An override naming one entry method on its own: a lookup that stays small when the written
    /// assembly is JIT-compiled (the function switch of a big program is many kilobytes of IL).
    /// </summary>
    private static void DefineEntry(TypeBuilder type, string name, MethodInfo? entry) =>
        DefineOverride(type, name, typeof(MethodBase), [], il =>
        {
            if (entry is not null)
            {
                EmitMethodToken(il, entry);
            }
            else
            {
                EmitThrow(il, "the program has no entry function");
            }
        });

    private void DefineBind(TypeBuilder type, IReadOnlyDictionary<int, MethodBuilder> functions, MethodBuilder? hostedEntry, IReadOnlyList<(string Key, int Slot, MethodBuilder Method)> wrappers) =>
        DefineOverride(type, nameof(CompiledProgramImage.Bind), typeof(void), [typeof(nint[]), typeof(nint[]), typeof(nint[]), typeof(object[]), typeof(object[]), typeof(bool)], il =>
        {
            // Arguments: 1 slots, 2 dynamicNatives, 3 addresses, 4 sites, 5 contexts, 6 hostedEntry.
            (FieldInfo Field, int Index)[] addresses =
            [
                (storage.Slots, CompiledProgramImage.SlotsAddress), (storage.Objects, CompiledProgramImage.ObjectsAddress),
                (storage.GlobalReferences, CompiledProgramImage.GlobalReferencesAddress), (storage.GlobalValues, CompiledProgramImage.GlobalValuesAddress),
                (storage.StopFlag, CompiledProgramImage.StopFlagAddress),
            ];
            foreach (var (field, index) in addresses)
            {
                il.Emit(OpCodes.Ldarg_3);
                il.Emit(OpCodes.Ldc_I4, index);
                il.Emit(OpCodes.Ldelem_I);
                il.Emit(OpCodes.Stsfld, field);
            }

            il.Emit(OpCodes.Ldarg, (short)4);
            il.Emit(OpCodes.Stsfld, storage.Sites);
            for (var k = 0; k < natives.Contexts.Count; k++)
            {
                il.Emit(OpCodes.Ldarg, (short)5);
                il.Emit(OpCodes.Ldc_I4, k);
                il.Emit(OpCodes.Ldelem_Ref);
                il.Emit(OpCodes.Castclass, natives.Contexts[k].FieldType);
                il.Emit(OpCodes.Stsfld, natives.Contexts[k]);
            }

            foreach (var (index, method) in functions)
            {
                StoreEntry(il, 1, index, method);
            }

            if (hostedEntry is not null)
            {
                var normal = il.DefineLabel();
                il.Emit(OpCodes.Ldarg, (short)6);
                il.Emit(OpCodes.Brfalse, normal);
                StoreEntry(il, 1, module.Code.EntryPoint, hostedEntry);
                il.MarkLabel(normal);
            }

            foreach (var (index, dynamic) in natives.Dynamic)
            {
                StoreEntry(il, 1, index, natives.DirectByIndex.GetValueOrDefault(index) ?? dynamic);
                StoreEntry(il, 2, index, dynamic);
            }

            foreach (var (_, slot, method) in wrappers)
            {
                StoreEntry(il, 1, slot, method);
            }

            il.Emit(OpCodes.Ret);
        });

    private void DefineFunction(TypeBuilder type, IReadOnlyDictionary<int, MethodBuilder> functions) =>
        DefineOverride(type, nameof(CompiledProgramImage.Function), typeof(MethodBase), [typeof(int), typeof(bool)], il =>
        {
            var calledThrough = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Brtrue, calledThrough);
            var plain = functions.ToDictionary(f => f.Key, f => f.Value);
            foreach (var (index, dynamic) in natives.Dynamic)
            {
                plain[index] = natives.DirectByIndex.GetValueOrDefault(index) ?? dynamic;
            }

            EmitSwitch(il, plain.ToDictionary(p => p.Key, p => (Action)(() => EmitMethodToken(il, p.Value))));
            il.MarkLabel(calledThrough);
            EmitSwitch(il, natives.Dynamic.ToDictionary(p => p.Key, p => (Action)(() => EmitMethodToken(il, p.Value))));
        });

    private static void StoreEntry(ILGenerator il, short array, int index, MethodInfo method)
    {
        il.Emit(OpCodes.Ldarg, array);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Ldftn, method);
        il.Emit(OpCodes.Stelem_I);
    }

    private static void EmitMethodToken(ILGenerator il, MethodInfo method)
    {
        il.Emit(OpCodes.Ldtoken, method);
        il.Emit(OpCodes.Call, MethodFromHandle);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>A switch on argument 1 over dense keys; a key with no case throws.</summary>
    private static void EmitSwitch(ILGenerator il, IReadOnlyDictionary<int, Action> cases)
    {
        var missing = il.DefineLabel();
        if (cases.Count > 0)
        {
            var first = cases.Keys.Min();
            var labels = new Label[cases.Keys.Max() - first + 1];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = cases.ContainsKey(first + i) ? il.DefineLabel() : missing;
            }

            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, first);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Switch, labels);
            il.Emit(OpCodes.Br, missing);
            foreach (var (key, emit) in cases)
            {
                il.MarkLabel(labels[key - first]);
                emit();
            }
        }

        il.MarkLabel(missing);
        EmitThrow(il, "no such index in the compiled program");
    }

    private static void EmitThrow(ILGenerator il, string message)
    {
        il.Emit(OpCodes.Ldstr, message);
        il.Emit(OpCodes.Newobj, typeof(ArgumentOutOfRangeException).GetConstructor([typeof(string)])!);
        il.Emit(OpCodes.Throw);
    }

    private static void DefineOverride(TypeBuilder type, string name, Type returns, Type[] parameters, Action<ILGenerator> body)
    {
        var method = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, returns, parameters);
        body(method.GetILGenerator());
        type.DefineMethodOverride(method, typeof(CompiledProgramImage).GetMethod(name)!);
    }
}
