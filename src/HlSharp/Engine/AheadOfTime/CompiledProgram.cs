using System.Reflection;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// A program compiled ahead of time, opened from its assembly: the bytecode, the manifest and the
/// generated image. Its code reaches the VM's data through statics of that assembly, so one VM at
/// a time may run it (<see cref="Claim"/>); a VM that is disposed frees it for the next.
/// </summary>
internal sealed class CompiledProgram
{
    private static readonly Dictionary<Assembly, object> s_running = [];

    private readonly bool[] _direct;
    private ProgramOffsets? _ilOffsets;

    private CompiledProgram(Assembly assembly, HlCode code, ProgramManifest manifest, CompiledProgramImage image)
    {
        Assembly = assembly;
        Code = code;
        Manifest = manifest;
        Image = image;
        _direct = new bool[code.FunctionIndexCount];
    }

    public Assembly Assembly { get; }

    public HlCode Code { get; }

    public ProgramManifest Manifest { get; }

    public CompiledProgramImage Image { get; }

    /// <summary>Where the program's classes come from: its own assembly.</summary>
    public IClassSource Classes => new CompiledClasses(Image);

    /// <summary>Whether the entry bound was the one without its event loop.</summary>
    public bool HostedEntry { get; private set; }

    /// <exception cref="HlLoadException">The assembly is not a program HlCompiler wrote, or another HlSharp wrote it, or it is damaged.</exception>
    public static CompiledProgram Open(Assembly assembly)
    {
        var name = assembly.GetName().Name;
        if (Marker(assembly) is not { } marker)
        {
            // A manifest without this build's marker: another HlSharp wrote the program.
            throw new HlLoadException(assembly.GetManifestResourceInfo(CompiledProgramImage.ManifestResource) is null
                ? $"assembly {name} is not a program compiled by HlSharp (hlsharp compile)"
                : $"compiled program {name} was written by another version of HlSharp (its marker is not this one's): compile it again");
        }

        ProgramManifest manifest;
        byte[] bytecode;
        try
        {
            manifest = ProgramManifest.Read(Resource(assembly, CompiledProgramImage.ManifestResource));
            using var stream = Resource(assembly, CompiledProgramImage.BytecodeResource);
            bytecode = new byte[stream.Length];
            stream.ReadExactly(bytecode);
        }
        catch (InvalidDataException e)
        {
            throw new HlLoadException($"compiled program {name}: {e.Message}");
        }

        if (manifest.WriterVersion != CompiledNames.WriterVersion)
        {
            throw new HlLoadException($"compiled program {name} was written by HlSharp {manifest.WriterVersion}; this is HlSharp {CompiledNames.WriterVersion}: compile it again");
        }

        HlCode code;
        try
        {
            code = HlCode.Read(bytecode);
        }
        catch (HlFormatException e)
        {
            throw new HlLoadException($"compiled program {name}: its bytecode is damaged: {e.Message}");
        }

        return new CompiledProgram(assembly, code, manifest, marker.CreateImage());
    }

