using System.Runtime.CompilerServices;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// An inline cache of compiled code: one per virtual field or method site. What it remembers is
/// a property of the shapes it saw, checked on every use, and a hot reload forgets it all
/// (<see cref="Invalidate"/>), so a cache never answers for a field or method that changed.
/// </summary>
internal interface IVirtualSite
{
    /// <summary>Forgets every shape seen, so the next use looks the field or method up again.</summary>
    void Invalidate();
}

/// <summary>
/// The cache entries of one site for class instances: immutable entries, keyed by the instance's
/// exact run-time type, in an array replaced whole (never mutated), so a reader on another thread
/// sees one array or the other. A few entries cover a polymorphic site; past that the oldest go.
/// </summary>
internal static class ShapeEntries
{
    /// <summary>How many class shapes a site remembers.</summary>
    public const int Capacity = 4;

    /// <summary>The entries with <paramref name="entry"/> first, dropping the last beyond <see cref="Capacity"/>.</summary>
    public static T[] With<T>(T[]? entries, T entry)
    {
        if (entries is null || entries.Length == 0)
        {
            return [entry];
        }

        var count = Math.Min(entries.Length + 1, Capacity);
        var next = new T[count];
        next[0] = entry;
        Array.Copy(entries, 0, next, 1, count - 1);
        return next;
    }

    /// <summary>Converts a dynamic to a storage type as compiled code's unboxing does (FunctionCompiler.EmitConvert).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDynamic<T>(object? value)
    {
        if (typeof(T) == typeof(int))
        {
            return (T)(object)RuntimeOps.DynToInt(value);
        }

        if (typeof(T) == typeof(double))
        {
            return (T)(object)RuntimeOps.DynToDouble(value);
        }

        if (typeof(T) == typeof(bool))
        {
            return (T)(object)RuntimeOps.DynToBool(value);
        }

        if (typeof(T) == typeof(long))
        {
            return (T)(object)RuntimeOps.DynToLong(value);
        }

        if (typeof(T) == typeof(float))
        {
            return (T)(object)RuntimeOps.DynToFloat(value);
        }

        return (T)value!;
    }
}

/// <summary>
/// A read of a field through a virtual type (an anonymous structure, or a class instance seen
/// through an interface or typedef), returning the value in the register's storage type
/// <typeparamref name="T"/> (<see cref="object"/> for references, which compiled code still casts).
/// For an anonymous object it remembers the field's position, checked by the hash stored there;
/// for a class instance, per run-time type, a compiled reader of the field (typed when the
/// field's storage is <typeparamref name="T"/>, so nothing is boxed); and for a reference, the
/// .NET type whose values the register's cast lets through unchanged. Anything else (a method read
/// as a closure, a class's <c>__get_field</c>, a missing field) takes <see cref="HlRuntime.DynGetField"/> every time.
/// </summary>
internal sealed class FieldGetSite<T> : IVirtualSite
{
    private readonly HlRuntime _runtime;
    private readonly HlRuntimeType? _castTo;
    private readonly bool _toVirtual;
    private int _position;
    private Entry[]? _entries;
    private Type? _accepted;
    private HlRuntimeType? _acceptedClosure;
    private Converter? _converter;
    private NumberConversion? _conversion;

    /// <param name="runtime">The module's runtime (the dynamic path).</param>
    /// <param name="hash">The field's name hash.</param>
    /// <param name="castTo">
    /// For a reference register (<typeparamref name="T"/> is <see cref="object"/>), the type the value
    /// is cast to as <see cref="HlRuntime.DynCast"/> does; null for a dynamic register or a number.
    /// </param>
    public FieldGetSite(HlRuntime runtime, int hash, HlRuntimeType? castTo)
    {
        _runtime = runtime;
        Hash = hash;
        _castTo = castTo;
        _toVirtual = castTo is { Kind: HlTypeKind.Virtual };
    }

    /// <summary>The field's name hash.</summary>
    public int Hash { get; }

