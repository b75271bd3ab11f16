using System.Collections;
using System.Text.RegularExpressions;
using HlSharp.Bytecode;

namespace HlSharp;

/// <summary>
/// The Haxe types of a loaded program (<see cref="HlVm.Types"/>), in the order the program
/// registers them, found by their Haxe path with <see cref="Find"/> or the indexer.
/// <para>
/// What is listed, and where it comes from: the Haxe compiler makes the program's entry register
/// every class, interface and abstract implementation it keeps (<c>Type.initClass(statics,
/// type, "path")</c>) and every enum (<c>Type.initEnum</c>), and give each interface the classes
/// implementing it (<c>__implementedBy__</c>); HlSharp reads those calls from the bytecode. So a
/// type removed by dead-code elimination is absent, and so is an abstract whose members were all
/// inlined (an abstract is listed by its implementation class, <c>pack._Name.Name_Impl_</c>, as
/// <c>pack.Name</c>, with that class's functions, whose first argument is the abstract's value for
/// what Haxe calls instance methods). Typedefs and anonymous structures have no type of their own
/// in HashLink and are never listed.
/// </para>
/// </summary>
public sealed partial class HlTypeCollection : IReadOnlyList<HlTypeInfo>
{
    private readonly List<HlTypeInfo> _types;
    private readonly Dictionary<string, HlTypeInfo> _byPath;

    private HlTypeCollection(List<HlTypeInfo> types)
    {
        _types = types;
        _byPath = new Dictionary<string, HlTypeInfo>(StringComparer.Ordinal);
        foreach (var t in types)
        {
            _byPath.TryAdd(t.Path, t);
        }
    }

    /// <inheritdoc/>
    public int Count => _types.Count;

    /// <inheritdoc/>
    public HlTypeInfo this[int index] => _types[index];

    /// <summary>The type with this Haxe path (<c>game.entities.Player</c>).</summary>
    /// <exception cref="KeyNotFoundException">The program has no such type; the message names a close match when there is one.</exception>
    public HlTypeInfo this[string path] => Get(path);

