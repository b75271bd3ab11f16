using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace HlSharp.Bytecode;

/// <summary>
/// The operand layout of an opcode: what <see cref="HlOp.P1"/>, <see cref="HlOp.P2"/>,
/// <see cref="HlOp.P3"/> and the fixed <see cref="HlOp.Extra"/> slots mean, and, for operations
/// with a variable operand list (calls, <c>MakeEnum</c>, <c>Switch</c>), the kind of each extra operand.
/// </summary>
public sealed class HlOpcodeShape
{
    private static readonly ImmutableArray<HlOpcodeShape> Shapes = BuildShapes();

    private HlOpcodeShape(HlOpcode opcode, HlOperandKind? variable, params HlOperandKind[] operands)
    {
        Opcode = opcode;
        // The params array is this shape's own; wrapped, not copied through LINQ (whose instantiation
        // over this enum was JIT-compiled at every start).
        Operands = ImmutableCollectionsMarshal.AsImmutableArray(operands);
        VariableOperand = variable;
    }

    /// <summary>The opcode described.</summary>
    public HlOpcode Opcode { get; }

    /// <summary>The fixed operands in order: P1, P2, P3, then the fixed <see cref="HlOp.Extra"/> slots.</summary>
    public ImmutableArray<HlOperandKind> Operands { get; }

    /// <summary>The kind of each variable operand held in <see cref="HlOp.Extra"/>, or null when there are none.</summary>
    public HlOperandKind? VariableOperand { get; }

    /// <summary>Returns the shape of an opcode.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a HashLink opcode.</exception>
    public static HlOpcodeShape Of(HlOpcode opcode)
    {
        var index = (int)opcode;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Shapes.Length, nameof(opcode));
        return Shapes[index];
    }

    /// <summary>The number of opcodes HlSharp knows.</summary>
    public static int OpcodeCount => Shapes.Length;

    private static ImmutableArray<HlOpcodeShape> BuildShapes()
    {
        const HlOperandKind R = HlOperandKind.Register;
        const HlOperandKind F = HlOperandKind.Function;
        const HlOperandKind J = HlOperandKind.Jump;
        const HlOperandKind N = HlOperandKind.Count;
        const HlOperandKind L = HlOperandKind.Literal;
        const HlOperandKind Fld = HlOperandKind.Field;

        var shapes = new HlOpcodeShape[(int)HlOpcode.Catch + 1];
        void Fixed(HlOpcode op, params HlOperandKind[] operands) => shapes[(int)op] = new HlOpcodeShape(op, null, operands);
        void Variable(HlOpcode op, HlOperandKind each, params HlOperandKind[] operands) => shapes[(int)op] = new HlOpcodeShape(op, each, operands);

        Fixed(HlOpcode.Mov, R, R);
        Fixed(HlOpcode.Int, R, HlOperandKind.IntConstant);
        Fixed(HlOpcode.Float, R, HlOperandKind.FloatConstant);
        Fixed(HlOpcode.Bool, R, HlOperandKind.Bool);
        Fixed(HlOpcode.Bytes, R, HlOperandKind.BytesConstant);
        Fixed(HlOpcode.String, R, HlOperandKind.StringConstant);
        Fixed(HlOpcode.Null, R);
        for (var op = HlOpcode.Add; op <= HlOpcode.Xor; op++)
        {
            Fixed(op, R, R, R);
        }

        Fixed(HlOpcode.Neg, R, R);
        Fixed(HlOpcode.Not, R, R);
        Fixed(HlOpcode.Incr, R);
        Fixed(HlOpcode.Decr, R);
        Fixed(HlOpcode.Call0, R, F);
        Fixed(HlOpcode.Call1, R, F, R);
        Fixed(HlOpcode.Call2, R, F, R, R);
        Fixed(HlOpcode.Call3, R, F, R, R, R);
        Fixed(HlOpcode.Call4, R, F, R, R, R, R);
        Variable(HlOpcode.CallN, R, R, F, N);
        Variable(HlOpcode.CallMethod, R, R, Fld, N);
        Variable(HlOpcode.CallThis, R, R, Fld, N);
        Variable(HlOpcode.CallClosure, R, R, R, N);
        Fixed(HlOpcode.StaticClosure, R, F);
        Fixed(HlOpcode.InstanceClosure, R, F, R);
        Fixed(HlOpcode.VirtualClosure, R, R, Fld);
        Fixed(HlOpcode.GetGlobal, R, HlOperandKind.Global);
        Fixed(HlOpcode.SetGlobal, HlOperandKind.Global, R);
        Fixed(HlOpcode.Field, R, R, Fld);
        Fixed(HlOpcode.SetField, R, Fld, R);
        Fixed(HlOpcode.GetThis, R, Fld);
        Fixed(HlOpcode.SetThis, Fld, R);
        Fixed(HlOpcode.DynGet, R, R, HlOperandKind.StringConstant);
        Fixed(HlOpcode.DynSet, R, HlOperandKind.StringConstant, R);
        for (var op = HlOpcode.JTrue; op <= HlOpcode.JNotNull; op++)
        {
            Fixed(op, R, J);
        }

        for (var op = HlOpcode.JSLt; op <= HlOpcode.JNotEq; op++)
        {
            Fixed(op, R, R, J);
        }

        Fixed(HlOpcode.JAlways, J);
        for (var op = HlOpcode.ToDyn; op <= HlOpcode.ToVirtual; op++)
        {
            Fixed(op, R, R);
        }

        Fixed(HlOpcode.Label);
        Fixed(HlOpcode.Ret, R);
        Fixed(HlOpcode.Throw, R);
        Fixed(HlOpcode.Rethrow, R);
        Variable(HlOpcode.Switch, J, R, N, J);
        Fixed(HlOpcode.NullCheck, R);
        Fixed(HlOpcode.Trap, R, J);
        Fixed(HlOpcode.EndTrap, R);
        for (var op = HlOpcode.GetI8; op <= HlOpcode.SetArray; op++)
        {
            Fixed(op, R, R, R);
        }

        Fixed(HlOpcode.New, R);
        Fixed(HlOpcode.ArraySize, R, R);
        Fixed(HlOpcode.Type, R, HlOperandKind.Type);
        Fixed(HlOpcode.GetType, R, R);
        Fixed(HlOpcode.GetTID, R, R);
        Fixed(HlOpcode.Ref, R, R);
        Fixed(HlOpcode.Unref, R, R);
        Fixed(HlOpcode.Setref, R, R);
        Variable(HlOpcode.MakeEnum, R, R, HlOperandKind.Construct, N);
        Fixed(HlOpcode.EnumAlloc, R, HlOperandKind.Construct);
        Fixed(HlOpcode.EnumIndex, R, R);
        Fixed(HlOpcode.EnumField, R, R, HlOperandKind.Construct, L);
        Fixed(HlOpcode.SetEnumField, R, L, R);
        Fixed(HlOpcode.Assert);
        Fixed(HlOpcode.RefData, R, R);
        Fixed(HlOpcode.RefOffset, R, R, R);
        Fixed(HlOpcode.Nop);
        Fixed(HlOpcode.Prefetch, R, L, L);
        Fixed(HlOpcode.Asm, L, L, L);
        Fixed(HlOpcode.Catch, L);
        return [.. shapes];
    }
}
