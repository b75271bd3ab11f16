using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Compiles one HashLink function to one static .NET method. Registers become typed IL locals,
/// jumps become branches, traps become try/catch regions, and a call goes through the callee's
/// slot (<c>calli</c>), so callees compile lazily and can be replaced, unless nothing can replace
/// its target (<see cref="HlModule.DirectCallTarget"/>): then it is a plain <c>call</c>.
/// </summary>
[RequiresDynamicCode("Compiles HashLink functions to IL at run time; a precompiled program (hlsharp compile) does not")]
internal sealed partial class FunctionCompiler
{
    private readonly HlModule _m;
    private readonly HlFunction _f;
    private readonly HlCode _code;
    private readonly CodeIndexMap _map;
    private readonly TypeBuilder _type;
    private readonly MethodBuilder _method;
    private readonly ILGenerator _il;
    private readonly LocalBuilder?[] _locals;
    private readonly LocalBuilder?[] _cells;
    private readonly Label[] _labels;
    private readonly List<TrapRegion> _traps = [];
    private readonly Dictionary<Type, LocalBuilder> _scratch = [];
    private readonly Type _returnType;
    private LocalBuilder? _returnLocal;
    private Label _returnLabel;
    private int _opIndex;
    private readonly int _skipFrom = -1;
    private readonly bool _ownsType = true;

    public FunctionCompiler(HlModule module, HlFunction function)
        : this(module, function, module.Code, CodeIndexMap.Identity, function.Index, arena: null)
    {
    }