    /// <summary>The type with this Haxe path (<c>game.entities.Player</c>), or null when the program has none.</summary>
    public HlTypeInfo? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _byPath.GetValueOrDefault(path);
    }

    /// <summary>The type with this Haxe path (<c>game.entities.Player</c>).</summary>
    /// <exception cref="KeyNotFoundException">The program has no such type; the message names a close match when there is one.</exception>
    public HlTypeInfo Get(string path)
    {
        if (Find(path) is { } found)
        {
            return found;
        }

        var message = $"the program has no type '{path}'";
        if (CloseMatch(path) is { } close)
        {
            message += $"; did you mean '{close.Path}'?";
        }

        throw new KeyNotFoundException(message + " (a type the program does not use may have been removed by dead-code elimination)");
    }

    /// <inheritdoc/>
    public IEnumerator<HlTypeInfo> GetEnumerator() => _types.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The type a mistyped path most likely meant: the same name in another package, a different case, or a few letters off.</summary>
    private HlTypeInfo? CloseMatch(string path)
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        return _types.FirstOrDefault(t => string.Equals(t.Path, path, StringComparison.OrdinalIgnoreCase))
            ?? _types.FirstOrDefault(t => t.Name == name)
            ?? _types.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? _types.Select(t => (Type: t, Distance: Math.Min(Distance(t.Path, path), Distance(t.Name, name))))
                .Where(c => c.Distance <= Math.Max(1, name.Length / 3))
                .OrderBy(c => c.Distance)
                .Select(c => c.Type)
                .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    [GeneratedRegex(@"^(?<package>(?:[^.]+\.)*)_(?<module>[^.]+)\.(?<name>[^.]+)_Impl_$")]
    private static partial Regex AbstractImplementation();

    /// <summary>Reads the types the program's entry registers (see the class summary).</summary>
    internal static HlTypeCollection Read(HlCode code)
    {
        var types = new List<HlTypeInfo>();
        var byInstanceType = new Dictionary<HlType, HlTypeInfo>();
        var implementedBy = new List<(HlTypeInfo Interface, List<HlType> Classes)>();
        if (code.GetFunction(code.EntryPoint) is not { } entry)
        {
            return new HlTypeCollection(types);
        }

        // The entry is straight-line registration code: remember what each register was last set
        // to (a type, a string, a new array of types, a registered class object) and read the calls.
        var typeIn = new Dictionary<int, HlType>();
        var stringIn = new Dictionary<int, string>();
        var arrayIn = new Dictionary<int, List<HlType>>();
        var classIn = new Dictionary<int, HlTypeInfo>();
        foreach (var op in entry.Ops)
        {
            switch (op.Opcode)
            {
                // Indices are checked: the operand checks run when a function compiles, and this reads the entry before.
                case HlOpcode.Type when (uint)op.P2 < (uint)code.Types.Length:
                    typeIn[op.P1] = code.Types[op.P2];
                    break;
                case HlOpcode.String when (uint)op.P2 < (uint)code.Strings.Length:
                    stringIn[op.P1] = code.Strings[op.P2];
                    break;
                case HlOpcode.Call2 or HlOpcode.Call3:
                    var args = op.GetCallArguments();
                    if (IsFunction(code, op.P2, "Type", "initClass") && args.Length == 3
                        && typeIn.GetValueOrDefault(args[0]) is HlObjectType statics && typeIn.GetValueOrDefault(args[1]) is { } instance
                        && stringIn.GetValueOrDefault(args[2]) is { } path)
                    {
                        var info = Class(code, statics, instance, path);
                        types.Add(info);
                        byInstanceType.TryAdd(instance, info);
                        classIn[op.P1] = info;
                    }
                    else if (IsFunction(code, op.P2, "Type", "initEnum") && args.Length == 2 && typeIn.GetValueOrDefault(args[1]) is HlEnumType e)
                    {
                        types.Add(Enum(e));
                    }
                    else if ((uint)op.P2 < (uint)code.FunctionIndexCount && code.GetNative(op.P2) is { Library: "std", Name: "alloc_array" })
                    {
                        arrayIn[op.P1] = [];
                    }

                    break;
                case HlOpcode.SetArray when arrayIn.TryGetValue(op.P1, out var array) && typeIn.TryGetValue(op.P3, out var element):
                    array.Add(element);
                    break;
                case HlOpcode.SetField when classIn.TryGetValue(op.P1, out var target) && (uint)op.P1 < (uint)entry.Registers.Length && entry.Registers[op.P1] is HlObjectType owner
                    && HlFieldName(owner, op.P2) == "__implementedBy__" && arrayIn.TryGetValue(op.P3, out var classes):
                    implementedBy.Add((target, classes));
                    break;
            }
        }

        foreach (var info in types)
        {
            if (info.Kind == HlTypeInfoKind.Class && FindInstanceType(byInstanceType, info) is HlObjectType { Super: { } super })
            {
                info.SuperClass = byInstanceType.GetValueOrDefault(super);
            }
        }

        foreach (var (iface, classes) in implementedBy)
        {
            foreach (var type in classes)
            {
                if (byInstanceType.GetValueOrDefault(type) is { } cls && !cls.Interfaces.Contains(iface))
                {
                    cls.Interfaces = [.. cls.Interfaces, iface];
                }
            }
        }

        return new HlTypeCollection(types);
    }

    private static HlType? FindInstanceType(Dictionary<HlType, HlTypeInfo> byInstanceType, HlTypeInfo info) =>
        byInstanceType.FirstOrDefault(p => p.Value == info).Key;

    private static bool IsFunction(HlCode code, int functionIndex, string type, string field) =>
        (uint)functionIndex < (uint)code.FunctionIndexCount && code.GetFunction(functionIndex)?.Owner is { IsStatic: true } owner && owner.TypeName == type && owner.FieldName == field;

    private static string? HlFieldName(HlObjectType type, int fieldIndex) =>
        HlMembers.AllFields(type) is var fields && (uint)fieldIndex < (uint)fields.Count ? fields[fieldIndex].Name : null;

    private static HlTypeInfo Class(HlCode code, HlObjectType statics, HlType instance, string path)
    {
        var fields = new List<HlFieldInfo>();
        var methods = new List<HlMethodInfo>();
        HlTypeInfo info;
        if (instance is HlVirtualType iface)
        {
            info = new HlTypeInfo(HlTypeInfoKind.Interface, path);
            foreach (var f in iface.Fields)
            {
                if (f.Type is HlFunctionType { Kind: HlTypeKind.Method } m)
                {
                    methods.Add(new HlMethodInfo(f.Name, [.. m.Arguments.Select(a => a.ToString())], m.ReturnType.ToString(), isStatic: false));
                }
                else
                {
                    fields.Add(new HlFieldInfo(f.Name, f.Type.ToString(), isStatic: false));
                }
            }
        }
        else
        {
            var match = AbstractImplementation().Match(path);
            var isAbstract = match.Success && match.Groups["module"].Value == match.Groups["name"].Value;
            info = new HlTypeInfo(
                isAbstract ? HlTypeInfoKind.Abstract : HlTypeInfoKind.Class,
                isAbstract ? match.Groups["package"].Value + match.Groups["name"].Value : path);
            if (instance is HlObjectType obj)
            {
                // Unnamed fields hold the virtuals through which the class's interfaces are reached.
                fields.AddRange(obj.Fields.Where(f => f.Name.Length > 0).Select(f => new HlFieldInfo(f.Name, f.Type.ToString(), isStatic: false)));
                foreach (var proto in obj.Protos)
                {
                    if (FunctionType(code, proto.FunctionIndex) is not { } type)
                    {
                        continue;
                    }

                    methods.Add(new HlMethodInfo(proto.Name, [.. type.Arguments.Skip(1).Select(a => a.ToString())], type.ReturnType.ToString(), isStatic: false));
                }
            }
        }

        // Statics are the own fields of the class's statics type; those bound to a function are static functions.
        var all = HlMembers.AllFields(statics);
        var bound = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var b in statics.Bindings.Where(b => (uint)b.FieldIndex < (uint)all.Count))
        {
            bound.TryAdd(all[b.FieldIndex].Name, b.FunctionIndex);
        }

        foreach (var f in statics.Fields)
        {
            if (bound.TryGetValue(f.Name, out var function))
            {
                if (FunctionType(code, function) is { } type)
                {
                    methods.Add(new HlMethodInfo(f.Name, [.. type.Arguments.Select(a => a.ToString())], type.ReturnType.ToString(), isStatic: true));
                }
            }
            else if (f.Name.Length > 0)
            {
                fields.Add(new HlFieldInfo(f.Name, f.Type.ToString(), isStatic: true));
            }
        }

        info.Fields = fields;
        info.Methods = methods;
        return info;
    }

    private static HlFunctionType? FunctionType(HlCode code, int functionIndex) =>
        (uint)functionIndex < (uint)code.FunctionIndexCount && (code.GetFunction(functionIndex) is not null || code.GetNative(functionIndex) is not null)
            ? code.GetFunctionType(functionIndex)
            : null;

    private static HlTypeInfo Enum(HlEnumType e) => new(HlTypeInfoKind.Enum, e.Name)
    {
        EnumConstructors = [.. e.Constructs.Select((c, i) => new HlEnumConstructorInfo(c.Name, i, [.. c.Parameters.Select(p => p.ToString())]))],
    };
}
