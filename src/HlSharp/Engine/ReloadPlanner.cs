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
/// <param name="Added">Functions and natives of the new version the module has not, each with the reserved slot it takes (<see cref="CodeIndexMap.Function"/> sends the new index there).</param>
/// <param name="NewTypes">Types of the new version the module has not (structural ones: function types, virtuals, closure environments), by the new version's index, in the order they take module indices.</param>
/// <param name="Methods">Classes whose method tables change (added methods, added overrides), with their new tables.</param>
/// <param name="Fields">Fields added to existing classes (instance fields and statics), their live indices and bindings.</param>
internal sealed record ReloadPlan(
    HlCode Next,
    CodeIndexMap Map,
    IReadOnlyList<(int LiveIndex, HlFunction Body, string Name)> Changed,
    IReadOnlyList<string> NewStrings,
    IReadOnlyList<(int Index, string Key)> NewGlobals,
    IReadOnlyList<ReloadRefusal> Refused,
    IReadOnlyList<(int LiveIndex, int NextIndex, string Key)> Added,
    IReadOnlyList<(int Index, string Key)> NewTypes,
    IReadOnlyList<MethodTablePlan> Methods,
    ReloadFieldPlan? Fields = null);

/// <summary>
/// Matches a new version of a program to the running one by name, never by index: types by name
/// (structural types by what they are made of), globals by the class or enum they hold or the
/// constant they are built from, functions by owner type and field name, closures by the function
/// that creates them and the order it does so, natives by library and name, strings by content.
/// A body counts as changed when an operation differs once every index it names is mapped.
/// It applies changed bodies, new strings and new constant globals, added functions, closures,
/// natives and methods (in reserved slots), and new structural types; it refuses (as a whole) what
/// it cannot do: added or changed classes and enums, removed or reordered methods, changed signatures.
/// </summary>
internal sealed partial class ReloadPlanner
{
    private readonly HlModule _module;
    private readonly HlCode _live;
    private readonly HlCode _next;
    private readonly List<ReloadRefusal> _refused = [];

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
        var fields = PlanFields(types, functions);
        var map = CodeIndexMap.From(types, globals, functions, strings, bytes, fields.Map, fields.FieldLists.ToDictionary(l => l.Type, l => l.Fields));
        var methods = PlanMethods(types, functions, map);
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
                _refused.Add(ReloadRefusal.Of(nextKeys[f2.Index], $"signature changed from {current.Function.Type} to {f2.Type}"));
            }
            else if (f2.Index != _next.EntryPoint && !SameBody(current, f2, map))
            {
                // The entry (static initialisation, then main) never runs again: statics keep their values.
                changed.Add((live, f2, nextKeys[f2.Index]));
            }
        }

        return new ReloadPlan(_next, map, changed, newStrings, newGlobals, _refused, _added, _newTypes, methods, fields);
    }
}