    /// <summary>Reads the field of <paramref name="obj"/>, as <see cref="HlRuntime.DynGetField"/> then a cast to <typeparamref name="T"/> would.</summary>
    /// <remarks>
    /// Only the monomorphic read of an anonymous object is here, small enough for the JIT to
    /// inline into compiled code (where <typeparamref name="T"/> is exact, so the type tests
    /// fold): the field where the site last found it, holding a value the register takes as it
    /// is. Everything else is one call away (<see cref="GetOther"/>, <see cref="FinishStored"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Get(object? obj)
    {
        if (obj is HlDynObj d && d.Fields.TryGetAt(_position, Hash, out var value))
        {
            if (typeof(T) == typeof(object))
            {
                if (LetThrough(value))
                {
                    return Unsafe.As<object?, T>(ref value);
                }
            }
            else if (value is T number)
            {
                // A number of the register's own storage: what FromDynamic would return.
                return number;
            }

            return FinishStored(value);
        }

        return GetOther(obj);
    }

    /// <summary>The rest of <see cref="Get"/>: a field moved or missing, a class instance, anything else.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T GetOther(object? obj)
    {
        if (obj is HlDynObj d)
        {
            return Finish(MissAnonymous(d), stored: true);
        }

        if (obj is HlInstance o && _entries is { } entries)
        {
            var type = o.Type;
            foreach (var entry in entries)
            {
                if (ReferenceEquals(entry.Type, type))
                {
                    // A reference is cast as the dynamic path casts it; a number is already in its storage.
                    return typeof(T) == typeof(object) ? Finish(entry.Read(o)) : entry.Read(o);
                }
            }
        }

        return Miss(obj);
    }

    /// <summary>An anonymous object's field value that the inlined tests of <see cref="Get"/> did not take as it is.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T FinishStored(object? value) => typeof(T) != typeof(object) ? ShapeEntries.FromDynamic<T>(value) : CastOther(value!, stored: true);

    /// <summary>
    /// A dynamic as the register holds it: a number unboxed, a reference cast to <see cref="_castTo"/>.
    /// The cast is skipped for a value of a .NET type the cast already let through unchanged: what
    /// it does depends on that type alone (a class instance's .NET class is its HashLink class).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Finish(object? value, bool stored = false)
    {
        if (typeof(T) != typeof(object))
        {
            return ShapeEntries.FromDynamic<T>(value);
        }

        return LetThrough(value) ? Unsafe.As<object?, T>(ref value) : CastOther(value!, stored);
    }

    /// <summary>True when a reference needs no cast: none asked, null, or of a .NET type the cast let through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool LetThrough(object? value) =>
        // GetType is a call into the runtime, not a load: only made when a type was let through.
        // An anonymous object not yet seen as a virtual type is not: its first view recasts it.
        _castTo is null || value is null
        || (_accepted is { } accepted && ReferenceEquals(value.GetType(), accepted)
            && (!_toVirtual || value is not HlDynObj { HasVirtualView: false }));

