using System.Diagnostics.CodeAnalysis;
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
/// A call goes through a slot (a function pointer); a zero slot means "not compiled yet" and
/// the call site asks <see cref="EnsureCompiled"/>, so functions compile on first call. A call
/// whose target nothing can replace may name the callee's method instead (HlModule.DirectCalls.cs).
/// Everything emitted lives in dynamic assemblies of this module's own, so modules share no
/// statics; they are collectible unless the host said otherwise (<c>HlVmOptions.CollectibleCode</c>),
/// and then a module nothing references any more is unloaded with its code. The hot
/// data compiled code reads (slots, globals, the module, the types) is in <see cref="Storage"/>,
/// at constant addresses. A program compiled ahead of time (<see cref="CompiledProgram"/>) has
/// every function and class in an assembly of its own instead, which reaches the same storage
/// through its statics; its module compiles nothing and binds every slot at load.
/// </summary>
internal sealed partial class HlModule
{
    private static int s_moduleCounter;

    private readonly ICodeTarget _codeTarget;
    private readonly int _id;
    private readonly bool _collectible;
    private readonly Lock _compileLock = new();
    private readonly HlBytes?[] _bytesConstants;
    private readonly MethodInfo?[] _compiled;
    private readonly HashSet<int> _compiling = [];
    private readonly CompiledBody?[] _bodies;
    // Weak in the type: a body a reload replaced must not be kept alive by this table once no frame runs it.
    private readonly ConditionalWeakTable<Type, CompiledBody> _functionTypes = new();
    private ConstantStrings _strings;
    private readonly nint[] _slots;
    private FunctionSymbols? _symbols;

    /// <param name="code">The program.</param>
    /// <param name="natives">What implements its natives.</param>
    /// <param name="vm">The state of the VM running it.</param>
    /// <param name="collectible">Whether emitted code may be unloaded with the module.</param>
    /// <param name="hotReload">Whether it is loaded for hot reload.</param>
    /// <param name="writer">Set to compile the program ahead of time into that assembly (nothing of it runs here).</param>
    /// <param name="compiled">Set to run a program compiled ahead of time: its code and classes come from its assembly.</param>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Emits only when compiled is null (a bytecode load); HlVm.Load(Assembly) always passes it")]
    public HlModule(HlCode code, INativeResolver natives, HlVmContext vm, bool collectible, bool hotReload = false,
        ProgramAssemblyWriter? writer = null, CompiledProgram? compiled = null)
    {
        Code = code;
        Vm = vm;
        Hashes = vm.Hashes;
        _id = Interlocked.Increment(ref s_moduleCounter);
        _collectible = collectible;
        Storage = new ModuleStorage(code, hotReload);
        _added = new AddedFunction?[Storage.FunctionCapacity - code.FunctionIndexCount];
        _functionCount = code.FunctionIndexCount;
        _codeTarget = writer ?? (ICodeTarget)new DynamicCodeArena($"{AssemblyPrefix}{_id}", Storage, collectible);
        Writer = writer;
        _compiledProgram = compiled;
        Emitter = writer?.EmitterFor(Storage) ?? new ConstantStorageEmitter(Storage, Sites, vm.Stop.FlagAddress);

        HotReload = hotReload;
        Types = RuntimeTypeBuilder.Build(code, Hashes, compiled?.Classes ?? new EmittedClasses(_codeTarget), hotReload);
        compiled?.AttachFactories(Types);
        Runtime = new HlRuntime(code, Types, Hashes, this, () => vm.Thread);
        _strings = new ConstantStrings([.. code.Strings], new HlBytes?[code.Strings.Length]);
        _bytesConstants = new HlBytes?[code.BytesCount];
        _compiled = new MethodInfo?[Storage.FunctionCapacity];
        _bodies = new CompiledBody?[Storage.FunctionCapacity];
        _invokers = new Func<object?[], object?>?[Storage.FunctionCapacity];
        _slots = Storage.Slots;
        Storage.SetObjects(this, Types);

        Natives = new NativeAdapters(this, natives);
        Natives.BindAll(compiled?.WrittenDirect);
        if (writer is null)
        {
            // Written ahead of time, nothing runs here: the constants are made when the program loads.
            InitConstants();
        }
    }

    public HlCode Code { get; }

    /// <summary>Loaded for hot reload: classes derive from <see cref="HlReloadableInstance"/> (fields can be added).</summary>
    public bool HotReload { get; }

    /// <summary>Whether compiled functions poll for safe points; false only to measure what the polls cost (set before anything compiles).</summary>
    public bool SafePointPolls { get; set; } = true;

