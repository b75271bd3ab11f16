using System.Globalization;

namespace HlSharp.Runtime;

/// <summary>
/// C's <c>printf("%.Ng")</c> for doubles, which HashLink uses to print floats (<c>%.15g</c> for
/// <c>Std.string</c>, <c>%.17g</c> inside containers, <c>%.9g</c> for f32). .NET formats the exact
/// binary value like glibc does, so only the layout rules of <c>%g</c> are written here. The work
/// is done in a span: printing a float makes no string on the way (<see cref="Format"/>).
/// </summary>
internal static class CFormat
{
    /// <summary>The longest text <see cref="Format"/> writes for a precision of at most <see cref="MaxPrecision"/>.</summary>
    public const int MaxLength = 64;

    /// <summary>The largest precision <see cref="Format"/> takes.</summary>
    public const int MaxPrecision = 17;

    public static string G(double value, int precision)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(value, precision, text)]);
    }

    /// <summary>Writes <c>%.{precision}g</c> of <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> long) and returns its length.</summary>
    public static int Format(double value, int precision, Span<char> destination)
    {
        if (precision is < 1 or > MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "a %g precision from 1 to 17");
        }

        if (double.IsNaN(value))
        {
            return Copy(double.IsNegative(value) ? "-nan" : "nan", destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "inf" : "-inf", destination);
        }

        if (value == 0)
        {
            return Copy(double.IsNegative(value) ? "-0" : "0", destination);
        }

        // The exponent after rounding to the precision decides the layout, as in C.
        Span<char> format = stackalloc char[3];
        value.TryFormat(destination, out var length, FormatOf('E', precision - 1, format), CultureInfo.InvariantCulture);
        var e = destination[..length].IndexOf('E');
        var exponent = int.Parse(destination[(e + 1)..length], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            length = TrimZeros(destination[..e]);
            destination[length++] = 'e';
            destination[length++] = exponent < 0 ? '-' : '+';
            Math.Abs(exponent).TryFormat(destination[length..], out var digits, "00", CultureInfo.InvariantCulture);
            return length + digits;
        }

        value.TryFormat(destination, out length, FormatOf('F', precision - 1 - exponent, format), CultureInfo.InvariantCulture);
        return TrimZeros(destination[..length]);
    }

    // A standard numeric format ("E16", "F3") written into a span: no string for it, nor a table built at start.
    private static ReadOnlySpan<char> FormatOf(char kind, int digits, Span<char> buffer)
    {
        buffer[0] = kind;
        digits.TryFormat(buffer[1..], out var written, default, CultureInfo.InvariantCulture);
        return buffer[..(1 + written)];
    }

    private static int Copy(string text, Span<char> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    // The length of a number without the zeros ending its fraction, and without a point left last.
    private static int TrimZeros(ReadOnlySpan<char> number)
    {
        if (!number.Contains('.'))
        {
            return number.Length;
        }

        var length = number.TrimEnd('0').Length;
        return number[length - 1] == '.' ? length - 1 : length;
    }
}
