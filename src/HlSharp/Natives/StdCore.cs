using System.Runtime.InteropServices;
using System.Text;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>The natives every program calls at start-up: printing, strings, bytes, arrays, types.</summary>
internal static class StdCore
{
    // ---- output ----

    [HlNative("std", "sys_print")]
    public static void SysPrint(NativeContext m, HlBytes message) => m.Out.Write(message.ReadUcs2Terminated());

    [HlNative("std", "sys_utf8_path")]
    public static bool SysUtf8Path() => true;

    [HlNative("std", "sys_is64")]
    public static bool SysIs64() => true;

    // ---- strings ----

    [HlNative("std", "value_to_string")]
    public static HlBytes ValueToString(NativeContext m, object? value, HlRef<int> length) => Ucs2(ValueFormatter.Format(m.Runtime, value), length);

    [HlNative("std", "itos")]
    public static HlBytes Itos(int value, HlRef<int> length) => Ucs2(value.ToString(System.Globalization.CultureInfo.InvariantCulture), length);

    [HlNative("std", "ftos")]
    public static HlBytes Ftos(double value, HlRef<int> length) => Ucs2(ValueFormatter.FormatFloat(value), length);

    [HlNative("std", "ucs2length")]
    public static int Ucs2Length(HlBytes bytes, int pos)
    {
        var chars = MemoryMarshal.Cast<byte, char>(bytes.Array.AsSpan(bytes.Offset + pos)[..((bytes.Array.Length - bytes.Offset - pos) & ~1)]);
        var end = chars.IndexOf('\0');
        return end < 0 ? chars.Length : end;
    }

    [HlNative("std", "utf8_to_utf16")]
    public static HlBytes Utf8ToUtf16(HlBytes bytes, int pos, HlRef<int> length)
    {
        // HashLink's decoder: it stops at a zero byte or a malformed sequence and reports the size in bytes.
        var text = DecodeUtf8(bytes.Array.AsSpan(bytes.Offset + pos));
        length.Value = text.Length * 2;
        return HlBytes.FromString(text);
    }

    /// <summary>Decodes UTF-8 as HashLink's <c>hl_utf8_length</c>/<c>hl_from_utf8</c> pair: up to a zero byte or the first malformed lead.</summary>
    internal static string DecodeUtf8(ReadOnlySpan<byte> span)
    {
        var end = span.IndexOf((byte)0);
        var s = (end < 0 ? span : span[..end]).ToArray();
        var sb = new StringBuilder();
        var i = 0;
        int At(int k) => k < s.Length ? s[k] : 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == 0)
            {
                break;
            }

