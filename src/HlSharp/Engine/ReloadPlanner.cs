using System.Globalization;
using System.Text;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>What a reload would do, worked out without touching the running module.</summary>
/// <param name="Next">The new version of the program.</param>
/// <param name="Map">Sends every index of the new bytecode to the module's.</param>
/// <param name="Changed">Module function index, the new body and its name (closures: <c>Main.make (static)~0</c>), for each function whose body differs.</param>
/// <param name="NewStrings">String constants the new bytecode has and the module has not, in the order they take module indices.</param>
/// <param name="NewGlobals">Globals of the new bytecode the module has not (new string literals, mostly), in module index order.</param>
/// <param name="Refused">Why the reload cannot be applied, one line per type or member; empty when it can.</param>
internal sealed record ReloadPlan(
    HlCode Next,
    CodeIndexMap Map,
    IReadOnlyList<(int LiveIndex, HlFunction Body, string Name)> Changed,
    IReadOnlyList<string> NewStrings,
    IReadOnlyList<(int Index, string Key)> NewGlobals,
    IReadOnlyList<string> Refused);

/// <summary>
/// Matches a new version of a program to the running one by name, never by index: types by name
/// (structural types by what they are made of), globals by the class or enum they hold or the
/// constant they are built from, functions by owner type and field name, closures by the function
/// that creates them and the order it does so, natives by library and name, strings by content.
/// A body counts as changed when an operation differs once every index it names is mapped.
/// The spike applies changed bodies, new strings and new constant globals; it refuses (as a whole)
/// what it cannot do yet: added or changed classes and enums, added functions and natives, new
/// structural types, changed signatures.
/// </summary>
internal sealed class ReloadPlanner
{
    private readonly HlModule _module;
    private readonly HlCode _live;
    private readonly HlCode _next;
    private readonly List<string> _refused = [];

    private ReloadPlanner(HlModule module, HlCode next)
    {
        _module = module;
        _live = module.Code;
        _next = next;
    }

    public static ReloadPlan Plan(HlModule module, HlCode next) => new ReloadPlanner(module, next).Plan();

    private ReloadPlan Plan()
    {
        var types = MapTypes();
        CheckNamedTypes(types);
        var (strings, newStrings) = MapStrings();
        var bytes = MapBytes();
        var nextKeys = FunctionKeys(_next);
        var functions = MapFunctions(nextKeys);
        var (globals, newGlobals) = MapGlobals(types);
        var map = CodeIndexMap.From(types, globals, functions, strings, bytes);
        var changed = new List<(int, HlFunction, string)>();
        foreach (var f2 in _next.Functions)
        {
            var live = functions[f2.Index];
            if (live < 0 || _module.Body(live) is not { } current)
            {
                continue;
            }

            if (types[f2.Type.Index] != current.Map.Type(current.Function.Type.Index))
            {
                _refused.Add($"{f2.Name}: signature changed from {current.Function.Type} to {f2.Type}");
            }
            else if (f2.Index != _next.EntryPoint && !SameBody(current, f2, map))
            {
                // The entry (static initialisation, then main) never runs again: statics keep their values.
                changed.Add((live, f2, nextKeys[f2.Index]));
            }
        }

        return new ReloadPlan(_next, map, changed, newStrings, newGlobals, _refused);
    }

    // ---- types ----

    private int[] MapTypes()
    {
        var liveKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in _live.Types)
        {
            liveKeys.TryAdd(TypeKey(t, 0), t.Index);
        }

        var map = new int[_next.Types.Length];
        foreach (var t in _next.Types)
        {
            if (liveKeys.TryGetValue(TypeKey(t, 0), out var live))
            {
                map[t.Index] = live;
                continue;
            }

            map[t.Index] = -1;
            _refused.Add(t switch
            {
                HlObjectType o => $"class {o.Name}: added (the spike adds no classes)",
                HlEnumType e => $"enum {e.Name}: added (the spike adds no enums)",
                _ => $"type {t}: new (the spike adds no types)",
            });
        }

