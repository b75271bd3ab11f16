using System.Runtime.CompilerServices;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// A method call through a virtual type (<c>CallMethod</c> on an interface or anonymous
/// structure): finds the function to call so compiled code calls its slot directly, with typed
/// arguments, no argument array and no closure. For a class instance it remembers, per run-time
/// type, the method the name hash finds (the instance is the first argument); for an anonymous
/// object, the field's position and the closures' functions it saw (the closure's bound value, if
/// any, is the first argument). A function is remembered only when the dynamic path's conversions
/// of its arguments and result would change nothing the direct call does not do: the site's types,
/// or <c>dyn</c> where the site passes or takes a reference (a generic method seen through a typed
/// structure: <c>Iterator&lt;String&gt;.next</c> is <c>ArrayIterator.next</c>, which returns
/// <c>dyn</c>). A result of <c>dyn</c> where the site wants a type is cast as the dynamic path
/// casts it (<c>castsResult</c>). Anything else, a host function or a wrapper included, goes
/// through <see cref="HlRuntime.CallMethodByHash"/> as before.
/// </summary>
internal sealed class MethodSite : IVirtualSite
{
    private readonly HlRuntime _runtime;
    private readonly HlRuntimeType[] _arguments;
    private readonly HlRuntimeType _return;
    private int _position;

    /// <summary>
    /// The class shapes remembered, the last added first (never empty when set); compiled code
    /// compares the first with the instance's type in line before it calls <see cref="Find"/>.
    /// The array is swapped whole, so a thread reading it while another adds a shape sees whole entries.
    /// </summary>
    internal Entry[]? Methods;
    private long[]? _closures;

    /// <param name="runtime">The module's runtime (function types).</param>
    /// <param name="hash">The method's name hash.</param>
    /// <param name="signature">The virtual field's function type: the arguments after the receiver, and the result.</param>
    public MethodSite(HlRuntime runtime, int hash, HlRuntimeType signature)
    {
        _runtime = runtime;
        Hash = hash;
        _arguments = signature.Arguments;
        _return = signature.Return!;
    }

    /// <summary>The method's name hash.</summary>
    public int Hash { get; }

    /// <summary>
    /// The function to call for <paramref name="obj"/>, or -1 when compiled code must take the
    /// dynamic path; <paramref name="self"/> is the first argument when <paramref name="bound"/>;
    /// <paramref name="castsResult"/> when the function returns <c>dyn</c> and the caller must cast
    /// the result to the type it stores, as the dynamic path would.
    /// </summary>
    public int Find(object? obj, out object? self, out bool bound, out bool castsResult)
    {
        if (obj is HlInstance o && Methods is { } methods)
        {
            var type = o.Type;
            foreach (var entry in methods)
            {
                if (ReferenceEquals(entry.Type, type))
                {
                    self = o;
                    bound = true;
                    castsResult = entry.CastsResult;
                    return entry.FunctionIndex;
                }
            }
        }
        else if (obj is HlDynObj d && _closures is { } closures && d.Fields.TryGetAt(_position, Hash, out var value) && value is HlClosure c)
        {
            var key = Key(c.FunctionIndex, c.HasValue);
            foreach (var known in closures)
            {
                if (known >> 1 == key)
                {
                    self = c.BoundValue;
                    bound = c.HasValue;
                    castsResult = (known & 1) != 0;
                    return c.FunctionIndex;
                }
            }
        }

        return Miss(obj, out self, out bound, out castsResult);
    }

    public void Invalidate()
    {
        Volatile.Write(ref Methods, null);
        Volatile.Write(ref _closures, null);
        _position = 0;
    }

