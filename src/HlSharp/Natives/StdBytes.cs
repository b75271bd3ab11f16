using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Raw memory natives on <c>hl.Bytes</c>: allocation, copies, comparison, search, fill, pointer arithmetic (HashLink's <c>std/bytes.c</c>).</summary>
internal static class StdBytes
{
    [HlNative("std", "alloc_bytes")]
    public static HlBytes AllocBytes(int size) => HlBytes.Allocate(size);

    [HlNative("std", "bytes_blit")]
    public static void BytesBlit(HlBytes dst, int dpos, HlBytes src, int spos, int length)
    {
        // An empty copy touches no memory, so HashLink allows null pointers for it (growing an empty array does this).
        if (length == 0)
        {
            return;
        }

        src.Array.AsSpan(src.Offset + spos, length).CopyTo(dst.Array.AsSpan(dst.Offset + dpos, length));
    }

    [HlNative("std", "bytes_compare")]
    public static int BytesCompare(HlBytes a, int apos, HlBytes b, int bpos, int length) =>
        FirstDifference(a.Array.AsSpan(a.Offset + apos, length), b.Array.AsSpan(b.Offset + bpos, length));

    /// <summary>memcmp as glibc returns it: the difference of the first differing bytes.</summary>
    private static int FirstDifference(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        // Short runs, as String.indexOf and lastIndexOf compare at every position, cost less
        // compared a byte at a time than through the vectorized search's set-up.
        if (x.Length <= 16)
        {
            for (var k = 0; k < x.Length; k++)
            {
                if (x[k] != y[k])
                {
                    return x[k] - y[k];
                }
            }

            return 0;
        }

        var i = x.CommonPrefixLength(y);
        return i >= x.Length ? 0 : x[i] - y[i];
    }

    /// <summary>A stable merge sort (HashLink's is stable, so equal elements keep their order).</summary>
    internal static T[] StableSort<T>(T[] items, Func<T, T, int> compare)
    {
        if (items.Length < 2)
        {
            return items;
        }

        var buffer = new T[items.Length];
        MergeSort(items, buffer, 0, items.Length, compare);
        return items;
    }

    private static void MergeSort<T>(T[] a, T[] tmp, int from, int to, Func<T, T, int> compare)
    {
        if (to - from < 2)
        {
            return;
        }

        var mid = (from + to) / 2;
        MergeSort(a, tmp, from, mid, compare);
        MergeSort(a, tmp, mid, to, compare);
        if (compare(a[mid - 1], a[mid]) <= 0)
        {
            return;
        }

        Array.Copy(a, from, tmp, from, to - from);
        int i = from, j = mid, k = from;
        while (i < mid && j < to)
        {
            a[k++] = compare(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
        }

        while (i < mid)
        {
            a[k++] = tmp[i++];
        }

        while (j < to)
        {
            a[k++] = tmp[j++];
        }
    }

    [HlNative("std", "bytes_compare16")]
    public static int BytesCompare16(HlBytes a, HlBytes b, int length)
    {
        var x = MemoryMarshal.Cast<byte, char>(a.Array.AsSpan(a.Offset, length * 2));
        var y = MemoryMarshal.Cast<byte, char>(b.Array.AsSpan(b.Offset, length * 2));
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return x[i] - y[i];
            }
        }

        return 0;
    }

    [HlNative("std", "bytes_find")]
    public static int BytesFind(HlBytes where, int pos, int length, HlBytes which, int wpos, int wlength)
    {
        var index = where.Array.AsSpan(where.Offset + pos, length).IndexOf(which.Array.AsSpan(which.Offset + wpos, wlength));
        return index < 0 ? -1 : index + pos;
    }

    [HlNative("std", "bytes_fill")]
    public static void BytesFill(HlBytes bytes, int pos, int length, int value)
    {
        if (length != 0)
        {
            bytes.Array.AsSpan(bytes.Offset + pos, length).Fill((byte)value);
        }
    }

    [HlNative("std", "bytes_offset")]
    public static HlBytes BytesOffset(HlBytes bytes, int delta) => bytes.Add(delta);

    [HlNative("std", "bytes_subtract")]
    public static int BytesSubtract(HlBytes a, HlBytes b) => a.Offset - b.Offset;
}
