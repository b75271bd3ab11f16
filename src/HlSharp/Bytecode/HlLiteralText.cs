using System.Globalization;
using System.Text;

namespace HlSharp.Bytecode;

/// <summary>Writes constants as they would appear in source: strings quoted and escaped, floats that read back as floats.</summary>
internal static class HlLiteralText
{
    /// <summary>Quotes a string, escaping quotes, backslashes and control characters so a listing line stays one line.</summary>
    public static string Quote(string value)
    {
        var b = new StringBuilder(value.Length + 2);
        b.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\0': b.Append("\\0"); break;
                default:
                    // A lone surrogate is escaped too: written raw it would not survive encoding to UTF-8.
                    var loneSurrogate = char.IsHighSurrogate(c)
                        ? i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])
                        : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
                    if (char.IsControl(c) || loneSurrogate)
                    {
                        b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }

    /// <summary>Quotes a bytes constant: the bytes up to the first zero, as UTF-8.</summary>
    public static string QuoteBytes(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Quote(Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]));
    }

    /// <summary>Writes a float so that it round-trips and never looks like an integer (<c>1.0</c>, not <c>1</c>).</summary>
    public static string Float(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)
            ? text + ".0"
            : text;
    }
}
