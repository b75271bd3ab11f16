using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

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
/// Hot reload (issue 11): a new version of the program is matched
/// to this module by name (<see cref="ReloadPlanner"/>), each changed and each added body is compiled
/// against this module's tables through the plan's index map (added functions and natives in
/// reserved slots, added types in reserved type cells), and only once all of them compiled are the
/// new strings, globals, functions and method tables published and the slots repointed. A frame
/// already running an old body finishes in it; the next call through the slot runs the new one.
/// </summary>
internal sealed partial class HlModule
{
    private readonly Dictionary<string, int> _reloadedGlobals = new(StringComparer.Ordinal);
    private int _reloads;

    /// <summary>The conversion table host natives a reload binds use (the load's are attached by the VM).</summary>
    public IHostNativeValues? HostNativeValues { get; set; }

    /// <summary>Whether the VM was loaded with <c>HlVmOptions.StrictNatives</c>: a reload adding a native nobody provides is then refused.</summary>
    public bool StrictNatives { get; set; }

    /// <summary>
    /// Makes an added class's class object as <c>Type.initClass</c> does at the start of the entry
    /// (HashLink's std/Type.hx): the statics type allocated (its bindings set), its <c>__type__</c>
    /// and <c>__name__</c>, the class's global, and <c>Type.register</c> so <c>Type.resolveClass</c> finds it.
    /// </summary>
    private void InitAddedClass(HlRuntimeType type, HlRuntimeType statics)
    {
        var obj = Runtime.AllocateObject(statics);
        SetNamed(obj, "__type__", type);
        SetNamed(obj, "__name__", Runtime.MakeString(type.Name));
        SetGlobal(type.GlobalIndex, obj);
        if (MemberFunctions().FirstOrDefault(m => m.Owner is { TypeName: "Type", FieldName: "register", IsStatic: true }) is { Owner: not null } register)
        {
            Invoker(register.FunctionIndex)([HlBytes.FromString(type.Name), obj]);
        }

        void SetNamed(HlInstance target, string name, object value)
        {
            var field = target.Type.FindField(Hashes.Hash(name));
            if (field >= 0 && target.Type.Fields[field].Field is { } clr)
            {
                clr.SetValue(target, value);
            }
        }
    }

    /// <summary>
    /// Builds the run-time types of the plan's new types (structural ones, and classes emitted into
    /// the reload's arena), linked to the module's, and makes them reachable by index.
    /// </summary>
    [RequiresDynamicCode("A hot reload compiles the new code at run time; a precompiled program cannot be reloaded")]
    private void AddTypes(HlCode next, ReloadPlan plan, DynamicCodeArena arena)
    {
        if (plan.NewTypes.Count == 0)
        {
            return;
        }

        var byNext = new HlRuntimeType[next.Types.Length];
        for (var i = 0; i < byNext.Length; i++)
        {
            if (plan.Map.Type(i) < Types.Length)
            {
                byNext[i] = Types[plan.Map.Type(i)];
            }
        }

        var created = plan.NewTypes.Select(t => RuntimeTypeBuilder.Unlinked(next.Types[t.Index])).ToArray();
        for (var k = 0; k < created.Length; k++)
        {
            byNext[plan.NewTypes[k].Index] = created[k];
        }

        for (var k = 0; k < created.Length; k++)
        {
            var source = next.Types[plan.NewTypes[k].Index];
            RuntimeTypeBuilder.LinkAdded(source, created[k], byNext, Hashes);
            // The class or enum value's global (Type.initClass / initEnum store into it), in the module's numbering.
            var global = source switch
            {
                HlObjectType o => o.GlobalIndex,
                HlEnumType e => e.GlobalIndex,
                _ => null,
            };
            if (global is { } index)
            {
                created[k].GlobalIndex = plan.Map.Global(index);
            }
        }

        var classes = created.Where(t => t.Kind is HlTypeKind.Obj or HlTypeKind.Struct).ToList();
        if (classes.Count > 0)
        {
            RuntimeTypeBuilder.BuildAdded(classes, Types, next, plan.Map, byNext, Hashes, arena, plan.Methods);
        }

        AddTypes([.. plan.NewTypes.Select(t => next.Types[t.Index])], created);
    }

    /// <summary>The globals reloads added, by what they hold (<see cref="ReloadPlanner"/>'s key), so a later reload finds them.</summary>
    public IReadOnlyDictionary<string, int> ReloadedGlobals => _reloadedGlobals;

    /// <summary>
    /// Applies a new version of the program, or refuses it whole. The caller guarantees no Haxe code
    /// of this module runs meanwhile (the facade parks every other Haxe thread first: HlVm.ApplyPaused).
    /// </summary>
    /// <param name="next">The new version of the program.</param>
    /// <param name="runInit">
    /// Runs the compiled initialiser of what the reload adds (new statics, <see cref="ReloadInit"/>) on
    /// the calling thread, as the host runs Haxe code; null invokes it directly.
    /// </param>
    [RequiresDynamicCode("A hot reload compiles the new code at run time; a precompiled program cannot be reloaded")]
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
            // Each reload's code goes into assemblies of its own (collectible when the module's
            // are), so a generation every body of which was replaced again can be unloaded.
            var arena = new DynamicCodeArena($"{AssemblyPrefix}{_id}.reload{generation}", Storage, _collectible);

