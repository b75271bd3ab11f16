using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Where compiled code finds a module's hot data: the slot table, the module, the run-time types
/// and the globals, each at an address the code holds as a constant. Emitted code is collectible
/// (so a disposed VM's code can be unloaded), and statics of collectible assemblies are reached
/// through a handle, one more load on every call (fib ran twice as slowly); a constant address
/// costs nothing. Every array here lives on the pinned object heap, so its elements never move;
/// the GC still owns them, and every emitted assembly holds this object in a static
/// (<see cref="DynamicCodeArena"/>), so the arrays outlive any code that can reach them: a running
/// method keeps its collectible assembly alive.
/// </summary>
/// <remarks>
/// Object references are stored with <c>stind.ref</c> through an unmanaged address. That is
/// GC-safe: RyuJIT gives every store of a reference through a native-int address a write barrier,
/// the checked one when it cannot prove the target is in the heap (<c>GCInfo::gcIsWriteBarrierCandidate</c>
/// in dotnet/runtime src/coreclr/jit/gcinfo.cpp: an address of type <c>TYP_I_IMPL</c> gives
/// <c>WBF_BarrierUnknown</c>, which becomes <c>WBF_BarrierChecked</c>). The pinned object heap is
/// part of the GC heap, so the checked barrier marks the card of the element as for any array
/// store, and a young object stored there is found by the next ephemeral collection. Reads need no
/// barrier; the arrays themselves are ordinary GC objects, scanned as such.
/// </remarks>
internal sealed class ModuleStorage
{
    private const int ModuleIndex = 0;

    private readonly object?[] _objects;
    private GlobalCell[] _globals;
    private int _typeCount;

    public ModuleStorage(HlCode code, bool hotReload = false)
    {
        // Wrapper slots come after the program's functions (HlModule.Invokers). Wrappers are keyed
        // by storage signature, and every signature a cast can ask for is a suffix of one of the
        // program's function types, so this many slots are enough; the table cannot grow, because
        // compiled code holds its address. With hot reload, room for the functions and types later
        // versions add comes between (a reload that would overflow it is refused: restart needed),
        // and a few more wrappers for the signatures they bring.
        var wrappers = 0;
        foreach (var type in code.Types)
        {
            wrappers += type is HlFunctionType f ? f.Arguments.Count + 1 : 0;
        }

        FunctionCapacity = code.FunctionIndexCount + (hotReload ? Math.Max(1024, code.FunctionIndexCount) : 0);
        TypeCapacity = code.Types.Length + (hotReload ? Math.Max(1024, code.Types.Length) : 0);
        SlotCount = FunctionCapacity;
        Slots = GC.AllocateArray<nint>(FunctionCapacity + wrappers + 64 + (hotReload ? 1024 : 0), pinned: true);
        _objects = GC.AllocateArray<object?>(1 + TypeCapacity, pinned: true);
        _typeCount = code.Types.Length;

        _globals = Cells(code.Globals);
    }

    /// <summary>
    /// A global's cell: an element of a pinned array of references or of 8-byte values. The
    /// program's globals share one array of each; every reload that adds globals gets its own
    /// (the cells of compiled code are addresses, so no array can grow).
    /// </summary>
    private readonly record struct GlobalCell(Type Storage, object?[]? References, long[]? Values, int Cell);

    /// <summary>How many globals there are: the program's, then those reloads added.</summary>
    public int GlobalCount => Volatile.Read(ref _globals).Length;

    /// <summary>
    /// Adds cells for globals of these types, after the existing ones, zero or null (as HashLink
    /// starts a global); returns the index of the first. Called only while no compiled code runs
    /// that could name them, so readers never see the table change under an index they hold.
    /// </summary>
    public int AddGlobals(IReadOnlyList<HlType> types)
    {
        var first = _globals.Length;
        Volatile.Write(ref _globals, [.. _globals, .. Cells(types)]);
        return first;
    }

    private static GlobalCell[] Cells(IReadOnlyList<HlType> types)
    {
        var storages = types.Select(StorageTypes.Of).ToArray();
        var references = GC.AllocateArray<object?>(Math.Max(storages.Count(s => s == typeof(object)), 1), pinned: true);
        var values = GC.AllocateArray<long>(Math.Max(storages.Count(s => s != typeof(object)), 1), pinned: true);
        var cells = new GlobalCell[storages.Length];
        int r = 0, v = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = storages[i] == typeof(object)
                ? new GlobalCell(storages[i], references, null, r++)
                : new GlobalCell(storages[i], null, values, v++);
        }