            if (c < 0x80)
            {
                sb.Append((char)c);
                i++;
            }
            else if (c < 0xC0)
            {
                break;
            }
            else if (c < 0xE0)
            {
                if ((At(i + 1) & 0x80) == 0)
                {
                    break;
                }

                sb.Append((char)(((c & 0x3F) << 6) | (At(i + 1) & 0x7F)));
                i += 2;
            }
            else if (c < 0xF0)
            {
                if ((At(i + 1) & At(i + 2) & 0x80) == 0)
                {
                    break;
                }

                sb.Append((char)(((c & 0x1F) << 12) | ((At(i + 1) & 0x7F) << 6) | (At(i + 2) & 0x7F)));
                i += 3;
            }
            else if (c < 0xF8)
            {
                if ((At(i + 1) & At(i + 2) & At(i + 3) & 0x80) == 0)
                {
                    break;
                }

                var v = (((c & 0x0F) << 18) | ((At(i + 1) & 0x7F) << 12) | ((At(i + 2) & 0x7F) << 6) | (At(i + 3) & 0x7F)) - 0x10000;
                sb.Append((char)((v >> 10) + 0xD800)).Append((char)((v & 0x3FF) | 0xDC00));
                i += 4;
            }
            else
            {
                break;
            }
        }

        return sb.ToString();
    }

    [HlNative("std", "utf16_to_utf8")]
    public static HlBytes Utf16ToUtf8(HlBytes bytes, int length, HlRef<int>? size)
    {
        // The second argument is a length in characters; zero means "up to the terminating zero".
        var chars = MemoryMarshal.Cast<byte, char>(bytes.Array.AsSpan(bytes.Offset)[..((bytes.Array.Length - bytes.Offset) & ~1)]);
        if (length == 0)
        {
            var end = chars.IndexOf('\0');
            chars = end < 0 ? chars : chars[..end];
        }
        else
        {
            chars = chars[..Math.Min(length, chars.Length)];
        }

        var output = new List<byte>(chars.Length + 1);
        for (var i = 0; i < chars.Length; i++)
        {
            int v = chars[i];
            if (v < 0x80)
            {
                output.Add((byte)v);
            }
            else if (v < 0x800)
            {
                output.Add((byte)(0xC0 | (v >> 6)));
                output.Add((byte)(0x80 | (v & 63)));
            }
            else if (v is >= 0xD800 and <= 0xDFFF)
            {
                // HashLink pairs any surrogate with the next unit, whatever it is.
                int next = i + 1 < chars.Length ? chars[++i] : 0;
                var k = (((v - 0xD800) << 10) | (next - 0xDC00)) + 0x10000;
                output.Add((byte)(0xF0 | (k >> 18)));
                output.Add((byte)(0x80 | ((k >> 12) & 63)));
                output.Add((byte)(0x80 | ((k >> 6) & 63)));
                output.Add((byte)(0x80 | (k & 63)));
            }
            else
            {
                output.Add((byte)(0xE0 | (v >> 12)));
                output.Add((byte)(0x80 | ((v >> 6) & 63)));
                output.Add((byte)(0x80 | (v & 63)));
            }
        }

        size?.Value = output.Count;
        output.Add(0);
        return new HlBytes([.. output]);
    }

    // ---- numbers from text (HashLink's bytes.c: strtol / strtod over a filtered copy) ----

    private static bool IsSpace(char c) => c == ' ' || (c > 8 && c < 14);

    /// <summary>The characters of a UCS-2 string from a byte position, up to a zero or <paramref name="length"/> characters.</summary>
    private static string ReadChars(HlBytes bytes, int pos, int length)
    {
        var text = bytes.Add(pos).ReadUcs2Terminated();
        return text.Length > length && length >= 0 ? text[..length] : text;
    }

    [HlNative("std", "ucs2_upper")]
    public static HlBytes Ucs2Upper(HlBytes bytes, int pos, int length) => MapChars(bytes, pos, length, char.ToUpperInvariant);

    [HlNative("std", "ucs2_lower")]
    public static HlBytes Ucs2Lower(HlBytes bytes, int pos, int length) => MapChars(bytes, pos, length, char.ToLowerInvariant);

    private static HlBytes MapChars(HlBytes bytes, int pos, int length, Func<char, char> map)
    {
        var source = MemoryMarshal.Cast<byte, char>(bytes.Array.AsSpan(bytes.Offset + (pos * 2), length * 2));
        var data = new byte[(length + 1) * 2];
        var target = MemoryMarshal.Cast<byte, char>(data.AsSpan());
        for (var i = 0; i < length; i++)
        {
            target[i] = map(source[i]);
        }

        return new HlBytes(data);
    }

    /// <summary>A zero-terminated UCS-2 copy of a string, with its length in characters.</summary>
    public static HlBytes Ucs2(string text, HlRef<int> length)
    {
        length.Value = text.Length;
        return HlBytes.FromString(text);
    }

    // ---- bytes ----

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

    // ---- arrays ----

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

    // ---- types ----

    [HlNative("std", "type_set_global")]
    public static bool TypeSetGlobal(NativeContext m, HlRuntimeType type, object? value)
    {
        if (type.GlobalIndex < 0)
        {
            return false;
        }

        m.SetGlobal(type.GlobalIndex, value);
        return true;
    }

    [HlNative("std", "type_name")]
    public static HlBytes? TypeName(HlRuntimeType type) => type.Kind is HlTypeKind.Obj or HlTypeKind.Struct or HlTypeKind.Enum or HlTypeKind.Abstract
        ? HlBytes.FromString(type.Name)
        : null;

    [HlNative("std", "alloc_obj")]
    public static object AllocObj(NativeContext m, HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.Obj or HlTypeKind.Struct => m.Runtime.AllocateObject(type),
        HlTypeKind.Virtual => m.Runtime.NewVirtual(type),
        _ => new HlDynObj(),
    };

    [HlNative("std", "type_safe_cast")]
    public static bool TypeSafeCast(HlRuntimeType from, HlRuntimeType to) =>
        ReferenceEquals(from, to) || to.Kind == HlTypeKind.Dyn || (from.Kind is HlTypeKind.Obj or HlTypeKind.Struct && from.IsSubclassOf(to));
}
