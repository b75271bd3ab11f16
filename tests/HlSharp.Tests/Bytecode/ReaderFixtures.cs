using System.Collections.Concurrent;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Bytecode;

/// <summary>
/// The Haxe programs written for the reader tests (one per area under <c>tests/fixtures</c>), read
/// once per test run, and helpers that find things in them by the names the Haxe source uses.
/// </summary>
internal static class ReaderFixtures
{
    /// <summary>Every fixture written for the reader; together they make Haxe emit every type kind and opcode it can.</summary>
    public static readonly string[] All =
    [
        "Hello", "Classes", "Enums", "Closures", "Dynamics", "Abstracts", "Exceptions",
        "Numbers", "Bytes", "Collections", "Threads", "Reflection",
    ];

    private static readonly ConcurrentDictionary<string, Lazy<HlCode>> Codes = new();

    public static TheoryData<string> Names => [.. All];

    public static HlCode Load(string fixture) =>
        Codes.GetOrAdd(fixture, name => new Lazy<HlCode>(() => HlCode.ReadFile(HaxeFixtures.Compile(name)))).Value;

    /// <summary>The 1-based line of the fixture's Main.hx holding <paramref name="snippet"/>, which must occur on exactly one line.</summary>
    public static int LineOf(string fixture, string snippet)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Fixtures, fixture, "Main.hx"));
        var found = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(snippet, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"'{snippet}' should be on exactly one line of {fixture}/Main.hx, found {found.Count}");
        return found[0] + 1;
    }

    public static HlFunction Function(this HlCode code, string name) => Assert.Single(code.Functions, f => f.Name == name);

    public static HlObjectType Class(this HlCode code, string name) =>
        Assert.Single(code.Types.OfType<HlObjectType>(), t => t.Name == name);

    public static HlEnumType Enum(this HlCode code, string name) =>
        Assert.Single(code.Types.OfType<HlEnumType>(), t => t.Name == name);

    public static IEnumerable<(HlOp Op, int Index)> Ops(this HlFunction function, HlOpcode opcode) =>
        function.Ops.Select((op, i) => (op, i)).Where(x => x.op.Opcode == opcode);

    public static HlOp Single(this HlFunction function, HlOpcode opcode) => Assert.Single(function.Ops, op => op.Opcode == opcode);

    /// <summary>Names a field operand the way HashLink resolves it: objects count the fields of their super classes first.</summary>
    public static string FieldName(HlType owner, int fieldIndex) => owner switch
    {
        HlObjectType obj => HlFunctionOwners.AllFieldNames(obj)[fieldIndex],
        HlVirtualType virt => virt.Fields[fieldIndex].Name,
        _ => throw new ArgumentException($"{owner} has no fields", nameof(owner)),
    };

    /// <summary>The method that a CallMethod/VirtualClosure slot names on an object type: the proto with that slot, looked up from the class upwards.</summary>
    public static HlProto ProtoInSlot(HlObjectType obj, int slot)
    {
        for (HlObjectType? t = obj; t is not null; t = t.Super)
        {
            if (t.Protos.FirstOrDefault(p => p.SlotIndex == slot) is { } proto)
            {
                return proto;
            }
        }

        throw new ArgumentException($"{obj.Name} has no method in slot {slot}", nameof(slot));
    }

    /// <summary>The name of the function a call operation calls.</summary>
    public static string Callee(this HlCode code, HlOp call) => code.DescribeFunction(call.P2);

    public static string DebugFile(this HlCode code, HlDebugPosition position) => code.DebugFiles[position.FileIndex];
}
