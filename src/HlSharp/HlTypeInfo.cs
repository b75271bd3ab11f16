namespace HlSharp;

/// <summary>
/// A Haxe type of the loaded program (<see cref="HlVm.Types"/>): a class, interface, enum or
/// abstract, with its members as the bytecode declares them. Types are read from the bytecode,
/// so they are known before <see cref="HlVm.RunEntry"/> runs.
/// </summary>
public sealed class HlTypeInfo
{
    internal HlTypeInfo(HlTypeInfoKind kind, string path)
    {
        Kind = kind;
        Path = path;
        var dot = path.LastIndexOf('.');
        Name = path[(dot + 1)..];
        Package = dot < 0 ? string.Empty : path[..dot];
    }

    /// <summary>Whether this is a class, an interface, an enum or an abstract.</summary>
    public HlTypeInfoKind Kind { get; }

    /// <summary>The Haxe path: package and name, <c>game.entities.Player</c> (a private type's path names its module: <c>sys.thread._Thread.HaxeThread</c>).</summary>
    public string Path { get; }

    /// <summary>The name without the package: <c>Player</c>.</summary>
    public string Name { get; }

    /// <summary>The package, empty for a type at the top level.</summary>
    public string Package { get; }

    /// <summary>The super class of a class, or null.</summary>
    public HlTypeInfo? SuperClass { get; internal set; }

    /// <summary>The interfaces a class implements (as the interfaces list their implementations), or the empty list.</summary>
    public IReadOnlyList<HlTypeInfo> Interfaces { get; internal set; } = [];

    /// <summary>The variables the type declares, instance fields first, then statics (a class's inherited fields are its super class's).</summary>
    public IReadOnlyList<HlFieldInfo> Fields { get; internal set; } = [];

    /// <summary>The methods the type declares or overrides, then its static functions; an interface's methods; an abstract's functions.</summary>
    public IReadOnlyList<HlMethodInfo> Methods { get; internal set; } = [];

    /// <summary>An enum's constructors, in order; the empty list for other kinds.</summary>
    public IReadOnlyList<HlEnumConstructorInfo> EnumConstructors { get; internal set; } = [];

    /// <summary>Finds a field this type declares by name, or null.</summary>
    public HlFieldInfo? FindField(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Finds a method this type declares by name, or null.</summary>
    public HlMethodInfo? FindMethod(string name) => Methods.FirstOrDefault(m => m.Name == name);

    /// <summary>True when this class is <paramref name="other"/> or derives from it, or implements it (directly or through a super class).</summary>
    public bool IsSubtypeOf(HlTypeInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var t = this; t is not null; t = t.SuperClass)
        {
            if (t == other || t.Interfaces.Contains(other))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Kind.ToString().ToLowerInvariant() + " " + Path;
}
