using System.Reflection;
using System.Runtime.CompilerServices;
using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>What a reload did, or why it did nothing.</summary>
/// <param name="FunctionsChanged">Members whose bodies were replaced, by reload key (<c>Main.answer (static)</c>).</param>
/// <param name="FunctionsAdded">Functions the new version brought (methods, static functions, their closures), by reload key.</param>
/// <param name="ClosuresChanged">Closures whose bodies were replaced, by their creator's key and rank (<c>Main.make (static)~0</c>).</param>
/// <param name="ClassesAdded">Classes and enums the new version brought (<c>class Extra</c>, <c>enum Color</c>).</param>
/// <param name="StaticsAdded">Static variables added to existing classes, initialised (<c>Main.bonus</c>).</param>
/// <param name="FieldsAdded">Instance fields added to existing classes (<c>Player.shield</c>).</param>
/// <param name="StringsAdded">String constants the new version brought.</param>
/// <param name="GlobalsAdded">Globals the new version brought (string literals, mostly), initialised.</param>
/// <param name="Refused">Why the reload was refused, one per type or member; empty when it was applied.</param>
internal sealed record ReloadOutcome(
    IReadOnlyList<string> FunctionsChanged,
    IReadOnlyList<string> FunctionsAdded,
    IReadOnlyList<string> ClosuresChanged,
    IReadOnlyList<string> ClassesAdded,
    IReadOnlyList<string> StaticsAdded,
    IReadOnlyList<string> FieldsAdded,
    int StringsAdded,
    int GlobalsAdded,
    IReadOnlyList<ReloadRefusal> Refused)
{
    public bool Applied => Refused.Count == 0;

    /// <summary>A reload that changed nothing, for these reasons.</summary>
    public static ReloadOutcome RefusedFor(IReadOnlyList<ReloadRefusal> reasons) => new([], [], [], [], [], [], 0, 0, reasons);
}

/// <summary>
/// Hot reload of function bodies (the spike of issue 11): a new version of the program is matched
/// to this module by name (<see cref="ReloadPlanner"/>), each changed body is compiled against this
/// module's tables through the plan's index map, and only once all of them compiled are the new
/// strings and globals published and the slots repointed. A frame already running an old body
/// finishes in it; the next call through the slot runs the new one.
/// </summary>
internal sealed partial class HlModule
{
    private readonly Dictionary<string, int> _reloadedGlobals = new(StringComparer.Ordinal);
    private int _reloads;

    /// <summary>The globals reloads added, by what they hold (<see cref="ReloadPlanner"/>'s key), so a later reload finds them.</summary>
    public IReadOnlyDictionary<string, int> ReloadedGlobals => _reloadedGlobals;

