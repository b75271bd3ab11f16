using System.Reflection;
using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// The values of one loaded program at run time and what can be done to them dynamically:
/// Haxe strings, error values, casts, allocation, fields by name hash, dynamic calls and
/// comparison (HashLink's <c>std/cast.c</c>, <c>std/obj.c</c>, <c>std/fun.c</c>). Compiled code and
/// natives call these; what needs compiled code is asked of the engine through
/// <see cref="ICompiledCode"/>. Partial by concern.
/// </summary>
internal sealed partial class HlRuntime
{
    private readonly ICompiledCode _compiled;
    private readonly Func<HlThreadState> _currentThread;
    private readonly HlClosure?[] _staticClosures;
    private HlRuntimeType? _stringType;
    private FieldInfo? _stringBytes;
    private FieldInfo? _stringLength;

    public HlRuntime(HlCode code, HlRuntimeType[] types, NameHash hashes, ICompiledCode compiled, Func<HlThreadState> currentThread)
    {
        Code = code;
        Types = types;
        Hashes = hashes;
        BasicTypes = new BasicTypes(types);
        _compiled = compiled;
        _currentThread = currentThread;
        _staticClosures = new HlClosure?[compiled.FunctionCapacity];
    }

    /// <summary>The program's bytecode.</summary>
    public HlCode Code { get; }

    /// <summary>The run-time type of every bytecode type, by type index.</summary>
    public HlRuntimeType[] Types { get; internal set; }

    /// <summary>The basic types by kind, for boxing and <c>OGetType</c>.</summary>
    public BasicTypes BasicTypes { get; }

    /// <summary>Field and method names by HashLink hash, both ways.</summary>
    public NameHash Hashes { get; }

    /// <summary>The calling thread's Haxe state.</summary>
    public HlThreadState Thread => _currentThread();

    /// <summary>The function type of a function index.</summary>
    public HlRuntimeType FunctionType(int functionIndex) =>
        functionIndex < Code.FunctionIndexCount ? Types[Code.GetFunctionType(functionIndex).Index] : _compiled.AddedFunctionType(functionIndex);

    /// <summary>The closure of a static function (one per function, as HashLink shares them).</summary>
    public HlClosure GetStaticClosure(int functionIndex)
    {
        var closure = Volatile.Read(ref _staticClosures[functionIndex]);
        if (closure is null)
        {
            closure = new HlClosure(FunctionType(functionIndex), functionIndex, null, false);
            Volatile.Write(ref _staticClosures[functionIndex], closure);
        }

        return closure;
    }

    // ---- strings ----

    /// <summary>The program's <c>String</c> class.</summary>
    public HlRuntimeType StringType => _stringType ??= Types.FirstOrDefault(t => t.Kind == HlTypeKind.Obj && t.Name == "String")
        ?? throw new InvalidOperationException("the program has no String class");

    /// <summary>Makes a Haxe String object holding a .NET string.</summary>
    public HlInstance MakeString(string value)
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
        if (value is not HlInstance obj || !ReferenceEquals(obj.Type, StringType))
        {
            return null;
        }

        var (bytesField, lengthField) = StringFields();
        var bytes = (HlBytes?)bytesField.GetValue(obj);
        var length = (int)lengthField.GetValue(obj)!;
        return bytes?.ReadUcs2(length) ?? string.Empty;
    }

    // ---- errors ----

    /// <summary>The exception a Haxe <c>throw</c> (or <c>rethrow</c>) of a value raises.</summary>
    public Exception MakeThrow(object? value, bool rethrow)
    {
        // HashLink's rethrow keeps the stack recorded by the last throw on this thread, whatever its value.
        return new HaxeThrow(value) { PreservedStack = rethrow ? Thread.ExceptionStack : null };
    }

    // HashLink's run-time errors throw their message as a bytes value (hl_error), not as a String
    // object, so `catch (e:String)` does not catch them, exactly as under hl.

    /// <summary>HashLink's <c>Null access</c> error.</summary>
    public Exception NullAccess() => MakeError("Null access");

    /// <summary>A null access on a known field or method, reported as HashLink's JIT does: <c>Null access .name</c>.</summary>
    public Exception NullFieldAccess(string field) => MakeError("Null access ." + field);

    /// <summary>A run-time error carrying its message as a bytes value.</summary>
    public Exception MakeError(string message) => new HaxeThrow(HlBytes.FromString(message));

    /// <summary>The Haxe value that stands for an exception: a thrown value, or a String describing a fault.</summary>
    public object? ValueOf(Exception exception) => exception switch
    {
        HaxeThrow { Value: HlCastFailure failure } => HlBytes.FromString(CastMessage(failure)),
        HaxeThrow t => t.Value,
        NullReferenceException => HlBytes.FromString("Null access"),
        InsufficientExecutionStackException => HlBytes.FromString("Stack overflow"),
        InvalidCastException => HlBytes.FromString("Invalid cast"),
        IndexOutOfRangeException or ArgumentOutOfRangeException => HlBytes.FromString("Out of bounds"),
        OutOfMemoryException => HlBytes.FromString("Out of memory"),
        // HlSharp's own exceptions (a missing native, say) say what went wrong in their message, like any other.
        _ => HlBytes.FromString(exception.Message),
    };

    private string CastMessage(HlCastFailure failure) => $"Can't cast {TypeOfValue(failure.Value).TypeString()} to {failure.Target}";

    /// <summary>The run-time type of a dynamic value (HashLink's <c>OGetType</c>).</summary>
    public HlRuntimeType TypeOfValue(object? value) => value switch
    {
        null => BasicTypes.Void,
        HlInstance o => o.Type,
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
}
