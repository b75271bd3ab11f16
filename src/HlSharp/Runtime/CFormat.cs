using System.Globalization;

namespace HlSharp.Runtime;

/// <summary>
/// C's <c>printf("%.Ng")</c> for doubles, which HashLink uses to print floats (<c>%.15g</c> for
/// <c>Std.string</c>, <c>%.17g</c> inside containers, <c>%.9g</c> for f32). .NET formats the exact
/// binary value like glibc does, so only the layout rules of <c>%g</c> are written here.
/// </summary>
internal static class CFormat
{
    public static string G(double value, int precision)
    {
        if (double.IsNaN(value))
        {
            return double.IsNegative(value) ? "-nan" : "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var scientific = value.ToString("E" + (precision - 1), CultureInfo.InvariantCulture);
        var e = scientific.IndexOf('E', StringComparison.Ordinal);
        var exponent = int.Parse(scientific.AsSpan(e + 1), CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = TrimZeros(scientific[..e]);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return TrimZeros(value.ToString("F" + (precision - 1 - exponent), CultureInfo.InvariantCulture));
    }

    private static string TrimZeros(string number)
    {
        if (!number.Contains('.', StringComparison.Ordinal))
        {
            return number;
        }

        number = number.TrimEnd('0');
        return number.EndsWith('.') ? number[..^1] : number;
    }
}
