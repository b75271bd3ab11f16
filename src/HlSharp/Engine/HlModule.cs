using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// A loaded program: the bytecode, its run-time types, its globals and a slot per function index.
/// What can be done to its values dynamically is <see cref="Runtime"/>'s job; the mutable state of
/// the VM running it is <see cref="Vm"/>'s.
/// Every call goes through a slot (a function pointer); a zero slot means "not compiled yet" and
/// the call site asks <see cref="EnsureCompiled"/>, so functions compile on first call.
/// Everything emitted lives in dynamic assemblies of this module's own, so modules share no
/// statics; they are collectible unless the host said otherwise (<c>HlVmOptions.CollectibleCode</c>),
/// and then a module nothing references any more is unloaded with its code. The hot
/// data compiled code reads (slots, globals, the module, the types) is in <see cref="Storage"/>,
/// at constant addresses.
/// </summary>
internal sealed partial class HlModule
{
    private static int s_moduleCounter;

    private readonly DynamicCodeArena _arena;
    private readonly Lock _compileLock = new();
    private readonly HlBytes?[] _stringConstants;
    private readonly HlBytes?[] _bytesConstants;
    private readonly MethodInfo?[] _compiled;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, int> _functionTypes = new();
    private readonly nint[] _slots;
    private FunctionSymbols? _symbols;

    public HlModule(HlCode code, INativeResolver natives, HlVmContext vm, bool collectible)
    {
        Code = code;
        Vm = vm;
        Hashes = vm.Hashes;
        var id = Interlocked.Increment(ref s_moduleCounter);
        Storage = new ModuleStorage(code);
        _arena = new DynamicCodeArena($"{AssemblyPrefix}{id}", Storage, collectible);

        Types = RuntimeTypeBuilder.Build(code, Hashes, _arena);
        Runtime = new HlRuntime(code, Types, Hashes, this, () => vm.Thread);
        _stringConstants = new HlBytes?[code.Strings.Length];
        _bytesConstants = new HlBytes?[code.BytesCount];
        _compiled = new MethodInfo?[code.FunctionIndexCount];
        _slots = Storage.Slots;
        Storage.SetObjects(this, Types);

        Natives = new NativeAdapters(this, natives);
        Natives.BindAll();
        InitConstants();
    }

    public HlCode Code { get; }

    /// <summary>Whether compiled functions poll for safe points; false only to measure what the polls cost (set before anything compiles).</summary>
    public bool SafePointPolls { get; set; } = true;

    /// <summary>
    /// Whether the entry function leaves out the event loop the Haxe compiler appends after
    /// <c>main</c> (the host runs it instead, one frame at a time); set before the entry compiles.
    /// </summary>
    public bool SkipEntryEventLoop { get; set; }

    /// <summary>For each compiled function, the IL offset where each operation starts (for stack traces).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<int, int[]> OpOffsets { get; } = new();

    public HlVmContext Vm { get; }

    /// <summary>HashLink's names for functions, as stack traces and null-access errors print them.</summary>
    public FunctionSymbols Symbols => _symbols ??= new FunctionSymbols(Code);

    public NameHash Hashes { get; }

    public HlRuntimeType[] Types { get; }

    /// <summary>The dynamic operations on this program's values (a field: compiled code loads it on every dynamic operation).</summary>
    public readonly HlRuntime Runtime;

    /// <summary>The <see cref="Runtime"/> field, as compiled code loads it.</summary>
    public static readonly FieldInfo RuntimeField = typeof(HlModule).GetField(nameof(Runtime))!;

    /// <summary>The adapters compiled code calls natives through.</summary>
    public NativeAdapters Natives { get; }

    /// <summary>How the names of this program's emitted assemblies start (then a module number, a dot and an assembly number).</summary>
    public const string AssemblyPrefix = "HlSharp.Program";

    /// <summary>The slots, globals, module and types, where compiled code reads them.</summary>
    public ModuleStorage Storage { get; }

    /// <summary>Defines a type for emitted code (classes, compiled functions, adapters).</summary>
    public TypeBuilder DefineType(string name, TypeAttributes attributes, Type? parent = null) => _arena.DefineType(name, attributes, parent);

