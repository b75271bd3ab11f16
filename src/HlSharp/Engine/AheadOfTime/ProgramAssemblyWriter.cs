using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace HlSharp.Engine;

/// <summary>
/// The code target of a program compiled ahead of time: one assembly written to disk with
/// <see cref="PersistedAssemblyBuilder"/>. The module compiles into it as it compiles for a running
/// VM (same compiler, same run-time helpers, reached through <c>IgnoresAccessChecksTo</c>), with
/// storage loaded from statics (<see cref="StaticStorageEmitter"/>); <see cref="Write"/> then adds
/// every function, wrapper and native adapter, the generated <see cref="CompiledProgramImage"/>,
/// the bytecode and the manifest.
/// </summary>
[RequiresDynamicCode("Compiles with the engine's IL compiler: compile ahead of time on a runtime that has a JIT (hlsharp compile)")]
internal sealed class ProgramAssemblyWriter : ICodeTarget
{
    /// <summary>Functions per written type: each type costs a type load when the program binds its slots.</summary>
    private const int FunctionsPerType = 512;

    /// <summary>The value of an attribute with no arguments: the prolog, then no named arguments.</summary>
    private static readonly byte[] MarkerBlob = [1, 0, 0, 0];

    private readonly PersistedAssemblyBuilder _assembly;
    private readonly ModuleBuilder _module;
    private readonly TypeBuilder _statics;
    private readonly List<TypeBuilder> _types = [];
    private readonly Dictionary<int, TypeBuilder> _homes = [];
    private readonly Dictionary<int, MethodBuilder> _functions = [];
    private readonly List<(string Key, int Slot, MethodBuilder Method)> _wrappers = [];
    private TypeBuilder? _wrapperHome;
    private MethodBuilder? _hostedEntry;
    private StaticStorageEmitter? _emitter;

