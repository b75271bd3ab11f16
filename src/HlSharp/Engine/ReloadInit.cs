using System.Collections;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The static initialisation of what a reload adds. Haxe inlines every static initialiser into the
/// entry function (after the registration of each class, before the call to <c>main</c>); the
/// reload compiles the new version's entry against the module with everything left out but what
/// initialises the new: writes to existing statics (fields of an existing class object such as
/// <c>$Main</c>) and to existing globals are left out, so existing statics keep their values, and
/// so are the type registrations (<c>Type.init</c>, <c>Type.register</c>, every <c>Type.initClass</c>:
/// it would replace the class object, and the reload makes an added class's own, and
/// <c>Type.initEnum</c> of an enum the module has), the call to <c>main</c> and everything after it. An operation that reads a value a
/// left-out operation made is left out too (flow-sensitive, over the entry's jumps); if the
/// initialiser of a new static is one of them, the reload is refused rather than leaving the
/// static at its zero. A class or enum the reload adds (its type is not the module's) keeps every
/// write to its statics (and an enum its <c>initEnum</c>), so the same filter initialises them.
/// Initialisers of existing statics still evaluate (their result is dropped): one with a side
/// effect beyond its own value (it logs, opens a window) runs again.
/// </summary>
internal sealed class ReloadInit
{
    private readonly HlModule _module;
    private readonly HlCode _next;
    private readonly CodeIndexMap _map;
    private readonly ReloadFieldPlan _fields;
    private readonly HlFunction _entry;
    private readonly int _liveGlobals;

    private ReloadInit(HlModule module, HlCode next, CodeIndexMap map, ReloadFieldPlan fields, HlFunction entry)
    {
        _module = module;
        _next = next;
        _map = map;
        _fields = fields;
        _entry = entry;
        _liveGlobals = module.Storage.GlobalCount;
    }

    /// <summary>
    /// The operations of the new entry to leave out, or null when the reload adds nothing to
    /// initialise. Call before the new globals' cells are added (existing globals are told from new by index).
    /// </summary>
    public static bool[]? Plan(HlModule module, HlCode next, CodeIndexMap map, ReloadFieldPlan fields, List<ReloadRefusal> refused)
    {
        if (next.GetFunction(next.EntryPoint) is not { } entry)
        {
            return null;
        }

        return new ReloadInit(module, next, map, fields, entry).Plan(refused);
    }

    private bool[]? Plan(List<ReloadRefusal> refused)
    {
        var ops = _entry.Ops;
        var roots = Enumerable.Range(0, ops.Length).Where(i => IsNewInit(ops[i], i)).ToList();
        if (roots.Count == 0)
        {
            return null;
        }

        var tail = MainCall();
        if (tail < 0)
        {
            refused.Add(ReloadRefusal.Whole("(entry)", "the call to main was not found, so the new statics' initialisers cannot be told from the program"));
            return null;
        }

        var baseDrop = new bool[ops.Length];
        for (var i = 0; i < ops.Length; i++)
        {
            baseDrop[i] = i >= tail ? i < ops.Length - 1 || ops[i].Opcode != HlOpcode.Ret : IsExistingWrite(ops[i], i);
        }

        var dropped = Taint(baseDrop);
        foreach (var i in roots.Where(i => dropped[i] && i < tail))
        {
            refused.Add(Describe(ops[i]) is var (type, member)
                ? new ReloadRefusal(type, member, "its initialiser uses a value the reload does not compute again (restart needed)")
                : ReloadRefusal.Whole("(entry)", $"operation {i} initialises something new from a value the reload does not compute again"));
        }

        return dropped;
    }

    /// <summary>Whether an operation writes something the reload adds: an added field, a field of a new type, a new global, a new type's registration.</summary>
    private bool IsNewInit(HlOp op, int index) => op.Opcode switch
    {
        HlOpcode.SetField => LiveField(op.P1, op.P2) is var (type, field) && (type is null || _fields.IsAdded(field!)),
        HlOpcode.SetGlobal => _map.Global(op.P1) >= _liveGlobals,
        HlOpcode.Call1 or HlOpcode.Call2 or HlOpcode.Call3 or HlOpcode.Call4 or HlOpcode.CallN =>
            IsTypeRegistration(op) && _next.GetFunction(op.P2)!.Owner!.FieldName == "initEnum" && RegisteredType(op, index) is { } t && IsNewType(t),
        _ => false,
    };