        return map;
    }

    /// <summary>What a type is across versions: its name when it has one, else what it is made of.</summary>
    private static string TypeKey(HlType type, int depth)
    {
        if (depth > 8)
        {
            return "?";
        }

        return type switch
        {
            HlObjectType o => $"{o.Kind}:{o.Name}",
            // A closure's captured variables are an enum with no global (and no real name): it is what it holds.
            HlEnumType { GlobalIndex: null } e => $"enum:{e.Name}{{{string.Join("|", e.Constructs.Select(c => c.Name + "(" + string.Join(",", c.Parameters.Select(p => TypeKey(p, depth + 1))) + ")"))}}}",
            HlEnumType e => $"enum:{e.Name}",
            HlAbstractType a => $"abstract:{a.Name}",
            HlFunctionType f => $"{f.Kind}({string.Join(",", f.Arguments.Select(a => TypeKey(a, depth + 1)))}):{TypeKey(f.ReturnType, depth + 1)}",
            HlWrapperType w => $"{w.Kind}<{TypeKey(w.Inner, depth + 1)}>",
            HlVirtualType v => $"virtual{{{string.Join(",", v.Fields.Select(f => f.Name + ":" + TypeKey(f.Type, depth + 1)))}}}",
            _ => type.Kind.ToString(),
        };
    }

    /// <summary>Refuses a class or enum whose layout changed: compiled code and live objects depend on it.</summary>
    private void CheckNamedTypes(int[] types)
    {
        foreach (var t2 in _next.Types)
        {
            if (types[t2.Index] < 0)
            {
                continue;
            }

            var t1 = _live.Types[types[t2.Index]];
            switch ((t1, t2))
            {
                case (HlObjectType o1, HlObjectType o2):
                    if (o1.Super?.Name != o2.Super?.Name)
                    {
                        _refused.Add($"class {o2.Name}: super class changed from {o1.Super?.Name ?? "none"} to {o2.Super?.Name ?? "none"}");
                    }

                    if (!SameFields(o1.Fields, o2.Fields, types))
                    {
                        _refused.Add($"class {o2.Name}: fields changed ({Fields(o1.Fields)} -> {Fields(o2.Fields)}; the spike keeps layouts)");
                    }

                    if (!o1.Protos.Select(p => (p.Name, p.SlotIndex)).SequenceEqual(o2.Protos.Select(p => (p.Name, p.SlotIndex))))
                    {
                        _refused.Add($"class {o2.Name}: methods changed ({string.Join(",", o1.Protos.Select(p => p.Name))} -> {string.Join(",", o2.Protos.Select(p => p.Name))})");
                    }

                    break;
                case (HlEnumType e1, HlEnumType e2):
                    var same = e1.Constructs.Count == e2.Constructs.Count && e1.Constructs.Zip(e2.Constructs).All(c =>
                        c.First.Name == c.Second.Name && SameTypes(c.First.Parameters, c.Second.Parameters, types));
                    if (!same)
                    {
                        _refused.Add($"enum {e2.Name}: constructors changed");
                    }

                    break;
            }
        }
    }

    private static bool SameFields(IReadOnlyList<HlField> a, IReadOnlyList<HlField> b, int[] types) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && types[p.Second.Type.Index] == p.First.Type.Index);

    private static bool SameTypes(IReadOnlyList<HlType> a, IReadOnlyList<HlType> b, int[] types) =>
        a.Count == b.Count && a.Zip(b).All(p => types[p.Second.Index] == p.First.Index);

    private static string Fields(IReadOnlyList<HlField> fields) => string.Join(",", fields.Select(f => f.Name));

    // ---- constants ----

    private (int[] Map, List<string> Added) MapStrings()
    {
        var live = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _module.StringCount; i++)
        {
            live.TryAdd(_module.StringText(i), i);
        }

        var added = new List<string>();
        var map = new int[_next.Strings.Length];
        for (var i = 0; i < map.Length; i++)
        {
            var text = _next.Strings[i];
            if (!live.TryGetValue(text, out var index))
            {
                index = _module.StringCount + added.Count;
                live[text] = index;
                added.Add(text);
            }

            map[i] = index;
        }

        return (map, added);
    }

    private int[] MapBytes()
    {
        var map = new int[_next.BytesCount];
        for (var i = 0; i < map.Length; i++)
        {
            var found = -1;
            for (var j = 0; j < _live.BytesCount && found < 0; j++)
            {
                found = _live.GetBytes(j).Span.SequenceEqual(_next.GetBytes(i).Span) ? j : -1;
            }

            map[i] = found;
            if (found < 0)
            {
                _refused.Add($"bytes constant {i}: new (the spike adds no version 5 bytes constants)");
            }
        }

        return map;
    }

    // ---- functions ----

    private int[] MapFunctions(Dictionary<int, string> next)
    {
        var live = FunctionKeys(_live).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var map = new int[_next.FunctionIndexCount];
        Array.Fill(map, -1);
        foreach (var (index, key) in next)
        {
            if (live.TryGetValue(key, out var found))
            {
                map[index] = found;
            }
            else if (_next.GetNative(index) is { } native)
            {
                _refused.Add($"native {native}: added (the spike binds no new natives)");
            }
            else
            {
                _refused.Add($"{key}: added (the spike adds no functions)");
            }
        }

        return map;
    }

    /// <summary>
    /// A name for each function index that does not depend on indices: natives by library and name,
    /// members by owner and field, the entry as such, and a closure (a function nobody owns) by the
    /// function that first creates it and how many closures that function created before it.
    /// </summary>
    private static Dictionary<int, string> FunctionKeys(HlCode code)
    {
        var keys = new Dictionary<int, string>();
        foreach (var native in code.Natives)
        {
            keys[native.Index] = $"native {native.Library}@{native.Name}";
        }

        var pending = new Queue<HlFunction>();
        foreach (var f in code.Functions)
        {
            if (f.Owner is { } owner)
            {
                keys[f.Index] = $"{owner.TypeName}.{owner.FieldName}{(owner.IsStatic ? " (static)" : string.Empty)}";
                pending.Enqueue(f);
            }
            else if (f.Index == code.EntryPoint)
            {
                keys[f.Index] = "(entry)";
                pending.Enqueue(f);
            }
        }

        while (pending.TryDequeue(out var parent))
        {
            var made = 0;
            foreach (var op in parent.Ops)
            {
                if (op.Opcode is HlOpcode.StaticClosure or HlOpcode.InstanceClosure
                    && code.GetFunction(op.P2) is { Owner: null } closure && !keys.ContainsKey(closure.Index))
                {
                    keys[closure.Index] = $"{keys[parent.Index]}~{made++}";
                    pending.Enqueue(closure);
                }
            }
        }

        foreach (var f in code.Functions)
        {
            keys.TryAdd(f.Index, $"(unreached function {f.Index})");
        }

        // A key met twice (a native the program declares twice) is told apart by its rank, in index order.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var index in keys.Keys.Order().ToList())
        {
            var rank = seen[keys[index]] = seen.GetValueOrDefault(keys[index]) + 1;
            if (rank > 1)
            {
                keys[index] += $" #{rank}";
            }
        }

        return keys;
    }

    // ---- globals ----

    private (int[] Map, List<(int, string)> Added) MapGlobals(int[] types)
    {
        // The program's globals, then those earlier reloads added (under the keys they were added with).
        var live = new Dictionary<string, int>(StringComparer.Ordinal);
        var liveNames = new GlobalNames(_live);
        for (var i = 0; i < _live.Globals.Length; i++)
        {
            live.TryAdd(liveNames.Key(i), i);
        }

        foreach (var (key, index) in _module.ReloadedGlobals)
        {
            live.TryAdd(key, index);
        }

        var map = new int[_next.Globals.Length];
        var added = new List<(int, string)>();
        var nextNames = new GlobalNames(_next);
        for (var i = 0; i < map.Length; i++)
        {
            var key = nextNames.Key(i);
            if (live.TryGetValue(key, out var found))
            {
                map[i] = found;
                continue;
            }

            if (types[_next.Globals[i].Index] < 0)
            {
                map[i] = -1;
                continue;
            }

            map[i] = _module.Storage.GlobalCount + added.Count;
            added.Add((i, key));
        }

        return (map, added);
    }

    /// <summary>Names each global by what it holds: a class or enum value, a constant (by its field values), or its type and rank among the rest.</summary>
    private sealed class GlobalNames
    {
        private readonly HlCode _code;
        private readonly Dictionary<int, string> _holders = [];
        private readonly Dictionary<int, HlConstant> _constants = [];

        public GlobalNames(HlCode code)
        {
            _code = code;
            foreach (var type in code.Types)
            {
                switch (type)
                {
                    case HlObjectType { GlobalIndex: { } g } o:
                        _holders.TryAdd(g, "class " + o.Name);
                        break;
                    case HlEnumType { GlobalIndex: { } e } en:
                        _holders.TryAdd(e, "enum " + en.Name);
                        break;
                }
            }

            foreach (var constant in code.Constants)
            {
                _constants.TryAdd(constant.GlobalIndex, constant);
            }
        }

        public string Key(int index)
        {
            if (_holders.TryGetValue(index, out var holder))
            {
                return holder;
            }

            var global = _code.Globals[index];
            if (_constants.TryGetValue(index, out var constant) && global is HlObjectType obj)
            {
                var b = new StringBuilder("constant ").Append(obj.Name).Append('{');
                for (var i = 0; i < constant.Fields.Length && i < obj.Fields.Count; i++)
                {
                    var value = constant.Fields[i];
                    b.Append(obj.Fields[i].Type.Kind switch
                    {
                        HlTypeKind.I32 => _code.Ints[value].ToString(CultureInfo.InvariantCulture),
                        HlTypeKind.F64 => _code.Floats[value].ToString("R", CultureInfo.InvariantCulture),
                        HlTypeKind.Bytes => _code.Strings[value],
                        HlTypeKind.Bool => value.ToString(CultureInfo.InvariantCulture),
                        _ => "g" + value.ToString(CultureInfo.InvariantCulture),
                    }).Append(';');
                }

                return b.Append('}').ToString();
            }

            // Neither: by type and rank (the spike has met none in Haxe 4.2.5 output; see HOT-RELOAD.md).
            var rank = 0;
            for (var i = 0; i < index; i++)
            {
                rank += _code.Globals[i] == global ? 1 : 0;
            }

            return $"global {TypeKey(global, 0)} #{rank}";
        }
    }

    // ---- bodies ----

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
