using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// The base of every emitted class when hot reload is on (<c>HlVmOptions.HotReload</c>): one more
/// field, <see cref="Added"/>, holds the values of fields a reload added to the class or one of
/// its super classes, which the emitted .NET class cannot gain. It stays null until such a field
/// is written, so an object costs 8 bytes more and nothing else; with hot reload off classes
/// derive from <see cref="HlInstance"/> and are exactly as before.
/// </summary>
internal abstract class HlReloadableInstance : HlInstance
{
    /// <summary>Added fields' values by slot (<see cref="HlRuntimeField.AddedSlot"/>), in storage form, boxed; null until one is written.</summary>
    public object?[]? Added;
}

/// <summary>
/// Reads and writes of fields a reload added (<see cref="HlRuntimeField.AddedSlot"/>): compiled
/// code calls the typed readers and <see cref="Set"/>; dynamic access (<c>Reflect.field</c>, the
/// host's <c>HlObject</c>) goes through <see cref="HlRuntimeField.Getter"/> and <see cref="HlRuntimeField.Setter"/>,
/// which this class provides for added fields. A field never written reads its type's zero.
/// </summary>
internal sealed class AddedFields : IFieldAccessorCompiler
{
    /// <summary>The one instance: an added field's accessors depend only on its slot and type.</summary>
    public static readonly AddedFields Instance = new();

    public static object? Get(object obj, int slot)
    {
        var added = Volatile.Read(ref ((HlReloadableInstance)obj).Added);
        return added is not null && (uint)slot < (uint)added.Length ? added[slot] : null;
    }

    public static int GetInt(object obj, int slot) => Get(obj, slot) is int v ? v : 0;

    public static long GetLong(object obj, int slot) => Get(obj, slot) is long v ? v : 0L;

    public static float GetFloat(object obj, int slot) => Get(obj, slot) is float v ? v : 0f;

    public static double GetDouble(object obj, int slot) => Get(obj, slot) is double v ? v : 0.0;

    public static bool GetBool(object obj, int slot) => Get(obj, slot) is true;

    public static object? GetObject(object obj, int slot) => Get(obj, slot);

    /// <summary>Writes a boxed value in the field's storage form; grows the object's array when the slot is past its end.</summary>
    public static void Set(object obj, int slot, object? value)
    {
        var o = (HlReloadableInstance)obj;
        while (true)
        {
            var added = Volatile.Read(ref o.Added);
            if (added is not null && (uint)slot < (uint)added.Length)
            {
                added[slot] = value;
                // A writer that grew the array meanwhile may have copied it before this write: write again into its copy.
                if (ReferenceEquals(Volatile.Read(ref o.Added), added))
                {
                    return;
                }

                continue;
            }

            var grown = new object?[slot + 1];
            added?.CopyTo(grown, 0);
            Interlocked.CompareExchange(ref o.Added, grown, added);
        }
    }

    /// <summary>The name of the typed reader compiled code calls for a field stored as <paramref name="storage"/>.</summary>
    public static string ReaderFor(Type storage) =>
        storage == typeof(int) ? nameof(GetInt)
        : storage == typeof(long) ? nameof(GetLong)
        : storage == typeof(float) ? nameof(GetFloat)
        : storage == typeof(double) ? nameof(GetDouble)
        : storage == typeof(bool) ? nameof(GetBool)
        : nameof(GetObject);

    public Func<object, object?> Getter(HlRuntimeField field)
    {
        var slot = field.AddedSlot;
        return field.Type.Kind switch
        {
            HlTypeKind.UI8 => obj => (byte)GetInt(obj, slot),
            HlTypeKind.UI16 => obj => (ushort)GetInt(obj, slot),
            HlTypeKind.I32 => obj => GetInt(obj, slot),
            HlTypeKind.I64 => obj => GetLong(obj, slot),
            HlTypeKind.F32 => obj => GetFloat(obj, slot),
            HlTypeKind.F64 => obj => GetDouble(obj, slot),
            HlTypeKind.Bool => obj => GetBool(obj, slot),
            _ => obj => Get(obj, slot),
        };
    }

    public Action<object, object?> Setter(HlRuntimeField field)
    {
        var slot = field.AddedSlot;
        return field.Type.Kind switch
        {
            HlTypeKind.UI8 => (obj, value) => Set(obj, slot, (int)(byte)RuntimeOps.DynToInt(value)),
            HlTypeKind.UI16 => (obj, value) => Set(obj, slot, (int)(ushort)RuntimeOps.DynToInt(value)),
            _ => (obj, value) => Set(obj, slot, value),
        };
    }

    // Sites read and write added fields through the boxed accessors (an added field has no .NET field).
    public Delegate TypedGetter(HlRuntimeField field) => throw new NotSupportedException($"field {field.Name} was added by a reload and has no typed storage");

    public Delegate TypedSetter(HlRuntimeField field) => throw new NotSupportedException($"field {field.Name} was added by a reload and has no typed storage");
}