    /// <param name="assemblyName">The assembly's simple name.</param>
    /// <param name="forReadyToRun">
    /// Whether crossgen2 compiles the assembly to machine code next: methods then carry no mark
    /// for aggressive optimisation, which crossgen2 would leave to the JIT (see FunctionCompiler.Tiering.cs).
    /// </param>
    public ProgramAssemblyWriter(string assemblyName, bool forReadyToRun = false)
    {
        ForReadyToRun = forReadyToRun;
        _assembly = new PersistedAssemblyBuilder(new AssemblyName(assemblyName), typeof(object).Assembly);
        _assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(HlModule).Assembly.GetName().Name!]));
        _module = _assembly.DefineDynamicModule(assemblyName + ".dll");
        _statics = DefineType("hl.$Storage", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
    }

    public bool Runs => false;

    /// <summary>Whether crossgen2 compiles the written assembly next (the constructor's parameter).</summary>
    public bool ForReadyToRun { get; }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Writes metadata only: the parents are HlSharp's instance base classes and types defined here, nothing is created or run")]
    public TypeBuilder DefineType(string name, TypeAttributes attributes, Type? parent = null)
    {
        var type = parent is null ? _module.DefineType(name, attributes) : _module.DefineType(name, attributes, parent);
        _types.Add(type);
        return type;
    }

    /// <summary>The storage emitter of the module compiling into this assembly (one module per writer).</summary>
    public IStorageEmitter EmitterFor(ModuleStorage storage) => _emitter ??= new StaticStorageEmitter(storage, _statics);

    private StaticStorageEmitter Emitter => _emitter ?? throw new InvalidOperationException("no module compiles into this writer");

    /// <summary>The written type a function's method goes into, and the method's name (which the loader parses back: <see cref="CompiledNames.FunctionIndexOf"/>).</summary>
    public (TypeBuilder Type, string MethodName) FunctionHome(int functionIndex, bool hostedEntry)
    {
        var group = functionIndex / FunctionsPerType;
        if (!_homes.TryGetValue(group, out var home))
        {
            home = DefineType($"hl.$Functions{group}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
            _homes[group] = home;
        }

        return (home, CompiledNames.FunctionMethod(functionIndex, hostedEntry));
    }

    /// <summary>
    /// The method of a function of the program (not the hosted entry), defined on first use: by
    /// the function's own compile or by the first direct call to it, whichever comes first.
    /// </summary>
    public MethodBuilder FunctionMethod(int functionIndex, Type returnType, Type[] parameters)
    {
        if (!_functions.TryGetValue(functionIndex, out var method))
        {
            var (home, name) = FunctionHome(functionIndex, hostedEntry: false);
            method = home.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
            _functions[functionIndex] = method;
        }

        return method;
    }

    /// <summary>The written type wrappers go into.</summary>
    public TypeBuilder WrapperHome() => _wrapperHome ??= DefineType("hl.$Wrappers", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);

    /// <summary>Records a wrapper the module emitted for a signature, so the program binds its slot.</summary>
    public void AddWrapper(string key, int slot, MethodBuilder method) => _wrappers.Add((key, slot, method));

    /// <summary>Compiles every function of the module's program and every wrapper its function types can need, writes the adapters of its natives, and returns the assembly's bytes.</summary>
    /// <exception cref="HlCompileException">A function's bytecode cannot be compiled.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2111", Justification = "The attribute's constructor is named to write metadata, never invoked here")]
    public byte[] Write(HlModule module, ReadOnlySpan<byte> bytecode)
    {
        var code = module.Code;
        var offsets = new int[code.FunctionIndexCount][];
        // Every function as written, the entry with its event loop; the hosted entry comes after.
        module.SkipEntryEventLoop = false;
        foreach (var function in code.Functions)
        {
            var compiler = new FunctionCompiler(module, function);
            _functions[function.Index] = (MethodBuilder)compiler.Compile();
            offsets[function.Index] = compiler.IlOffsets;
        }

        int[]? hostedOffsets = null;
        if (EntryEventLoop.FirstSkippedOp(code) >= 0 && code.GetFunction(code.EntryPoint) is { } entry)
        {
            module.SkipEntryEventLoop = true;
            var compiler = new FunctionCompiler(module, entry);
            _hostedEntry = (MethodBuilder)compiler.Compile();
            hostedOffsets = compiler.IlOffsets;
            module.SkipEntryEventLoop = false;
        }

        module.WriteAllWrappers();
        var natives = new NativeAdapterWriter(this, module, Emitter, _statics);
        natives.WriteAll();

        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] ??= [];
        }

        var manifest = new ProgramManifest
        {
            WriterVersion = CompiledNames.WriterVersion,
            Sites = [.. Emitter.SiteRecipes],
            Wrappers = [.. _wrappers.Select(w => (w.Key, w.Slot))],
            SlotCount = module.Storage.SlotCount,
            DirectNatives = [.. natives.Direct.Select(d => (d.FunctionIndex, d.Context))],
            ContextCount = natives.Contexts.Count,
            Names = module.Hashes.Entries(),
        };

        var marker = new ImageWriter(this, module, Emitter, natives).Define(_functions, _hostedEntry, _wrappers);
        foreach (var type in _types)
        {
            type.CreateType();
        }

        var ilOffsets = new ProgramOffsets { Functions = offsets, HostedEntry = hostedOffsets };
        return Save(
            [
                (CompiledProgramImage.BytecodeResource, bytecode.ToArray()), (CompiledProgramImage.ManifestResource, manifest.ToBytes()),
                (CompiledProgramImage.OffsetsResource, ilOffsets.ToBytes()),
            ], marker);
    }

    private byte[] Save(IReadOnlyList<(string Name, byte[] Content)> resources, ConstructorBuilder marker)
    {
        // PersistedAssemblyBuilder.Save cannot add resources; its metadata can, as a managed PE.
        var metadata = _assembly.GenerateMetadata(out var ilStream, out var fieldData);
        // The marker is added here, to the generated metadata: an assembly attribute whose constructor
        // is defined in the same assembly gets no valid token from SetCustomAttribute (the builder
        // writes assembly attributes before it numbers the methods).
        metadata.AddCustomAttribute(EntityHandle.AssemblyDefinition, MetadataTokens.EntityHandle(marker.MetadataToken), metadata.GetOrAddBlob(MarkerBlob));
        var resourceBlob = new BlobBuilder();
        foreach (var (name, content) in resources)
        {
            metadata.AddManifestResource(ManifestResourceAttributes.Public, metadata.GetOrAddString(name), default, (uint)resourceBlob.Count);
            resourceBlob.WriteInt32(content.Length);
            resourceBlob.WriteBytes(content);
            resourceBlob.Align(8);
        }

        var pe = new ManagedPEBuilder(
            PEHeaderBuilder.CreateLibraryHeader(),
            new MetadataRootBuilder(metadata),
            ilStream,
            mappedFieldData: fieldData,
            managedResources: resourceBlob,
            flags: CorFlags.ILOnly);
        var blob = new BlobBuilder();
        pe.Serialize(blob);
        return blob.ToArray();
    }
}
