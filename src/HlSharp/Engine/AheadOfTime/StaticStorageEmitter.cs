using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The storage emitter of code written ahead of time: the addresses a running VM's code holds as
/// constants are statics of the written assembly here (set by <see cref="CompiledProgramImage.Bind"/>),
/// and each site is an element of its sites array, made again from its recipe when the program
/// loads. Positions within the arrays are the same as the running VM's, because the same
/// program always lays out its slots, types and globals the same way (<see cref="ModuleStorage"/>).
/// </summary>
internal sealed class StaticStorageEmitter : IStorageEmitter
{
    private readonly ModuleStorage _storage;
    private readonly List<SiteRecipe> _sites = [];

    public StaticStorageEmitter(ModuleStorage storage, TypeBuilder statics)
    {
        _storage = storage;
        const FieldAttributes attributes = FieldAttributes.Public | FieldAttributes.Static;
        Slots = statics.DefineField("Slots", typeof(nint), attributes);
        Objects = statics.DefineField("Objects", typeof(nint), attributes);
        GlobalReferences = statics.DefineField("GlobalReferences", typeof(nint), attributes);
        GlobalValues = statics.DefineField("GlobalValues", typeof(nint), attributes);
        StopFlag = statics.DefineField("StopFlag", typeof(nint), attributes);
        Sites = statics.DefineField("Sites", typeof(object[]), attributes);
    }

    public FieldBuilder Slots { get; }

    public FieldBuilder Objects { get; }

    public FieldBuilder GlobalReferences { get; }

    public FieldBuilder GlobalValues { get; }

    public FieldBuilder StopFlag { get; }

    public FieldBuilder Sites { get; }

    /// <summary>The recipe of every site, in the order of their elements.</summary>
    public IReadOnlyList<SiteRecipe> SiteRecipes => _sites;

    public void EmitLoadModule(ILGenerator il)
    {
        il.Emit(OpCodes.Ldsfld, Objects);
        il.Emit(OpCodes.Ldind_Ref);
    }

    public void EmitLoadType(ILGenerator il, int typeIndex)
    {
        EmitElementAddress(il, Objects, 1 + typeIndex, typeof(nint));
        il.Emit(OpCodes.Ldind_Ref);
    }

    public void EmitLoadSlot(ILGenerator il, int functionIndex)
    {
        EmitElementAddress(il, Slots, functionIndex, typeof(nint));
        il.Emit(OpCodes.Ldind_I);
    }

    public void EmitLoadSlotAt(ILGenerator il)
    {
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Sizeof, typeof(nint));
        il.Emit(OpCodes.Mul);
        il.Emit(OpCodes.Ldsfld, Slots);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldind_I);
    }

    public void EmitLoadGlobal(ILGenerator il, int index)
    {
        EmitGlobalAddress(il, index);
        il.Emit(StorageOpCodes.Load(_storage.GlobalStorage(index)));
    }

    public void EmitStoreGlobal(ILGenerator il, int index, LocalBuilder scratch)
    {
        il.Emit(OpCodes.Stloc, scratch);
        EmitGlobalAddress(il, index);
        il.Emit(OpCodes.Ldloc, scratch);
        il.Emit(StorageOpCodes.Store(_storage.GlobalStorage(index)));
    }

    public bool StopFlagIsConstant => false;

    public void EmitStopFlagAddress(ILGenerator il) => il.Emit(OpCodes.Ldsfld, StopFlag);

    public void EmitLoadSite(ILGenerator il, IVirtualSite site, SiteRecipe recipe)
    {
        il.Emit(OpCodes.Ldsfld, Sites);
        il.Emit(OpCodes.Ldc_I4, _sites.Count);
        il.Emit(OpCodes.Ldelem_Ref);
        _sites.Add(recipe);
    }

    /// <summary>Every slot is filled before any written code runs.</summary>
    public bool IsSlotBound(int functionIndex) => true;

    private void EmitGlobalAddress(ILGenerator il, int index)
    {
        var (isReference, cell) = _storage.GlobalPosition(index);
        // References are pointer-sized elements of an object array; values are 8-byte elements of a long array.
        EmitElementAddress(il, isReference ? GlobalReferences : GlobalValues, cell, isReference ? typeof(nint) : typeof(long));
    }

    private static void EmitElementAddress(ILGenerator il, FieldInfo baseAddress, int index, Type element)
    {
        il.Emit(OpCodes.Ldsfld, baseAddress);
        if (index != 0)
        {
            il.Emit(OpCodes.Ldc_I4, index);
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Sizeof, element);
            il.Emit(OpCodes.Mul);
            il.Emit(OpCodes.Add);
        }
    }
}