    /// <summary>Whether an operation writes what the program already has: an existing static or global, an existing type's registration.</summary>
    private bool IsExistingWrite(HlOp op, int index) => op.Opcode switch
    {
        HlOpcode.SetGlobal => _map.Global(op.P1) < _liveGlobals,
        HlOpcode.SetField => LiveField(op.P1, op.P2) is ({ } type, { } field) && _fields.ClassObjects.ContainsKey(type) && !_fields.IsAdded(field),
        HlOpcode.Call0 or HlOpcode.Call1 or HlOpcode.Call2 or HlOpcode.Call3 or HlOpcode.Call4 or HlOpcode.CallN =>
            IsTypeRegistration(op) && (_next.GetFunction(op.P2)!.Owner!.FieldName != "initEnum" || RegisteredType(op, index) is not { } t || !IsNewType(t)),
        _ => false,
    };

    /// <summary>The live class and field a <c>SetField</c> writes; the type is null when it is new to the module.</summary>
    private (HlRuntimeType? Type, HlRuntimeField? Field)? LiveField(int register, int fieldIndex)
    {
        var v2 = _entry.Registers[register];
        if (v2.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct))
        {
            return null;
        }

        if (IsNewType(v2.Index))
        {
            return (null, null);
        }

        var live = _module.Types[_map.Type(v2.Index)];
        var fields = _map.FieldsOf(live);
        var index = _map.Field(v2.Index, fieldIndex);
        return (uint)index < (uint)fields.Length ? (live, fields[index]) : null;
    }

    /// <summary>A type the module does not have yet (a class or enum the reload adds).</summary>
    private bool IsNewType(int v2Type) => _map.Type(v2Type) is var live && (live < 0 || live >= _module.Types.Length);

    private bool IsTypeRegistration(HlOp op) =>
        _next.GetFunction(op.P2)?.Owner is { IsStatic: true, TypeName: "Type" } owner
            && owner.FieldName is "init" or "register" or "initClass" or "initEnum";

    /// <summary>For <c>Type.initClass</c>/<c>initEnum</c>: the type operand, from the <c>Type</c> operation that set its register just before.</summary>
    private int? RegisteredType(HlOp op, int index)
    {
        if (_next.GetFunction(op.P2)?.Owner?.FieldName is not ("initClass" or "initEnum"))
        {
            return null;
        }

        var register = op.GetCallArguments()[0];
        for (var i = index - 1; i >= 0 && index - i < 16; i--)
        {
            var before = _entry.Ops[i];
            if (before.P1 == register && before.Opcode == HlOpcode.Type)
            {
                return before.P2;
            }
        }

        return null;
    }

    private (string Type, string? Member)? Describe(HlOp op)
    {
        if (op.Opcode == HlOpcode.SetField && LiveField(op.P1, op.P2) is ({ } type, { } field))
        {
            var owner = _fields.Added.FirstOrDefault(a => ReferenceEquals(a.Field, field));
            return ("class " + (owner.IsStatic ? ReloadPlanner.ClassOfObject(type.Name) : type.Name), field.Name);
        }

        return null;
    }

    /// <summary>The index of the entry's call to <c>main</c> (the last operation before the appended event loop, or before the final <c>Ret</c>), or -1.</summary>
    private int MainCall()
    {
        var ops = _entry.Ops;
        var loop = EntryEventLoop.FirstSkippedOp(_next);
        var call = (loop >= 0 ? loop : ops.Length - 1) - 1;
        return call >= 0 && ops[call].Opcode == HlOpcode.Call0 && _next.GetFunction(ops[call].P2)?.Owner is { IsStatic: true, FieldName: "main" } ? call : -1;
    }

    /// <summary>
    /// Leaves out, besides <paramref name="baseDrop"/>, every operation that reads a register whose
    /// value a left-out operation made on some path to it (a forward fixpoint over the entry's jumps).
    /// </summary>
    private bool[] Taint(bool[] baseDrop)
    {
        var ops = _entry.Ops;
        var n = ops.Length;
        var regs = _entry.Registers.Length;
        var input = new BitArray?[n];
        input[0] = new BitArray(regs);
        var dropped = (bool[])baseDrop.Clone();
        var work = new Queue<int>([0]);
        var queued = new bool[n];
        queued[0] = true;
        while (work.TryDequeue(out var i))
        {
            queued[i] = false;
            var op = ops[i];
            var state = new BitArray(input[i]!);
            var (reads, def) = Operands(op);
            var drop = baseDrop[i] || reads.Any(r => state[r] && _entry.Registers[r].Kind != HlTypeKind.Void);
            dropped[i] = drop;
            if (def >= 0 && _entry.Registers[def].Kind != HlTypeKind.Void)
            {
                state[def] = drop;
            }

            foreach (var s in Successors(op, i))
            {
                if ((uint)s >= (uint)n)
                {
                    continue;
                }

                if (input[s] is null)
                {
                    input[s] = new BitArray(state);
                }
                else
                {
                    var before = new BitArray(input[s]!);
                    input[s]!.Or(state);
                    if (Same(before, input[s]!))
                    {
                        continue;
                    }
                }

                if (!queued[s])
                {
                    queued[s] = true;
                    work.Enqueue(s);
                }
            }
        }

        return dropped;
    }

    private static bool Same(BitArray a, BitArray b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The registers an operation reads, and the one it writes (-1 for none).</summary>
    private static (List<int> Reads, int Def) Operands(HlOp op)
    {
        var shape = op.Shape;
        var registers = new List<int>();
        for (var k = 0; k < shape.Operands.Length; k++)
        {
            if (shape.Operands[k] == HlOperandKind.Register)
            {
                registers.Add(k switch { 0 => op.P1, 1 => op.P2, 2 => op.P3, _ => op.Extra[k - 3] });
            }
        }

        if (shape.VariableOperand == HlOperandKind.Register && !op.Extra.IsDefault)
        {
            registers.AddRange(op.Extra);
        }

        var writes = shape.Operands.Length > 0 && shape.Operands[0] == HlOperandKind.Register && op.Opcode is not (
            HlOpcode.SetField or HlOpcode.DynSet or HlOpcode.Ret or HlOpcode.Throw or HlOpcode.Rethrow or HlOpcode.NullCheck
            or HlOpcode.Switch or HlOpcode.EndTrap or HlOpcode.Setref or HlOpcode.SetEnumField or HlOpcode.Prefetch
            or >= HlOpcode.JTrue and <= HlOpcode.JNotEq
            or >= HlOpcode.SetI8 and <= HlOpcode.SetArray);
        if (!writes)
        {
            return (registers, -1);
        }

        var def = registers[0];
        registers.RemoveAt(0);
        if (op.Opcode is HlOpcode.Incr or HlOpcode.Decr)
        {
            registers.Add(def);
        }

        return (registers, def);
    }

    private static IEnumerable<int> Successors(HlOp op, int i)
    {
        var shape = op.Shape;
        for (var k = 0; k < shape.Operands.Length; k++)
        {
            if (shape.Operands[k] == HlOperandKind.Jump)
            {
                yield return HlOp.JumpTarget(i, k switch { 0 => op.P1, 1 => op.P2, 2 => op.P3, _ => op.Extra[k - 3] });
            }
        }

        if (shape.VariableOperand == HlOperandKind.Jump && !op.Extra.IsDefault)
        {
            foreach (var offset in op.Extra)
            {
                yield return HlOp.JumpTarget(i, offset);
            }
        }

        if (op.Opcode is not (HlOpcode.JAlways or HlOpcode.Ret or HlOpcode.Throw or HlOpcode.Rethrow))
        {
            yield return i + 1;
        }
    }
}