        return cells;
    }

    /// <summary>The slot table: an entry address per function index, zero until compiled, then wrapper slots.</summary>
    public nint[] Slots { get; }

    /// <summary>Slots in use: the program's functions, then the wrappers made so far.</summary>
    public int SlotCount { get; set; }

    public nint SlotsAddress => Address(Slots, 0);

    /// <summary>
    /// How many function indices there is room for: the program's, then (with hot reload) those
    /// later versions add. Wrapper slots start here.
    /// </summary>
    public int FunctionCapacity { get; }

    /// <summary>How many run-time types there is room for: the program's, then (with hot reload) those later versions add.</summary>
    public int TypeCapacity { get; }

    /// <summary>How many type cells are in use: the program's types, then those reloads added.</summary>
    public int TypeCount => Volatile.Read(ref _typeCount);

    /// <summary>
    /// Puts types a reload added into the next free type cells and returns the index of the first.
    /// The caller checked there is room (<see cref="TypeCapacity"/>); no code names the cells yet.
    /// </summary>
    public int AddTypes(IReadOnlyList<HlRuntimeType> types)
    {
        var first = _typeCount;
        if (first + types.Count > TypeCapacity)
        {
            throw new InvalidOperationException($"no room for {types.Count} more types (restart needed)");
        }

        for (var i = 0; i < types.Count; i++)
        {
            Volatile.Write(ref _objects[1 + first + i], types[i]);
        }

        Volatile.Write(ref _typeCount, first + types.Count);
        return first;
    }

    /// <summary>Fills the object cells once the module and its types exist.</summary>
    public void SetObjects(HlModule module, HlRuntimeType[] types)
    {
        _objects[ModuleIndex] = module;
        Array.Copy(types, 0, _objects, 1, types.Length);
    }

    public object? GetGlobal(int index)
    {
        var (storage, references, values, cell) = Volatile.Read(ref _globals)[index];
        if (references is not null)
        {
            return Volatile.Read(ref references[cell]);
        }

        ref var value = ref values![cell];
        return storage == typeof(int) ? Unsafe.As<long, int>(ref value)
            : storage == typeof(long) ? value
            : storage == typeof(double) ? Unsafe.As<long, double>(ref value)
            : storage == typeof(float) ? Unsafe.As<long, float>(ref value)
            : Unsafe.As<long, bool>(ref value);
    }

    public void SetGlobal(int index, object? value)
    {
        var (storage, references, values, cell) = Volatile.Read(ref _globals)[index];
        if (references is not null)
        {
            Volatile.Write(ref references[cell], value);
            return;
        }

        ref var slot = ref values![cell];
        if (storage == typeof(int))
        {
            Unsafe.As<long, int>(ref slot) = (int)value!;
        }
        else if (storage == typeof(long))
        {
            slot = (long)value!;
        }
        else if (storage == typeof(double))
        {
            Unsafe.As<long, double>(ref slot) = (double)value!;
        }
        else if (storage == typeof(float))
        {
            Unsafe.As<long, float>(ref slot) = (float)value!;
        }
        else
        {
            Unsafe.As<long, bool>(ref slot) = (bool)value!;
        }
    }

    // ---- where compiled code finds things (IStorageEmitter turns these into IL) ----

    /// <summary>The address of the module's cell; the run-time types follow it, one cell per type index.</summary>
    public nint ObjectsAddress => Address(_objects, ModuleIndex);

    /// <summary>The storage type of a global (what a load of it pushes).</summary>
    public Type GlobalStorage(int index) => Volatile.Read(ref _globals)[index].Storage;

    /// <summary>The address of a global's cell.</summary>
    public nint GlobalAddress(int index)
    {
        var (_, references, values, cell) = Volatile.Read(ref _globals)[index];
        return references is not null ? Address(references, cell) : Address(values!, cell);
    }

    /// <summary>
    /// Where a global of the program (not one a reload added) lives: in the array of references or
    /// in that of values, and at which element. The same program always gives the same answer, so
    /// code compiled ahead of time can name the cell by position.
    /// </summary>
    public (bool IsReference, int Cell) GlobalPosition(int index)
    {
        var (_, references, _, cell) = Volatile.Read(ref _globals)[index];
        return (references is not null, cell);
    }

    /// <summary>The first cells of the program's own global arrays (references, then 8-byte values).</summary>
    public (nint References, nint Values) GlobalBases
    {
        get
        {
            // A loop, not LINQ: LINQ over this struct has no ReadyToRun code (it was JIT-compiled at every start).
            object?[]? references = null;
            long[]? values = null;
            foreach (var cell in Volatile.Read(ref _globals))
            {
                references ??= cell.References;
                values ??= cell.Values;
            }

            return (references is null ? 0 : Address(references, 0), values is null ? 0 : Address(values, 0));
        }
    }

    // The arrays are pinned, so an element's address is fixed for the array's life.
    private static nint Address<T>(T[] pinned, int index) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, index);
}
