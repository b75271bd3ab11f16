using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Which calls the compiler makes direct (issue 12), read from the IL of the fixture's compiled
/// functions (tests/fixtures/LangCalls, whose output <see cref="LanguageTests"/> compares with
/// HashLink's): static calls and method calls no subclass overrides name the callee's method,
/// natives name their adapters, overridden methods and everything under hot reload keep the
/// slot's <c>calli</c>, and only leaf functions may be inlined.
/// </summary>
public sealed class DirectCallTests
{
    [Fact]
    public void A_static_call_names_the_callee_s_method()
    {
        using var vm = Run(hotReload: false);

        // ~main.0 runs outer(2): compiling it compiles outer, whose compile compiles middle first.
        Assert.Contains(Method(vm, "Main.middle"), Called(Method(vm, "Main.outer")));
        Assert.Contains(Method(vm, "Base.check"), Called(Method(vm, "Base.viaThis")));
    }

    [Fact]
    public void Callees_compile_ahead_only_two_levels_deep_and_deeper_ones_are_reached_through_their_slot()
    {
        using var vm = Run(hotReload: false);

        // middle compiled two levels below ~main.0, so fails was not compiled yet: a slot call.
        var middle = Method(vm, "Main.middle");
        Assert.Contains(OpCodes.Calli, Opcodes(middle));
        Assert.DoesNotContain(Method(vm, "Main.fails"), Called(middle));
    }

    [Fact]
    public void A_method_no_subclass_overrides_is_called_directly_and_an_overridden_one_through_the_method_table()
    {
        using var vm = Run(hotReload: false);

        // Array<Dynamic> access is a CallMethod of ArrayDyn.getDyn, which nothing overrides.
        var dynAt = Method(vm, "Main.dynAt");
        Assert.Contains(Method(vm, "hl.types.ArrayDyn.getDyn"), Called(dynAt));
        Assert.DoesNotContain(OpCodes.Calli, Opcodes(dynAt));

        // Base.over is overridden (Derived, Deeper, Solo): the call reads the receiver's table.
        var nullOver = Method(vm, "Main.nullOver");
        Assert.Contains(OpCodes.Calli, Opcodes(nullOver));
        Assert.DoesNotContain(Called(nullOver), m => m.DeclaringType!.Name.Contains("over", StringComparison.Ordinal));
    }

    [Fact]
    public void A_native_call_names_the_native_s_adapter()
    {
        using var vm = Run(hotReload: false);

        // stackLines allocates its array (std@alloc_array) and measures each line (std@ucs2length).
        var stackLines = Method(vm, "Main.stackLines");
        Assert.Contains(Native(vm, "alloc_array"), Called(stackLines));
        Assert.Contains(Native(vm, "ucs2length"), Called(stackLines));
    }

    [Fact]
    public void Under_hot_reload_every_call_goes_through_its_slot()
    {
        using var vm = Run(hotReload: true);

        var outer = Method(vm, "Main.outer");
        Assert.Contains(OpCodes.Calli, Opcodes(outer));
        Assert.DoesNotContain(Method(vm, "Main.middle"), Called(outer));
        Assert.Contains(OpCodes.Calli, Opcodes(Method(vm, "Main.dynAt")));
        var stackLines = Method(vm, "Main.stackLines");
        Assert.DoesNotContain(Native(vm, "alloc_array"), Called(stackLines));
        Assert.Contains(OpCodes.Calli, Opcodes(stackLines));
    }

    [Fact]
    public void Only_leaves_may_be_inlined_and_they_skip_the_stack_guard()
    {
        using var vm = Run(hotReload: false);

        foreach (var leaf in new[] { "Main.add", "Main.half", "Main.pick", "Base.plain", "Base.fin", "Base.setV" })
        {
            var method = Method(vm, leaf);
            Assert.False(method.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining), leaf);
            Assert.DoesNotContain(Called(method), m => m.DeclaringType?.Name == "StackGuard");
        }

