using System.Reflection.Emit;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Where a register whose address is taken (<c>ORef</c>) lives. HashLink points a reference at
/// the register's stack slot; HlSharp moves the register into a heap cell (<c>HlRef&lt;T&gt;</c>)
/// that the reference shares. The cell is made where the reference is first taken, not on entry:
/// <c>StringBuf.add</c> takes the address of a length only for values that are not strings, and
/// making the cell on every call was a quarter of what <c>Json.stringify</c> allocated. Until
/// the cell exists the register is a plain local, after it the cell, and an operation that some
/// paths reach before the reference and others after (a loop around it) tests which at run time.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>Whether a register's cell may not exist yet, or may exist, before an operation.</summary>
    [Flags]
    private enum CellPhase : byte
    {
        None = 0,
        MayBeAbsent = 1,
        MayBePresent = 2,
        Either = MayBeAbsent | MayBePresent,
    }

    // Per referenced register, the phase before each operation; none is kept for cells made on entry.
    private readonly Dictionary<int, CellPhase[]> _cellPhases = [];

    /// <summary>Whether every referenced register gets its cell on entry (see <see cref="DeclareRegisters"/>).</summary>
    private bool CellsOnEntry => _skipFrom >= 0 || Dropped is not null;

    /// <summary>
    /// The phase of each referenced register's cell before each operation: a forward pass over
    /// the operations' predecessors (a trap's body counts as a predecessor of its handler) until
    /// nothing changes. Only functions that take a register's address pay for it.
    /// </summary>
    private void ComputeCellPhases(IReadOnlyCollection<int> referenced)
    {
        var ops = _f.Ops;
        _predecessors ??= Predecessors();
        foreach (var register in referenced)
        {
            var before = new CellPhase[ops.Length + 1];
            before[0] = CellPhase.MayBeAbsent;
            bool changed;
            do
            {
                changed = false;
                for (var i = 0; i <= ops.Length; i++)
                {
                    var phase = i == 0 ? CellPhase.MayBeAbsent : CellPhase.None;
                    foreach (var from in _predecessors[i])
                    {
                        phase |= After(ops[from], register, before[from]);
                    }

                    if (phase != before[i])
                    {
                        before[i] = phase;
                        changed = true;
                    }
                }
            }
            while (changed);

            _cellPhases[register] = before;
        }
    }

    private static CellPhase After(HlOp op, int register, CellPhase before) =>
        before != CellPhase.None && op.Opcode == HlOpcode.Ref && op.P2 == register ? CellPhase.MayBePresent : before;

    /// <summary>The phase of <paramref name="register"/>'s cell at the operation being compiled.</summary>
    private CellPhase CellPhaseHere(int register) =>
        _cellPhases.TryGetValue(register, out var phases) && _opIndex < phases.Length
            ? phases[_opIndex] is CellPhase.None ? CellPhase.MayBeAbsent : phases[_opIndex] // unreachable: any will do
            : CellPhase.MayBePresent;

    /// <summary>Pushes a referenced register's value, from its cell or its local.</summary>
    private void LoadReferenced(int r, LocalBuilder cell, LocalBuilder local)
    {
        var phase = CellPhaseHere(r);
        if (phase == CellPhase.Either)
        {
            var fromLocal = _il.DefineLabel();
            var done = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, cell);
            _il.Emit(OpCodes.Brfalse, fromLocal);
            _il.Emit(OpCodes.Ldloc, cell);
            _il.Emit(OpCodes.Ldfld, HelperMethods.CellValue(cell.LocalType));
            _il.Emit(OpCodes.Br, done);
            _il.MarkLabel(fromLocal);
            _il.Emit(OpCodes.Ldloc, local);
            _il.MarkLabel(done);
        }
        else if (phase == CellPhase.MayBePresent)
        {
            _il.Emit(OpCodes.Ldloc, cell);
            _il.Emit(OpCodes.Ldfld, HelperMethods.CellValue(cell.LocalType));
        }
        else
        {
            _il.Emit(OpCodes.Ldloc, local);
        }
    }

    /// <summary>Pops a value into a referenced register, its cell or its local.</summary>
    private void StoreReferenced(int r, LocalBuilder cell, LocalBuilder local)
    {
        var phase = CellPhaseHere(r);
        if (phase == CellPhase.MayBeAbsent)
        {
            _il.Emit(OpCodes.Stloc, local);
            return;
        }

        var tmp = Scratch(local.LocalType);
        _il.Emit(OpCodes.Stloc, tmp);
        var done = _il.DefineLabel();
        if (phase == CellPhase.Either)
        {
            var toCell = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, cell);
            _il.Emit(OpCodes.Brtrue, toCell);
            _il.Emit(OpCodes.Ldloc, tmp);
            _il.Emit(OpCodes.Stloc, local);
            _il.Emit(OpCodes.Br, done);
            _il.MarkLabel(toCell);
        }

        _il.Emit(OpCodes.Ldloc, cell);
        _il.Emit(OpCodes.Ldloc, tmp);
        _il.Emit(OpCodes.Stfld, HelperMethods.CellValue(cell.LocalType));
        _il.MarkLabel(done);
    }

    /// <summary>
    /// Pushes the cell of a register whose address is being taken, making it first where it may
    /// not exist yet: the register's value moves from its local into the new cell.
    /// </summary>
    private void EmitTakeCell(int r, LocalBuilder cell)
    {
        var phase = CellPhaseHere(r);
        if (phase != CellPhase.MayBePresent)
        {
            var present = _il.DefineLabel();
            if (phase == CellPhase.Either)
            {
                _il.Emit(OpCodes.Ldloc, cell);
                _il.Emit(OpCodes.Brtrue, present);
            }

            _il.Emit(OpCodes.Newobj, typeof(Runtime.HlRef<>).MakeGenericType(RegStorage(r)).GetConstructor(Type.EmptyTypes)!);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldloc, _locals[r]!);
            _il.Emit(OpCodes.Stfld, HelperMethods.CellValue(cell.LocalType));
            _il.Emit(OpCodes.Stloc, cell);
            _il.MarkLabel(present);
        }

        _il.Emit(OpCodes.Ldloc, cell);
    }
}
