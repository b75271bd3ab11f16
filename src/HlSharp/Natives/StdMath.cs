using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>Math natives (HashLink's <c>std/math.c</c>).</summary>
internal static class StdMath
{
    [HlNative("std", "math_sqrt")] public static double Sqrt(double v) => Math.Sqrt(v);
    [HlNative("std", "math_abs")] public static double Abs(double v) => Math.Abs(v);
    [HlNative("std", "math_floor")] public static int Floor(double v) => RuntimeOps.FloatToInt(Math.Floor(v));
    [HlNative("std", "math_round")] public static int Round(double v) => RuntimeOps.FloatToInt(Math.Floor(v + 0.5));
    [HlNative("std", "math_ceil")] public static int Ceil(double v) => RuntimeOps.FloatToInt(Math.Ceiling(v));
    [HlNative("std", "math_isfinite")] public static bool IsFinite(double v) => double.IsFinite(v);
    [HlNative("std", "math_isnan")] public static bool IsNaN(double v) => double.IsNaN(v);
    [HlNative("std", "math_ffloor")] public static double FFloor(double v) => Math.Floor(v);
    [HlNative("std", "math_fround")] public static double FRound(double v) => Math.Floor(v + 0.5);
    [HlNative("std", "math_fceil")] public static double FCeil(double v) => Math.Ceiling(v);
    [HlNative("std", "math_cos")] public static double Cos(double v) => Math.Cos(v);
    [HlNative("std", "math_sin")] public static double Sin(double v) => Math.Sin(v);
    [HlNative("std", "math_exp")] public static double Exp(double v) => Math.Exp(v);
    [HlNative("std", "math_log")] public static double Log(double v) => Math.Log(v);
    [HlNative("std", "math_tan")] public static double Tan(double v) => Math.Tan(v);
    [HlNative("std", "math_atan")] public static double Atan(double v) => Math.Atan(v);
    [HlNative("std", "math_acos")] public static double Acos(double v) => Math.Acos(v);
    [HlNative("std", "math_asin")] public static double Asin(double v) => Math.Asin(v);
    [HlNative("std", "math_pow")] public static double Pow(double v, double e) => Math.Pow(v, e);
    [HlNative("std", "math_atan2")] public static double Atan2(double y, double x) => Math.Atan2(y, x);
}
