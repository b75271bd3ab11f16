using System.Reflection;
using System.Runtime.ExceptionServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>The dynamic side of a module: field access by name hash, casts, dynamic calls, comparison.</summary>
internal sealed partial class HlModule
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Func<object?[], object?>> _invokers = new();
    private HlRuntimeType? _stringType;
    private FieldInfo? _stringBytes;
    private FieldInfo? _stringLength;

    // ---- strings ----

    /// <summary>The program's <c>String</c> class.</summary>
    public HlRuntimeType StringType => _stringType ??= Types.FirstOrDefault(t => t.Kind == HlTypeKind.Obj && t.Name == "String")
        ?? throw new InvalidOperationException("the program has no String class");

    /// <summary>Makes a Haxe String object holding a .NET string.</summary>
    public HlObject MakeString(string value)
    {
        var type = StringType;
        var (bytesField, lengthField) = StringFields();
        var obj = AllocateObject(type);
        bytesField.SetValue(obj, HlBytes.FromString(value));
        lengthField.SetValue(obj, value.Length);
        return obj;
    }

    /// <summary>The String class's <c>bytes</c> and <c>length</c> fields.</summary>
    private (FieldInfo Bytes, FieldInfo Length) StringFields()
    {
        _stringBytes ??= StringType.Fields[StringType.FindField(Hashes.Hash("bytes"))].Field!;
        _stringLength ??= StringType.Fields[StringType.FindField(Hashes.Hash("length"))].Field!;
        return (_stringBytes, _stringLength);
    }

    /// <summary>Reads a Haxe String object as a .NET string, or null when the value is not one.</summary>
    public string? ReadString(object? value)
    {
        if (value is not HlObject obj || !ReferenceEquals(obj.Type, StringType))
        {
            return null;
        }

        var (bytesField, lengthField) = StringFields();
        var bytes = (HlBytes?)bytesField.GetValue(obj);
        var length = (int)lengthField.GetValue(obj)!;
        return bytes?.ReadUcs2(length) ?? string.Empty;
    }

    // ---- errors ----

    public Exception MakeThrow(object? value, bool rethrow)
    {
        // HashLink's rethrow keeps the stack recorded by the last throw on this thread, whatever its value.
        return new HaxeThrow(value) { PreservedStack = rethrow ? Vm.Thread.ExceptionStack : null };
    }

    // HashLink's run-time errors throw their message as a bytes value (hl_error), not as a String
    // object, so `catch (e:String)` does not catch them, exactly as under hl.
    public Exception NullAccess() => MakeError("Null access");

    /// <summary>A null access on a known field or method, reported as HashLink's JIT does: <c>Null access .name</c>.</summary>
    public Exception NullFieldAccess(string field) => MakeError("Null access ." + field);

    public Exception MakeError(string message) => new HaxeThrow(HlBytes.FromString(message));

    /// <summary>
    /// Turns whatever was thrown inside a trap into the Haxe value the handler receives, and
    /// records the exception's Haxe stack. Exits and faults of the VM itself are not catchable.
    /// </summary>
    public object? CatchValue(Exception exception)
    {
        if (exception is HaxeExit or VmDisposedStop)
        {
            ExceptionDispatchInfo.Throw(exception);
        }

        var state = Vm.Thread;
        state.ExceptionStack = exception is HaxeThrow { PreservedStack: { } kept } ? kept : StackTraces.Capture(this, exception);
        return ValueOf(exception);
    }

    /// <summary>The Haxe value that stands for an exception: a thrown value, or a String describing a fault.</summary>
    public object? ValueOf(Exception exception) => exception switch
    {
        HaxeThrow { Value: HlCastFailure failure } => HlBytes.FromString(CastMessage(failure)),
        HaxeThrow t => t.Value,
        NullReferenceException => HlBytes.FromString("Null access"),
        InsufficientExecutionStackException => HlBytes.FromString("Stack overflow"),
        InvalidCastException => HlBytes.FromString("Invalid cast"),
        IndexOutOfRangeException or ArgumentOutOfRangeException => HlBytes.FromString("Out of bounds"),
        HlException e => HlBytes.FromString(e.Message),
        _ => HlBytes.FromString(exception.Message),
    };

    private string CastMessage(HlCastFailure failure) => $"Can't cast {TypeOfValue(failure.Value).TypeString()} to {failure.Target}";

    // ---- types ----

    /// <summary>The run-time type of a dynamic value (HashLink's <c>OGetType</c>).</summary>
    public HlRuntimeType TypeOfValue(object? value) => value switch
    {
        null => BasicTypes.Void,
        HlObject o => o.Type,
        int => BasicTypes.Of(HlTypeKind.I32),
        double => BasicTypes.Of(HlTypeKind.F64),
        bool => BasicTypes.Of(HlTypeKind.Bool),
        byte => BasicTypes.Of(HlTypeKind.UI8),
        ushort => BasicTypes.Of(HlTypeKind.UI16),
        long => BasicTypes.Of(HlTypeKind.I64),
        float => BasicTypes.Of(HlTypeKind.F32),
        HlBytes => BasicTypes.Of(HlTypeKind.Bytes),
        HlDynObj => BasicTypes.Of(HlTypeKind.DynObj),
        HlClosure c => c.Type,
        HlEnumValue e => e.Type,
        HlArray => BasicTypes.Of(HlTypeKind.Array),
        HlRuntimeType => BasicTypes.Of(HlTypeKind.Type),
        _ => BasicTypes.Of(HlTypeKind.Abstract),
    };

    /// <summary>HashLink's checked cast of a dynamic to a pointer type (<c>hl_dyn_castp</c>).</summary>
    public object? DynCast(object? value, HlRuntimeType target)
    {
        if (value is null)
        {
            return null;
        }

        switch (target.Kind)
        {
            case HlTypeKind.Dyn:
                return value;
            case HlTypeKind.Null:
                return ToDynamicOfKind(value, target.Inner!);
            case HlTypeKind.Obj:
            case HlTypeKind.Struct:
                if (value is HlObject obj)
                {
                    for (var t = obj.Type; t is not null; t = t.Super)
                    {
                        // Same class, or a class of the same name (HashLink compares names too).
                        if (ReferenceEquals(t, target) || t.Name == target.Name)
                        {
                            return value;
                        }
                    }

                    // A class may convert itself (ArrayObj to ArrayDyn, for instance) with __cast.
                    if (obj.Type.MethodsByHash.TryGetValue(Hashes.Hash("__cast"), out var cast) && Invoke(cast, [obj, target]) is { } converted)
                    {
                        return converted;
                    }
                }

                break;
            case HlTypeKind.Virtual:
                return ToVirtual(value, target);
            case HlTypeKind.Fun:
                if (value is HlClosure closure && AdaptClosure(closure, target) is { } adapted)
                {
                    return adapted;
                }

                break;
            case HlTypeKind.Bytes when value is HlBytes:
            case HlTypeKind.Array when value is HlArray:
            case HlTypeKind.Type when value is HlRuntimeType:
            case HlTypeKind.DynObj when value is HlDynObj:
                return value;
            case HlTypeKind.Enum:
                if (value is HlEnumValue e && (ReferenceEquals(e.Type, target) || e.Type.Name == target.Name))
                {
                    return value;
                }

                break;
            case HlTypeKind.Abstract:
                return value;
            case HlTypeKind.Ref:
                return value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(HlRef<>)
                    ? value
                    : NewRefCell(value, target.Inner!) ?? throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {target.TypeString()}");
        }

        throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {target.TypeString()}");
    }

    /// <summary>
    /// A fresh cell holding a dynamic number converted to a basic kind: HashLink makes one when a
    /// dynamic is cast to <c>ref&lt;T&gt;</c>, which is how Haxe passes default-valued basic
    /// arguments (a caller with a <c>Dynamic</c> or <c>Reflect.callMethod</c> gets here).
    /// Null for other kinds, which cannot be cast.
    /// </summary>
    private static object? NewRefCell(object value, HlRuntimeType inner) => inner.Kind switch
    {
        HlTypeKind.I32 or HlTypeKind.UI8 or HlTypeKind.UI16 => new HlRef<int> { Value = RuntimeOps.DynToInt(value) },
        HlTypeKind.Bool => new HlRef<bool> { Value = RuntimeOps.DynToBool(value) },
        HlTypeKind.I64 => new HlRef<long> { Value = RuntimeOps.DynToLong(value) },
        HlTypeKind.F32 => new HlRef<float> { Value = RuntimeOps.DynToFloat(value) },
        HlTypeKind.F64 => new HlRef<double> { Value = RuntimeOps.DynToDouble(value) },
        _ => null,
    };

    /// <summary>Converts a dynamic number to the boxed form of another basic kind (for <c>Null&lt;T&gt;</c>).</summary>
    private object? ToDynamicOfKind(object value, HlRuntimeType kindType) => kindType.Kind switch
    {
        HlTypeKind.I32 => RuntimeOps.DynToInt(value),
        HlTypeKind.UI8 => (byte)RuntimeOps.DynToInt(value),
        HlTypeKind.UI16 => (ushort)RuntimeOps.DynToInt(value),
        HlTypeKind.I64 => RuntimeOps.DynToLong(value),
        HlTypeKind.F64 => RuntimeOps.DynToDouble(value),
        HlTypeKind.F32 => RuntimeOps.DynToFloat(value),
        HlTypeKind.Bool => RuntimeOps.DynToBool(value),
        _ => DynCast(value, kindType),
    };

    /// <summary>
    /// Converts a value to a virtual type. HlSharp's virtuals are not wrappers: a virtual is the
    /// object or dynamic object itself, read by field name, so identity is kept for free. Other
    /// values (numbers, closures, arrays...) have no fields, and HashLink refuses the cast.
    /// </summary>
    public object? ToVirtual(object? value, HlRuntimeType virtualType) => value is null or HlObject or HlDynObj
        ? value
        : throw MakeError($"Can't cast {TypeOfValue(value).TypeString()} to {virtualType.TypeString()}");

    /// <summary>Allocates an anonymous structure of a virtual type, every field at its zero value.</summary>
    public object NewVirtual(HlRuntimeType virtualType)
    {
        var obj = new HlDynObj();
        foreach (var field in virtualType.Fields)
        {
            obj.Fields[field.Hash] = ZeroOf(field.Type);
        }

        return obj;
    }

    private static object? ZeroOf(HlRuntimeType type) => type.Kind switch
    {
        HlTypeKind.I32 => 0,
        HlTypeKind.UI8 => (byte)0,
        HlTypeKind.UI16 => (ushort)0,
        HlTypeKind.I64 => 0L,
        HlTypeKind.F32 => 0f,
        HlTypeKind.F64 => 0.0,
        HlTypeKind.Bool => false,
        _ => null,
    };

    /// <summary>Allocates a class instance with its type and bindings set, as <c>ONew</c> does.</summary>
    public HlObject AllocateObject(HlRuntimeType type)
    {
        var obj = (HlObject)Activator.CreateInstance(type.ClrType!)!;
        obj.Type = type;
        if (type.Bindings.Length > 0)
        {
            InitBindings(obj);
        }

        return obj;
    }

    /// <summary>Sets an object's bound fields (HashLink's bindings) right after allocation.</summary>
    public void InitBindings(object obj)
    {
        var o = (HlObject)obj;
        foreach (var (field, findex, bindInstance) in o.Type.Bindings)
        {
            var closure = bindInstance ? new HlClosure(BoundClosureType(FunctionType(findex)), findex, obj, true) : GetStaticClosure(findex);
            field.Field!.SetValue(obj, closure);
        }
    }

    // ---- fields by name ----

    public object? DynGetField(object? obj, int hash)
    {
        switch (obj)
        {
            case null:
                throw NullAccess();
            case HlDynObj d:
                return d.Fields.GetValueOrDefault(hash);
            case HlObject o:
                var index = o.Type.FindField(hash);
                if (index >= 0)
                {
                    var field = o.Type.Fields[index];
                    return field.Getter(o);
                }

                if (o.Type.MethodsByHash.TryGetValue(hash, out var method))
                {
                    return new HlClosure(BoundClosureType(FunctionType(method)), method, o, true);
                }

                // A class can answer for fields it does not declare (ArrayDyn's length), as HashLink's getFieldFun does.
                if (o.Type.MethodsByHash.TryGetValue(Hashes.Hash("__get_field"), out var getField))
                {
                    return Invoke(getField, [o, hash]);
                }

                return null;
            default:
                throw MakeError($"Invalid field access on {TypeOfValue(obj)}");
        }
    }

    public void DynSetField(object? obj, int hash, object? value)
    {
        switch (obj)
        {
            case null:
                throw NullAccess();
            case HlDynObj d:
                d.Fields[hash] = value;
                return;
            case HlObject o:
                var index = o.Type.FindField(hash);
                if (index < 0)
                {
                    throw MakeError($"{o.Type.Name} has no field {Hashes.NameOf(hash)}");
                }

                var field = o.Type.Fields[index];
                field.Setter(o, ToStorage(value, field.Type));
                return;
            default:
                throw MakeError($"Invalid field access on {TypeOfValue(obj)}");
        }
    }

    /// <summary>Converts a dynamic to the boxed storage form of a type (what a typed field or argument holds).</summary>
    public object? ToStorage(object? value, HlRuntimeType type) => type.Storage switch
    {
        var s when s == typeof(int) => RuntimeOps.DynToInt(value),
        var s when s == typeof(long) => RuntimeOps.DynToLong(value),
        var s when s == typeof(double) => RuntimeOps.DynToDouble(value),
        var s when s == typeof(float) => RuntimeOps.DynToFloat(value),
        var s when s == typeof(bool) => RuntimeOps.DynToBool(value),
        var s when s == typeof(void) => null,
        _ => DynCast(value, type),
    };

    // ---- calls ----

    /// <summary>Calls a function index with dynamic arguments, converting them to its parameter types.</summary>
    public object? Invoke(int functionIndex, object?[] args)
    {
        var type = FunctionType(functionIndex);
        if (args.Length != type.Arguments.Length)
        {
            throw MakeError($"Invalid number of arguments: {Code.DescribeFunction(functionIndex)} takes {type.Arguments.Length}, got {args.Length}");
        }

        var converted = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            converted[i] = ToStorage(args[i], type.Arguments[i]);
        }

        var result = Invoker(functionIndex)(converted);
        return StorageTypes.Box(type.Return!.Kind, result);
    }

    /// <summary>
    /// A compiled caller of a function index taking its arguments in storage form: every dynamic
    /// call (closures called through Dynamic, <c>__cast</c>, <c>__compare</c>, <c>__string</c>,
    /// reflection) goes through one, and reflection's <c>MethodInfo.Invoke</c> cost ten times more.
    /// </summary>
    private Func<object?[], object?> Invoker(int functionIndex)
    {
        if (_invokers.TryGetValue(functionIndex, out var invoker))
        {
            return invoker;
        }

        var method = GetMethod(functionIndex);
        var parameters = method.GetParameters();
        var dynamicMethod = new System.Reflection.Emit.DynamicMethod(
            $"invoke{functionIndex}", typeof(object), [typeof(object?[])], typeof(HlModule).Module, skipVisibility: true);
        var il = dynamicMethod.GetILGenerator();
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(System.Reflection.Emit.OpCodes.Ldarg_0);
            il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, i);
            il.Emit(System.Reflection.Emit.OpCodes.Ldelem_Ref);
            if (parameters[i].ParameterType != typeof(object))
            {
                il.Emit(System.Reflection.Emit.OpCodes.Unbox_Any, parameters[i].ParameterType);
            }
        }

        il.Emit(System.Reflection.Emit.OpCodes.Call, method);
        if (method.ReturnType == typeof(void))
        {
            il.Emit(System.Reflection.Emit.OpCodes.Ldnull);
        }
        else if (method.ReturnType.IsValueType)
        {
            il.Emit(System.Reflection.Emit.OpCodes.Box, method.ReturnType);
        }

        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        invoker = dynamicMethod.CreateDelegate<Func<object?[], object?>>();
        _invokers[functionIndex] = invoker;
        return invoker;
    }

    /// <summary>Calls a closure held in a dynamic (HashLink's <c>hl_dyn_call</c>).</summary>
    public object? CallDynamic(object? closure, object?[] args)
    {
        if (closure is not HlClosure c)
        {
            throw closure is null ? NullAccess() : MakeError($"Can't call {TypeOfValue(closure)}");
        }

        c = Unwrap(c);
        if (c.FunctionIndex == VarArgsFunction)
        {
            return CallDynamic(c.BoundValue, [new HlArray(BasicTypes.Dyn, args)]);
        }

        return c.HasValue ? Invoke(c.FunctionIndex, [c.BoundValue, .. args]) : Invoke(c.FunctionIndex, args);
    }

    /// <summary>Calls a method found by name hash on an object, or a closure stored in its field.</summary>
    public object? CallMethodByHash(object? obj, int hash, object?[] args)
    {
        if (obj is HlObject o && o.Type.MethodsByHash.TryGetValue(hash, out var method))
        {
            return Invoke(method, [o, .. args]);
        }

        return CallDynamic(DynGetField(obj, hash), args);
    }

    // ---- comparison ----

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
            case (HlObject x, HlObject y):
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
