using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Closures: the three closure opcodes and captured environments.</summary>
public sealed class ClosureFixtureTests
{
    private readonly HlCode _code = ReaderFixtures.Load("Closures");

    [Fact]
    public void A_static_function_used_as_a_value_is_a_static_closure()
    {
        var main = _code.Function("Main.main");

        var closure = main.Single(HlOpcode.StaticClosure);
        Assert.Equal("Main.twice", _code.DescribeFunction(closure.P2));
        Assert.Equal("(i32) -> i32", main.Registers[closure.P1].ToString());
    }

    [Fact]
    public void A_final_method_used_as_a_value_is_bound_to_its_object()
    {
        var main = _code.Function("Main.main");

        var closure = Assert.Single(main.Ops, op => op.Opcode == HlOpcode.InstanceClosure && _code.DescribeFunction(op.P2) == "Adder.add");
        Assert.Same(_code.Class("Adder"), main.Registers[closure.P3]);
        Assert.Equal("(i32) -> i32", main.Registers[closure.P1].ToString());
    }

    [Fact]
    public void An_overridable_method_used_as_a_value_is_looked_up_in_the_method_table()
    {
        var main = _code.Function("Main.main");

        var closure = main.Single(HlOpcode.VirtualClosure);
        var receiver = Assert.IsType<HlObjectType>(main.Registers[closure.P2]);
        Assert.Equal("LoudGreeter", receiver.Name);
        Assert.Equal("greet", ReaderFixtures.ProtoInSlot(receiver, closure.P3).Name);
        Assert.Equal("(String) -> String", main.Registers[closure.P1].ToString());
    }

    [Fact]
    public void Calling_a_closure_passes_the_closure_register_and_the_arguments()
    {
        var apply = _code.Function("Main.apply");

        var call = apply.Single(HlOpcode.CallClosure);
        Assert.Equal(0, call.P2);
        Assert.Equal([1], call.GetCallArguments().ToArray());
        Assert.Equal(HlTypeKind.Fun, apply.Registers[call.P2].Kind);
    }

    [Fact]
    public void Captured_variables_are_stored_in_an_environment_the_closure_is_bound_to()
    {
        var makeCounter = _code.Function("Main.makeCounter");

        // The environment is an enum value with one constructor holding the captured variables.
        var (alloc, at) = Assert.Single(makeCounter.Ops(HlOpcode.EnumAlloc));
        var env = Assert.IsType<HlEnumType>(makeCounter.Registers[alloc.P1]);
        var fields = Assert.Single(env.Constructs).Parameters;
        Assert.Equal(0, alloc.P2);

        var stores = makeCounter.Ops(HlOpcode.SetEnumField).Select(x => x.Op).ToList();
        Assert.Equal(fields.Count, stores.Count);
        Assert.All(stores, store =>
        {
            Assert.Equal(alloc.P1, store.P1);
            Assert.Same(fields[store.P2], makeCounter.Registers[store.P3]);
        });

        // "step" is captured as is; "current" is modified by the closure, so it is boxed.
        Assert.Contains(stores, s => s.P3 == 1 && fields[s.P2].Kind == HlTypeKind.I32);

        var bind = makeCounter.Ops.Skip(at).First(op => op.Opcode == HlOpcode.InstanceClosure);
        Assert.Equal(alloc.P1, bind.P3);
        var inner = Assert.IsType<HlFunction>(_code.GetFunction(bind.P2));
        Assert.Same(env, inner.Type.Arguments[0]);
        Assert.Equal("() -> i32", makeCounter.Type.ReturnType.ToString());
        Assert.All(inner.Ops(HlOpcode.EnumField), x =>
        {
            Assert.Equal(0, x.Op.P2);
            Assert.Same(fields[x.Op.Extra[0]], inner.Registers[x.Op.P1]);
        });
    }
}
