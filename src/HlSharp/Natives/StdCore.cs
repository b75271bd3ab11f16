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
        var span = bytes.Array.AsSpan(bytes.Offset + pos);
        var end = span.IndexOf((byte)0);
        var result = Ucs2(Encoding.UTF8.GetString(end < 0 ? span : span[..end]), length);
        length.Value *= 2; // HashLink gives this size in bytes (String.fromUTF8 halves it).
        return result;
    }

    [HlNative("std", "utf16_to_utf8")]
    public static HlBytes Utf16ToUtf8(HlBytes bytes, int len, HlRef<int> length)
    {
        // The second argument is a length in UCS-2 units (0: up to the terminating zero), not a position.
        var text = len == 0 ? bytes.ReadUcs2Terminated() : bytes.ReadUcs2(len);
        var utf8 = Encoding.UTF8.GetBytes(text);
        var data = new byte[utf8.Length + 1];
        utf8.CopyTo(data, 0);
        length.Value = utf8.Length;
        return new HlBytes(data);
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
    public static void BytesBlit(HlBytes dst, int dpos, HlBytes? src, int spos, int length)
    {
        // ArrayBytes.__expand blits 0 bytes from a null buffer when an empty array first grows.
        if (length != 0)
        {
            src!.Array.AsSpan(src.Offset + spos, length).CopyTo(dst.Array.AsSpan(dst.Offset + dpos, length));
        }
    }

    [HlNative("std", "bytes_compare")]
    public static int BytesCompare(HlBytes a, int apos, HlBytes b, int bpos, int length) =>
        Math.Sign(a.Array.AsSpan(a.Offset + apos, length).SequenceCompareTo(b.Array.AsSpan(b.Offset + bpos, length)));

    [HlNative("std", "bytes_compare16")]
    public static int BytesCompare16(HlBytes a, HlBytes b, int length)
    {
        var x = MemoryMarshal.Cast<byte, char>(a.Array.AsSpan(a.Offset, length * 2));
        var y = MemoryMarshal.Cast<byte, char>(b.Array.AsSpan(b.Offset, length * 2));
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return x[i] < y[i] ? -1 : 1;
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
    public static void BytesFill(HlBytes bytes, int pos, int length, int value) => bytes.Array.AsSpan(bytes.Offset + pos, length).Fill((byte)value);

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
