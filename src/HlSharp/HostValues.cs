using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>
/// The one conversion table between Haxe values and C# values, used by every part of the
/// embedding API: Int, Float, Single, Bool, hl.I64 are int, double, float, bool, long; String is
/// string; <c>Null&lt;T&gt;</c> is <c>T?</c>; class instances, anonymous structures and Dynamic
/// objects are <see cref="HlObject"/>; Haxe arrays are <see cref="HlArray{T}"/>; enums are
/// <see cref="HlEnum"/>; closures become C# delegates. A value of the wrong type is an
/// <see cref="ArgumentException"/> (going in) or <see cref="InvalidCastException"/> (coming out)
/// naming the Haxe type expected and the C# type given.
/// </summary>
internal sealed class HostValues : IHostNativeValues
{
    private HlVm? _vm;
    private HlModule? _module;

    // Every view made over this VM's values, held weakly: Dispose makes each let go of its Haxe
    // value, whose .NET type lives in the VM's collectible code, so a view the host keeps after
    // Dispose keeps nothing of the program alive.
    private readonly ConditionalWeakTable<IReleasedOnDispose, object> _views = new();

    public HostValues(HlVm vm, HlModule module)
    {
        _vm = vm;
        _module = module;
    }

    /// <summary>True once the VM is disposed: every view checks it first.</summary>
    public bool IsDisposed => _vm is null;

    public HlVm Vm => _vm ?? throw Disposed();

    public HlModule Module => _module ?? throw Disposed();

    /// <summary>Lets go of the VM when it is disposed, so a view the host keeps holds no more of it than its own value.</summary>
    public void Release()
    {
        _vm = null;
        _module = null;
        foreach (var (view, _) in _views)
        {
            view.Release();
        }

        _views.Clear();
    }

    /// <summary>Remembers a new view, so that <see cref="Release"/> reaches it.</summary>
    public void Track(IReleasedOnDispose view) => _views.AddOrUpdate(view, this);

    /// <summary>What a view (or this table) throws once its VM is disposed.</summary>
    internal static ObjectDisposedException Disposed() => new(nameof(HlVm), "the VM this value belongs to was disposed");

    public HlRuntime Runtime => Module.Runtime;

    public HlRuntimeType Dynamic => Runtime.BasicTypes.Dyn;

    /// <summary>The C# type that stands for a Haxe type, exactly (what a typed delegate uses).</summary>
    public static Type? PrimitiveOf(HlTypeKind kind) => kind switch
    {
        HlTypeKind.I32 or HlTypeKind.UI8 or HlTypeKind.UI16 => typeof(int),
        HlTypeKind.F64 => typeof(double),
        HlTypeKind.F32 => typeof(float),
        HlTypeKind.Bool => typeof(bool),
        HlTypeKind.I64 => typeof(long),
        HlTypeKind.Void => typeof(void),
        _ => null,
    };

    /// <summary>Whether a C# type may stand for a Haxe type in a typed signature.</summary>
    public bool Accepts(HlRuntimeType type, Type clr)
    {
        if (PrimitiveOf(type.Kind) is { } primitive)
        {
            return clr == primitive;
        }

        if (clr == typeof(object))
        {
            return true;
        }

        return type.Kind switch
        {
            HlTypeKind.Null => Nullable.GetUnderlyingType(clr) is { } under && PrimitiveOf(type.Inner!.Kind) == under,
            HlTypeKind.Obj when IsString(type) => clr == typeof(string),
            HlTypeKind.Obj when ArrayElement(type) is not null => clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(HlArray<>),
            HlTypeKind.Obj when type.Name == HlBytesView.ClassName => clr == typeof(HlBytesView),
            HlTypeKind.Obj when Array.IndexOf(HlMaps.ClassNames, type.Name) >= 0 => clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(HlMap<,>),
            HlTypeKind.Obj or HlTypeKind.Struct or HlTypeKind.Virtual or HlTypeKind.DynObj => clr == typeof(HlObject),
            HlTypeKind.Enum => clr == typeof(HlEnum),
            HlTypeKind.Fun => typeof(Delegate).IsAssignableFrom(clr),
            HlTypeKind.Dyn => clr == typeof(string) || clr == typeof(HlObject) || Nullable.GetUnderlyingType(clr) is not null,
            _ => false,
        };
    }