    /// <summary>
    /// Whether the entry function leaves out the event loop the Haxe compiler appends after
    /// <c>main</c> (the host runs it instead, one frame at a time); set before the entry compiles.
    /// </summary>
    public bool SkipEntryEventLoop { get; set; }

    public HlVmContext Vm { get; }

    /// <summary>HashLink's names for functions, as stack traces and null-access errors print them.</summary>
    public FunctionSymbols Symbols => _symbols ??= new FunctionSymbols(Code);

    public NameHash Hashes { get; }

    /// <summary>The run-time type of every type index: the program's, then those reloads added (replaced whole when they do).</summary>
    public HlRuntimeType[] Types { get; private set; }

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

    /// <summary>How compiled code reaches <see cref="Storage"/> and the sites.</summary>
    public IStorageEmitter Emitter { get; }

    /// <summary>The inline caches of compiled code's field and method sites by name (forgotten by every reload).</summary>
    public SiteTable Sites { get; } = new();

    /// <summary>Defines a type for emitted code (classes, compiled functions, adapters).</summary>
    public TypeBuilder DefineType(string name, TypeAttributes attributes, Type? parent = null) => _codeTarget.DefineType(name, attributes, parent);

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
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "JIT path only: precompiled modules have every method before they run, so never compile here")]
    public MethodInfo GetMethod(int functionIndex)
    {
        if (_compiled[functionIndex] is { } done)
        {
            return done;
        }

        if (_compiledProgram is { } program)
        {
            // Compiled ahead of time: every slot is bound already; this only names the method.
            return _compiled[functionIndex] = program.Method(functionIndex);
        }

        lock (_compileLock)
        {
            return _compiled[functionIndex] ?? CompileLocked(functionIndex, depth: 0);
        }
    }

    /// <summary>
    /// Compiles a function (or binds a native's adapter) while holding the compile lock. A
    /// function's small direct callees compile first (<see cref="CompileCalleesFirst"/>), so its
    /// calls to them can be plain <c>call</c>s; those are left to the CLR to JIT when first called
    /// (<paramref name="depth"/> above 0), while one compiled for a call is JIT-compiled here.
    /// </summary>
    [RequiresDynamicCode("Compiles HashLink functions to IL")]
    private MethodInfo CompileLocked(int functionIndex, int depth)
    {
        MethodInfo method;
        if (functionIndex < Code.FunctionIndexCount && Code.GetFunction(functionIndex) is { } function)
        {
            ThrowIfFailedAhead(functionIndex);
            _compiling.Add(functionIndex);
            try
            {
                CompileCalleesFirst(function, depth);
                var compiler = new FunctionCompiler(this, function);
                method = compiler.Compile();
                var body = new CompiledBody(functionIndex, function, Code, CodeIndexMap.Identity, compiler.IlOffsets);
                _functionTypes.AddOrUpdate(method.DeclaringType!, body);
                _bodies[functionIndex] = body;
            }
            finally
            {
                _compiling.Remove(functionIndex);
            }
        }
        else
        {
            method = Natives.GetAdapter(functionIndex);
        }

        if (depth == 0)
        {
            try
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
            catch (InvalidProgramException e) when (functionIndex < Code.FunctionIndexCount && Code.GetFunction(functionIndex) is { } refused)
            {
                // The operand checks should have refused the bytecode; this keeps the error a compile error.
                throw new HlCompileException(refused.Name, "the CLR refused the compiled method (invalid IL)", e);
            }
        }

        _compiled[functionIndex] = method;
        Volatile.Write(ref _slots[functionIndex], method.MethodHandle.GetFunctionPointer());
        return method;
    }

    /// <summary>
    /// The cold path of a safe point, taken while the poll flag is set: unwinds this thread when the
    /// VM is stopping, otherwise lets it attend to what was asked of it (<see cref="ThreadWake"/>) and go on.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void AtSafePoint() => Vm.Stop.Arrive();

    /// <summary>
    /// The body a compiled .NET method was compiled from, or null when the method is not one of
    /// this module's. After a reload, a frame still running an old body names that body.
    /// </summary>
    public CompiledBody? BodyOf(MethodBase method) =>
        _compiledProgram is { } program ? CompiledBodyOf(program, method)
        : method.DeclaringType is { } type && _functionTypes.TryGetValue(type, out var body) ? body : null;

    /// <summary>The body a function index runs now (null until it first compiles; natives have none).</summary>
    public CompiledBody? Body(int functionIndex) =>
        Volatile.Read(ref _bodies[functionIndex])
        ?? (functionIndex < Code.FunctionIndexCount && Code.GetFunction(functionIndex) is { } f ? new CompiledBody(functionIndex, f, Code, CodeIndexMap.Identity, []) : null);

    /// <summary>The UCS-2 bytes of a string constant (shared, as HashLink shares them).</summary>
    public HlBytes GetString(int index)
    {
        var strings = Volatile.Read(ref _strings);
        return strings.Bytes[index] ??= HlBytes.FromString(strings.Texts[index]);
    }

    /// <summary>How many string constants the module has: the program's, then those reloads added.</summary>
    public int StringCount => Volatile.Read(ref _strings).Texts.Length;

    public string StringText(int index) => Volatile.Read(ref _strings).Texts[index];

    /// <summary>The bytes constant at an index (version 5), or the UTF-8 bytes of a string before version 5.</summary>
    public HlBytes GetBytes(int index)
    {
        if (Code.Version < 5)
        {
            return HlBytes.FromUtf8(StringText(index));
        }

        return _bytesConstants[index] ??= new HlBytes(Code.GetBytes(index).ToArray());
    }

    /// <summary>
    /// The storage of the string and bytes constants made so far: HashLink keeps those in the
    /// module's data, outside the GC heap, which <c>mem_compact</c> leaves where they are.
    /// </summary>
    public HashSet<byte[]> ConstantByteArrays()
    {
        var arrays = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var bytes in Volatile.Read(ref _strings).Bytes.Concat(_bytesConstants))
        {
            if (bytes is not null)
            {
                arrays.Add(bytes.Array);
            }
        }

        return arrays;
    }

    public object? GetGlobal(int index) => Storage.GetGlobal(index);

    public void SetGlobal(int index, object? value) => Storage.SetGlobal(index, value);

    private void InitConstants()
    {
        foreach (var constant in Code.Constants)
        {
            InitConstant(Code, CodeIndexMap.Identity, constant);
        }
    }

    /// <summary>
    /// Version 4 initialises some globals (strings, mostly) from constants at load, as HashLink's
    /// module.c does: each field takes an int, float, string or another global. The constant may
    /// come from a newer version of the program (a reload), whose indices <paramref name="map"/> maps.
    /// </summary>
    private void InitConstant(HlCode source, CodeIndexMap map, HlConstant constant)
    {
        var type = Types[map.Type(source.Globals[constant.GlobalIndex].Index)];
        if (type.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
        {
            throw new HlLoadException($"constant for global {constant.GlobalIndex} has type {type}, expected a class");
        }

        var obj = Runtime.AllocateObject(type);
        // The constant's fields are its type's own fields in the source version; a reload may have
        // added fields since (live indices after the loaded ones), so the index goes through the map.
        var sourceType = (HlObjectType)source.Globals[constant.GlobalIndex];
        var own = sourceType.Fields;
        var baseIndex = 0;
        for (var t = sourceType.Super; t is not null; t = t.Super)
        {
            baseIndex += t.Fields.Count;
        }

        for (var i = 0; i < constant.Fields.Length && i < own.Count; i++)
        {
            var field = type.Fields[map.Field(sourceType.Index, baseIndex + i)];
            var index = constant.Fields[i];
            object? value = field.Type.Kind switch
            {
                HlTypeKind.I32 => source.Ints[index],
                HlTypeKind.Bool => index != 0,
                HlTypeKind.F64 => source.Floats[index],
                HlTypeKind.Bytes => GetString(map.String(index)),
                HlTypeKind.Type => Types[map.Type(index)],
                _ => GetGlobal(map.Global(index)),
            };
            if (field.IsAdded)
            {
                field.Setter(obj, value);
            }
            else
            {
                field.Field!.SetValue(obj, value);
            }
        }

        SetGlobal(map.Global(constant.GlobalIndex), obj);
    }

    /// <summary>The string constants; replaced whole when a reload adds some, so a reader sees one consistent table.</summary>
    private sealed record ConstantStrings(string[] Texts, HlBytes?[] Bytes)
    {
        public ConstantStrings Append(IReadOnlyList<string> added)
        {
            var bytes = new HlBytes?[Texts.Length + added.Count];
            Array.Copy(Bytes, bytes, Bytes.Length);
            return new ConstantStrings([.. Texts, .. added], bytes);
        }
    }
}

/// <summary>
/// What a compiled method was compiled from: the function (of the loaded bytecode, or of a newer
/// version after a reload), that version's bytecode, the map of its indices, and the IL offset
/// where each operation starts (for stack traces).
/// </summary>
internal sealed record CompiledBody(int LiveIndex, HlFunction Function, HlCode Source, CodeIndexMap Map, int[] IlOffsets);
