using System.Globalization;
using System.Text;

namespace HlSharp.Bytecode;

/// <summary>
/// Writes the operands of one function's operations by what they mean: registers as <c>r3</c>,
/// constants by value, functions, globals, fields and enum constructors by name, jumps as the
/// <c>L12</c> label of the operation they land on. An index that names nothing prints as
/// <c>?N</c>, so damaged bytecode still lists.
/// </summary>
internal sealed class HlOpFormatter
{
    private readonly HlCode _code;
    private readonly HlGlobalNames _globals;
    private readonly HlFunction _function;

    public HlOpFormatter(HlCode code, HlGlobalNames globals, HlFunction function)
    {
        _code = code;
        _globals = globals;
        _function = function;
    }

    /// <summary>The operands of the operation at an index, as one comma-separated string.</summary>
    public string Operands(int opIndex)
    {
        var op = _function.Ops[opIndex];
        var b = new StringBuilder();
        switch (op.Opcode)
        {
            case HlOpcode.Call0 or HlOpcode.Call1 or HlOpcode.Call2 or HlOpcode.Call3 or HlOpcode.Call4 or HlOpcode.CallN:
                b.Append(Register(op.P1)).Append(", ").Append(Function(op.P2));
                AppendArguments(b, op.Opcode == HlOpcode.CallN ? op.Extra : op.GetCallArguments(), 0);
                break;
            case HlOpcode.CallMethod:
                // The receiver is the first argument; the method is a slot of its class or a field of its virtual.
                var receiver = op.Extra.Length > 0 ? op.Extra[0] : -1;
                b.Append(Register(op.P1)).Append(", ").Append(receiver < 0 ? "?" : Register(receiver))
                    .Append('.').Append(Method(RegisterType(receiver), op.P2));
                AppendArguments(b, op.Extra, 1);
                break;
            case HlOpcode.CallThis:
                b.Append(Register(op.P1)).Append(", this.").Append(Method(RegisterType(0), op.P2));
                AppendArguments(b, op.Extra, 0);
                break;
            case HlOpcode.CallClosure:
                b.Append(Register(op.P1)).Append(", ").Append(Register(op.P2));
                AppendArguments(b, op.Extra, 0);
                break;
            case HlOpcode.VirtualClosure:
                b.Append(Register(op.P1)).Append(", ").Append(Register(op.P2)).Append('.').Append(Method(RegisterType(op.P2), op.P3));
                break;
            case HlOpcode.Field:
                b.Append(Register(op.P1)).Append(", ").Append(Register(op.P2)).Append('.').Append(Field(RegisterType(op.P2), op.P3));
                break;
            case HlOpcode.SetField:
                b.Append(Register(op.P1)).Append('.').Append(Field(RegisterType(op.P1), op.P2)).Append(", ").Append(Register(op.P3));
                break;
            case HlOpcode.GetThis:
                b.Append(Register(op.P1)).Append(", this.").Append(Field(RegisterType(0), op.P2));
                break;
            case HlOpcode.SetThis:
                b.Append("this.").Append(Field(RegisterType(0), op.P1)).Append(", ").Append(Register(op.P2));
                break;
            case HlOpcode.Switch:
                b.Append(Register(op.P1)).Append(", [");
                for (var i = 0; i < op.Extra.Length; i++)
                {
                    b.Append(i > 0 ? ", " : string.Empty).Append(Label(opIndex, op.Extra[i]));
                }

                b.Append("], default ").Append(Label(opIndex, op.P3));
                break;
            case HlOpcode.MakeEnum:
                b.Append(Register(op.P1)).Append(", ").Append(Construct(RegisterType(op.P1), op.P2));
                AppendArguments(b, op.Extra, 0);
                break;
            case HlOpcode.EnumAlloc:
                b.Append(Register(op.P1)).Append(", ").Append(Construct(RegisterType(op.P1), op.P2));
                break;
            case HlOpcode.EnumField:
                b.Append(Register(op.P1)).Append(", ").Append(Register(op.P2)).Append('.')
                    .Append(Construct(RegisterType(op.P2), op.P3)).Append('[').Append(Extra(op, 0)).Append(']');
                break;
            case HlOpcode.SetEnumField:
                // HashLink writes enum fields through the first constructor's layout (jit.c, OSetEnumField).
                b.Append(Register(op.P1)).Append('.').Append(Construct(RegisterType(op.P1), 0))
                    .Append('[').Append(Number(op.P2)).Append("], ").Append(Register(op.P3));
                break;
            default:
                AppendFixed(b, opIndex, op);
                break;
        }

        return b.ToString();
    }

    /// <summary>The source position of an operation as <c>file:line</c>, or null without debug information.</summary>
    public string? Position(int opIndex) =>
        (uint)opIndex < (uint)_function.Debug.Length ? Position(_code, _function.Debug[opIndex]) : null;

    /// <summary>A source position as <c>file:line</c>; an unknown file prints as <c>?N</c>.</summary>
    public static string Position(HlCode code, HlDebugPosition position)
    {
        var file = (uint)position.FileIndex < (uint)code.DebugFiles.Length ? code.DebugFiles[position.FileIndex] : Unknown(position.FileIndex);
        return string.Create(CultureInfo.InvariantCulture, $"{file}:{position.Line}");
    }

    /// <summary>A function index as the function's name, a native as <c>lib@name</c>.</summary>
    public static string Function(HlCode code, int functionIndex) =>
        code.GetFunction(functionIndex)?.Name ?? code.GetNative(functionIndex)?.ToString() ?? Unknown(functionIndex);