    public bool IsString(HlRuntimeType type) => ReferenceEquals(type, Runtime.StringType);

    /// <summary>The element kind of a Haxe array class (<c>hl.types.ArrayBytes_Int</c> holds Int), or null when the class is not an array.</summary>
    public static HlTypeKind? ArrayElement(HlRuntimeType type) => type.Name switch
    {
        "hl.types.ArrayBytes_Int" => HlTypeKind.I32,
        "hl.types.ArrayBytes_Float" => HlTypeKind.F64,
        "hl.types.ArrayBytes_hl_F32" => HlTypeKind.F32,
        "hl.types.ArrayBytes_hl_UI16" => HlTypeKind.UI16,
        "hl.types.ArrayBytes_hl_UI8" => HlTypeKind.UI8,
        "hl.types.ArrayObj" or "hl.types.ArrayDyn" => HlTypeKind.Dyn,
        _ => null,
    };

    object? IHostNativeValues.ArgumentToHost(object? value, HlRuntimeType type, Type target) => ToHost(value, type, target);

    object? IHostNativeValues.ResultToHaxe(object? value, HlRuntimeType type) => ToHaxe(value, type);

    // ---- host to Haxe ----

    /// <summary>Converts a host value to the storage form of <paramref name="type"/> (boxed).</summary>
    public object? ToHaxe(object? value, HlRuntimeType type)
    {
        switch (type.Kind)
        {
            case HlTypeKind.I32:
                return value is int i ? i : throw Wrong(type, value);
            case HlTypeKind.UI8:
            case HlTypeKind.UI16:
                return value is int u ? u : throw Wrong(type, value);
            case HlTypeKind.F64:
                return value switch { double d => d, float f => (double)f, int n => (double)n, _ => throw Wrong(type, value) };
            case HlTypeKind.F32:
                return value switch { float f => f, int n => (float)n, _ => throw Wrong(type, value) };
            case HlTypeKind.Bool:
                return value is bool b ? b : throw Wrong(type, value);
            case HlTypeKind.I64:
                return value switch { long l => l, int n => (long)n, _ => throw Wrong(type, value) };
            case HlTypeKind.Void:
                return null;
        }

        if (value is null)
        {
            return null;
        }

        switch (type.Kind)
        {
            case HlTypeKind.Null:
                return StorageTypes.Box(type.Inner!.Kind, ToHaxe(value, type.Inner!));
            case HlTypeKind.Dyn:
                return ToDynamic(value);
            case HlTypeKind.Obj or HlTypeKind.Struct when IsString(type):
                return value is string s ? Runtime.MakeString(s) : throw Wrong(type, value);
            case HlTypeKind.Obj or HlTypeKind.Struct:
                return RawOf(value) is HlInstance o && o.Type.IsSubclassOf(type) ? o : throw Wrong(type, value);
            case HlTypeKind.Virtual:
                return RawOf(value) is (HlInstance or HlDynObj) and var v ? Runtime.ToVirtual(v, type) : throw Wrong(type, value);
            case HlTypeKind.DynObj:
                return RawOf(value) is HlDynObj d ? d : throw Wrong(type, value);
            case HlTypeKind.Fun when value is Delegate function:
                return HostFunction.Closure(this, function, type);
            case HlTypeKind.Enum:
                return value is HlEnum e && e.Value.Type.Name == type.Name ? e.Value : throw Wrong(type, value);
            default:
                return RawOf(value) is { } raw ? Runtime.DynCast(raw, type) : throw Wrong(type, value);
        }
    }

