using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// String natives over raw UCS-2 bytes: number parsing (<c>Std.parseInt</c>, <c>Std.parseFloat</c>),
/// URL encoding (<c>StringTools.urlEncode</c>/<c>urlDecode</c>), comparison and the field-name hash.
/// HashLink reads these strings up to their zero terminator, whatever length it is given, and so
/// does HlSharp; a read past the end of the block counts as that terminator.
/// </summary>
internal static class StdStrings
{
    // ---- numbers ----

    /// <summary>
    /// <c>Std.parseInt</c>: optional blanks, then either a hexadecimal <c>0x</c> number (optionally
    /// signed; as many hex digits as follow, none meaning 0, wrapping on overflow) or a decimal
    /// integer read by C's <c>strtol</c> from at most 16 characters (sign included), truncated to
    /// 32 bits as a 64-bit <c>long</c> is. Null when no digit follows.
    /// </summary>
    [HlNative("std", "parse_int")]
    public static object? ParseInt(HlBytes bytes, int pos, int len)
    {
        var s = new Chars(bytes, pos);
        var i = SkipBlanks(s, 0);
        var sign = s[i];
        var signed = sign is '-' or '+';

        // HashLink checks the prefix against the given length minus the blanks skipped; the length
        // Haxe passes is in bytes, so in practice this only rejects very short inputs.
        var remaining = len - i;
        var hex = signed
            ? remaining >= 3 && s[i + 1] == '0' && s[i + 2] is 'x' or 'X'
            : remaining >= 2 && s[i] == '0' && s[i + 1] is 'x' or 'X';
        if (hex)
        {
            var value = 0;
            for (var k = i + (signed ? 3 : 2); ; k++)
            {
                var digit = HexValue(s[k]);
                if (digit < 0)
                {
                    break;
                }

                value = unchecked((value << 4) | digit);
            }

            return sign == '-' ? unchecked(-value) : value;
        }

        // strtol over a copy of at most 16 characters: the sign, then digits.
        var end = signed ? 1 : 0;
        while (end < 16 && s[i + end] is >= '0' and <= '9')
        {
            end++;
        }

        var digits = end - (signed ? 1 : 0);
        if (digits == 0)
        {
            return null;
        }

        long result = 0;
        for (var k = i + (signed ? 1 : 0); k < i + end; k++)
        {
            result = (result * 10) + (s[k] - '0');
        }

        return unchecked((int)(sign == '-' ? -result : result));
    }