    /// <summary>A type index as <c>t12 (Main)</c>.</summary>
    public static string Type(HlCode code, int typeIndex) =>
        (uint)typeIndex < (uint)code.Types.Length
            ? string.Create(CultureInfo.InvariantCulture, $"t{typeIndex} ({code.Types[typeIndex]})")
            : Unknown(typeIndex);

    /// <summary>How every out-of-range index prints.</summary>
    public static string Unknown(int index) => string.Create(CultureInfo.InvariantCulture, $"?{index}");

    private void AppendFixed(StringBuilder b, int opIndex, HlOp op)
    {
        var operands = op.Shape.Operands;
        for (var i = 0; i < operands.Length; i++)
        {
            var value = i switch
            {
                0 => op.P1,
                1 => op.P2,
                2 => op.P3,
                _ => i - 3 < op.Extra.Length ? op.Extra[i - 3] : (int?)null,
            };
            b.Append(i > 0 ? ", " : string.Empty).Append(value is { } v ? Operand(operands[i], v, opIndex) : "?");
        }
    }

    private string Operand(HlOperandKind kind, int value, int opIndex) => kind switch
    {
        HlOperandKind.Register => Register(value),
        HlOperandKind.IntConstant => (uint)value < (uint)_code.Ints.Length ? Number(_code.Ints[value]) : Unknown(value),
        HlOperandKind.FloatConstant => (uint)value < (uint)_code.Floats.Length ? HlLiteralText.Float(_code.Floats[value]) : Unknown(value),
        HlOperandKind.Bool => value switch { 0 => "false", 1 => "true", _ => Unknown(value) },
        HlOperandKind.BytesConstant => Bytes(value),
        HlOperandKind.StringConstant => (uint)value < (uint)_code.Strings.Length ? HlLiteralText.Quote(_code.Strings[value]) : Unknown(value),
        HlOperandKind.Function => Function(_code, value),
        HlOperandKind.Global => _globals.Operand(value),
        HlOperandKind.Type => Type(_code, value),
        HlOperandKind.Jump => Label(opIndex, value),
        _ => Number(value),
    };

    private void AppendArguments(StringBuilder b, IReadOnlyList<int> registers, int skip)
    {
        b.Append('(');
        for (var i = skip; i < registers.Count; i++)
        {
            b.Append(i > skip ? ", " : string.Empty).Append(Register(registers[i]));
        }

        b.Append(')');
    }

    private string Register(int register) =>
        (uint)register < (uint)_function.Registers.Length ? string.Create(CultureInfo.InvariantCulture, $"r{register}") : Unknown(register);

    private HlType? RegisterType(int register) =>
        (uint)register < (uint)_function.Registers.Length ? _function.Registers[register] : null;

    private string Function(int functionIndex) => Function(_code, functionIndex);

    /// <summary>
    /// True when some operation jumps to the end of the function, one past its last operation: valid
    /// bytecode (a switch whose default leaves the function), whose label the listing must still show.
    /// </summary>
    public bool JumpsToEnd()
    {
        var end = _function.Ops.Length;
        for (var i = 0; i < end; i++)
        {
            var op = _function.Ops[i];
            if (op.Opcode == HlOpcode.Switch)
            {
                if (HlOp.JumpTarget(i, op.P3) == end || op.Extra.Any(offset => HlOp.JumpTarget(i, offset) == end))
                {
                    return true;
                }
            }
            else if (op.Shape.Operands.IndexOf(HlOperandKind.Jump) is var slot and >= 0 && slot < 3
                && HlOp.JumpTarget(i, slot switch { 0 => op.P1, 1 => op.P2, _ => op.P3 }) == end)
            {
                return true;
            }
        }

        return false;
    }

    private string Label(int opIndex, int offset)
    {
        // The end of the function (one past the last operation) is a valid target.
        var target = HlOp.JumpTarget(opIndex, offset);
        return (uint)target <= (uint)_function.Ops.Length ? string.Create(CultureInfo.InvariantCulture, $"L{target}") : Unknown(target);
    }

    private string Bytes(int index)
    {
        // Before version 5 the bytes operand indexes the string table (HashLink's code.c).
        if (_code.Version < 5)
        {
            return (uint)index < (uint)_code.Strings.Length ? "bytes " + HlLiteralText.Quote(_code.Strings[index]) : Unknown(index);
        }

        return (uint)index < (uint)_code.BytesCount ? "bytes " + HlLiteralText.QuoteBytes(_code.GetBytes(index).Span) : Unknown(index);
    }

    private static string Field(HlType? type, int index) => HlMembers.Field(type, index)?.Name ?? Unknown(index);

    private static string Method(HlType? type, int slot) => type switch
    {
        // On a virtual, a method call names a field of the virtual (jit.c, OCallMethod on HVIRTUAL).
        HlVirtualType => Field(type, slot),
        _ => HlMembers.Method(type, slot)?.Name ?? Unknown(slot),
    };

    private static string Construct(HlType? type, int index) => HlMembers.Construct(type, index) switch
    {
        null => Unknown(index),
        { Name.Length: 0 } => string.Create(CultureInfo.InvariantCulture, $"#{index}"),
        var c => c.Name,
    };

    private static string Extra(HlOp op, int index) => index < op.Extra.Length ? Number(op.Extra[index]) : "?";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