    /// <summary>
    /// Compiles a function of <paramref name="source"/>, which may be a newer version of the
    /// module's program (a hot reload): <paramref name="map"/> sends the indices its operations
    /// name to the module's, and the method implements the module's function <paramref name="liveIndex"/>.
    /// A reload compiles into an <paramref name="arena"/> of its own, so its code is freed once
    /// a later reload replaced it and no frame runs it; null is the module's own.
    /// </summary>
    public FunctionCompiler(HlModule module, HlFunction function, HlCode source, CodeIndexMap map, int liveIndex, DynamicCodeArena? arena)
    {
        _m = module;
        _f = function;
        _code = source;
        _map = map;
        _returnType = StorageTypes.Of(function.Type.ReturnType);
        var parameters = function.Type.Arguments.Select(StorageTypes.OfArgument).ToArray();
        if (module.SkipEntryEventLoop && map.IsIdentity && function.Index == _code.EntryPoint)
        {
            _skipFrom = EntryEventLoop.FirstSkippedOp(_code);
        }

        if (module.Writer is { } writer && arena is null)
        {
            // Written ahead of time: many functions share a type (each type costs a type load at start-up).
            (_type, var methodName) = writer.FunctionHome(liveIndex, hostedEntry: _skipFrom >= 0);
            _ownsType = false;
            // The hosted entry is a method of its own; a function's method may exist already, named by a direct call to it.
            _method = _skipFrom >= 0
                ? _type.DefineMethod(methodName, MethodAttributes.Public | MethodAttributes.Static, _returnType, parameters)
                : writer.FunctionMethod(liveIndex, _returnType, parameters);
        }
        else
        {
            var safeName = new string([.. function.Name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_')]);
            var name = $"fn{liveIndex}_{safeName}";
            const TypeAttributes attributes = TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed;
            _type = arena is null ? module.DefineType(name, attributes) : arena.DefineType(name, attributes);
            _method = _type.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.Static, _returnType, parameters);
        }

        _il = _method.GetILGenerator();
        _locals = new LocalBuilder?[function.Registers.Length];
        _cells = new LocalBuilder?[function.Registers.Length];
        _labels = new Label[function.Ops.Length + 1];
    }

    /// <summary>
    /// Operations left out of the compiled method (true at their index), set before <see cref="Compile"/>:
    /// a reload runs the new version's entry with all but what initialises new statics left out (<see cref="ReloadInit"/>).
    /// </summary>
    public bool[]? Dropped { get; init; }

    /// <summary>After <see cref="Compile"/>: the IL offset where each operation starts (for stack traces).</summary>
    public int[] IlOffsets { get; private set; } = [];

    private sealed record TrapRegion(int TrapIndex, int HandlerIndex, int Register);

    public MethodInfo Compile()
    {
        try
        {
            return CompileBody();
        }
        catch (Exception e) when (e is not (HlException or InsufficientExecutionStackException or OutOfMemoryException))
        {
            // Whatever else goes wrong on bad bytecode is still a compile error naming the operation
            // (running out of stack or memory while compiling is the program's fault, not the bytecode's).
            throw new HlCompileException(_f.Name, _opIndex, $"{e.GetType().Name}: {e.Message}", e);
        }
    }

    private MethodInfo CompileBody()
    {
        for (var i = 0; i < _labels.Length; i++)
        {
            _labels[i] = _il.DefineLabel();
        }

        FindTraps();
        DeclareRegisters();
        _returnLabel = _il.DefineLabel();
        if (_returnType != typeof(void) && !IsLeaf)
        {
            _returnLocal = _il.DeclareLocal(_returnType);
        }

        if (!IsLeaf)
        {
            // A leaf cannot recurse or loop: its callers' guards and polls cover it (FunctionCompiler.Leaves.cs).
            EmitStackGuard();
        }

        LoadStopFlagOnce();
        CopyArguments();

        var ops = _f.Ops;
        var ilOffsets = new int[ops.Length];
        for (_opIndex = 0; _opIndex < ops.Length; _opIndex++)
        {
            CloseTrapsEndingAt(_opIndex);
            _il.MarkLabel(_labels[_opIndex]);
            ilOffsets[_opIndex] = _il.ILOffset;
            CheckOperands(ops[_opIndex]);
            EmitLoopHeadPoll();
            EmitOp(ops[_opIndex]);
            if (ops[_opIndex].Opcode == HlOpcode.Trap)
            {
                _il.BeginExceptionBlock();
            }
        }

        CloseTrapsEndingAt(ops.Length);
        _il.MarkLabel(_labels[ops.Length]);
        if (MayRunPastEnd())
        {
            // Falling off the end cannot happen in code Haxe writes; make it an error, not undefined.
            _il.Emit(OpCodes.Ldstr, $"{_f.Name} ran past its last operation");
            _il.Emit(OpCodes.Newobj, typeof(InvalidOperationException).GetConstructor([typeof(string)])!);
            _il.Emit(OpCodes.Throw);
        }

        if (!IsLeaf)
        {
            _il.MarkLabel(_returnLabel);
            if (_returnLocal is not null)
            {
                _il.Emit(OpCodes.Ldloc, _returnLocal);
            }

            _il.Emit(OpCodes.Ret);
        }

        EmitColdSafePoints();
        IlOffsets = ilOffsets;
        ChooseTier();
        if (!_ownsType)
        {
            return _method; // the writer creates the shared type once every function is in it
        }

        var created = _type.CreateType();
        return created.GetMethod("Invoke")!;
    }

    private HlCompileException Error(string problem) => new(_f.Name, _opIndex, problem);

    // ---- traps ----

    private void FindTraps()
    {
        var ops = _f.Ops;
        for (var i = 0; i < ops.Length; i++)
        {
            if (ops[i].Opcode == HlOpcode.Trap)
            {
                var handler = HlOp.JumpTarget(i, ops[i].P2);
                if (handler <= i)
                {
                    _opIndex = i;
                    throw Error("a trap whose handler comes before it");
                }

                _traps.Add(new TrapRegion(i, handler, ops[i].P1));
            }
        }

        // IL protected regions must nest: each trap's body must lie inside or outside every other.
        foreach (var a in _traps)
        {
            foreach (var b in _traps)
            {
                if (a.TrapIndex < b.TrapIndex && b.TrapIndex < a.HandlerIndex && b.HandlerIndex > a.HandlerIndex)
                {
                    _opIndex = b.TrapIndex;
                    throw Error("overlapping traps");
                }
            }
        }
    }

    private static bool Inside(TrapRegion region, int op) => op > region.TrapIndex && op < region.HandlerIndex;

    private void CloseTrapsEndingAt(int op)
    {
        // Innermost first: the one that started last.
        foreach (var region in _traps.Where(t => t.HandlerIndex == op).OrderByDescending(t => t.TrapIndex))
        {
            _il.Emit(OpCodes.Leave, _labels[op]);
            _il.BeginCatchBlock(typeof(Exception));
            var caught = Scratch(typeof(Exception));
            _il.Emit(OpCodes.Stloc, caught);
            LoadModule();
            _il.Emit(OpCodes.Ldloc, caught);
            _il.Emit(OpCodes.Call, HelperMethods.Get(typeof(Traps), nameof(Traps.CatchValue)));
            EmitConvert(typeof(object), region.Register);
            Store(region.Register);
            _il.Emit(OpCodes.Leave, _labels[op]);
            _il.EndExceptionBlock();
        }
    }

    /// <summary>True when a branch from the current op to <paramref name="target"/> leaves a protected region.</summary>
    private bool Leaves(int target)
    {
        var leaves = false;
        foreach (var region in _traps)
        {
            var fromInside = Inside(region, _opIndex);
            var toInside = Inside(region, target);
            if (!fromInside && toInside && target != region.TrapIndex + 1)
            {
                throw Error($"a jump into the middle of a trap (to operation {target})");
            }

            leaves |= fromInside && !toInside;
        }

        return leaves;
    }

    private bool InsideAnyTrap => _traps.Any(r => Inside(r, _opIndex));

    private void Branch(int target)
    {
        _il.Emit(Leaves(target) ? OpCodes.Leave : OpCodes.Br, _labels[target]);
    }

    /// <summary>Emits a conditional branch; one that leaves a trap goes through a local <c>leave</c>.</summary>
    private void BranchIf(OpCode condition, int target)
    {
        if (!Leaves(target))
        {
            _il.Emit(condition, _labels[target]);
            return;
        }

        var take = _il.DefineLabel();
        var skip = _il.DefineLabel();
        _il.Emit(condition, take);
        _il.Emit(OpCodes.Br, skip);
        _il.MarkLabel(take);
        _il.Emit(OpCodes.Leave, _labels[target]);
        _il.MarkLabel(skip);
    }

    private int JumpTarget(int offset) => HlOp.JumpTarget(_opIndex, offset);

    private void Return()
    {
        if (IsLeaf)
        {
            // A leaf calls nothing, so no tail call to fear: a plain `ret` keeps its IL small.
            _il.Emit(OpCodes.Ret);
            return;
        }

        // Every return goes through the shared exit: a `ret` right after a call would let the JIT
        // turn the call into a tail call, and the caller's frame would vanish from Haxe stack traces.
        if (_returnLocal is not null)
        {
            _il.Emit(OpCodes.Stloc, _returnLocal);
        }

        _il.Emit(InsideAnyTrap ? OpCodes.Leave : OpCodes.Br, _returnLabel);
    }

    // ---- registers ----

    private void DeclareRegisters()
    {
        var referenced = new HashSet<int>();
        foreach (var op in _f.Ops)
        {
            if (op.Opcode == HlOpcode.Ref)
            {
                referenced.Add(op.P2);
            }
        }

        for (var r = 0; r < _f.Registers.Length; r++)
        {
            var storage = StorageTypes.Of(_f.Registers[r]);
            if (storage == typeof(void))
            {
                continue;
            }

            _locals[r] = _il.DeclareLocal(storage);
            if (referenced.Contains(r))
            {
                // The register moves into its cell where its address is first taken (FunctionCompiler.RefCells.cs).
                var cellType = typeof(HlRef<>).MakeGenericType(storage);
                _cells[r] = _il.DeclareLocal(cellType);
                if (CellsOnEntry)
                {
                    // Operations left out (a reload's entry, the hosted entry) would leave the phases wrong.
                    _il.Emit(OpCodes.Newobj, cellType.GetConstructor(Type.EmptyTypes)!);
                    _il.Emit(OpCodes.Stloc, _cells[r]!);
                }
            }
        }

        if (!CellsOnEntry && referenced.Count > 0)
        {
            ComputeCellPhases(referenced);
        }
    }

    private void CopyArguments()
    {
        for (var a = 0; a < _f.Type.Arguments.Count; a++)
        {
            if (StorageTypes.Of(_f.Type.Arguments[a]) == typeof(void))
            {
                continue;
            }

            _il.Emit(OpCodes.Ldarg, a);
            EmitConvert(StorageTypes.Of(_f.Type.Arguments[a]), a);
            Store(a);
        }
    }

    private HlType RegType(int r) => _f.Registers[r];

    private HlRuntimeType RegRt(int r) => _m.Types[_map.Type(_f.Registers[r].Index)];

    /// <summary>The module's run-time type for a type of the function's own bytecode.</summary>
    private HlRuntimeType SourceType(HlType type) => _m.Types[_map.Type(type.Index)];

    private Type RegStorage(int r) => StorageTypes.Of(_f.Registers[r]);

    /// <summary>Pushes a register's value.</summary>
    private void Load(int r)
    {
        if (_cells[r] is { } cell)
        {
            LoadReferenced(r, cell, _locals[r]!);
        }
        else if (_locals[r] is { } local)
        {
            _il.Emit(OpCodes.Ldloc, local);
        }
        else
        {
            // A void register read as a value: HashLink treats it as null / zero.
            _il.Emit(OpCodes.Ldnull);
        }
    }

    /// <summary>Pops a value of the register's storage type into the register (void registers discard it).</summary>
    private void Store(int r)
    {
        var kind = RegType(r).Kind;
        if (kind == HlTypeKind.UI8)
        {
            _il.Emit(OpCodes.Conv_U1);
        }
        else if (kind == HlTypeKind.UI16)
        {
            _il.Emit(OpCodes.Conv_U2);
        }

        if (_cells[r] is { } cell)
        {
            StoreReferenced(r, cell, _locals[r]!);
        }
        else if (_locals[r] is { } local)
        {
            _il.Emit(OpCodes.Stloc, local);
        }
        else
        {
            _il.Emit(OpCodes.Pop);
        }
    }

    private LocalBuilder Scratch(Type type)
    {
        if (!_scratch.TryGetValue(type, out var local))
        {
            local = _il.DeclareLocal(type);
            _scratch[type] = local;
        }

        return local;
    }

    private void LoadModule() => _m.Emitter.EmitLoadModule(_il);

    private void CallModule(string name) => _il.Emit(OpCodes.Callvirt, HelperMethods.Get(typeof(HlModule), name));

    /// <summary>Pushes the module's <see cref="HlRuntime"/>, the receiver of dynamic operations.</summary>
    private void LoadDynamics()
    {
        LoadModule();
        _il.Emit(OpCodes.Ldfld, HlModule.RuntimeField);
    }

    private void CallDynamics(string name) => _il.Emit(OpCodes.Callvirt, HelperMethods.Get(typeof(HlRuntime), name));

    private static void CallRuntime(ILGenerator il, string name) => il.Emit(OpCodes.Call, HelperMethods.Get(typeof(RuntimeOps), name));

    private void CallRuntime(string name) => CallRuntime(_il, name);

    private void LoadType(HlRuntimeType type) => LoadTypeIndex(Array.IndexOf(_m.Types, type));

    private void LoadTypeIndex(int typeIndex) => _m.Emitter.EmitLoadType(_il, typeIndex);

    /// <summary>Converts the value on the stack from <paramref name="from"/> to the storage of register <paramref name="r"/>.</summary>
    private void EmitConvert(Type from, int r) => EmitConvert(from, RegStorage(r), RegRt(r));

    /// <summary>Converts the value on the stack between storage types, as HashLink's casts do.</summary>
    private void EmitConvert(Type from, Type to, HlRuntimeType? toType = null)
    {
        if (from == to || to == typeof(void))
        {
            return;
        }

        if (from == typeof(void))
        {
            // A void register read as a value is null (see Load); as a number, HashLink reads zero.
            if (to != typeof(object))
            {
                _il.Emit(OpCodes.Pop);
                EmitDefault(to);
            }

            return;
        }

        if (from == typeof(object))
        {
            // Unboxing a dynamic into a typed register: HashLink's dynamic casts.
            CallRuntime(to == typeof(int) ? nameof(RuntimeOps.DynToInt)
                : to == typeof(long) ? nameof(RuntimeOps.DynToLong)
                : to == typeof(float) ? nameof(RuntimeOps.DynToFloat)
                : to == typeof(double) ? nameof(RuntimeOps.DynToDouble)
                : nameof(RuntimeOps.DynToBool));
            return;
        }

        if (to == typeof(object))
        {
            EmitBox(from, toType?.Kind == HlTypeKind.Null ? toType.Inner!.Kind : KindOf(from));
            return;
        }

        if (to == typeof(int) || to == typeof(bool))
        {
            if (from == typeof(double) || from == typeof(float))
            {
                if (from == typeof(float))
                {
                    _il.Emit(OpCodes.Conv_R8);
                }

                CallRuntime(nameof(RuntimeOps.FloatToInt));
            }
            else if (from == typeof(long))
            {
                _il.Emit(OpCodes.Conv_I4);
            }
        }
        else if (to == typeof(long))
        {
            if (from == typeof(double) || from == typeof(float))
            {
                if (from == typeof(float))
                {
                    _il.Emit(OpCodes.Conv_R8);
                }

                CallRuntime(nameof(RuntimeOps.FloatToLong));
            }
            else
            {
                _il.Emit(OpCodes.Conv_I8);
            }
        }
        else if (to == typeof(double))
        {
            _il.Emit(OpCodes.Conv_R8);
        }
        else if (to == typeof(float))
        {
            _il.Emit(OpCodes.Conv_R4);
        }
    }

    private static HlTypeKind KindOf(Type storage) =>
        storage == typeof(int) ? HlTypeKind.I32
        : storage == typeof(long) ? HlTypeKind.I64
        : storage == typeof(float) ? HlTypeKind.F32
        : storage == typeof(double) ? HlTypeKind.F64
        : storage == typeof(bool) ? HlTypeKind.Bool
        : HlTypeKind.Dyn;

    /// <summary>Boxes a value of a basic kind as a dynamic that remembers its HashLink type.</summary>
    private void EmitBox(Type storage, HlTypeKind kind)
    {
        if (storage == typeof(void))
        {
            // A void register reads as null (see Load), which is already a dynamic.
            return;
        }

        if (FieldAccessors.EmitBoxSmallInteger(_il, kind) || storage == typeof(object))
        {
            return;
        }

        var target = StorageTypes.Of(kind);
        if (target != storage && target != typeof(object) && target != typeof(void))
        {
            EmitConvert(storage, target);
            storage = target;
        }

        Boxing.Emit(_il, storage);
    }
}