    /// <summary>
    /// <c>Std.parseFloat</c>: optional blanks, then C's <c>strtod</c> over the longest run (at most
    /// 30 characters) of digits, dots, signs and exponent letters; no number there gives NaN. So
    /// <c>"inf"</c>, <c>"nan"</c> and hexadecimal are NaN or stop at the <c>x</c>, as in HashLink.
    /// </summary>
    [HlNative("std", "parse_float")]
    public static double ParseFloat(HlBytes bytes, int pos, int len)
    {
        _ = len; // HashLink reads up to the terminator.
        var s = new Chars(bytes, pos);
        var start = SkipBlanks(s, 0);

        Span<char> buffer = stackalloc char[30];
        var count = 0;
        while (count < buffer.Length && s[start + count] is (>= '0' and <= '9') or '.' or 'e' or 'E' or '-' or '+')
        {
            buffer[count] = s[start + count];
            count++;
        }

        var length = StrtodPrefix(buffer[..count]);
        return length == 0 ? double.NaN : double.Parse(buffer[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The length of the longest prefix C's <c>strtod</c> accepts as a decimal number: a sign,
    /// digits with at most one dot (at least one digit), then an exponent only if it has digits.
    /// </summary>
    private static int StrtodPrefix(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return 0;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var e = i + 1;
            if (e < text.Length && text[e] is '-' or '+')
            {
                e++;
            }

            var exponentStart = e;
            while (e < text.Length && char.IsAsciiDigit(text[e]))
            {
                e++;
            }

            if (e > exponentStart)
            {
                i = e;
            }
        }

        return i;
    }

    private static int SkipBlanks(Chars s, int i)
    {
        // C's isspace in the "C" locale: space, \t \n \v \f \r.
        while (s[i] is ' ' or (> '\b' and < '\u000E'))
        {
            i++;
        }

        return i;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    // ---- comparison and hashing ----

    /// <summary>
    /// Compares <paramref name="len"/> UCS-2 characters as C's <c>memcmp</c> does: byte by byte in
    /// memory (little-endian) order, returning the difference of the first bytes that differ.
    /// </summary>
    [HlNative("std", "string_compare")]
    public static int StringCompare(HlBytes a, HlBytes b, int len)
    {
        var x = a.AsSpan(0, len * 2);
        var y = b.AsSpan(0, len * 2);
        var at = x.CommonPrefixLength(y);
        return at == x.Length ? 0 : x[at] - y[at];
    }

    // ---- URL encoding ----

    /// <summary>
    /// <c>StringTools.urlEncode</c>: keeps ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>;
    /// writes every other character as the upper-case <c>%XX</c> escapes of its UTF-8 bytes. A
    /// surrogate pair becomes one four-byte sequence; a lone surrogate is encoded as if it were a
    /// character of its own (and HashLink does not take U+DFFF as the second half of a pair).
    /// </summary>
    [HlNative("std", "url_encode")]
    public static HlBytes UrlEncode(HlBytes str, HlRef<int> length)
    {
        var s = new Chars(str, 0);
        var output = new List<char>();
        for (var i = 0; ; i++)
        {
            int c = s[i];
            if (c == 0)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit((char)c) || c is '_' or '-' or '.')
            {
                output.Add((char)c);
            }
            else if (c < 0x80)
            {
                Escape(output, c);
            }
            else if (c < 0x800)
            {
                Escape(output, 0xC0 | (c >> 6));
                Escape(output, 0x80 | (c & 0x3F));
            }
            else if (c is >= 0xD800 and <= 0xDBFF && s[i + 1] is >= '\uDC00' and < '\uDFFF')
            {
                var code = ((c - 0xD800) << 10 | (s[++i] - 0xDC00)) + 0x10000;
                Escape(output, 0xF0 | (code >> 18));
                Escape(output, 0x80 | ((code >> 12) & 0x3F));
                Escape(output, 0x80 | ((code >> 6) & 0x3F));
                Escape(output, 0x80 | (code & 0x3F));
            }
            else
            {
                Escape(output, 0xE0 | (c >> 12));
                Escape(output, 0x80 | ((c >> 6) & 0x3F));
                Escape(output, 0x80 | (c & 0x3F));
            }
        }

        return Ucs2(output, length);
    }

    private static void Escape(List<char> output, int value)
    {
        output.Add('%');
        output.Add("0123456789ABCDEF"[value >> 4]);
        output.Add("0123456789ABCDEF"[value & 0xF]);
    }

    /// <summary>
    /// <c>StringTools.urlDecode</c>, with HashLink's exact leniency: <c>+</c> is a space; a <c>%</c>
    /// not followed by two hex digits is kept as is; an escape of a UTF-8 lead byte needs as many
    /// more <c>%</c> escapes as the sequence has bytes, else "Malformed URL encoded" is thrown, but a
    /// continuation escape with bad hex digits is not checked (it reads as 0xFFFF and consumes
    /// nothing). Decoded bits are masked and truncated to 16 bits as HashLink does.
    /// </summary>
    [HlNative("std", "url_decode")]
    public static HlBytes UrlDecode(NativeContext m, HlBytes str, HlRef<int> length)
    {
        var s = new Chars(str, 0);
        var output = new List<char>();
        var i = 0;
        while (true)
        {
            int c = s[i++];
            if (c == 0)
            {
                return Ucs2(output, length);
            }

            if (c == '+')
            {
                c = ' ';
            }
            else if (c == '%')
            {
                var p1 = DecodeHex(s, ref i);
                if (p1 == 0xFFFF)
                {
                    output.Add('%');
                    continue;
                }

                if (p1 < 0x80)
                {
                    c = p1;
                }
                else if (p1 < 0xE0)
                {
                    if (!NextEscape(s, ref i, out var p2))
                    {
                        break;
                    }

                    c = (char)(((p1 & 0x3F) << 6) | (p2 & 0x7F));
                }
                else if (p1 < 0xF0)
                {
                    if (!NextEscape(s, ref i, out var p2) || !NextEscape(s, ref i, out var p3))
                    {
                        break;
                    }

                    c = (char)(((p1 & 0x1F) << 12) | ((p2 & 0x7F) << 6) | (p3 & 0x7F));
                }
                else
                {
                    if (!NextEscape(s, ref i, out var p2) || !NextEscape(s, ref i, out var p3) || !NextEscape(s, ref i, out var p4))
                    {
                        break;
                    }

                    var k = (((p1 & 0x0F) << 18) | ((p2 & 0x7F) << 12) | ((p3 & 0x7F) << 6) | (p4 & 0x7F)) - 0x10000;
                    output.Add((char)((k >> 10) + 0xD800));
                    c = (char)((k & 0x3FF) | 0xDC00);
                }
            }

            output.Add((char)c);
        }

        throw m.Runtime.MakeError("Malformed URL encoded");
    }

    /// <summary>Reads the <c>%</c> of a continuation escape (consumed even when it is something else) and its value.</summary>
    private static bool NextEscape(Chars s, ref int i, out int value)
    {
        if (s[i++] != '%')
        {
            value = 0;
            return false;
        }

        value = DecodeHex(s, ref i);
        return true;
    }

    /// <summary>Two hex digits as a byte, consumed; or 0xFFFF, consuming nothing.</summary>
    private static int DecodeHex(Chars s, ref int i)
    {
        var high = HexValue(s[i]);
        if (high < 0)
        {
            return 0xFFFF;
        }

        var low = HexValue(s[i + 1]);
        if (low < 0)
        {
            return 0xFFFF;
        }

        i += 2;
        return (high << 4) | low;
    }

    private static HlBytes Ucs2(List<char> chars, HlRef<int> length) => Ucs2(CollectionsMarshal.AsSpan(chars), length);

    private static HlBytes Ucs2(ReadOnlySpan<char> chars, HlRef<int> length)
    {
        var data = new byte[(chars.Length + 1) * 2];
        MemoryMarshal.AsBytes(chars).CopyTo(data);
        length.Value = chars.Length;
        return new HlBytes(data);
    }

    /// <summary>UCS-2 characters from a position in a block; past its end reads as the terminator.</summary>
    private readonly struct Chars(HlBytes bytes, int pos)
    {
        private readonly byte[] _array = bytes.Array;
        private readonly int _start = bytes.Offset + pos;

        public char this[int index]
        {
            get
            {
                var at = _start + (index * 2);
                return at >= 0 && at + 1 < _array.Length ? (char)(_array[at] | (_array[at + 1] << 8)) : '\0';
            }
        }
    }

    // ---- conversions and encodings ----

    [HlNative("std", "value_to_string")]
    public static HlBytes ValueToString(NativeContext m, object? value, HlRef<int> length) => Ucs2(ValueFormatter.Format(m.Runtime, value), length);

    [HlNative("std", "itos")]
    public static HlBytes Itos(int value, HlRef<int> length)
    {
        // Formatted in place: every integer printed or concatenated comes through here.
        Span<char> digits = stackalloc char[11];
        value.TryFormat(digits, out var count, default, System.Globalization.CultureInfo.InvariantCulture);
        return Ucs2(digits[..count], length);
    }

    [HlNative("std", "ftos")]
    public static HlBytes Ftos(double value, HlRef<int> length)
    {
        if (double.IsNaN(value))
        {
            return Ucs2(ValueFormatter.FormatFloat(value), length);
        }

        Span<char> text = stackalloc char[CFormat.MaxLength];
        return Ucs2(text[..CFormat.Format(value, 15, text)], length);
    }

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
}
