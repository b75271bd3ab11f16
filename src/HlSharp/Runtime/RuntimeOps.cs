using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// Small helpers compiled code calls for what IL has no single instruction for, each with
/// HashLink's semantics (HashLink's <c>jit.c</c> and <c>std/cast.c</c>).
/// </summary>
internal static class RuntimeOps
{
    /// <summary>HashLink's "invalid comparison" result: neither less, equal nor greater.</summary>
    public const int InvalidComparison = unchecked((int)0xAABBCCDD);

    // Integer division: by zero gives 0; by -1 avoids the overflow trap (MIN / -1 wraps).
    public static int SDiv32(int a, int b) => b == 0 ? 0 : b == -1 ? unchecked(-a) : a / b;

    public static long SDiv64(long a, long b) => b == 0 ? 0 : b == -1 ? unchecked(-a) : a / b;

    public static int SMod32(int a, int b) => b is 0 or -1 ? 0 : a % b;

    public static long SMod64(long a, long b) => b is 0 or -1 ? 0 : a % b;

    public static int UDiv32(int a, int b) => b == 0 ? 0 : (int)((uint)a / (uint)b);

    public static long UDiv64(long a, long b) => b == 0 ? 0 : (long)((ulong)a / (ulong)b);

    public static int UMod32(int a, int b) => b == 0 ? 0 : (int)((uint)a % (uint)b);

    public static long UMod64(long a, long b) => b == 0 ? 0 : (long)((ulong)a % (ulong)b);

    /// <summary>Truncates like x86's cvttsd2si: NaN and out-of-range values give int.MinValue.</summary>
    public static int FloatToInt(double value) =>
        value is >= -2147483648.0 and < 2147483648.0 ? (int)value : int.MinValue;

    public static long FloatToLong(double value) =>
        value is >= -9223372036854775808.0 and < 9223372036854775808.0 ? (long)value : long.MinValue;

    /// <summary>Turns a comparison result into the jump decision of a compare-and-jump opcode.</summary>
    public static bool CompareResult(int result, int opcode) => (HlOpcode)opcode switch
    {
        HlOpcode.JEq => result == 0,
        HlOpcode.JNotEq => result != 0,
        HlOpcode.JSLt or HlOpcode.JULt => result < 0,
        HlOpcode.JSLte => result <= 0,
        HlOpcode.JSGt => result > 0 && result != InvalidComparison,
        HlOpcode.JSGte or HlOpcode.JUGte => result >= 0 && result != InvalidComparison,
        HlOpcode.JNotLt => !(result < 0),
        HlOpcode.JNotGte => !(result >= 0 && result != InvalidComparison),
        _ => false,
    };

    public static bool SameType(object? a, object? b) => ReferenceEquals(a, b)
        || (a is HlRuntimeType ta && b is HlRuntimeType tb && ta.Source is not null && tb.Source is not null && TypeEquality.Same(ta, tb));

    public static bool SamePointer(object? a, object? b) => a is HlBytes ba ? ba.Equals(b as HlBytes) : ReferenceEquals(a, b);

    /// <summary><c>Null&lt;T&gt;</c> equality: same box, or both set with equal values.</summary>
    public static bool NullableEquals(object? a, object? b) => ReferenceEquals(a, b) || (a is not null && b is not null && a.Equals(b));

    // ---- bytes memory ----
    // Inlined even into large functions, whose inlining budget the JIT would otherwise spend
    // first: a parser's character loop reads the string's bytes through GetU16 at every step.