    /// <summary>
    /// Applies a new version of the program, or refuses it whole. The caller guarantees no Haxe code
    /// of this module runs meanwhile (between host calls; pausing running threads is not in the spike).
    /// </summary>
    /// <param name="next">The new version of the program.</param>
    /// <param name="runInit">
    /// Runs the compiled initialiser of what the reload adds (new statics, <see cref="ReloadInit"/>) on
    /// the calling thread, as the host runs Haxe code; null invokes it directly.
    /// </param>
    public ReloadOutcome Reload(HlCode next, Action<MethodInfo>? runInit = null)
    {
        lock (_compileLock)
        {
            var plan = ReloadPlanner.Plan(this, next);
            if (plan.Refused.Count > 0)
            {
                return ReloadOutcome.RefusedFor(plan.Refused);
            }

            var fields = plan.Fields!;
            var initRefused = new List<ReloadRefusal>();
            var initDropped = ReloadInit.Plan(this, next, plan.Map, fields, initRefused);
            if (initRefused.Count > 0)
            {
                return ReloadOutcome.RefusedFor(initRefused);
            }

            var generation = ++_reloads;
            // Cells for new globals first: compiled code holds their addresses. Nothing names them
            // until the slots below are repointed, so a compile failure leaves them unreachable.
            var firstGlobal = Storage.AddGlobals([.. plan.NewGlobals.Select(g => next.Globals[g.Index])]);

            // Each reload's code goes into assemblies of its own (collectible when the module's
            // are), so a generation every body of which was replaced again can be unloaded.
            var arena = new DynamicCodeArena($"{AssemblyPrefix}{_id}.reload{generation}", Storage, _collectible);
            // Added fields whose type this reload adds (an added static function's): the type exists now.
            foreach (var (field, nextType) in fields.PendingTypes)
            {
                if ((uint)plan.Map.Type(nextType) >= (uint)Types.Length)
                {
                    return ReloadOutcome.RefusedFor([ReloadRefusal.Whole($"type {next.Types[nextType]}", $"the type of the added field {field.Name} is not available")]);
                }

                field.Type = Types[plan.Map.Type(nextType)];
            }

            var compiled = new List<(int LiveIndex, MethodInfo Method, CompiledBody Body)>();
            MethodInfo? init = null;
            try
            {
                foreach (var (live, body, _) in plan.Changed)
                {
                    var compiler = new FunctionCompiler(this, body, next, plan.Map, live, arena);
                    var method = compiler.Compile();
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    compiled.Add((live, method, new CompiledBody(live, body, next, plan.Map, compiler.IlOffsets)));
                }

                if (initDropped is not null)
                {
                    init = new FunctionCompiler(this, next.GetFunction(next.EntryPoint)!, next, plan.Map, Code.EntryPoint, arena) { Dropped = initDropped }.Compile();
                    RuntimeHelpers.PrepareMethod(init.MethodHandle);
                }
            }
            catch (Exception e) when (e is HlCompileException or InvalidProgramException)
            {
                return ReloadOutcome.RefusedFor([ReloadRefusal.Whole("compilation", e.Message)]);
            }

            // Publish: the added fields first (new code uses them; old code never names them), the
            // new globals' names, strings, then the new constants (they read strings), then the slots.
            PublishFields(fields);

            for (var i = 0; i < plan.NewGlobals.Count; i++)
            {
                _reloadedGlobals[plan.NewGlobals[i].Key] = firstGlobal + i;
            }

            Volatile.Write(ref _strings, _strings.Append(plan.NewStrings));
            foreach (var constant in next.Constants)
            {
                if (plan.NewGlobals.Any(g => g.Index == constant.GlobalIndex))
                {
                    InitConstant(next, plan.Map, constant);
                }
            }

            foreach (var (live, method, body) in compiled)
            {
                _functionTypes.AddOrUpdate(method.DeclaringType!, body);
                Volatile.Write(ref _bodies[live], body);
                _compiled[live] = method;
                // Invokers call the compiled method directly (not through the slot): drop the old one.
                _invokers.TryRemove(live, out _);
                Volatile.Write(ref _slots[live], method.MethodHandle.GetFunctionPointer());
            }

            // The one object of each class whose bindings grew gets the new static functions' values.
            foreach (var (type, bindings) in fields.Bindings)
            {
                if (fields.ClassObjects.TryGetValue(type, out var global) && GetGlobal(global) is HlSharp.Runtime.HlInstance classObject)
                {
                    foreach (var binding in bindings.Where(b => fields.IsAdded(b.Field)))
                    {
                        Runtime.SetBinding(classObject, binding);
                    }
                }
            }

            // Last, with every new body in place: the initialisers of the new statics.
            if (init is not null)
            {
                (runInit ?? (m => m.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [], null)))(init);
            }

            var boundFields = fields.Bindings.SelectMany(b => b.Bindings).Select(b => b.Field).ToHashSet();
            return new ReloadOutcome(
                FunctionsChanged: [.. plan.Changed.Where(c => c.Body.Owner is not null).Select(c => c.Name)],
                FunctionsAdded: [],
                ClosuresChanged: [.. plan.Changed.Where(c => c.Body.Owner is null).Select(c => c.Name)],
                ClassesAdded: [],
                StaticsAdded: [.. fields.Added.Where(a => a.IsStatic && !boundFields.Contains(a.Field)).Select(a => $"{ReloadPlanner.ClassOfObject(a.Owner.Name)}.{a.Name}")],
                FieldsAdded: [.. fields.Added.Where(a => !a.IsStatic).Select(a => $"{a.Owner.Name}.{a.Name}")],
                StringsAdded: plan.NewStrings.Count,
                GlobalsAdded: plan.NewGlobals.Count,
                Refused: []);
        }
    }

    /// <summary>Gives live classes the fields a reload adds: slot counts, then field lists and bindings, each replaced whole.</summary>
    private static void PublishFields(ReloadFieldPlan fields)
    {
        foreach (var (root, slots) in fields.Slots)
        {
            root.AddedSlots = slots;
        }

        foreach (var (type, list) in fields.FieldLists)
        {
            type.Fields = list;
        }

        foreach (var (type, bindings) in fields.Bindings)
        {
            type.Bindings = bindings;
        }
    }
}