    /// <summary>
    /// The assembly's marker, or null when it has none, as when an older HlSharp wrote it (its
    /// marker's constructor, taking the image's type, is not this HlSharp's).
    /// </summary>
    private static CompiledProgramAttribute? Marker(Assembly assembly)
    {
        try
        {
            return assembly.GetCustomAttribute<CompiledProgramAttribute>();
        }
        catch (Exception e) when (e is MissingMethodException or TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    private static Stream Resource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new InvalidDataException($"the resource {name} is missing");

    /// <summary>Gives a new VM's name hashes the ones the program was compiled with.</summary>
    public void SeedNames(Runtime.NameHash hashes) => hashes.Seed(Manifest.Names);

    /// <summary>Takes the program for one VM until <see cref="Release"/>.</summary>
    /// <exception cref="InvalidOperationException">Another VM runs it.</exception>
    public void Claim(object owner)
    {
        lock (s_running)
        {
            if (!s_running.TryAdd(Assembly, owner))
            {
                throw new InvalidOperationException(
                    $"compiled program {Assembly.GetName().Name} already runs in another HlVm of this process: a compiled program runs in one VM at a time (dispose that one first)");
            }
        }
    }

    public void Release(object owner)
    {
        lock (s_running)
        {
            if (s_running.TryGetValue(Assembly, out var current) && ReferenceEquals(current, owner))
            {
                s_running.Remove(Assembly);
            }
        }
    }

    /// <summary>Gives each class of the program the written constructor call its allocations use (no reflection).</summary>
    public void AttachFactories(Runtime.HlRuntimeType[] types)
    {
        for (var i = 0; i < types.Length; i++)
        {
            if (types[i].ClrType is not null)
            {
                var typeIndex = i;
                types[i].Factory = () => Image.New(typeIndex);
            }
        }
    }

    /// <summary>The natives the program has a direct adapter for (bound to it unless the host provides them).</summary>
    public IReadOnlySet<int> WrittenDirect => field ??= DirectIndices(Manifest.DirectNatives);

    // A loop, not LINQ: LINQ over the manifest's tuples has no ReadyToRun code (it was JIT-compiled at every load).
    private static HashSet<int> DirectIndices((int FunctionIndex, int Context)[] natives)
    {
        var indices = new HashSet<int>(natives.Length);
        foreach (var (index, _) in natives)
        {
            indices.Add(index);
        }

        return indices;
    }

    /// <summary>
    /// Points the written code at <paramref name="module"/>'s data and fills its slots;
    /// <paramref name="nativeContext"/> is what the natives that take a context get (the VM's one context object).
    /// </summary>
    public void Bind(HlModule module, bool hostedEntry, object nativeContext)
    {
        HostedEntry = hostedEntry;
        var storage = module.Storage;
        var addresses = new nint[CompiledProgramImage.AddressCount];
        addresses[CompiledProgramImage.SlotsAddress] = storage.SlotsAddress;
        addresses[CompiledProgramImage.ObjectsAddress] = storage.ObjectsAddress;
        (addresses[CompiledProgramImage.GlobalReferencesAddress], addresses[CompiledProgramImage.GlobalValuesAddress]) = storage.GlobalBases;
        addresses[CompiledProgramImage.StopFlagAddress] = module.Vm.Stop.FlagAddress;

        var sites = new object?[Manifest.Sites.Length];
        for (var i = 0; i < sites.Length; i++)
        {
            var recipe = Manifest.Sites[i];
            sites[i] = recipe.Create(module.Runtime, recipe.TypeIndex >= 0 ? module.Types[recipe.TypeIndex] : null);
        }

        module.Sites.AddAll(sites.Cast<Runtime.IVirtualSite>());

        // A direct adapter is used unless the host provides the native (then the slot gets the
        // adapter that calls through the module, to the host's delegate).
        var contexts = new object?[Manifest.ContextCount];
        Array.Fill(contexts, nativeContext);
        foreach (var (index, _) in Manifest.DirectNatives)
        {
            _direct[index] = module.Natives.BindingOf(index) is { Target: null, Missing: NativeAdapters.MissingKind.None };
        }

        var dynamicNatives = new nint[Code.FunctionIndexCount];
        Image.Bind(storage.Slots, dynamicNatives, addresses, sites, contexts, hostedEntry);
        foreach (var native in Code.Natives)
        {
            if (!_direct[native.Index])
            {
                storage.Slots[native.Index] = dynamicNatives[native.Index];
            }
        }

        storage.SlotCount = Manifest.SlotCount;
    }

    /// <summary>The compiled method of a function index, as bound.</summary>
    public MethodInfo Method(int functionIndex) =>
        (MethodInfo)(functionIndex == Code.EntryPoint ? (HostedEntry ? Image.HostedEntry() : Image.Entry())
            : Image.Function(functionIndex, dynamic: Code.GetNative(functionIndex) is not null && !_direct[functionIndex]));

    /// <summary>
    /// The IL offsets of a compiled method's operations, when it is one of this program's functions
    /// (read from the assembly the first time a stack trace asks).
    /// </summary>
    /// <exception cref="InvalidDataException">The assembly's IL offsets are missing or damaged.</exception>
    public (int FunctionIndex, int[] IlOffsets)? Offsets(MethodBase method)
    {
        if (method.DeclaringType?.Assembly != Assembly || CompiledNames.FunctionIndexOf(method.Name) is var index && index < 0)
        {
            return null;
        }

        var offsets = IlOffsets;
        if (index >= offsets.Functions.Length || Code.GetFunction(index) is null)
        {
            return null;
        }

        return (index, method.Name.EndsWith('h') && offsets.HostedEntry is { } hosted ? hosted : offsets.Functions[index]);
    }

    // Two threads may both read them the first time: each gets the same offsets.
    private ProgramOffsets IlOffsets => Volatile.Read(ref _ilOffsets) ?? (_ilOffsets = ReadOffsets());

    private ProgramOffsets ReadOffsets()
    {
        try
        {
            using var stream = Resource(Assembly, CompiledProgramImage.OffsetsResource);
            return ProgramOffsets.Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"compiled program {Assembly.GetName().Name}: {e.Message}", e);
        }
    }
}

/// <summary>The classes of a compiled program, as its image names them.</summary>
internal sealed class CompiledClasses(CompiledProgramImage image) : IClassSource
{
    public (Type Type, ConstructorInfo? Constructor, FieldInfo[] Fields) Class(int typeIndex, string name, Type parent, ConstructorInfo? parentConstructor, IReadOnlyList<(string Name, Type Storage)> fields, bool leaf)
    {
        // Sealed or not as the program was written: a compiled program is never reloaded.
        var type = image.Class(typeIndex);
        var own = image.OwnFields(typeIndex);
        if (type.BaseType != parent || own.Length != fields.Count)
        {
            throw new HlLoadException($"the compiled class {name} does not match the program's bytecode");
        }

        return (type, null, own);
    }
}
