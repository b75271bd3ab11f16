using System.Reflection;

namespace HlSharp.Engine;

/// <summary>
/// Marks an assembly written by <see cref="HlCompiler"/> and makes its program's image: the writer
/// derives a sealed attribute from this one in the written assembly, applied to that assembly,
/// whose <see cref="CreateImage"/> constructs the written <see cref="CompiledProgramImage"/>. The
/// loader finds it without any type name: an attribute argument of type <see cref="Type"/> is a
/// type name the runtime parses on first read, which made that read the slowest step of loading a
/// small program (the parser's first use JIT-compiles its searches), and a lookup by name could
/// be broken by trimming.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal abstract class CompiledProgramAttribute : Attribute
{
    /// <summary>A new instance of the written program's image.</summary>
    public abstract CompiledProgramImage CreateImage();
}

/// <summary>
/// What the loader asks of a program compiled ahead of time. The written assembly derives a type
/// from this one whose methods are generated: they bind every slot with <c>ldftn</c> and name
/// methods, classes and fields with <c>ldtoken</c>, so loading needs neither code generation nor
/// reflection by name.
/// </summary>
internal abstract class CompiledProgramImage
{
    /// <summary>The names of the manifest resources the writer adds.</summary>
    public const string BytecodeResource = "hl.bytecode", ManifestResource = "hl.manifest", OffsetsResource = "hl.offsets";

    /// <summary>The indices of <c>addresses</c> in <see cref="Bind"/>.</summary>
    public const int SlotsAddress = 0, ObjectsAddress = 1, GlobalReferencesAddress = 2, GlobalValuesAddress = 3, StopFlagAddress = 4, AddressCount = 5;

    /// <summary>
    /// Points the written code at the VM's data (the addresses of its pinned arrays and flag, the
    /// sites, the natives' contexts), fills every slot the program has (its functions, the direct
    /// adapter of each native that has one, else the adapter that calls through the VM, and the
    /// wrappers), and writes each native's calling-through adapter into <paramref name="dynamicNatives"/>,
    /// indexed by function index. <paramref name="hostedEntry"/> picks the entry without the event loop.
    /// </summary>
    public abstract void Bind(nint[] slots, nint[] dynamicNatives, nint[] addresses, object?[] sites, object?[] contexts, bool hostedEntry);

    /// <summary>The compiled method of a function index (a function of the program, or a native's adapter: <paramref name="dynamic"/> picks the calling-through one).</summary>
    public abstract MethodBase Function(int functionIndex, bool dynamic);

    /// <summary>The entry function compiled without the event loop (the host runs it).</summary>
    public abstract MethodBase HostedEntry();

    /// <summary>The entry function as bytecode has it (with the event loop), what <see cref="Function"/> gives for the entry point.</summary>
    public abstract MethodBase Entry();

    /// <summary>The .NET class of a class type index.</summary>
    public abstract Type Class(int typeIndex);

    /// <summary>The fields the class of a type index declares itself, in order.</summary>
    public abstract FieldInfo[] OwnFields(int typeIndex);

    /// <summary>A new instance of the class of a type index, its fields zero (what <c>Activator</c> would make, without reflection).</summary>
    public abstract Runtime.HlInstance New(int typeIndex);
}
