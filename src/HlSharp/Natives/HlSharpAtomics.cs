namespace HlSharp.Natives;

/// <summary>
/// The <c>hlsharp</c> library's atomics, shaped as Haxe 4.3's <c>haxe.atomic</c>: each operation is
/// one interlocked operation on a cell; read-modify-write operations return the value before.
/// <c>AtomicObject</c> compares by reference, as Haxe 4.3 does.
/// </summary>
internal static class HlSharpAtomics
{
    internal sealed class IntCell(int value)
    {
        public int Value = value;
    }

    internal sealed class ObjectCell(object? value)
    {
        public object? Value = value;
    }

    [HlNative("hlsharp", "atomic_int_alloc")]
    public static IntCell IntAlloc(int value) => new(value);

    [HlNative("hlsharp", "atomic_int_add")]
    public static int IntAdd(IntCell cell, int value) => Interlocked.Add(ref cell.Value, value) - value;

    [HlNative("hlsharp", "atomic_int_sub")]
    public static int IntSub(IntCell cell, int value) => Interlocked.Add(ref cell.Value, -value) + value;

    [HlNative("hlsharp", "atomic_int_and")]
    public static int IntAnd(IntCell cell, int value) => Interlocked.And(ref cell.Value, value);

    [HlNative("hlsharp", "atomic_int_or")]
    public static int IntOr(IntCell cell, int value) => Interlocked.Or(ref cell.Value, value);

    [HlNative("hlsharp", "atomic_int_xor")]
    public static int IntXor(IntCell cell, int value)
    {
        int old;
        do
        {
            old = Volatile.Read(ref cell.Value);
        }
        while (Interlocked.CompareExchange(ref cell.Value, old ^ value, old) != old);
        return old;
    }

    [HlNative("hlsharp", "atomic_int_compare_exchange")]
    public static int IntCompareExchange(IntCell cell, int expected, int replacement) => Interlocked.CompareExchange(ref cell.Value, replacement, expected);

    [HlNative("hlsharp", "atomic_int_exchange")]
    public static int IntExchange(IntCell cell, int value) => Interlocked.Exchange(ref cell.Value, value);

    [HlNative("hlsharp", "atomic_int_load")]
    public static int IntLoad(IntCell cell) => Volatile.Read(ref cell.Value);

    [HlNative("hlsharp", "atomic_int_store")]
    public static int IntStore(IntCell cell, int value)
    {
        Volatile.Write(ref cell.Value, value);
        return value;
    }

    [HlNative("hlsharp", "atomic_object_alloc")]
    public static ObjectCell ObjectAlloc(object? value) => new(value);

    [HlNative("hlsharp", "atomic_object_compare_exchange")]
    public static object? ObjectCompareExchange(ObjectCell cell, object? expected, object? replacement) =>
        Interlocked.CompareExchange(ref cell.Value, replacement, expected);

    [HlNative("hlsharp", "atomic_object_exchange")]
    public static object? ObjectExchange(ObjectCell cell, object? value) => Interlocked.Exchange(ref cell.Value, value);

    [HlNative("hlsharp", "atomic_object_load")]
    public static object? ObjectLoad(ObjectCell cell) => Volatile.Read(ref cell.Value);

    [HlNative("hlsharp", "atomic_object_store")]
    public static object? ObjectStore(ObjectCell cell, object? value)
    {
        Volatile.Write(ref cell.Value, value);
        return value;
    }
}
