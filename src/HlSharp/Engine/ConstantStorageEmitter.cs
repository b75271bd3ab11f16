using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The storage emitter of code compiled while the VM runs: every address is a constant (the
/// arrays behind them are pinned, <see cref="ModuleStorage"/>), which costs nothing at run time,
/// where a static of a collectible emitted type would cost a load through a handle.
/// </summary>
internal sealed class ConstantStorageEmitter(ModuleStorage storage, SiteTable sites, nint stopFlag) : IStorageEmitter
{
    public void EmitLoadModule(ILGenerator il) => EmitLoad(il, storage.ObjectsAddress, typeof(object));

    public void EmitLoadType(ILGenerator il, int typeIndex) => EmitLoad(il, storage.ObjectsAddress + ((1 + typeIndex) * IntPtr.Size), typeof(object));

    public void EmitLoadSlot(ILGenerator il, int functionIndex) => EmitLoad(il, storage.SlotsAddress + (functionIndex * IntPtr.Size), typeof(nint));

    public void EmitLoadSlotAt(ILGenerator il)
    {
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Sizeof, typeof(nint));
        il.Emit(OpCodes.Mul);
        EmitAddress(il, storage.SlotsAddress);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldind_I);
    }

    public void EmitLoadGlobal(ILGenerator il, int index) => EmitLoad(il, storage.GlobalAddress(index), storage.GlobalStorage(index));

    public void EmitStoreGlobal(ILGenerator il, int index, LocalBuilder scratch)
    {
        il.Emit(OpCodes.Stloc, scratch);
        EmitAddress(il, storage.GlobalAddress(index));
        il.Emit(OpCodes.Ldloc, scratch);
        il.Emit(StorageOpCodes.Store(storage.GlobalStorage(index)));
    }

    public bool StopFlagIsConstant => true;

    public void EmitStopFlagAddress(ILGenerator il) => EmitAddress(il, stopFlag);

    public void EmitLoadSite(ILGenerator il, IVirtualSite site, SiteRecipe recipe)
    {
        EmitAddress(il, sites.Add(site));
        il.Emit(OpCodes.Ldind_Ref);
    }

    public bool IsSlotBound(int functionIndex) => Volatile.Read(ref storage.Slots[functionIndex]) != 0;

    private static void EmitLoad(ILGenerator il, nint address, Type storageType)
    {
        EmitAddress(il, address);
        il.Emit(StorageOpCodes.Load(storageType));
    }

    private static void EmitAddress(ILGenerator il, nint address)
    {
        il.Emit(OpCodes.Ldc_I8, (long)address);
        il.Emit(OpCodes.Conv_I);
    }
}

/// <summary>The indirect load and store of each storage type.</summary>
internal static class StorageOpCodes
{
    public static OpCode Load(Type storage) =>
        storage == typeof(object) ? OpCodes.Ldind_Ref
        : storage == typeof(nint) ? OpCodes.Ldind_I
        : storage == typeof(int) ? OpCodes.Ldind_I4
        : storage == typeof(long) ? OpCodes.Ldind_I8
        : storage == typeof(double) ? OpCodes.Ldind_R8
        : storage == typeof(float) ? OpCodes.Ldind_R4
        : OpCodes.Ldind_U1;

    public static OpCode Store(Type storage) =>
        storage == typeof(object) ? OpCodes.Stind_Ref
        : storage == typeof(int) ? OpCodes.Stind_I4
        : storage == typeof(long) ? OpCodes.Stind_I8
        : storage == typeof(double) ? OpCodes.Stind_R8
        : storage == typeof(float) ? OpCodes.Stind_R4
        : OpCodes.Stind_I1;
}
