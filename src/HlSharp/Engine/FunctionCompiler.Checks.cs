using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Operand checks: before an operation is compiled, each register it reads or writes must have a
/// type the operation can work on (as HashLink's JIT assumes of the bytecode Haxe writes), so bad
/// bytecode is an <see cref="HlCompileException"/> naming the function and operation, never IL
/// the CLR refuses (<see cref="InvalidProgramException"/>). Conversions the compiler already makes
/// (a number into a dynamic, an int into a float) stay allowed; only what IL cannot express is refused.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>What an operand register must hold, by its storage on the IL stack.</summary>
    private enum Need
    {
        /// <summary>An int (i32, ui8, ui16) or a bool: an int32 on the IL stack.</summary>
        Int32,

        /// <summary>An int32 or an i64.</summary>
        Integer,

        /// <summary>Any number or bool.</summary>
        Number,

        /// <summary>A pointer (object reference).</summary>
        Pointer,

        /// <summary>Anything a branch can test: an integer, a bool or a pointer (not a float).</summary>
        Testable,

        /// <summary>Anything but void: the register's value is used as it is.</summary>
        Value,
    }

    private void CheckOperands(HlOp op)
    {
        switch (op.Opcode)
        {
            case HlOpcode.Bool:
            case HlOpcode.Not:
                Check(op.P1, Need.Int32, "the result", allowVoid: true);
                if (op.Opcode == HlOpcode.Not)
                {
                    Check(op.P2, Need.Int32, "the operand");
                }

                break;
            case HlOpcode.Bytes:
            case HlOpcode.String:
            case HlOpcode.StaticClosure:
            case HlOpcode.InstanceClosure:
            case HlOpcode.VirtualClosure:
            case HlOpcode.ToDyn:
            case HlOpcode.ToVirtual:
            case HlOpcode.Type:
            case HlOpcode.GetType:
            case HlOpcode.Ref:
            case HlOpcode.New:
                Check(op.P1, Need.Pointer, "the result", allowVoid: true);
                break;
            case HlOpcode.Add or HlOpcode.Sub or HlOpcode.Mul or HlOpcode.SDiv or HlOpcode.SMod:
                CheckArithmetic(op, Need.Number);
                break;
            case >= HlOpcode.UDiv and <= HlOpcode.Xor:
                // Unsigned division and bit operations have no floating-point form.
                CheckArithmetic(op, Need.Integer);
                break;
            case HlOpcode.Neg:
                Check(op.P1, Need.Number, "the result");
                Check(op.P2, Need.Number, "the operand");
                break;
            case HlOpcode.Incr:
            case HlOpcode.Decr:
                Check(op.P1, Need.Number, "the operand");
                break;
            case HlOpcode.JTrue or HlOpcode.JFalse or HlOpcode.JNull or HlOpcode.JNotNull or HlOpcode.NullCheck:
                Check(op.P1, Need.Testable, "the tested value", allowVoid: true);
                break;
            case >= HlOpcode.JSLt and <= HlOpcode.JNotEq:
                CheckComparison(op);
                break;
            case HlOpcode.Switch:
                Check(op.P1, Need.Int32, "the switch value");
                break;
            case HlOpcode.ToUFloat:
                Check(op.P1, Need.Number, "the result");
                Check(op.P2, Need.Int32, "the operand");
                break;
            case HlOpcode.ToSFloat or HlOpcode.ToInt:
                Check(op.P1, Need.Number, "the result");
                Check(op.P2, Need.Value, "the operand");
                break;
            case HlOpcode.GetI8 or HlOpcode.GetI16 or HlOpcode.GetMem:
                Check(op.P1, op.Opcode == HlOpcode.GetMem ? Need.Number : Need.Int32, "the result");
                Check(op.P2, Need.Pointer, "the bytes");
                Check(op.P3, Need.Int32, "the offset");
                break;
            case HlOpcode.SetI8 or HlOpcode.SetI16 or HlOpcode.SetMem:
                Check(op.P1, Need.Pointer, "the bytes");
                Check(op.P2, Need.Int32, "the offset");
                Check(op.P3, op.Opcode == HlOpcode.SetMem ? Need.Number : Need.Int32, "the value");
                break;
            case HlOpcode.GetArray:
                Check(op.P2, Need.Pointer, "the array");
                Check(op.P3, Need.Int32, "the index");
                break;
            case HlOpcode.SetArray:
                Check(op.P1, Need.Pointer, "the array");
                Check(op.P2, Need.Int32, "the index");
                Check(op.P3, Need.Value, "the value");
                break;
            case HlOpcode.ArraySize or HlOpcode.GetTID or HlOpcode.EnumIndex:
                Check(op.P1, Need.Int32, "the result", allowVoid: true);
                Check(op.P2, Need.Pointer, "the operand");
                break;
            case HlOpcode.Unref:
                Check(op.P2, Need.Pointer, "the reference");
                break;
            case HlOpcode.Setref:
                Check(op.P1, Need.Pointer, "the reference");
                Check(op.P2, Need.Value, "the value");
                break;
            case HlOpcode.EnumField:
                Check(op.P2, Need.Pointer, "the enum value");
                break;
            case HlOpcode.SetEnumField:
                Check(op.P1, Need.Pointer, "the enum value");
                break;
            case HlOpcode.Field:
                Check(op.P2, Need.Pointer, "the object");
                break;
            case HlOpcode.SetField:
                Check(op.P1, Need.Pointer, "the object");
                break;
            case HlOpcode.GetThis:
            case HlOpcode.SetThis:
                Check(0, Need.Pointer, "this");
                break;
        }
    }

    private void CheckArithmetic(HlOp op, Need need)
    {
        Check(op.P1, need, "the result");
        Check(op.P2, need, "the first operand");
        Check(op.P3, need, "the second operand");
    }

    private void CheckComparison(HlOp op)
    {
        var ka = RegType(op.P1).Kind;
        var kb = RegType(op.P2).Kind;
        if (ka is HlTypeKind.Dyn or HlTypeKind.Fun || kb is HlTypeKind.Dyn or HlTypeKind.Fun)
        {
            // Compared dynamically: both sides are boxed.
            return;
        }

        // Pointers compare with pointers; a number compares with a number or a dynamic it unboxes.
        var pointer = RegStorage(op.P1) == typeof(object) || RegStorage(op.P1) == typeof(void);
        Check(op.P1, pointer ? Need.Pointer : Need.Number, "the first operand", allowVoid: pointer);
        Check(op.P2, pointer ? Need.Pointer : Need.Value, "the second operand", allowVoid: true);
    }

    /// <summary>Refuses an operand register whose type the operation cannot use.</summary>
    private void Check(int register, Need need, string role, bool allowVoid = false)
    {
        if ((uint)register >= (uint)_f.Registers.Length)
        {
            throw Error($"{_f.Ops[_opIndex].Opcode}: {role} is register {register}, and the function has {_f.Registers.Length}");
        }

        var storage = RegStorage(register);
        if (storage == typeof(void) && allowVoid)
        {
            return;
        }

        var ok = need switch
        {
            Need.Int32 => storage == typeof(int) || storage == typeof(bool),
            Need.Integer => storage == typeof(int) || storage == typeof(bool) || storage == typeof(long),
            Need.Number => storage != typeof(object) && storage != typeof(void),
            Need.Pointer => storage == typeof(object),
            Need.Testable => storage != typeof(double) && storage != typeof(float) && storage != typeof(void),
            _ => storage != typeof(void),
        };
        if (!ok)
        {
            throw Error($"{_f.Ops[_opIndex].Opcode}: {role} is register {register} of type {RegType(register)}, which the operation cannot use");
        }
    }
}
