using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Dynamics: virtuals, dynamic objects, DynGet/DynSet, constants.</summary>
public sealed class DynamicFixtureTests
{
    private readonly HlCode _code = ReaderFixtures.Load("Dynamics");

    [Fact]
    public void An_anonymous_structure_type_is_a_virtual_with_its_fields()
    {
        var describe = _code.Function("Main.describe");

        var named = Assert.IsType<HlVirtualType>(Assert.Single(describe.Type.Arguments));
        Assert.Equal(["age:i32", "name:String"], named.Fields.Select(f => $"{f.Name}:{f.Type}").Order());
        var reads = describe.Ops(HlOpcode.Field).Select(x => ReaderFixtures.FieldName(describe.Registers[x.Op.P2], x.Op.P3));
        Assert.Equal(["name", "age"], reads);
    }

    [Fact]
    public void A_class_instance_passed_as_a_structure_is_converted_with_ToVirtual()
    {
        var main = _code.Function("Main.main");
        var describe = _code.Function("Main.describe");

        var toVirtual = Assert.Single(main.Ops, op => op.Opcode == HlOpcode.ToVirtual && main.Registers[op.P2] is HlObjectType { Name: "Person" });
        Assert.Same(describe.Type.Arguments[0], main.Registers[toVirtual.P1]);
    }

    [Fact]
    public void An_object_literal_allocates_the_virtual_and_sets_its_fields()
    {
        var main = _code.Function("Main.main");
        var named = _code.Function("Main.describe").Type.Arguments[0];

        var (alloc, at) = main.Ops(HlOpcode.New).First(x => ReferenceEquals(main.Registers[x.Op.P1], named));
        var sets = main.Ops.Skip(at + 1).TakeWhile(op => op.Opcode != HlOpcode.Call1).Where(op => op.Opcode == HlOpcode.SetField).ToList();
        Assert.All(sets, op => Assert.Equal(alloc.P1, op.P1));
        Assert.Equal(["age", "name"], sets.Select(op => ReaderFixtures.FieldName(named, op.P2)).Order());
    }

    [Fact]
    public void Dynamic_field_access_names_the_field_by_string()
    {
        var main = _code.Function("Main.main");

        var sets = main.Ops(HlOpcode.DynSet).Select(x => x.Op).ToList();
        Assert.Equal(["label", "score", "score"], sets.Select(op => _code.Strings[op.P2]).Order());
        Assert.All(sets, op => Assert.Equal(HlTypeKind.DynObj, main.Registers[op.P1].Kind));

        var gets = main.Ops(HlOpcode.DynGet).Select(x => _code.Strings[x.Op.P3]).ToHashSet();
        Assert.Superset(new HashSet<string> { "score", "label", "age" }, gets);
    }

    [Fact]
    public void String_literals_are_globals_initialised_from_constants()
    {
        var main = _code.Function("Main.main");

        // The first statement stores "Ada" into the literal: a global String built from the constants table.
        var load = main.Ops.First(op => op.Opcode == HlOpcode.GetGlobal);
        Assert.Equal("String", ((HlObjectType)_code.Globals[load.P2]).Name);
        var constant = Assert.Single(_code.Constants, c => c.GlobalIndex == load.P2);
        Assert.Equal("Ada", _code.Strings[constant.Fields[0]]);
        Assert.Equal("Ada".Length, _code.Ints[constant.Fields[1]]);
    }
}
