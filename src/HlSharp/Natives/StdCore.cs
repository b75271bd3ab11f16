using System.Runtime.InteropServices;
using System.Text;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>The natives every program calls at start-up: printing, strings, bytes, arrays, types.</summary>
internal static class StdCore
{
    // ---- output ----

    [HlNative("std", "sys_print")]
    public static void SysPrint(HlModule m, HlBytes message) => m.Vm.Out.Write(message.ReadUcs2Terminated());

    [HlNative("std", "sys_utf8_path")]
    public static bool SysUtf8Path() => true;

    [HlNative("std", "sys_is64")]
    public static bool SysIs64() => true;

    // ---- strings ----

    [HlNative("std", "value_to_string")]
    public static HlBytes ValueToString(HlModule m, object? value, HlRef<int> length) => Ucs2(ValueFormatter.Format(m, value), length);

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

    [HlNative("std", "url_encode")]
    public static HlBytes UrlEncode(HlBytes bytes, HlRef<int> length)
    {
        var text = bytes.ReadUcs2Terminated();
        var sb = new StringBuilder();
        void Hex(int c) => sb.Append('%').Append("0123456789ABCDEF"[(c >> 4) & 0xF]).Append("0123456789ABCDEF"[c & 0xF]);
        for (var i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.')
            {
                sb.Append((char)c);
            }
            else if (c < 0x80)
            {
                Hex(c);
            }
            else if (c < 0x800)
            {
                Hex(0xC0 | (c >> 6));
                Hex(0x80 | (c & 63));
            }
            else if (c is >= 0xD800 and <= 0xDBFF && i + 1 < text.Length && text[i + 1] is >= (char)0xDC00 and < (char)0xDFFF)
            {
                var k = (((c - 0xD800) << 10) | (text[++i] - 0xDC00)) + 0x10000;
                Hex(0xF0 | (k >> 18));
                Hex(0x80 | ((k >> 12) & 63));
                Hex(0x80 | ((k >> 6) & 63));
                Hex(0x80 | (k & 63));
            }
            else
            {
                Hex(0xE0 | (c >> 12));
                Hex(0x80 | ((c >> 6) & 63));
                Hex(0x80 | (c & 63));
            }
        }

        return Ucs2(sb.ToString(), length);
    }

    [HlNative("std", "url_decode")]
    public static HlBytes UrlDecode(HlModule m, HlBytes bytes, HlRef<int> length)
    {
        var text = bytes.ReadUcs2Terminated();
        var sb = new StringBuilder();
        var i = 0;
        int HexDigit(int k) => k >= text.Length ? -1
            : text[k] is >= '0' and <= '9' ? text[k] - '0'
            : text[k] is >= 'a' and <= 'f' ? text[k] - 'a' + 10
            : text[k] is >= 'A' and <= 'F' ? text[k] - 'A' + 10
            : -1;

        // Reads "%XX" at i (the '%' already consumed by the caller for the first byte); -1 when malformed.
        int Byte()
        {
            var hi = HexDigit(i);
            var lo = hi < 0 ? -1 : HexDigit(i + 1);
            if (lo < 0)
            {
                return -1;
            }

            i += 2;
            return (hi << 4) | lo;
        }

        int Next()
        {
            if (i >= text.Length || text[i] != '%')
            {
                throw m.MakeError("Malformed URL encoded");
            }

            i++;
            var b = Byte();
            return b < 0 ? throw m.MakeError("Malformed URL encoded") : b;
        }

        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '+')
            {
                sb.Append(' ');
                continue;
            }

            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var p1 = Byte();
            if (p1 < 0)
            {
                sb.Append('%');
                continue;
            }

