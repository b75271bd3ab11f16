using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>HashLink's dynamic comparison (<c>hl_dyn_compare</c>).</summary>
internal sealed partial class HlRuntime
{
    /// <summary>HashLink's <c>hl_dyn_compare</c>: 0 equal, negative or positive for order, or <see cref="RuntimeOps.InvalidComparison"/>.</summary>
    public int DynCompare(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null)
        {
            return -1;
        }

        if (b is null)
        {
            return 1;
        }

        switch (a, b)
        {
            case (int x, int y): return x == y ? 0 : x > y ? 1 : -1;
            case (long x, long y): return x == y ? 0 : x > y ? 1 : -1;
            case (byte x, byte y): return x - y;
            case (ushort x, ushort y): return x - y;
            case (bool x, bool y): return (x ? 1 : 0) - (y ? 1 : 0);
            case (double or float or int, double or float or int) when a is double or float || b is double or float:
                return CompareDoubles(RuntimeOps.DynToDouble(a), RuntimeOps.DynToDouble(b));
            case (HlInstance x, HlInstance y):
                if (x.Type.MethodsByHash.TryGetValue(Hashes.Hash("__compare"), out var compare))
                {
                    return RuntimeOps.DynToInt(Invoke(compare, [x, y]));
                }

                return PointerOrder(a, b);
            case (HlEnumValue, HlEnumValue):
                return PointerOrder(a, b);
            case (HlBytes x, HlBytes y):
                return x.Equals(y) ? 0 : 1;
            case (HlRuntimeType x, HlRuntimeType y):
                return ReferenceEquals(x, y) ? 0 : 1;
            case (HlClosure x, HlClosure y) when x.BoundValue is FunWrapper || y.BoundValue is FunWrapper:
                return DynCompare(Unwrap(x), Unwrap(y));
            case (HlClosure x, HlClosure y):
                return x.FunctionIndex != y.FunctionIndex ? RuntimeOps.InvalidComparison : DynCompare(x.BoundValue, y.BoundValue);
            default:
                return RuntimeOps.InvalidComparison;
        }
    }

    private static int CompareDoubles(double a, double b)
    {
        var d = a - b;
        if (double.IsNaN(d))
        {
            return a == b ? 0 : RuntimeOps.InvalidComparison;
        }

        return d == 0 ? 0 : d > 0 ? 1 : -1;
    }

    private static int PointerOrder(object a, object b) =>
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a) > System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(b) ? 1 : -1;
}
