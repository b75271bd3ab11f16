using System.Globalization;
using System.Text;

namespace HlSharp.Bytecode;

/// <summary>
/// Says what each global is: the class or enum whose value it holds, or the constant it is
/// initialised with. Built once per listing, because operations refer to globals many times.
/// </summary>
internal sealed class HlGlobalNames
{
    private readonly HlCode _code;
    private readonly Dictionary<int, HlType> _holders = [];
    private readonly Dictionary<int, HlConstant> _constants = [];

    public HlGlobalNames(HlCode code)
    {
        _code = code;
        foreach (var type in code.Types)
        {
            var global = type switch
            {
                HlObjectType obj => obj.GlobalIndex,
                HlEnumType e => e.GlobalIndex,
                _ => null,
            };
            if (global is { } g)
            {
                _holders.TryAdd(g, type);
            }
        }

        foreach (var constant in code.Constants)
        {
            _constants.TryAdd(constant.GlobalIndex, constant);
        }
    }

    /// <summary>A global as an operand: <c>g12 ($Main)</c>, with the text of a string constant (<c>g40 (String "hi")</c>).</summary>
    public string Operand(int globalIndex)
    {
        if ((uint)globalIndex >= (uint)_code.Globals.Length)
        {
            return HlOpFormatter.Unknown(globalIndex);
        }

        var text = StringValue(globalIndex) is { } s ? " " + HlLiteralText.Quote(s) : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"g{globalIndex} ({_code.Globals[globalIndex]}{text})");
    }

    /// <summary>The class or enum whose value the global holds (<c>class Main</c>), or null.</summary>
    public string? Holder(int globalIndex) => _holders.GetValueOrDefault(globalIndex) switch
    {
        HlObjectType obj => "class " + obj.Name,
        HlEnumType e => "enum " + e.Name,
        _ => null,
    };

    /// <summary>
    /// The constant a global is initialised with, field by field (<c>{bytes="hi", length=2}</c>),
    /// or null. Each field's constant index is read by the field's type, as HashLink's
    /// <c>hl_module_init_constant</c> does; the fields are the type's own, not its super class's.
    /// </summary>
    public string? Constant(int globalIndex)
    {
        if (!_constants.TryGetValue(globalIndex, out var constant))
        {
            return null;
        }

        var fields = _code.Globals[globalIndex] is HlObjectType obj ? obj.Fields : [];
        var b = new StringBuilder("{");
        for (var i = 0; i < constant.Fields.Length; i++)
        {
            var name = i < fields.Count ? fields[i].Name : HlOpFormatter.Unknown(i);
            var value = i < fields.Count ? FieldValue(fields[i].Type, constant.Fields[i]) : HlOpFormatter.Unknown(constant.Fields[i]);
            b.Append(i > 0 ? ", " : string.Empty).Append(name).Append('=').Append(value);
        }

        return b.Append('}').ToString();
    }

    /// <summary>The text of a global initialised as a string constant (its first bytes field), or null.</summary>
    public string? StringValue(int globalIndex)
    {
        if (!_constants.TryGetValue(globalIndex, out var constant) || _code.Globals[globalIndex] is not HlObjectType obj)
        {
            return null;
        }

        for (var i = 0; i < obj.Fields.Count && i < constant.Fields.Length; i++)
        {
            if (obj.Fields[i].Type.Kind == HlTypeKind.Bytes)
            {
                var index = constant.Fields[i];
                return (uint)index < (uint)_code.Strings.Length ? _code.Strings[index] : null;
            }
        }

        return null;
    }

    private string FieldValue(HlType type, int index) => type.Kind switch
    {
        HlTypeKind.I32 => (uint)index < (uint)_code.Ints.Length ? _code.Ints[index].ToString(CultureInfo.InvariantCulture) : HlOpFormatter.Unknown(index),
        HlTypeKind.Bool => index != 0 ? "true" : "false",
        HlTypeKind.F64 => (uint)index < (uint)_code.Floats.Length ? HlLiteralText.Float(_code.Floats[index]) : HlOpFormatter.Unknown(index),
        HlTypeKind.Bytes => (uint)index < (uint)_code.Strings.Length ? HlLiteralText.Quote(_code.Strings[index]) : HlOpFormatter.Unknown(index),
        HlTypeKind.Type => HlOpFormatter.Type(_code, index),
        _ => (uint)index < (uint)_code.Globals.Length ? string.Create(CultureInfo.InvariantCulture, $"g{index}") : HlOpFormatter.Unknown(index),
    };
}