            if (p1 < 0x80)
            {
                sb.Append((char)p1);
            }
            else if (p1 < 0xE0)
            {
                sb.Append((char)(((p1 & 0x3F) << 6) | (Next() & 0x7F)));
            }
            else if (p1 < 0xF0)
            {
                var p2 = Next();
                var p3 = Next();
                sb.Append((char)(((p1 & 0x1F) << 12) | ((p2 & 0x7F) << 6) | (p3 & 0x7F)));
            }
            else
            {
                var p2 = Next();
                var p3 = Next();
                var p4 = Next();
                var k = (((p1 & 0x0F) << 18) | ((p2 & 0x7F) << 12) | ((p3 & 0x7F) << 6) | (p4 & 0x7F)) - 0x10000;
                sb.Append((char)((k >> 10) + 0xD800)).Append((char)((k & 0x3FF) | 0xDC00));
            }
        }

        return Ucs2(sb.ToString(), length);
    }

    // ---- numbers from text (HashLink's bytes.c: strtol / strtod over a filtered copy) ----

    private static bool IsSpace(char c) => c == ' ' || (c > 8 && c < 14);

    [HlNative("std", "parse_int")]
    public static object? ParseInt(HlBytes bytes, int pos, int length)
    {
        var text = ReadChars(bytes, pos, length);
        var i = 0;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        var sign = i < text.Length ? text[i] : '\0';
        var signed = sign is '-' or '+';
        var hexAt = i + (signed ? 1 : 0);
        if (hexAt + 1 < text.Length && text[hexAt] == '0' && text[hexAt + 1] is 'x' or 'X')
        {
            var h = 0;
            for (var k = hexAt + 2; k < text.Length; k++)
            {
                var d = text[k] is >= '0' and <= '9' ? text[k] - '0'
                    : text[k] is >= 'A' and <= 'F' ? text[k] - 'A' + 10
                    : text[k] is >= 'a' and <= 'f' ? text[k] - 'a' + 10
                    : -1;
                if (d < 0)
                {
                    break;
                }

                h = (h << 4) | d;
            }

            return sign == '-' ? -h : h;
        }

        // strtol on at most 16 characters (sign included), truncated to 32 bits.
        var start = i;
        var j = i + (signed ? 1 : 0);
        var digitsStart = j;
        while (j < text.Length && j - start < 16 && text[j] is >= '0' and <= '9')
        {
            j++;
        }

        if (j == digitsStart)
        {
            return null;
        }

        var value = long.Parse(text.AsSpan(digitsStart, j - digitsStart), System.Globalization.CultureInfo.InvariantCulture);
        return unchecked((int)(sign == '-' ? -value : value));
    }

    [HlNative("std", "parse_float")]
    public static double ParseFloat(HlBytes bytes, int pos, int length)
    {
        var text = ReadChars(bytes, pos, length);
        var i = 0;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        // strtod over the leading run of [0-9.eE+-] (at most 30 characters): the longest number it starts with.
        var run = 0;
        while (i + run < text.Length && run < 30 && text[i + run] is (>= '0' and <= '9') or '.' or 'e' or 'E' or '-' or '+')
        {
            run++;
        }

        var s = text.AsSpan(i, run);
        var k = 0;
        if (k < s.Length && s[k] is '-' or '+')
        {
            k++;
        }

        var digits = 0;
        while (k < s.Length && char.IsAsciiDigit(s[k]))
        {
            k++;
            digits++;
        }

        if (k < s.Length && s[k] == '.')
        {
            k++;
            while (k < s.Length && char.IsAsciiDigit(s[k]))
            {
                k++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return double.NaN;
        }

        var end = k;
        if (k < s.Length && s[k] is 'e' or 'E')
        {
            var e = k + 1;
            if (e < s.Length && s[e] is '-' or '+')
            {
                e++;
            }

            if (e < s.Length && char.IsAsciiDigit(s[e]))
            {
                while (e < s.Length && char.IsAsciiDigit(s[e]))
                {
                    e++;
                }

                end = e;
            }
        }

        var number = s[..end].ToString();
        if (number.EndsWith('.'))
        {
            number += "0";
        }

        return double.Parse(number.StartsWith('.') || number.StartsWith("-.", StringComparison.Ordinal) || number.StartsWith("+.", StringComparison.Ordinal) ? number.Replace(".", "0.", StringComparison.Ordinal) : number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The characters of a UCS-2 string from a byte position, up to a zero or <paramref name="length"/> characters.</summary>
    private static string ReadChars(HlBytes bytes, int pos, int length)
    {
        var text = bytes.Add(pos).ReadUcs2Terminated();
        return text.Length > length && length >= 0 ? text[..length] : text;
    }

    [HlNative("std", "string_compare")]
    public static int StringCompare(HlBytes a, HlBytes b, int length)
    {
        // memcmp over the UCS-2 bytes: the first differing byte decides.
        var x = a.AsSpan(0, length * 2);
        var y = b.AsSpan(0, length * 2);
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i])
            {
                return x[i] - y[i];
            }
        }

        return 0;
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

    [HlNative("std", "bsort_i32")]
    public static void SortInts(HlModule m, HlBytes bytes, int pos, int length, HlClosure compare)
    {
        var span = MemoryMarshal.Cast<byte, int>(bytes.Array.AsSpan(bytes.Offset + pos, length * 4));
        var sorted = StableSort(span.ToArray(), (x, y) => RuntimeOps.DynToInt(m.CallDynamic(compare, [x, y])));
        sorted.CopyTo(span);
    }

    [HlNative("std", "bsort_f64")]
    public static void SortFloats(HlModule m, HlBytes bytes, int pos, int length, HlClosure compare)
    {
        var span = MemoryMarshal.Cast<byte, double>(bytes.Array.AsSpan(bytes.Offset + pos, length * 8));
        var sorted = StableSort(span.ToArray(), (x, y) => RuntimeOps.DynToInt(m.CallDynamic(compare, [x, y])));
        sorted.CopyTo(span);
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

        return new HlArray(type, Array.CreateInstance(StorageTypes.ElementOf(type.Kind) == typeof(void) ? typeof(object) : StorageTypes.ElementOf(type.Kind), size));
    }

    [HlNative("std", "array_blit")]
    public static void ArrayBlit(HlArray dst, int dpos, HlArray src, int spos, int length) => Array.Copy(src.Data, spos, dst.Data, dpos, length);

    [HlNative("std", "array_type")]
    public static HlRuntimeType ArrayType(HlArray array) => array.ElementType;

    // ---- types ----

    [HlNative("std", "type_set_global")]
    public static bool TypeSetGlobal(HlModule m, HlRuntimeType type, object? value)
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
    public static object AllocObj(HlModule m, HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.Obj or HlTypeKind.Struct => m.AllocateObject(type),
        HlTypeKind.Virtual => m.NewVirtual(type),
        _ => new HlDynObj(),
    };

    [HlNative("std", "type_safe_cast")]
    public static bool TypeSafeCast(HlRuntimeType from, HlRuntimeType to) =>
        ReferenceEquals(from, to) || to.Kind == HlTypeKind.Dyn || (from.Kind is HlTypeKind.Obj or HlTypeKind.Struct && from.IsSubclassOf(to));
}
