using System.Globalization;
using System.Text;
using HlSharp.Bytecode;
namespace HlSharp.Runtime;

/// <summary>
/// Writes any value as HashLink's <c>hl_to_string</c> does (HashLink's <c>std/buffer.c</c>): what
/// <c>Std.string</c>, <c>trace</c> and string concatenation with a dynamic print.
/// </summary>
internal sealed class ValueFormatter
{
    private readonly HlRuntime _runtime;
    private readonly StringBuilder _out = new();
    private readonly List<object> _stack = [];

    private ValueFormatter(HlRuntime runtime) => _runtime = runtime;

    /// <summary>The text of a top-level value: ints and floats print as <c>itos</c>/<c>ftos</c> do.</summary>
    public static string Format(HlRuntime runtime, object? value) => value switch
    {
        null => "null",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        bool b => b ? "true" : "false",
        _ => new ValueFormatter(runtime).Run(value),
    };

    /// <summary>Float text as HashLink's <c>hl_ftos</c> writes it: <c>%.15g</c>, with NaN spelled <c>NaN</c>.</summary>
    public static string FormatFloat(double value) => double.IsNaN(value) ? "NaN" : CFormat.G(value, 15);

    private string Run(object value)
    {
        Append(value);
        return _out.ToString();
    }

    private void Append(object? value)
    {
        switch (value)
        {
            case null: _out.Append("null"); break;
            case int i: _out.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case byte u: _out.Append(u.ToString(CultureInfo.InvariantCulture)); break;
            case ushort u: _out.Append(u.ToString(CultureInfo.InvariantCulture)); break;
            case long l: _out.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case float f: _out.Append(CFormat.G(f, 9)); break;
            case double d: _out.Append(CFormat.G(d, 17)); break;
            case bool b: _out.Append(b ? "true" : "false"); break;
            case HlBytes bytes: _out.Append(bytes.ReadUcs2Terminated()); break;
            case HlClosure: _out.Append("function#").Append(Address(value)); break;
            case HlRuntimeType t: _out.Append(t.TypeString()); break;
            case HlInstance o: AppendObject(o); break;
            case HlDynObj d: AppendDynObj(d); break;
            case HlArray a: AppendArray(a); break;
            case HlEnumValue e: AppendEnum(e); break;
            default: _out.Append('~').Append(value.GetType().Name).Append(':').Append(Address(value)); break;
        }
    }

    private static string Address(object value) => "0x" + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value).ToString("x8", CultureInfo.InvariantCulture);

    private void AppendObject(HlInstance o)
    {
        if (o.Type.MethodsByHash.TryGetValue(_runtime.Hashes.Hash("__string"), out var toString))
        {
            var bytes = _runtime.Invoke(toString, [o]) as HlBytes;
            _out.Append(bytes?.ReadUcs2Terminated() ?? "null");
            return;
        }

        if (o.Type.Kind == HlTypeKind.Struct)
        {
            _out.Append('@');
        }

        _out.Append(o.Type.Name);
    }

    private bool Enter(object value)
    {
        if (_stack.Contains(value))
        {
            _out.Append("...");
            return false;
        }

        _stack.Add(value);
        return true;
    }

    private void AppendDynObj(HlDynObj d)
    {
        if (d.Fields.TryGetValue(_runtime.Hashes.Hash("__string"), out var f) && f is HlClosure closure)
        {
            var bytes = _runtime.CallDynamic(closure, []) as HlBytes;
            _out.Append(bytes?.ReadUcs2Terminated() ?? "null");
            return;
        }

        if (!Enter(d))
        {
            return;
        }

        _out.Append('{');
        var first = true;
        foreach (var (hash, value) in d.Fields)
        {
            if (!first)
            {
                _out.Append(", ");
            }

            first = false;
            _out.Append(_runtime.Hashes.NameOf(hash) ?? "?").Append(" : ");
            Append(value);
        }

        _out.Append('}');
        _stack.Remove(d);
    }

    private void AppendArray(HlArray a)
    {
        if (!Enter(a))
        {
            return;
        }

        _out.Append('[');
        for (var i = 0; i < a.Length; i++)
        {
            if (i > 0)
            {
                _out.Append(", ");
            }

            Append(StorageTypes.Box(a.ElementType.Kind, a.Data.GetValue(i)));
        }

        _out.Append(']');
        _stack.Remove(a);
    }

    private void AppendEnum(HlEnumValue e)
    {
        var construct = e.Type.Constructs[e.Index];
        _out.Append(construct.Name);
        if (e.Args.Length == 0 || !Enter(e))
        {
            return;
        }

        _out.Append('(');
        for (var i = 0; i < e.Args.Length; i++)
        {
            if (i > 0)
            {
                _out.Append(',');
            }

            Append(StorageTypes.Box(e.Type.ConstructArgs[e.Index][i].Kind, e.Args[i]));
        }

        _out.Append(')');
        _stack.Remove(e);
    }
}
