using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>hl.Api.compact</c> (<c>?std@mem_compact</c>; HashLink's <c>std/types.c</c>,
/// <c>hl_mem_compact</c>): copies the graph of values reachable from a value and returns the copy.
/// Values in <c>exclude</c> are not copied (the copy refers to the originals), a value reached
/// twice is copied once (sharing and cycles survive), and <c>outCount</c> receives how many values
/// were copied. What HashLink cannot copy (closures, references, types, abstracts, struct-typed
/// fields) fails with its "Unsupported type N" / "Unsupported abstract NAME" error.
/// </summary>
/// <remarks>
/// HashLink writes the copy into one raw memory block; HlSharp has no raw memory, so this is a deep
/// copy into ordinary objects, and so:
/// <list type="bullet">
/// <item><c>flags</c> is ignored: bit 1 (a read-only block, Windows only) has nothing to protect,
/// and bits 2 and 4 change how HashLink lays out virtuals, which in HlSharp are the objects
/// themselves.</item>
/// <item>A virtual is its object here, so a virtual over a class instance is copied as the
/// instance, where HashLink (flags 0) fails with "assert": it expects a virtual's value to be a
/// dynamic object.</item>
/// <item>A dynamic object's fields keep no declared types here: a number in one is never counted,
/// where HashLink counts one stored as <c>Dynamic</c> (set by reflection) as a copied box.</item>
/// <item>A boxed number reached through a <c>Dynamic</c> slot is counted as HashLink counts it, but
/// the box itself is kept: .NET boxes cannot change.</item>
/// </list>
/// As in HashLink, string and bytes constants stay where they are and are not counted, and enum
/// constructors without arguments are shared.
/// </remarks>
internal static class StdMemCompact
{
    [HlNative("std", "mem_compact")]
    public static object? MemCompact(NativeContext m, object? value, HlArray? exclude, int flags, HlRef<int>? outCount)
    {
        _ = flags;
        var compactor = new Compactor(m, exclude);
        var copy = compactor.CopyRoot(value);
        if (outCount is not null)
        {
            outCount.Value = compactor.Count;
        }

        return copy;
    }

    /// <summary>One copy: the originals already met and their copies, and the copies still to fill in.</summary>
    private sealed class Compactor
    {
        private readonly NativeContext _m;
        private readonly Dictionary<object, object> _copies = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<byte[], byte[]> _bytes = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<byte[]> _constants;

        // An explicit work list rather than recursion: a long linked list must not overflow the stack.
        private readonly Stack<(object Original, object Copy)> _todo = new();

        public Compactor(NativeContext m, HlArray? exclude)
        {
            _m = m;
            _constants = m.ConstantByteArrays();
            if (exclude?.Data is object?[] excluded)
            {
                foreach (var e in excluded)
                {
                    if (e is HlBytes b)
                    {
                        _bytes[b.Array] = b.Array;
                    }
                    else if (e is not null)
                    {
                        _copies[e] = e;
                    }
                }
            }
        }

        /// <summary>How many values were copied.</summary>
        public int Count { get; private set; }

        public object? CopyRoot(object? value)
        {
            // The root is copied whatever it is, even a constant enum, as hl_mem_compact does.
            var copy = value is null ? null : CopyValue(value);
            while (_todo.TryPop(out var next))
            {
                Fill(next.Original, next.Copy);
            }

            return copy;
        }

        /// <summary>What a slot of a declared type holds in the copy (HashLink's compact_write_data).</summary>
        private object? CopySlot(object? value, HlRuntimeType type)
        {
            switch (type.Kind)
            {
                case HlTypeKind.UI8 or HlTypeKind.UI16 or HlTypeKind.I32 or HlTypeKind.I64 or HlTypeKind.F32 or HlTypeKind.F64
                    or HlTypeKind.Bool or HlTypeKind.Guid:
                    return value;
                case HlTypeKind.Bytes:
                    return value is HlBytes b ? CopyBytes(b) : value;
                case HlTypeKind.Dyn or HlTypeKind.Fun or HlTypeKind.Obj or HlTypeKind.Array or HlTypeKind.Virtual
                    or HlTypeKind.DynObj or HlTypeKind.Enum or HlTypeKind.Null:
                    return CopyDynamic(value);
                case HlTypeKind.Abstract:
                    throw _m.Runtime.MakeError($"Unsupported abstract {type.Name}");
                default:
                    throw Unsupported(type.Kind);
            }
        }

        /// <summary>A value held as a pointer: null and enum constructors without arguments are shared.</summary>
        private object? CopyDynamic(object? value) =>
            value is null || (value is HlEnumValue e && e.Args.Length == 0) ? value : CopyValue(value);

        private object CopyValue(object value)
        {
            if (value is HlBytes bytes)
            {
                return CopyBytes(bytes);
            }

            if (_copies.TryGetValue(value, out var known))
            {
                return known;
            }

            object copy = value switch
            {
                HlInstance o when o.Type.Kind == HlTypeKind.Obj => _m.Runtime.AllocateObject(o.Type),
                HlDynObj => new HlDynObj(),
                HlArray a => new HlArray(a.ElementType, (Array)a.Data.Clone()),
                HlEnumValue e => new HlEnumValue(e.Type, e.Index, (object?[])e.Args.Clone()),
                int or long or double or float or bool or byte or ushort => value,
                _ => throw Unsupported(KindOf(value)),
            };
            _copies[value] = copy;
            Count++;
            if (!ReferenceEquals(copy, value))
            {
                _todo.Push((value, copy));
            }

            return copy;
        }

        /// <summary>Bytes are copied whole, once per storage; constants stay in place, as HashLink leaves non-GC memory.</summary>
        private HlBytes CopyBytes(HlBytes bytes)
        {
            if (_constants.Contains(bytes.Array))
            {
                return bytes;
            }

            if (!_bytes.TryGetValue(bytes.Array, out var copy))
            {
                copy = (byte[])bytes.Array.Clone();
                _bytes[bytes.Array] = copy;
                Count++;
            }

            return ReferenceEquals(copy, bytes.Array) ? bytes : new HlBytes(copy, bytes.Offset);
        }

        /// <summary>Fills a fresh copy's slots with the copies of the original's.</summary>
        private void Fill(object original, object copy)
        {
            switch (original, copy)
            {
                case (HlInstance o, HlInstance c):
                    foreach (var field in o.Type.Fields)
                    {
                        // The getter hands out a dynamic (a UI8 as an int), the setter takes the storage form.
                        var slot = CopySlot(field.Getter(o), field.Type);
                        field.Setter(c, field.Type.Storage == typeof(object) ? slot : _m.Runtime.ToStorage(slot, field.Type));
                    }

                    break;
                case (HlDynObj o, HlDynObj c):
                    foreach (var (hash, v) in o.Fields)
                    {
                        c.Fields[hash] = v switch
                        {
                            HlBytes b => CopyBytes(b),
                            HlClosure => throw Unsupported(HlTypeKind.Fun),
                            int or long or double or float or bool or byte or ushort => v, // stored unboxed in HashLink
                            _ => CopyDynamic(v),
                        };
                    }

                    break;
                case (HlArray o, HlArray c) when c.Data is object?[] items:
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = CopySlot(items[i], o.ElementType);
                    }

                    break;
                case (HlEnumValue o, HlEnumValue c):
                    var argTypes = o.Type.ConstructArgs[o.Index];
                    for (var i = 0; i < c.Args.Length; i++)
                    {
                        c.Args[i] = CopySlot(c.Args[i], argTypes[i]);
                    }

                    break;
            }
        }

        private HlTypeKind KindOf(object value) => value switch
        {
            _ when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(HlRef<>) => HlTypeKind.Ref,
            _ => _m.Runtime.TypeOfValue(value).Kind,
        };

        private Exception Unsupported(HlTypeKind kind) => _m.Runtime.MakeError($"Unsupported type {(int)kind}");
    }
}