    /// <summary>Converts a host value to a Haxe dynamic (numbers boxed, strings as String objects, views unwrapped).</summary>
    public object? ToDynamic(object? value) => value switch
    {
        null => null,
        int or double or bool or long or float => value,
        string s => Runtime.MakeString(s),
        _ => RawOf(value) ?? throw new ArgumentException($"HlSharp cannot pass a {value.GetType().Name} to Haxe as Dynamic", nameof(value)),
    };

    /// <summary>The Haxe value a view holds, checking it belongs to this VM; null for anything else.</summary>
    private object? RawOf(object value)
    {
        if (value is IHaxeView view)
        {
            if (!ReferenceEquals(view.Owner, this))
            {
                throw new ArgumentException("the value belongs to another HlVm", nameof(value));
            }

            return view.Raw;
        }

        return null;
    }

    private static ArgumentException Wrong(HlRuntimeType expected, object? given) =>
        new($"HlSharp expected a value for the Haxe type {HaxeTypeNames.Of(expected)}, got {(given is null ? "null" : "a " + given.GetType().Name)}");

    // ---- Haxe to host ----

    /// <summary>Converts a Haxe value of <paramref name="type"/> (in storage or dynamic form) to <paramref name="target"/>.</summary>
    public object? ToHost(object? value, HlRuntimeType type, Type target)
    {
        if (target == typeof(void))
        {
            return null;
        }

        var host = ToHostNatural(value, type);
        if (host is null)
        {
            return !target.IsValueType || Nullable.GetUnderlyingType(target) is not null
                ? null
                : throw new InvalidCastException($"HlSharp cannot read the Haxe value null ({HaxeTypeNames.Of(type)}) as {target.Name}");
        }

        if (target.IsInstanceOfType(host))
        {
            return host;
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(HlArray<>) && host is IHaxeView array)
        {
            return CreateArray(target.GetGenericArguments()[0], (HlInstance)array.Raw);
        }

        var under = Nullable.GetUnderlyingType(target) ?? target;
        if (under == typeof(double) && host is int or float)
        {
            return Convert.ToDouble(host, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (under == typeof(long) && host is int n)
        {
            return (long)n;
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(HlMap<,>) && host is IHaxeView { Raw: HlInstance map }
            && HlMaps.EntriesOf(this, map) is { } entries)
        {
            var arguments = target.GetGenericArguments();
            return HlMaps.Create(this, arguments[0], arguments[1], map, entries);
        }

        if (typeof(Delegate).IsAssignableFrom(target) && value is HlClosure closure)
        {
            return ClosureDelegate(closure, target);
        }

        throw new InvalidCastException($"HlSharp cannot read a Haxe {HaxeTypeNames.Of(type)} ({HaxeTypeNames.OfValue(Runtime, value)}) as {target.Name}");
    }

    /// <summary>
    /// What the host sees of a thrown value: the value itself, as Haxe code that catches it by type
    /// sees it (Haxe 4 wraps a thrown value that is not a <c>haxe.Exception</c> in a
    /// <c>haxe.ValueException</c>, whose <c>value</c> a typed catch unwraps).
    /// </summary>
    public object? ThrownToHost(object? value)
    {
        if (value is HlInstance o && o.Type.Name == "haxe.ValueException" && o.Type.FindField(Module.Hashes.Hash("value")) is var index and >= 0)
        {
            value = o.Type.Fields[index].Getter(o);
        }

        return ToHostNatural(value, Dynamic);
    }

    /// <summary>The C# value a Haxe value naturally converts to (what <c>object</c> receives).</summary>
    public object? ToHostNatural(object? value, HlRuntimeType type)
    {
        switch (value)
        {
            case null:
                return null;
            case byte b:
                return (int)b;
            case ushort s:
                return (int)s;
            case int or double or bool or long or float:
                return value;
            case HlInstance o when ReferenceEquals(o.Type, Runtime.StringType):
                return Runtime.ReadString(o);
            case HlBytes bytes when type.Kind == HlTypeKind.Bytes:
                return bytes.ReadUcs2Terminated();
            case HlInstance o when ArrayElement(o.Type) is { } element:
                return CreateArray(NaturalElement(element), o);
            case HlInstance o when o.Type.Name == HlBytesView.ClassName:
                return new HlBytesView(this, o);
            case HlInstance o when HlMaps.EntriesOf(this, o) is { } entries:
                var key = o.Type.Name == HlMaps.ClassNames[0] ? typeof(string) : o.Type.Name == HlMaps.ClassNames[1] ? typeof(int) : typeof(HlObject);
                return HlMaps.Create(this, key, typeof(object), o, entries);
            case HlInstance or HlDynObj:
                return new HlObject(this, value);
            case HlEnumValue e:
                return new HlEnum(this, e);
            case HlClosure c:
                return ClosureDelegate(c, typeof(Func<object?[], object?>));
            default:
                return value is HlBytes raw ? raw.ReadUcs2Terminated() : value;
        }
    }

    private static Type NaturalElement(HlTypeKind element) => element switch
    {
        HlTypeKind.I32 or HlTypeKind.UI8 or HlTypeKind.UI16 => typeof(int),
        HlTypeKind.F64 => typeof(double),
        HlTypeKind.F32 => typeof(float),
        _ => typeof(object),
    };

    private object CreateArray(Type element, HlInstance array) => HostViewFactory.Array(element, this, array);

    private Delegate ClosureDelegate(HlClosure closure, Type delegateType)
    {
        if (delegateType == typeof(Func<object?[], object?>))
        {
            return (Func<object?[], object?>)(args => Vm.Gate.Calls.Invoke(-1, closure, args, typeof(object)));
        }

        return HostDelegates.Untyped(new HostCallTarget(Vm.Gate, -1, closure), delegateType);
    }
}

/// <summary>A public view over a Haxe value: the VM's conversion table it belongs to and the value itself.</summary>
internal interface IHaxeView : IReleasedOnDispose
{
    HostValues Owner { get; }