    private static long Key(int functionIndex, bool hasValue) => ((long)functionIndex << 1) | (hasValue ? 1L : 0L);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Miss(object? obj, out object? self, out bool bound, out bool castsResult)
    {
        self = null;
        bound = false;
        castsResult = false;
        switch (obj)
        {
            case HlInstance o when o.Type.MethodsByHash.TryGetValue(Hash, out var method) && Fit(method, true) is var fit and not SiteFit.None:
                castsResult = fit == SiteFit.CastingResult;
                Volatile.Write(ref Methods, ShapeEntries.With(Methods, new Entry(o.Type, method, castsResult)));
                self = o;
                bound = true;
                return method;
            case HlDynObj d:
                var position = d.Fields.IndexOf(Hash);
                if (position < 0 || !d.Fields.TryGetAt(position, Hash, out var value) || value is not HlClosure c
                    || c.BoundValue is HlRuntime.FunWrapper or IHostFunction || c.FunctionIndex < 0)
                {
                    return -1;
                }

                var closureFit = Fit(c.FunctionIndex, c.HasValue);
                if (closureFit == SiteFit.None)
                {
                    return -1;
                }

                castsResult = closureFit == SiteFit.CastingResult;
                _position = position;
                Volatile.Write(ref _closures, ShapeEntries.With(_closures, (Key(c.FunctionIndex, c.HasValue) << 1) | (castsResult ? 1L : 0L)));
                self = c.BoundValue;
                bound = c.HasValue;
                return c.FunctionIndex;
            default:
                return -1;
        }
    }

    /// <summary>
    /// Whether the function can be called straight from the site: it takes the site's arguments
    /// (after a bound first one), each of the site's type or <c>dyn</c> for a reference the site
    /// passes (the dynamic path would pass that reference unchanged), and returns the site's
    /// result, or a reference where the site takes <c>dyn</c>, or <c>dyn</c> where the site
    /// takes a reference of some type (then cast, <see cref="SiteFit.CastingResult"/>).
    /// </summary>
    private SiteFit Fit(int functionIndex, bool bound)
    {
        var type = _runtime.FunctionType(functionIndex);
        var skip = bound ? 1 : 0;
        if (type.Arguments.Length != _arguments.Length + skip || type.Return is null
            || (bound && StorageTypes.OfArgument(type.Arguments[0].Kind) != typeof(object)))
        {
            return SiteFit.None;
        }

        for (var i = 0; i < _arguments.Length; i++)
        {
            var parameter = type.Arguments[skip + i];
            if (!Same(parameter, _arguments[i]) && !(parameter.Kind == HlTypeKind.Dyn && StorageTypes.OfArgument(_arguments[i].Kind) == typeof(object)))
            {
                return SiteFit.None;
            }
        }

        var returned = type.Return;
        if (Same(returned, _return) || (_return.Kind == HlTypeKind.Dyn && returned.Storage == typeof(object)))
        {
            return SiteFit.Exact;
        }

        return returned.Kind == HlTypeKind.Dyn && _return.Storage == typeof(object) ? SiteFit.CastingResult : SiteFit.None;
    }

    private static bool Same(HlRuntimeType a, HlRuntimeType b) => ReferenceEquals(a, b) || (a.Kind == b.Kind && a.Kind is
        HlTypeKind.Void or HlTypeKind.UI8 or HlTypeKind.UI16 or HlTypeKind.I32 or HlTypeKind.I64 or HlTypeKind.F32 or HlTypeKind.F64
        or HlTypeKind.Bool or HlTypeKind.Bytes or HlTypeKind.Dyn or HlTypeKind.Type or HlTypeKind.DynObj or HlTypeKind.Array);

    /// <summary>A class shape the site calls directly: its method's function, and whether its <c>dyn</c> result is cast.</summary>
    internal sealed record Entry(HlRuntimeType Type, int FunctionIndex, bool CastsResult);

    private enum SiteFit
    {
        /// <summary>Only the dynamic path does what the call means.</summary>
        None,

        /// <summary>A direct call passes and returns what the dynamic path would.</summary>
        Exact,

        /// <summary>A direct call, then the result (<c>dyn</c>) cast to the caller's type as the dynamic path casts it.</summary>
        CastingResult,
    }
}
