using HlSharp.Bytecode;

namespace HlSharp.Engine;

internal sealed partial class ReloadPlanner
{
    private bool SameBody(CompiledBody current, HlFunction f2, CodeIndexMap map)
    {
        var f1 = current.Function;
        if (f1.Ops.Length != f2.Ops.Length || f1.Registers.Length != f2.Registers.Length)
        {
            return false;
        }

        for (var r = 0; r < f1.Registers.Length; r++)
        {
            if (map.Type(f2.Registers[r].Index) != current.Map.Type(f1.Registers[r].Index))
            {
                return false;
            }
        }

        for (var i = 0; i < f1.Ops.Length; i++)
        {
            var (a, b) = (f1.Ops[i], f2.Ops[i]);
            if (a.Opcode != b.Opcode || !Operands(a, current.Source, current.Map).SequenceEqual(Operands(b, _next, map)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An operation's operands as the module sees them: indices mapped, number constants by value.</summary>
    private static IEnumerable<long> Operands(HlOp op, HlCode code, CodeIndexMap map)
    {
        var shape = op.Shape;
        int Raw(int i) => i switch
        {
            0 => op.P1,
            1 => op.P2,
            2 => op.P3,
            _ => i - 3 < op.Extra.Length ? op.Extra[i - 3] : 0,
        };

        long Canonical(HlOperandKind kind, int value) => kind switch
        {
            HlOperandKind.IntConstant => code.Ints[value],
            HlOperandKind.FloatConstant => BitConverter.DoubleToInt64Bits(code.Floats[value]),
            HlOperandKind.Type => map.Type(value),
            HlOperandKind.Global => map.Global(value),
            HlOperandKind.Function => map.Function(value),
            HlOperandKind.StringConstant => map.String(value),
            HlOperandKind.BytesConstant => code.Version < 5 ? map.String(value) : map.Bytes(value),
            _ => value,
        };

        for (var i = 0; i < shape.Operands.Length; i++)
        {
            yield return Canonical(shape.Operands[i], Raw(i));
        }

        if (shape.VariableOperand is { } each)
        {
            var fixedExtras = Math.Max(0, shape.Operands.Length - 3);
            for (var i = fixedExtras; i < op.Extra.Length; i++)
            {
                yield return Canonical(each, op.Extra[i]);
            }
        }
    }
}
