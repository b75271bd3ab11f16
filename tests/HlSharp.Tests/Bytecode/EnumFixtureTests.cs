using HlSharp.Bytecode;

namespace HlSharp.Tests.Bytecode;

/// <summary>What the reader decodes from tests/fixtures/Enums: enum types, MakeEnum, EnumIndex, EnumField and Switch.</summary>
public sealed class EnumFixtureTests
{
    private const string Fixture = "Enums";
    private readonly HlCode _code = ReaderFixtures.Load(Fixture);

    [Fact]
    public void Constructors_and_their_parameter_types_are_decoded()
    {
        var color = _code.Enum("Color");

        Assert.Equal(["Red", "Green", "Blue", "Rgb"], color.Constructs.Select(c => c.Name));
        Assert.All(color.Constructs.Take(3), c => Assert.Empty(c.Parameters));
        Assert.Equal([HlTypeKind.I32, HlTypeKind.I32, HlTypeKind.I32], color.Constructs[3].Parameters.Select(p => p.Kind));
        Assert.NotNull(color.GlobalIndex);
    }

    [Fact]
    public void A_recursive_enum_refers_to_itself()
    {
        var tree = _code.Enum("Tree");

        Assert.Equal(["Leaf", "Node"], tree.Constructs.Select(c => c.Name));
        var node = tree.Constructs[1].Parameters;
        Assert.Same(tree, node[0]);
        Assert.Equal(HlTypeKind.I32, node[1].Kind);
        Assert.Same(tree, node[2]);
    }

    [Fact]
    public void MakeEnum_builds_a_constructor_from_registers_of_its_parameter_types()
    {
        var insert = _code.Function("Main.insert");
        var tree = _code.Enum("Tree");

        var makes = insert.Ops(HlOpcode.MakeEnum).Select(x => x.Op).ToList();
        Assert.Equal(3, makes.Count); // Node(Leaf, v, Leaf) and the two rebuilt nodes
        foreach (var make in makes)
        {
            Assert.Same(tree, insert.Registers[make.P1]);
            var construct = tree.Constructs[make.P2];
            Assert.Equal("Node", construct.Name);
            Assert.Equal(construct.Parameters, make.GetCallArguments().Select(r => insert.Registers[r]));
        }
    }

    [Fact]
    public void EnumField_reads_each_argument_of_the_matched_constructor()
    {
        var insert = _code.Function("Main.insert");
        var tree = _code.Enum("Tree");

        var reads = insert.Ops(HlOpcode.EnumField).Select(x => x.Op).ToList();
        Assert.Equal([0, 1, 2], reads.Select(op => op.Extra[0]));
        Assert.All(reads, op =>
        {
            Assert.Same(tree, insert.Registers[op.P2]);
            Assert.Equal("Node", tree.Constructs[op.P3].Name);
            Assert.Same(tree.Constructs[op.P3].Parameters[op.Extra[0]], insert.Registers[op.P1]);
        });
    }

    [Fact]
    public void A_switch_on_an_enum_has_a_case_per_constructor_landing_on_its_source_line()
    {
        var show = _code.Function("Main.show");
        var token = _code.Enum("Token");

        var (op, at) = Assert.Single(show.Ops(HlOpcode.Switch));
        var index = show.Ops[at - 1];
        Assert.Equal(HlOpcode.EnumIndex, index.Opcode);
        Assert.Equal(index.P1, op.P1);
        Assert.Same(token, show.Registers[index.P2]);

        Assert.Equal(token.Constructs.Count, op.P2);
        Assert.Equal(op.P2, op.Extra.Length);
        for (var i = 0; i < token.Constructs.Count; i++)
        {
            var construct = token.Constructs[i];
            var target = HlOp.JumpTarget(at, op.Extra[i]);
            var pattern = "case " + construct.Name + (construct.Parameters.Count > 0 ? "(" : ":");
            Assert.Equal(ReaderFixtures.LineOf(Fixture, pattern), show.Debug[target].Line);
        }

        Assert.InRange(HlOp.JumpTarget(at, op.P3), 0, show.Ops.Length - 1);
    }

    [Fact]
    public void A_guarded_pattern_compiles_to_comparisons_after_the_switch()
    {
        var colorName = _code.Function("Main.colorName");

        var (op, _) = Assert.Single(colorName.Ops(HlOpcode.Switch));
        Assert.Equal(_code.Enum("Color").Constructs.Count, op.P2);
        Assert.Contains(colorName.Ops, o => o.Opcode is HlOpcode.JNotEq or HlOpcode.JEq);
    }
}