            // Added natives bind first: one nobody provides is refused when the load was strict
            // (StrictNatives), else bound to a thrower, as at load.
            var natives = plan.Added.Where(a => next.GetNative(a.NextIndex) is not null).Select(a => (next.GetNative(a.NextIndex)!, a.LiveIndex)).ToList();
            var missing = new List<string>();
            var adapters = natives.Count > 0 ? Natives.BindAdded(arena, natives, plan.Map, missing) : [];
            if (StrictNatives && missing.Count > 0)
            {
                return ReloadOutcome.RefusedFor([.. missing.Select(m => new ReloadRefusal("native " + m, null, "not available (the VM was loaded with StrictNatives)"))]);
            }

            // Cells for new globals and the new structural types: compiled code holds their
            // addresses. Nothing names them until the slots below are repointed, so a compile
            // failure leaves them unreachable.
            var firstGlobal = Storage.AddGlobals([.. plan.NewGlobals.Select(g => next.Globals[g.Index])]);
            AddTypes(next, plan, arena);
            // The added functions' entries too (their types, names, owners), as the compiler reads
            // them for calls between new code; they have no method and no slot until published.
            var symbols = plan.Added.Count > 0 ? new FunctionSymbols(next) : null;
            foreach (var (live, nextIndex, key) in plan.Added)
            {
                AddFunction(next.GetFunction(nextIndex) is { } body
                    ? new AddedFunction(live, key, symbols!.Name(nextIndex), symbols.FieldName(nextIndex), body.Owner, Types[plan.Map.Type(body.Type.Index)])
                    : new AddedFunction(live, key, next.GetNative(nextIndex)!.ToString(), null, null, Types[plan.Map.Type(next.GetNative(nextIndex)!.Type.Index)]));
            }

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
            var added = new List<(AddedFunction Function, MethodInfo Method, CompiledBody? Body)>();
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

                foreach (var (live, nextIndex, _) in plan.Added)
                {
                    var function = Added(live)!;
                    if (next.GetFunction(nextIndex) is { } body)
                    {
                        var compiler = new FunctionCompiler(this, body, next, plan.Map, live, arena);
                        var method = compiler.Compile();
                        RuntimeHelpers.PrepareMethod(method.MethodHandle);
                        added.Add((function, method, new CompiledBody(live, body, next, plan.Map, compiler.IlOffsets)));
                    }
                    else
                    {
                        added.Add((function, adapters.First(a => a.LiveIndex == live).Adapter, null));
                    }
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

            foreach (var (key, index) in plan.NewTypes.Select((t, i) => (t.Key, plan.Map.Type(t.Index))))
            {
                _addedTypeKeys[key] = index;
            }

            // Added functions before the tables and bodies that reach them: each is findable
            // (its method recorded, then its slot) before any code can call it.
            foreach (var (function, method, body) in added)
            {
                if (body is not null)
                {
                    _functionTypes.AddOrUpdate(method.DeclaringType!, body);
                    Volatile.Write(ref _bodies[function.LiveIndex], body);
                }

                _compiled[function.LiveIndex] = method;
                _addedKeys[function.Key] = function.LiveIndex;
                Volatile.Write(ref _slots[function.LiveIndex], method.MethodHandle.GetFunctionPointer());
            }

            // Method tables of classes that gained methods, each replaced whole.
            foreach (var table in plan.Methods)
            {
                table.Type.Protos = table.Protos;
                table.Type.MethodsByHash = table.MethodsByHash;
                table.Type.VTable = table.VTable;
            }

            // Class objects of the added classes, as the entry's Type.initClass makes them for the
            // program's (static variables' initialisers are the new statics' work, after this).
            var classesAdded = new List<string>();
            foreach (var (index, _) in plan.NewTypes)
            {
                if (next.Types[index] is HlObjectType { GlobalIndex: { } global } newClass && next.Globals[global] is HlObjectType statics)
                {
                    InitAddedClass(Types[plan.Map.Type(index)], Types[plan.Map.Type(statics.Index)]);
                    classesAdded.Add("class " + newClass.Name);
                }
                else if (next.Types[index] is HlEnumType { GlobalIndex: not null } newEnum)
                {
                    // Its value is built by the new entry's Type.initEnum, which the statics' initialiser keeps (ReloadInit).
                    classesAdded.Add("enum " + newEnum.Name);
                }
            }

            foreach (var (live, method, body) in compiled)
            {
                _functionTypes.AddOrUpdate(method.DeclaringType!, body);
                Volatile.Write(ref _bodies[live], body);
                _compiled[live] = method;
                // Invokers call the compiled method directly (not through the slot): drop the old one.
                Volatile.Write(ref _invokers[live], null);
                Volatile.Write(ref _slots[live], method.MethodHandle.GetFunctionPointer());
            }

            // Every field and method table is the new one now: sites forget the shapes they saw
            // (no other Haxe thread runs, so none is between a look-up and caching it).
            Sites.InvalidateAll();

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
                FunctionsAdded: [.. added.Select(a => a.Function.Key)],
                ClosuresChanged: [.. plan.Changed.Where(c => c.Body.Owner is null).Select(c => c.Name)],
                ClassesAdded: classesAdded,
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
