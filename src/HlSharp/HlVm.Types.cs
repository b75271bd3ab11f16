namespace HlSharp;

/// <summary>Type introspection: the program's classes, interfaces, enums and abstracts.</summary>
public sealed partial class HlVm
{
    private HlTypeCollection? _types;

    /// <summary>
    /// The program's Haxe types: classes, interfaces, enums and abstracts, with their fields,
    /// methods and enum constructors, read from the bytecode (see <see cref="HlTypeCollection"/>
    /// for what HashLink keeps of each). Available before <see cref="RunEntry"/>.
    /// </summary>
    public HlTypeCollection Types => LazyInitializer.EnsureInitialized(ref _types, () => HlTypeCollection.Read(Code));
}
