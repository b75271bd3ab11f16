namespace HlSharp.Runtime;

/// <summary>The kinds of inline cache compiled code has at its sites by name.</summary>
internal enum SiteKind : byte
{
    /// <summary>A <see cref="FieldGetSite{T}"/>.</summary>
    FieldGet,

    /// <summary>A <see cref="FieldSetSite{T}"/>.</summary>
    FieldSet,

    /// <summary>A <see cref="MethodSite"/>.</summary>
    Method,
}

/// <summary>
/// What a site's inline cache is made from, so that a program compiled ahead of time can have its
/// sites made again when it is loaded: the kind, the storage type a field site reads or writes,
/// the name hash, and the index of the run-time type it casts to or calls through (-1 for none).
/// <see cref="Create"/> names each generic instantiation in code (the storage types are a closed
/// set), so making a site needs no code generation.
/// </summary>
internal readonly record struct SiteRecipe(SiteKind Kind, Type Storage, int Hash, int TypeIndex)
{
    /// <summary>The storage types a field site may be instantiated over, in the order their codes are written.</summary>
    public static readonly Type[] StorageTypes = [typeof(object), typeof(int), typeof(long), typeof(float), typeof(double), typeof(bool)];

    /// <summary>Makes the site, with the run-time type <see cref="TypeIndex"/> names (null for none).</summary>
    public IVirtualSite Create(HlRuntime runtime, HlRuntimeType? type) =>
        Kind switch
        {
            SiteKind.FieldGet => FieldGet(runtime, type),
            SiteKind.FieldSet => FieldSet(runtime),
            SiteKind.Method => new MethodSite(runtime, Hash, type ?? throw new InvalidDataException("a method site without its signature")),
            _ => throw new InvalidDataException($"unknown site kind {Kind}"),
        };

    private IVirtualSite FieldGet(HlRuntime runtime, HlRuntimeType? castTo) =>
        Storage == typeof(object) ? new FieldGetSite<object>(runtime, Hash, castTo)
        : Storage == typeof(int) ? new FieldGetSite<int>(runtime, Hash, castTo)
        : Storage == typeof(long) ? new FieldGetSite<long>(runtime, Hash, castTo)
        : Storage == typeof(float) ? new FieldGetSite<float>(runtime, Hash, castTo)
        : Storage == typeof(double) ? new FieldGetSite<double>(runtime, Hash, castTo)
        : Storage == typeof(bool) ? new FieldGetSite<bool>(runtime, Hash, castTo)
        : throw new InvalidDataException($"no field site reads {Storage}");

    private IVirtualSite FieldSet(HlRuntime runtime) =>
        Storage == typeof(object) ? new FieldSetSite<object>(runtime, Hash)
        : Storage == typeof(int) ? new FieldSetSite<int>(runtime, Hash)
        : Storage == typeof(long) ? new FieldSetSite<long>(runtime, Hash)
        : Storage == typeof(float) ? new FieldSetSite<float>(runtime, Hash)
        : Storage == typeof(double) ? new FieldSetSite<double>(runtime, Hash)
        : Storage == typeof(bool) ? new FieldSetSite<bool>(runtime, Hash)
        : throw new InvalidDataException($"no field site writes {Storage}");
}
