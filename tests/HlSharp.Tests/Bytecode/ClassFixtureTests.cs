using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Classes: classes, inheritance, interfaces, statics, a struct.</summary>
public sealed class ClassFixtureTests
{
    private const string Fixture = "Classes";
    private readonly HlCode _code = ReaderFixtures.Load(Fixture);

    [Fact]
    public void Class_fields_and_super_class_are_decoded()
    {
        var point = _code.Class("Point");
        var colorPoint = _code.Class("ColorPoint");

        Assert.Equal(HlTypeKind.Obj, point.Kind);
        Assert.Null(point.Super);
        Assert.Equal(["x:i32", "y:i32"], point.Fields.Select(f => $"{f.Name}:{f.Type}"));
        Assert.Same(point, colorPoint.Super);
        Assert.Equal(["color:String"], colorPoint.Fields.Select(f => $"{f.Name}:{f.Type}"));
    }

    [Fact]
    public void An_overriding_method_takes_the_slot_of_the_method_it_overrides()
    {
        var point = _code.Class("Point");
        var colorPoint = _code.Class("ColorPoint");

        var baseDescribe = Assert.Single(point.Protos, p => p.Name == "describe");
        var overrideDescribe = Assert.Single(colorPoint.Protos);
        Assert.Equal("describe", overrideDescribe.Name);
        Assert.True(baseDescribe.SlotIndex >= 0);
        Assert.Equal(baseDescribe.SlotIndex, overrideDescribe.SlotIndex);
        Assert.Equal("Point.describe", _code.DescribeFunction(baseDescribe.FunctionIndex));
        Assert.Equal("ColorPoint.describe", _code.DescribeFunction(overrideDescribe.FunctionIndex));

        // length2 is never overridden, so Haxe calls it directly and gives it no slot.
        Assert.Equal(-1, Assert.Single(point.Protos, p => p.Name == "length2").SlotIndex);
    }

    [Fact]
    public void Method_signatures_take_the_receiver_first()
    {
        var length2 = _code.Function("Point.length2");
        var constructor = _code.Function("ColorPoint.__constructor__");

        Assert.Equal(HlTypeKind.Fun, length2.Type.Kind);
        Assert.Equal("(Point) -> i32", length2.Type.ToString());
        Assert.Equal("(ColorPoint, i32, i32, String) -> void", constructor.Type.ToString());
        Assert.Same(_code.Class("ColorPoint"), constructor.Registers[0]);
    }

    [Fact]
    public void Field_operands_name_the_fields_the_source_uses()
    {
        var length2 = _code.Function("Point.length2");
        var point = _code.Class("Point");

        var reads = length2.Ops.Where(op => op.Opcode == HlOpcode.GetThis).Select(op => ReaderFixtures.FieldName(point, op.P2));
        Assert.Equal(["x", "x", "y", "y"], reads);

        // ColorPoint's own field comes after the two it inherits.
        var constructor = _code.Function("ColorPoint.__constructor__");
        var set = constructor.Single(HlOpcode.SetThis);
        Assert.Equal(2, set.P1);
        Assert.Equal("color", ReaderFixtures.FieldName(_code.Class("ColorPoint"), set.P1));
    }

    [Fact]
    public void A_constructor_calls_its_super_constructor_with_this()
    {
        var constructor = _code.Function("ColorPoint.__constructor__");

        var first = constructor.Ops[0];
        Assert.Equal("Point.__constructor__", _code.Callee(first));
        Assert.Equal([0, 1, 2], first.GetCallArguments().ToArray());
    }

    [Fact]
    public void New_is_followed_by_a_constructor_call_on_the_new_object()
    {
        var main = _code.Function("Main.main");

        var (newPoint, at) = main.Ops(HlOpcode.New).First(x => main.Registers[x.Op.P1] is HlObjectType { Name: "Point" });
        var call = main.Ops.Skip(at + 1).First(op => op.Opcode is >= HlOpcode.Call0 and <= HlOpcode.CallN);
        Assert.Equal("Point.__constructor__", _code.Callee(call));
        Assert.Equal(newPoint.P1, call.GetCallArguments()[0]);
        Assert.Equal(_code.GetFunctionType(call.P2).Arguments.Count, call.GetCallArguments().Length);
    }