    /// <summary>
    /// The cast of a reference that <see cref="LetThrough"/> did not let through. <typeparamref name="T"/>
    /// is <see cref="object"/> here, so the result is reinterpreted rather than cast: in the shared
    /// code of the reference instantiation a cast to <typeparamref name="T"/> is a helper call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T CastOther(object value, bool stored)
    {
        // Closures share one .NET type whatever their function type: the cast let through one of
        // this function type unchanged, so it lets through every plain closure of it.
        if (value is HlClosure c && ReferenceEquals(c.Type, _acceptedClosure) && IsPlain(c))
        {
            return Unsafe.As<object, T>(ref value);
        }

        // The field still holds the number the last conversion was made from (a box never changes).
        if (_conversion is { } conversion && ReferenceEquals(conversion.Source, value))
        {
            var result = conversion.Result;
            return Unsafe.As<object?, T>(ref result);
        }

        var cast = CastSlow(value, stored);
        return Unsafe.As<object?, T>(ref cast);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private object? CastSlow(object value, bool stored)
    {
        // A class that converts itself (a JSON array, an ArrayDyn, read as an Array<Int>): its
        // __cast runs on every read, as HashLink's does, but called directly.
        if (_converter is { } converter && value is HlInstance instance && ReferenceEquals(converter.Type, instance.Type) && converter.Cast(value, _castTo) is { } converted)
        {
            return converted;
        }

        // A number of another kind read as a Null<number> (a JSON integer read as a Float?) is
        // converted as DynCast converts it, without the tests below. When the box is the one an
        // anonymous object stores (stored), the result is kept for the next read of the same box:
        // a structure read again and again, not written, then allocates nothing (HashLink hands
        // out a new box each time, so no program can count on the box's identity). A class
        // field's number is boxed anew at every read, so there is nothing to keep.
        // (One of the nullable's own storage is let through unchanged below, and not cast again.)
        if (_castTo!.Kind == HlTypeKind.Null && value is int or double or float or long or bool or byte or ushort
            && value.GetType() != _castTo.Inner!.Storage)
        {
            var number = _runtime.ToDynamicOfKind(value, _castTo.Inner);
            if (stored)
            {
                Volatile.Write(ref _conversion, new NumberConversion(value, number));
            }

            return number;
        }

        var cast = _runtime.DynCast(value, _castTo!);
        if (Unchanged(value, _castTo!))
        {
            _accepted = value.GetType();
        }
        else if (value is HlClosure c && ReferenceEquals(cast, value) && IsPlain(c))
        {
            // What the cast does to a closure that is not a wrapper depends on its function type alone.
            Volatile.Write(ref _acceptedClosure, c.Type);
        }
        else if (value is HlInstance o && _castTo!.Kind is HlTypeKind.Obj or HlTypeKind.Struct && !Inherits(o.Type, _castTo)
            && _runtime.CastConverter(o.Type) is { } cast2)
        {
            Volatile.Write(ref _converter, new Converter(o.Type, cast2));
        }

        return cast;
    }

    /// <summary>A number's box and what the cast made of it, replaced whole so that a reader on another thread sees a matching pair.</summary>
    private sealed record NumberConversion(object Source, object? Result);

    /// <summary>A class's <c>__cast</c>, for instances of one class (<see cref="HlRuntime.CastConverter"/>).</summary>
    private sealed record Converter(HlRuntimeType Type, Func<object?, object?, object?> Cast);

    /// <summary>A closure the cast to a function type handles by its type alone: neither a wrapper (which the cast unwraps) nor a variadic one.</summary>
    private static bool IsPlain(HlClosure closure) => closure.BoundValue is not HlRuntime.FunWrapper && closure.FunctionIndex != HlRuntime.VarArgsFunction;

    /// <summary>
    /// True when <see cref="HlRuntime.DynCast"/> returns every value of this one's .NET type
    /// unchanged (or, for a number, an equal box): an instance of the class or a subclass, any
    /// object for a virtual (an anonymous object once it has had its first view, which
    /// <see cref="LetThrough"/> checks per value), bytes and arrays for their kinds, a number of the
    /// nullable's own storage.
    /// </summary>
    private static bool Unchanged(object value, HlRuntimeType target) => value switch
    {
        HlInstance o => target.Kind == HlTypeKind.Virtual || (target.Kind is HlTypeKind.Obj or HlTypeKind.Struct && Inherits(o.Type, target)),
        HlDynObj => target.Kind is HlTypeKind.Virtual or HlTypeKind.DynObj,
        HlBytes => target.Kind == HlTypeKind.Bytes,
        HlArray => target.Kind == HlTypeKind.Array,
        int or long or double or float or bool => target.Kind == HlTypeKind.Null
            && target.Inner!.Kind is HlTypeKind.I32 or HlTypeKind.I64 or HlTypeKind.F64 or HlTypeKind.F32 or HlTypeKind.Bool
            && StorageTypes.Of(target.Inner.Kind) == value.GetType(),
        _ => false,
    };

    /// <summary>The class test of <see cref="HlRuntime.DynCast"/>: the class or a super class, by identity or name.</summary>
    private static bool Inherits(HlRuntimeType type, HlRuntimeType target)
    {
        for (var t = type; t is not null; t = t.Super)
        {
            if (ReferenceEquals(t, target) || t.Name == target.Name)
            {
                return true;
            }
        }

        return false;
    }

    public void Invalidate()
    {
        Volatile.Write(ref _entries, null);
        Volatile.Write(ref _accepted, null);
        Volatile.Write(ref _acceptedClosure, null);
        Volatile.Write(ref _converter, null);
        Volatile.Write(ref _conversion, null);
        _position = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private object? MissAnonymous(HlDynObj d)
    {
        var position = d.Fields.IndexOf(Hash);
        if (position < 0)
        {
            return null;
        }

        _position = position;
        return d.Fields.TryGetAt(position, Hash, out var value) ? value : null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T Miss(object? obj)
    {
        if (obj is HlInstance o && FieldReader(o.Type, Hash) is { } read)
        {
            Volatile.Write(ref _entries, ShapeEntries.With(_entries, new Entry(o.Type, read)));
            return typeof(T) == typeof(object) ? Finish(read(o)) : read(o);
        }

        return Finish(_runtime.DynGetField(obj, Hash));
    }

    /// <summary>A reader of a plain field of the class (not one a reload added, which lives elsewhere), or null.</summary>
    private static Func<object, T>? FieldReader(HlRuntimeType type, int hash)
    {
        var index = type.FindField(hash);
        if (index < 0 || type.Fields[index] is not { IsAdded: false, Field: { } info } field)
        {
            return null;
        }

        if (info.FieldType == typeof(T))
        {
            return (Func<object, T>)field.TypedGetter;
        }

        var boxed = field.Getter;
        return o => ShapeEntries.FromDynamic<T>(boxed(o));
    }

    private sealed record Entry(HlRuntimeType Type, Func<object, T> Read);
}

/// <summary>
/// A write of a field through a virtual type, the value in the register's storage type
/// <typeparamref name="T"/> (<see cref="object"/>: already boxed as a dynamic, as
/// <see cref="HlRuntime.DynSetField"/> takes it). The same caches as <see cref="FieldGetSite{T}"/>;
/// a class instance's field of storage <typeparamref name="T"/> is written unboxed.
/// </summary>
internal sealed class FieldSetSite<T> : IVirtualSite
{
    private readonly HlRuntime _runtime;
    private int _position;
    private Entry[]? _entries;

    public FieldSetSite(HlRuntime runtime, int hash)
    {
        _runtime = runtime;
        Hash = hash;
    }

    /// <summary>The field's name hash.</summary>
    public int Hash { get; }

    /// <summary>Writes the field of <paramref name="obj"/>, as <see cref="HlRuntime.DynSetField"/> does.</summary>
    public void Set(object? obj, T value)
    {
        if (obj is HlDynObj d)
        {
            if (!d.Fields.TrySetAt(_position, Hash, value))
            {
                MissAnonymous(d, value);
            }

            return;
        }

        if (obj is HlInstance o && _entries is { } entries)
        {
            var type = o.Type;
            foreach (var entry in entries)
            {
                if (ReferenceEquals(entry.Type, type))
                {
                    entry.Write(o, value);
                    return;
                }
            }
        }

        Miss(obj, value);
    }

    public void Invalidate()
    {
        Volatile.Write(ref _entries, null);
        _position = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MissAnonymous(HlDynObj d, T value)
    {
        d.Fields[Hash] = value;
        _position = d.Fields.IndexOf(Hash);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Miss(object? obj, T value)
    {
        if (obj is HlInstance o && FieldWriter(o.Type, Hash) is { } write)
        {
            Volatile.Write(ref _entries, ShapeEntries.With(_entries, new Entry(o.Type, write)));
            write(o, value);
            return;
        }

        _runtime.DynSetField(obj, Hash, value);
    }

    private Action<object, T>? FieldWriter(HlRuntimeType type, int hash)
    {
        var index = type.FindField(hash);
        if (index < 0 || type.Fields[index] is not { IsAdded: false, Field: { } info } field)
        {
            return null;
        }

        if (info.FieldType == typeof(T) && typeof(T) != typeof(object))
        {
            return (Action<object, T>)field.TypedSetter;
        }

        var runtime = _runtime;
        var fieldType = field.Type;
        var boxed = field.Setter;
        return (o, v) => boxed(o, runtime.ToStorage(v, fieldType));
    }

    private sealed record Entry(HlRuntimeType Type, Action<object, T> Write);
}
