using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Native array natives (<c>hl.NativeArray</c>; HashLink's <c>std/array.c</c>).</summary>
internal static class StdArray
{
    [HlNative("std", "alloc_array")]
    public static HlArray AllocArray(HlRuntimeType type, int size)
    {
        if (size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "Invalid array size");
        }

        // Typed allocations: Array.CreateInstance goes through reflection and was a third of the
        // JSON benchmark's time.
        Array data = StorageTypes.ElementOf(type.Kind) switch
        {
            var t when t == typeof(int) => new int[size],
            var t when t == typeof(double) => new double[size],
            var t when t == typeof(byte) => new byte[size],
            var t when t == typeof(ushort) => new ushort[size],
            var t when t == typeof(long) => new long[size],
            var t when t == typeof(float) => new float[size],
            var t when t == typeof(bool) => new bool[size],
            _ => new object?[size],
        };
        return new HlArray(type, data);
    }

    [HlNative("std", "array_blit")]
    public static void ArrayBlit(HlArray dst, int dpos, HlArray src, int spos, int length) => Array.Copy(src.Data, spos, dst.Data, dpos, length);

    [HlNative("std", "array_type")]
    public static HlRuntimeType ArrayType(HlArray array) => array.ElementType;
}