    /// <summary>Returns the entry address of a function index, compiling the function if needed.</summary>
    /// <remarks>
    /// Never inlined: it is the cold path of every call site, and collectible code is compiled
    /// fully optimised at once, without the profile that would tell the JIT so. Inlined, it
    /// brought a P/Invoke frame and six saved registers into the prologue of every caller (fib
    /// ran 1.7 times as long).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public nint EnsureCompiled(int functionIndex)
    {
        var slot = Volatile.Read(ref _slots[functionIndex]);
        if (slot != 0)
        {
            return slot;
        }

        return GetMethod(functionIndex).MethodHandle.GetFunctionPointer();
    }

    /// <summary>Returns the compiled .NET method of a function index (a function body or a native adapter).</summary>
    public MethodInfo GetMethod(int functionIndex)
    {
        if (_compiled[functionIndex] is { } done)
        {
            return done;
        }

        lock (_compileLock)
        {
            if (_compiled[functionIndex] is { } raced)
            {
                return raced;
            }

            var method = Code.GetFunction(functionIndex) is { } function
                ? new FunctionCompiler(this, function).Compile()
                : Natives.GetAdapter(functionIndex);
            if (method.DeclaringType is { } declaring && Code.GetFunction(functionIndex) is not null)
            {
                _functionTypes[declaring] = functionIndex;
            }

            try
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
            catch (InvalidProgramException e) when (Code.GetFunction(functionIndex) is { } refused)
            {
                // The operand checks should have refused the bytecode; this keeps the error a compile error.
                throw new HlCompileException(refused.Name, "the CLR refused the compiled method (invalid IL)", e);
            }
            _compiled[functionIndex] = method;
            Volatile.Write(ref _slots[functionIndex], method.MethodHandle.GetFunctionPointer());
            return method;
        }
    }

    /// <summary>
    /// The cold path of a safe point, taken while the poll flag is set: unwinds this thread when the
    /// VM is stopping, otherwise lets it attend to what was asked of it (<see cref="ThreadWake"/>) and go on.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void AtSafePoint() => Vm.Stop.Arrive();

    /// <summary>The function a compiled .NET method implements, or null when the method is not one of this module's.</summary>
    public HlFunction? FunctionOf(MethodBase method) =>
        method.DeclaringType is { } type && _functionTypes.TryGetValue(type, out var index) ? Code.GetFunction(index) : null;

    /// <summary>The UCS-2 bytes of a string constant (shared, as HashLink shares them).</summary>
    public HlBytes GetString(int index) => _stringConstants[index] ??= HlBytes.FromString(Code.Strings[index]);

    /// <summary>The bytes constant at an index (version 5), or the UTF-8 bytes of a string before version 5.</summary>
    public HlBytes GetBytes(int index)
    {
        if (Code.Version < 5)
        {
            return HlBytes.FromUtf8(Code.Strings[index]);
        }

        return _bytesConstants[index] ??= new HlBytes(Code.GetBytes(index).ToArray());
    }

    public object? GetGlobal(int index) => Storage.GetGlobal(index);

    public void SetGlobal(int index, object? value) => Storage.SetGlobal(index, value);

    private void InitConstants()
    {
        // Version 4 initialises some globals (strings, mostly) from constants at load, as
        // HashLink's module.c does: each field takes an int, float, string or another global.
        foreach (var constant in Code.Constants)
        {
            var type = Types[Code.Globals[constant.GlobalIndex].Index];
            if (type.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
            {
                throw new HlLoadException($"constant for global {constant.GlobalIndex} has type {type}, expected a class");
            }

            var obj = Runtime.AllocateObject(type);
            var own = ((HlObjectType)type.Source!).Fields;
            var baseIndex = type.Fields.Length - own.Count;
            for (var i = 0; i < constant.Fields.Length && i < own.Count; i++)
            {
                var field = type.Fields[baseIndex + i];
                var index = constant.Fields[i];
                object? value = field.Type.Kind switch
                {
                    HlTypeKind.I32 => Code.Ints[index],
                    HlTypeKind.Bool => index != 0,
                    HlTypeKind.F64 => Code.Floats[index],
                    HlTypeKind.Bytes => GetString(index),
                    HlTypeKind.Type => Types[index],
                    _ => GetGlobal(index),
                };
                field.Field!.SetValue(obj, value);
            }

            SetGlobal(constant.GlobalIndex, obj);
        }
    }
}