    /// <summary>
    /// The <paramref name="size"/> bytes at <paramref name="pos"/>: one range check (the span's),
    /// which also settles the read's own length check, where slicing the rest of the block and
    /// then reading checked twice. Out of range is an <see cref="ArgumentOutOfRangeException"/>,
    /// which Haxe code catches as "Out of bounds".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<byte> Window(HlBytes b, int pos, int size) => new(b.Array, b.Offset + pos, size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetU8(HlBytes b, int pos) => b.Array[b.Offset + pos];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetU16(HlBytes b, int pos) => BinaryPrimitives.ReadUInt16LittleEndian(Window(b, pos, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetI32(HlBytes b, int pos) => BinaryPrimitives.ReadInt32LittleEndian(Window(b, pos, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long GetI64(HlBytes b, int pos) => BinaryPrimitives.ReadInt64LittleEndian(Window(b, pos, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GetF32(HlBytes b, int pos) => BinaryPrimitives.ReadSingleLittleEndian(Window(b, pos, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetF64(HlBytes b, int pos) => BinaryPrimitives.ReadDoubleLittleEndian(Window(b, pos, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetU8(HlBytes b, int pos, int value) => b.Array[b.Offset + pos] = (byte)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetU16(HlBytes b, int pos, int value) => BinaryPrimitives.WriteUInt16LittleEndian(Window(b, pos, 2), (ushort)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetI32(HlBytes b, int pos, int value) => BinaryPrimitives.WriteInt32LittleEndian(Window(b, pos, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetI64(HlBytes b, int pos, long value) => BinaryPrimitives.WriteInt64LittleEndian(Window(b, pos, 8), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetF32(HlBytes b, int pos, float value) => BinaryPrimitives.WriteSingleLittleEndian(Window(b, pos, 4), value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetF64(HlBytes b, int pos, double value) => BinaryPrimitives.WriteDoubleLittleEndian(Window(b, pos, 8), value);

    // ---- dynamic to typed (HashLink's hl_dyn_casti / castd / castf / castl) ----

    public static int DynToInt(object? value) => value switch
    {
        null => 0,
        int i => i,
        byte u => u,
        ushort u => u,
        bool b => b ? 1 : 0,
        double d => FloatToInt(d),
        float f => FloatToInt(f),
        long l => (int)l,
        _ => throw CastError(value, "i32"),
    };

    public static long DynToLong(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        byte u => u,
        ushort u => u,
        bool b => b ? 1 : 0,
        double d => FloatToLong(d),
        float f => FloatToLong(f),
        _ => throw CastError(value, "i64"),
    };

    public static double DynToDouble(object? value) => value switch
    {
        null => 0,
        double d => d,
        int i => i,
        float f => f,
        byte u => u,
        ushort u => u,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw CastError(value, "f64"),
    };

    public static float DynToFloat(object? value) => (float)DynToDouble(value);

    public static bool DynToBool(object? value) => value switch
    {
        null => false,
        bool b => b,
        int i => i != 0,
        _ => throw CastError(value, "bool"),
    };

    internal static HaxeThrow CastError(object? value, string target) =>
        new(new HlCastFailure(value, target));
}

/// <summary>A failed dynamic cast, turned into HashLink's "Can't cast X to Y" message by the module.</summary>
internal sealed record HlCastFailure(object? Value, string Target);

/// <summary>Structural type equality, as HashLink's <c>hl_same_type</c>.</summary>
internal static class TypeEquality
{
    public static bool Same(HlRuntimeType a, HlRuntimeType b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind switch
        {
            HlTypeKind.Obj or HlTypeKind.Struct or HlTypeKind.Enum or HlTypeKind.Abstract => a.Name == b.Name,
            HlTypeKind.Ref or HlTypeKind.Null or HlTypeKind.Packed => Same(a.Inner!, b.Inner!),
            HlTypeKind.Fun or HlTypeKind.Method => a.Arguments.Length == b.Arguments.Length
                && a.Arguments.Zip(b.Arguments).All(p => Same(p.First, p.Second)) && Same(a.Return!, b.Return!),
            HlTypeKind.Virtual => a.Fields.Length == b.Fields.Length
                && a.Fields.Zip(b.Fields).All(p => p.First.Hash == p.Second.Hash && Same(p.First.Type, p.Second.Type)),
            _ => true,
        };
    }
}