    [Fact]
    public void A_virtual_call_on_a_class_uses_the_method_slot()
    {
        var main = _code.Function("Main.main");
        var point = _code.Class("Point");

        var describeCalls = main.Ops.Where(op => op.Opcode == HlOpcode.CallMethod && main.Registers[op.Extra[0]] is HlObjectType).ToList();
        Assert.NotEmpty(describeCalls);
        foreach (var call in describeCalls)
        {
            var receiver = (HlObjectType)main.Registers[call.Extra[0]];
            Assert.Contains(receiver, new[] { point, _code.Class("ColorPoint") });
            Assert.Equal("describe", ReaderFixtures.ProtoInSlot(receiver, call.P2).Name);
        }
    }

    [Fact]
    public void An_interface_is_a_virtual_and_its_calls_go_through_virtual_fields()
    {
        var totalArea = _code.Function("Main.totalArea");

        var call = totalArea.Single(HlOpcode.CallMethod);
        var shape = Assert.IsType<HlVirtualType>(totalArea.Registers[call.Extra[0]]);
        Assert.Equal(["area", "name"], shape.Fields.Select(f => f.Name).Order());
        Assert.Equal("area", ReaderFixtures.FieldName(shape, call.P2));
        var area = Assert.IsType<HlFunctionType>(shape.Fields[call.P2].Type);
        Assert.Equal(HlTypeKind.Method, area.Kind);
        Assert.Equal(HlTypeKind.F64, area.ReturnType.Kind);

        // The element read from the array becomes the interface view with ToVirtual.
        var toVirtual = totalArea.Single(HlOpcode.ToVirtual);
        Assert.Same(shape, totalArea.Registers[toVirtual.P1]);
        Assert.Equal(HlTypeKind.Dyn, totalArea.Registers[toVirtual.P2].Kind);
    }

    [Fact]
    public void A_struct_class_has_the_struct_kind()
    {
        var pair = _code.Class("Pair");

        Assert.Equal(HlTypeKind.Struct, pair.Kind);
        Assert.Equal(["first:i32", "second:i32"], pair.Fields.Select(f => $"{f.Name}:{f.Type}"));
    }

    [Fact]
    public void Statics_live_in_the_class_object_held_by_a_global()
    {
        var counter = _code.Class("Counter");
        var statics = _code.Class("$Counter");

        Assert.Contains(statics.Fields, f => f.Name == "created" && f.Type.Kind == HlTypeKind.I32);
        Assert.NotNull(counter.GlobalIndex);
        Assert.Same(statics, _code.Globals[counter.GlobalIndex.Value]);
        Assert.Equal("Counter.__constructor__", _code.Function("Counter.__constructor__").Name);
        var constructor = _code.Function("Counter.__constructor__");
        Assert.Contains(constructor.Ops, op => op.Opcode == HlOpcode.GetGlobal && op.P2 == counter.GlobalIndex.Value);
    }

    [Fact]
    public void Debug_positions_point_at_the_source_line()
    {
        var length2 = _code.Function("Point.length2");
        var line = ReaderFixtures.LineOf(Fixture, "return x * x + y * y;");

        Assert.Equal(length2.Ops.Length, length2.Debug.Length);
        Assert.All(length2.Debug, p =>
        {
            Assert.Equal(line, p.Line);
            Assert.Equal("Main.hx", Path.GetFileName(_code.DebugFile(p)));
        });
    }

    [Fact]
    public void Local_variable_names_are_decoded()
    {
        var main = _code.Function("Main.main");

        Assert.Superset(new HashSet<string> { "p", "q", "shapes", "pair", "c" }, main.Assigns.Select(a => a.Name).ToHashSet());
        Assert.All(main.Assigns, a => Assert.InRange(a.Position, -1, main.Ops.Length));
        var totalArea = _code.Function("Main.totalArea");
        Assert.Contains(totalArea.Assigns, a => a.Name == "shapes");
    }
}
