using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// How compiled code reaches the module's hot data: the slot table, the module, the run-time
/// types, the globals, the safe-point flag and the inline caches of its sites. Code compiled for
/// the running VM holds their addresses as constants (<see cref="ConstantStorageEmitter"/>);
/// code compiled ahead of time cannot know them, so it loads them from statics of the assembly it
/// is written into, which the loader sets (<see cref="StaticStorageEmitter"/>).
/// </summary>
internal interface IStorageEmitter
{
    /// <summary>Pushes the module.</summary>
    void EmitLoadModule(ILGenerator il);

    /// <summary>Pushes the run-time type with this index.</summary>
    void EmitLoadType(ILGenerator il, int typeIndex);

    /// <summary>Pushes the entry address in a constant slot (zero when not compiled yet).</summary>
    void EmitLoadSlot(ILGenerator il, int functionIndex);

    /// <summary>Pushes the entry address in the slot whose index is on the stack.</summary>
    void EmitLoadSlotAt(ILGenerator il);

    /// <summary>Pushes a global's value (of its storage type).</summary>
    void EmitLoadGlobal(ILGenerator il, int index);

    /// <summary>Pops a value of the global's storage type into it.</summary>
    void EmitStoreGlobal(ILGenerator il, int index, LocalBuilder scratch);

    /// <summary>Whether <see cref="EmitStopFlagAddress"/> pushes a constant (else it loads a static, which a function with loops loads once).</summary>
    bool StopFlagIsConstant { get; }

    /// <summary>Pushes the address of the VM's safe-point flag (an <c>int</c>, non-zero while a stop or pause is asked for).</summary>
    void EmitStopFlagAddress(ILGenerator il);

    /// <summary>Stores a new site and emits code that pushes it.</summary>
    void EmitLoadSite(ILGenerator il, IVirtualSite site, SiteRecipe recipe);

    /// <summary>
    /// Whether a slot is known to hold an entry address already when the code being compiled runs,
    /// so a call through it needs no test for zero: true for a function compiled before, and for
    /// every slot of a program compiled ahead of time (the loader fills them all first).
    /// </summary>
    bool IsSlotBound(int functionIndex);
}