    object Raw { get; }
}

/// <summary>A host-side object holding a Haxe value, which lets go of it when its VM is disposed.</summary>
internal interface IReleasedOnDispose
{
    /// <summary>Lets go of the Haxe value: the VM was disposed, and every member now throws <see cref="ObjectDisposedException"/>.</summary>
    void Release();
}

/// <summary>
/// A C# delegate passed to Haxe as a function: Haxe code calls it as a closure, its arguments and
/// result convert through the table, and an exception it throws crosses the Haxe code (as from a host native).
/// </summary>
internal sealed class HostFunction : IHostFunction
{
    private readonly HostValues _values;
    private readonly Delegate _function;
    private readonly HlRuntimeType _type;

    private HostFunction(HostValues values, Delegate function, HlRuntimeType type)
    {
        _values = values;
        _function = function;
        _type = type;
    }

    public static HlClosure Closure(HostValues values, Delegate function, HlRuntimeType type)
    {
        var parameters = function.GetType().GetMethod("Invoke")!.GetParameters();
        if (parameters.Length != type.Arguments.Length)
        {
            throw new ArgumentException(
                $"HlSharp expected a function of the Haxe type {HaxeTypeNames.Of(type)}, got a delegate {HaxeTypeNames.Signature(function.GetType())}", nameof(function));
        }

        return values.Runtime.MakeHostClosure(type, new HostFunction(values, function, type));
    }

    public object? Call(object?[] args)
    {
        var invoke = _function.GetType().GetMethod("Invoke")!;
        var parameters = invoke.GetParameters();
        var converted = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            converted[i] = _values.ToHost(args[i], _type.Arguments[i], parameters[i].ParameterType);
        }

        object? result;
        try
        {
            result = _function.DynamicInvoke(converted);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }

        var ret = _type.Return!;
        return ret.Kind == HlTypeKind.Void ? null : StorageTypes.Box(ret.Kind, _values.ToHaxe(result, ret));
    }
}
