using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Abstracts and tests/fixtures/Reflection.</summary>
public sealed class TypeFixtureTests
{
    [Fact]
    public void Haxe_abstracts_compile_to_their_underlying_type_and_an_implementation_class()
    {
        var code = ReaderFixtures.Load("Abstracts");
        var main = code.Function("Main.main");

        Assert.DoesNotContain(code.Types.OfType<HlObjectType>(), t => t.Name == "Meters");
        var plus = code.Function("_Main.Meters_Impl_.plus");
        Assert.Equal("(f64, f64) -> f64", plus.Type.ToString());
        Assert.Contains(main.Ops, op => op.Opcode == HlOpcode.Call2 && code.Callee(op) == "_Main.Meters_Impl_.plus");
        Assert.Equal("(i32) -> i32", code.Function("_Main.Direction_Impl_.turnRight").Type.ToString());
    }

    [Fact]
    public void A_native_handle_type_is_an_abstract_type()
    {
        var code = ReaderFixtures.Load("Abstracts");

        var handle = Assert.Single(code.Types.OfType<HlAbstractType>(), t => t.Name == "hl_fixture_handle");
        Assert.Equal(HlTypeKind.Abstract, handle.Kind);
        Assert.Contains(code.Class("$Main").Fields, f => f.Name == "handle" && ReferenceEquals(f.Type, handle));
    }

    [Fact]
    public void Static_functions_of_packaged_classes_are_named_after_the_class()
    {
        var code = ReaderFixtures.Load("Reflection");

        Assert.Equal("(dyn) -> ValueType", code.Function("Type.typeof").Type.ToString());
        Assert.Contains(code.Functions, f => f.Name == "hl.types.ArrayDyn.alloc" && f.Owner is { IsStatic: true });
        Assert.DoesNotContain(code.Functions, f => f.Name.Contains('$', StringComparison.Ordinal));
    }

    [Fact]
    public void A_switch_on_a_value_type_has_a_case_per_constructor()
    {
        var code = ReaderFixtures.Load("Reflection");
        var kind = code.Function("Main.kind");

        var typeOf = kind.Ops[0];
        Assert.Equal("Type.typeof", code.Callee(typeOf));
        var valueType = Assert.IsType<HlEnumType>(kind.Registers[typeOf.P1]);
        var (op, _) = Assert.Single(kind.Ops(HlOpcode.Switch));
        Assert.Equal(valueType.Constructs.Count, op.P2);
        Assert.Contains(valueType.Constructs, c => c.Name == "TClass" && c.Parameters.Count == 1);
    }

    [Fact]
    public void Run_time_type_checks_read_the_type_and_its_kind()
    {
        var code = ReaderFixtures.Load("Reflection");
        var typeOf = code.Function("Type.typeof");

        var getType = typeOf.Ops[0];
        Assert.Equal(HlOpcode.GetType, getType.Opcode);
        Assert.Equal(0, getType.P2);
        Assert.Equal(HlTypeKind.Type, typeOf.Registers[getType.P1].Kind);
        var getTid = typeOf.Ops[1];
        Assert.Equal(HlOpcode.GetTID, getTid.Opcode);
        Assert.Equal(getType.P1, getTid.P2);
        Assert.Equal(HlTypeKind.I32, typeOf.Registers[getTid.P1].Kind);
    }

    [Fact]
    public void Type_constants_name_a_type()
    {
        var code = ReaderFixtures.Load("Reflection");
        var main = code.Function("Main.main");

        // Array<Dynamic> literals allocate their storage with the element type as a type constant.
        var loads = main.Ops(HlOpcode.Type).ToList();
        Assert.NotEmpty(loads);
        Assert.All(loads, x => Assert.Equal(HlTypeKind.Type, main.Registers[x.Op.P1].Kind));
        var (load, at) = loads.First(x => code.Types[x.Op.P2].Kind == HlTypeKind.Dyn);
        var alloc = main.Ops.Skip(at + 1).First(op => op.Opcode == HlOpcode.Call2);
        Assert.Equal("std@alloc_array", code.Callee(alloc));
        Assert.Equal(load.P1, alloc.GetCallArguments()[0]);
    }

    [Fact]
    public void Method_calls_on_a_subclass_use_the_slot_declared_by_the_base_class()
    {
        var code = ReaderFixtures.Load("Reflection");
        var main = code.Function("Main.main");
        var animal = code.Class("Animal");
        var dog = code.Class("Dog");

        Assert.Same(animal, dog.Super);
        var calls = main.Ops.Where(op => op.Opcode == HlOpcode.CallMethod && main.Registers[op.Extra[0]] is HlObjectType { Name: "Dog" or "Animal" }).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, op => Assert.Equal("sound", ReaderFixtures.ProtoInSlot(dog, op.P2).Name));
        Assert.Equal(animal.Protos.Single(p => p.Name == "sound").SlotIndex, dog.Protos.Single(p => p.Name == "sound").SlotIndex);
    }
}
