using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Leaf functions (issue 12): a function that calls nothing, has no loop and runs no operation
/// that can throw or reach the runtime (only moves, constants, arithmetic that cannot trap,
/// forward jumps on numbers, globals and fields of its own receiver, with no boxing or unboxing)
/// finishes in a few instructions and can never be on the stack when a Haxe stack trace is taken
/// or a stop is asked for. It skips the entry's stack guard and safe-point poll (its callers poll),
/// which leaves a body the .NET JIT inlines at a direct call. Every other function is marked
/// <see cref="MethodImplAttributes.NoInlining"/>: HlSharp prints Haxe stack traces from .NET
/// frames (<see cref="StackTraces"/>), and the CLR leaves inlined frames out of them.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private bool? _isLeaf;

    /// <summary>Whether the function being compiled is a leaf (see the type's remarks).</summary>
    private bool IsLeaf => _isLeaf ??= ComputeIsLeaf();

    private bool ComputeIsLeaf()
    {
        if (_skipFrom >= 0 || Dropped is not null)
        {
            return false;
        }

        var ops = _f.Ops;
        for (var i = 0; i < ops.Length; i++)
        {
            if (!IsLeafOp(ops[i], i))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsLeafOp(HlOp op, int index)
    {
        switch (op.Opcode)
        {
            case HlOpcode.Nop or HlOpcode.Label:
                return true;
            case HlOpcode.Int or HlOpcode.Float or HlOpcode.Bool:
                return RegStorage(op.P1) != typeof(object);
            case HlOpcode.Null:
                return true;
            case HlOpcode.Mov or HlOpcode.ToSFloat or HlOpcode.ToInt:
                return PlainConversion(RegStorage(op.P2), RegStorage(op.P1));
            case HlOpcode.Neg or HlOpcode.Not:
                return IsNumber(RegStorage(op.P2)) && IsNumber(RegStorage(op.P1));
            case HlOpcode.ToUFloat:
                return IsNumber(RegStorage(op.P2)) && IsNumber(RegStorage(op.P1));
            case HlOpcode.Incr or HlOpcode.Decr:
                return IsNumber(RegStorage(op.P1));
            case HlOpcode.Add or HlOpcode.Sub or HlOpcode.Mul or HlOpcode.Shl or HlOpcode.SShr or HlOpcode.UShr
                or HlOpcode.And or HlOpcode.Or or HlOpcode.Xor:
                return IsNumber(RegStorage(op.P1)) && IsNumber(RegStorage(op.P2)) && IsNumber(RegStorage(op.P3));
            case HlOpcode.SDiv or HlOpcode.SMod:
                // Integer division goes through the runtime (division by zero); a float one is one instruction.
                return IsFloat(RegStorage(op.P1)) && IsNumber(RegStorage(op.P2)) && IsNumber(RegStorage(op.P3));
            case HlOpcode.GetGlobal:
                return PlainConversion(StorageTypes.Of(_code.Globals[op.P2]), RegStorage(op.P1));
            case HlOpcode.SetGlobal:
                return PlainConversion(RegStorage(op.P2), StorageTypes.Of(_code.Globals[op.P1]));
            case HlOpcode.GetThis:
                return OwnField(op.P2) is { } read && PlainConversion(StorageTypes.Of(read.Type.Kind), RegStorage(op.P1));
            case HlOpcode.SetThis:
                return OwnField(op.P1) is { } written && PlainConversion(RegStorage(op.P2), StorageTypes.Of(written.Type.Kind));
            case HlOpcode.JTrue or HlOpcode.JFalse or HlOpcode.JNull or HlOpcode.JNotNull:
                return HlOp.JumpTarget(index, op.P2) > index;
            case >= HlOpcode.JSLt and <= HlOpcode.JNotEq:
                // Comparing pointers may reach the runtime (dynamic comparison); numbers compare in line.
                return HlOp.JumpTarget(index, op.P3) > index && IsNumber(RegStorage(op.P1)) && IsNumber(RegStorage(op.P2));
            case HlOpcode.JAlways:
                return HlOp.JumpTarget(index, op.P1) > index;
            case HlOpcode.Ret:
                return _returnType == typeof(void) || PlainConversion(RegStorage(op.P1), _returnType);
            default:
                return false;
        }
    }

    /// <summary>
    /// A field of register 0, the receiver of a method, when that is a class instance: methods are
    /// reached on a receiver the caller checked (a <c>NullCheck</c>, or the direct call's own test),
    /// so reading or writing its fields cannot fail.
    /// </summary>
    private HlRuntimeField? OwnField(int fieldIndex)
    {
        if (_f.Registers.Length == 0 || _f.Type.Arguments.Count == 0 || RegRt(0).Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
        {
            return null;
        }

        var fields = RegRt(0).Fields;
        return (uint)fieldIndex < (uint)fields.Length && !fields[fieldIndex].IsAdded && fields[fieldIndex].Field is not null ? fields[fieldIndex] : null;
    }

    private static bool IsNumber(Type storage) => storage == typeof(int) || storage == typeof(long) || IsFloat(storage) || storage == typeof(bool);

    private static bool IsFloat(Type storage) => storage == typeof(double) || storage == typeof(float);

    /// <summary>A conversion <see cref="EmitConvert(Type, Type, HlRuntimeType?)"/> makes without boxing (an allocation) or unboxing (a cast that can fail).</summary>
    private static bool PlainConversion(Type from, Type to) =>
        from == to || to == typeof(void) || from == typeof(void) || (from != typeof(object) && to != typeof(object));

    /// <summary>
    /// Leaves may be inlined; every other function is kept out of its callers, so its frame stays
    /// on the stack for stack traces (a method only reached through slots is never inlined anyway).
    /// </summary>
    private MethodImplAttributes InliningFlags() =>
        !IsLeaf ? MethodImplAttributes.NoInlining
        // Asked for, or the JIT's size heuristics keep all but the tiniest out of optimised callers without a profile (code compiled optimised at once).
        : _f.Ops.Length <= InlinedLeafOps ? MethodImplAttributes.AggressiveInlining
        : 0;

    /// <summary>The most operations of a leaf the JIT is asked to inline wherever it is called directly.</summary>
    private const int InlinedLeafOps = 16;

    /// <summary>
    /// Whether the method's end needs the "ran past its last operation" error: not in a leaf whose
    /// last operation returns and no jump goes past it (a leaf's IL stays small, which inlining weighs).
    /// </summary>
    private bool MayRunPastEnd()
    {
        var ops = _f.Ops;
        if (!IsLeaf || ops.Length == 0 || ops[^1].Opcode != HlOpcode.Ret)
        {
            return true;
        }

        for (var i = 0; i < ops.Length; i++)
        {
            foreach (var target in JumpTargets(ops[i], i))
            {
                if (target >= ops.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
