using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// Arithmetic and comparison on <c>Dynamic</c> values (<c>hl_dyn_op</c>, <c>hl_dyn_compare</c>).
/// Only boxed numbers (and booleans, which HashLink counts as numbers) and null take part in
/// arithmetic: <c>+ - * / %</c> are computed on doubles and give a Float; shifts and bit operations
/// are computed on 32-bit ints and give an Int.
/// </summary>
internal static class StdDynOps
{
    private const int OpAdd = 0;
    private const int OpSub = 1;
    private const int OpMul = 2;
    private const int OpMod = 3;
    private const int OpDiv = 4;
    private const int OpShl = 5;
    private const int OpShr = 6;
    private const int OpUShr = 7;
    private const int OpAnd = 8;
    private const int OpOr = 9;
    private const int OpXor = 10;
    private const int OpCount = 11;

    private static readonly string[] OpNames = ["+", "-", "*", "%", "/", "<<", ">>", ">>>", "&", "|", "^"];

    [HlNative("std", "dyn_op")]
    public static object? DynOp(NativeContext m, int op, object? a, object? b)
    {
        if (op is < 0 or >= OpCount)
        {
            throw m.Runtime.MakeError($"Invalid op {op}");
        }

        if (a is null && b is null)
        {
            // Two nulls: no number to take a type from, except that division by "zero" is NaN.
            return op is OpDiv or OpMod ? double.NaN : null;
        }

        if (IsNumberOrNull(a) && IsNumberOrNull(b))
        {
            switch (op)
            {
                case OpAdd: return RuntimeOps.DynToDouble(a) + RuntimeOps.DynToDouble(b);
                case OpSub: return RuntimeOps.DynToDouble(a) - RuntimeOps.DynToDouble(b);
                case OpMul: return RuntimeOps.DynToDouble(a) * RuntimeOps.DynToDouble(b);
                case OpMod: return RuntimeOps.DynToDouble(a) % RuntimeOps.DynToDouble(b); // C fmod: truncated remainder
                case OpDiv: return RuntimeOps.DynToDouble(a) / RuntimeOps.DynToDouble(b);
            }

            var x = RuntimeOps.DynToInt(a);
            var y = RuntimeOps.DynToInt(b);
            return op switch
            {
                OpShl => x << y,
                OpShr => x >> y,
                OpUShr => (int)((uint)x >> y),
                OpAnd => x & y,
                OpOr => x | y,
                OpXor => x ^ y,
                _ => throw new InvalidOperationException($"dyn op {op} was checked against {OpCount} above"),
            };
        }

        throw m.Runtime.MakeError($"Can't perform dyn op {Describe(m, a)} {OpNames[op]} {Describe(m, b)}");
    }

    private static bool IsNumberOrNull(object? value) => value is null or byte or ushort or int or long or float or double or bool;

    // HashLink would read the type of a null operand here and crash; HlSharp names it.
    private static string Describe(NativeContext m, object? value) => value is null ? "null" : m.Runtime.TypeOfValue(value).ToString();
}
