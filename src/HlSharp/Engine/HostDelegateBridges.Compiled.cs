namespace HlSharp.Engine;

/// <summary>The instantiations of the bridges NativeAOT compiles because they are named here.</summary>
internal static partial class HostDelegateBridges
{
    // Under NativeAOT, MakeGenericMethod finds code only for instantiations the compiler saw. These
    // are the usual host signatures: up to one parameter of any storage type, two of int, double
    // or a reference type, any result. Reference types share one compiled form, so object stands
    // for string, HlObject and the other views. Any other value-type signature is refused with a
    // message (Create). Read once, by Bridge, so the array is only made on that path.
    private static readonly Delegate[] Compiled =
    [
        Action0,
        Func0<int>, Func0<long>, Func0<float>, Func0<double>, Func0<bool>, Func0<object>,
        Action1<int>, Action1<long>, Action1<float>, Action1<double>, Action1<bool>, Action1<object>,
        Func1<int, int>, Func1<int, long>, Func1<int, float>, Func1<int, double>, Func1<int, bool>, Func1<int, object>,
        Func1<long, int>, Func1<long, long>, Func1<long, float>, Func1<long, double>, Func1<long, bool>, Func1<long, object>,
        Func1<float, int>, Func1<float, long>, Func1<float, float>, Func1<float, double>, Func1<float, bool>, Func1<float, object>,
        Func1<double, int>, Func1<double, long>, Func1<double, float>, Func1<double, double>, Func1<double, bool>, Func1<double, object>,
        Func1<bool, int>, Func1<bool, long>, Func1<bool, float>, Func1<bool, double>, Func1<bool, bool>, Func1<bool, object>,
        Func1<object, int>, Func1<object, long>, Func1<object, float>, Func1<object, double>, Func1<object, bool>, Func1<object, object>,
        Action2<int, int>, Action2<int, double>, Action2<int, object>, Action2<double, int>, Action2<double, double>, Action2<double, object>, Action2<object, int>, Action2<object, double>, Action2<object, object>,
        Func2<int, int, int>, Func2<int, int, long>, Func2<int, int, float>, Func2<int, int, double>, Func2<int, int, bool>, Func2<int, int, object>,
        Func2<int, double, int>, Func2<int, double, long>, Func2<int, double, float>, Func2<int, double, double>, Func2<int, double, bool>, Func2<int, double, object>,
        Func2<int, object, int>, Func2<int, object, long>, Func2<int, object, float>, Func2<int, object, double>, Func2<int, object, bool>, Func2<int, object, object>,
        Func2<double, int, int>, Func2<double, int, long>, Func2<double, int, float>, Func2<double, int, double>, Func2<double, int, bool>, Func2<double, int, object>,
        Func2<double, double, int>, Func2<double, double, long>, Func2<double, double, float>, Func2<double, double, double>, Func2<double, double, bool>, Func2<double, double, object>,
        Func2<double, object, int>, Func2<double, object, long>, Func2<double, object, float>, Func2<double, object, double>, Func2<double, object, bool>, Func2<double, object, object>,
        Func2<object, int, int>, Func2<object, int, long>, Func2<object, int, float>, Func2<object, int, double>, Func2<object, int, bool>, Func2<object, int, object>,
        Func2<object, double, int>, Func2<object, double, long>, Func2<object, double, float>, Func2<object, double, double>, Func2<object, double, bool>, Func2<object, double, object>,
        Func2<object, object, int>, Func2<object, object, long>, Func2<object, object, float>, Func2<object, object, double>, Func2<object, object, bool>, Func2<object, object, object>,
    ];
}