        // A call, a loop-free throw, recursion, a field of another object: each keeps its frame.
        foreach (var kept in new[] { "Main.fails", "Main.middle", "Main.fact", "Main.isEven", "Main.first", "Main.bump" })
        {
            var method = Method(vm, kept);
            Assert.True(method.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining), kept);
        }
    }

    [Fact]
    public void Ahead_of_time_every_static_call_and_fixed_method_call_is_direct()
    {
        using var vm = HlVm.Load(CompiledFixtures.Load("LangCalls"), new HlVmOptions { StandardOutput = new MemoryStream() });

        // Nothing compiles lazily there: even the call two levels down names its callee.
        Assert.Contains(Method(vm, "Main.fails"), Called(Method(vm, "Main.middle")));
        Assert.Contains(Method(vm, "Main.middle"), Called(Method(vm, "Main.outer")));
        Assert.Contains(Method(vm, "hl.types.ArrayDyn.getDyn"), Called(Method(vm, "Main.dynAt")));
        Assert.Contains(OpCodes.Calli, Opcodes(Method(vm, "Main.nullOver")));
        Assert.True(Method(vm, "Main.fails").MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining));
        Assert.False(Method(vm, "Main.add").MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining));
    }

    [Fact]
    public void A_callee_that_cannot_compile_fails_when_it_is_called_not_when_its_caller_compiles()
    {
        var code = HlCode.Read(HaxeFixtures.Bytes("LangCalls"));
        var readInt = code.Functions.Single(f => f.Name == "Main.readInt");
        var getMem = readInt.Ops.IndexOf(readInt.Ops.First(o => o.Opcode == HlOpcode.GetMem));
        // The offset read from the bytes register itself: refused by the operand checks.
        var broken = code.WithFunction(readInt.WithOps(readInt.Ops.SetItem(getMem, readInt.Ops[getMem] with { P3 = readInt.Ops[getMem].P2 })));
        var output = new MemoryStream();

        using var vm = HlVm.Load(broken, new HlVmOptions { StandardOutput = output });
        // maybeRead(false, null) compiles with readInt as a small direct callee, and never calls it.
        Assert.Throws<HlHaxeException>(vm.RunEntry);
        var error = Assert.Throws<HlCompileException>(() => vm.Module.GetMethod(readInt.Index));

        Assert.Contains("maybeRead -1\n", System.Text.Encoding.UTF8.GetString(output.ToArray()).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(readInt.Name, error.FunctionName);
    }

    private static HlVm Run(bool hotReload)
    {
        var vm = HlVm.Load(HaxeFixtures.Bytes("LangCalls"), new HlVmOptions { StandardOutput = new MemoryStream(), HotReload = hotReload });
        // The fixture ends with an uncaught null access, after every function here has run.
        Assert.Throws<HlHaxeException>(vm.RunEntry);
        return vm;
    }

    private static MethodInfo Method(HlVm vm, string name)
    {
        var module = vm.Module;
        var function = module.Code.Functions.Single(f => f.Name == name);
        return module.GetMethod(function.Index);
    }

    /// <summary>The adapter compiled code calls for the std native of that name.</summary>
    private static MethodInfo Native(HlVm vm, string name) =>
        vm.Module.GetMethod(vm.Module.Code.Natives.Single(n => n.Library == "std" && n.Name == name).Index);

    private static readonly Dictionary<short, OpCode> s_opcodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The operations of a method's IL, each with its 4-byte token (0 for other operands).</summary>
    private static List<(OpCode Op, int Token)> Decode(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var list = new List<(OpCode Op, int Token)>();
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var op = s_opcodes[value];
            var token = 0;
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: at += 1; break;
                case OperandType.InlineVar: at += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: at += 8; break;
                case OperandType.InlineSwitch: at += 4 + (4 * BitConverter.ToInt32(il, at)); break;
                case OperandType.InlineMethod or OperandType.InlineSig: token = BitConverter.ToInt32(il, at); at += 4; break;
                default: at += 4; break;
            }

            list.Add((op, token));
        }

        return list;
    }

    private static IEnumerable<OpCode> Opcodes(MethodInfo method) => Decode(method).Select(d => d.Op);

    private static List<MethodBase> Called(MethodInfo method) =>
        [.. Decode(method).Where(d => d.Op == OpCodes.Call).Select(d => method.Module.ResolveMethod(d.Token)!)];
}
