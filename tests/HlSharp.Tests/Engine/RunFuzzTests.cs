using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Runs real programs (compiled fixtures) with one operand register of one operation replaced by
/// another register of the same function, usually of another type, and checks that each run ends
/// in normal output, a Haxe exception or another <see cref="HlException"/> (bad bytecode is an
/// <see cref="HlCompileException"/> naming the function and operation): never a raw .NET
/// exception and never a hang of the test. Mutations touch only the fixture's own functions
/// (those with lines in its Main.hx), so most of them run. Every case is reproducible from the
/// fixture, the seed and the iteration that a failure reports.
/// </summary>
public sealed class RunFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 0x484C_5246; // "HLRF"

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // Programs that touch no files, processes or sockets, so a mutated one cannot do harm.
    private static readonly string[] Fixtures = ["LangOperators", "LangClasses", "LangClosures", "LangEnums", "LangArrays", "LangDynamicAnon"];

    [Fact]
    public void Mutated_operand_registers_end_in_output_a_Haxe_exception_or_an_HlException()
    {
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var fixtures = Environment.GetEnvironmentVariable("HLSHARP_RUN_FUZZ_FIXTURES")?.Split(',') ?? Fixtures;
        foreach (var fixture in fixtures)
        {
            var code = HlCode.Read(HaxeFixtures.Bytes(fixture));
            var random = new Random(Seed + (fixture.Length * 31) + fixture[4]);
            for (var iteration = 0; iteration < Iterations; iteration++)
            {
                if (Mutate(code, random) is not { } mutated)
                {
                    continue;
                }

                var outcome = RunWithTimeout(mutated.Code);
                outcomes[outcome.Kind] = outcomes.GetValueOrDefault(outcome.Kind) + 1;
                if (outcome.Kind == "raw")
                {
                    failures.Add($"{fixture} iteration {iteration} ({mutated.Description}): {outcome.Detail}");
                }
            }
        }

        output.WriteLine("outcomes: " + string.Join(", ", outcomes.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\noutcomes: " + string.Join(", ", outcomes.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(outcomes.GetValueOrDefault("output") > 0, "no mutated program ran");
    }

    [Fact]
    public void A_register_of_the_wrong_type_is_a_compile_error_naming_the_function_and_operation()
    {
        var code = HlCode.Read(HaxeFixtures.Bytes("RuntimeErrors"));
        var run = code.Functions.Single(f => f.Name.EndsWith("Main.run", StringComparison.Ordinal));
        var getMem = run.Ops.IndexOf(run.Ops.First(o => o.Opcode == HlOpcode.GetMem));
        var bytes = run.Ops[getMem].P2;
        // The offset of `b.getI32(64)` read from the bytes register itself.
        var broken = code.WithFunction(run.WithOps(run.Ops.SetItem(getMem, run.Ops[getMem] with { P3 = bytes })));

        using var vm = HlVm.Load(broken, new HlVmOptions { StandardOutput = Stream.Null, Arguments = ["throw-string"] });
        var error = Assert.Throws<HlCompileException>(vm.RunEntry);

        Assert.Equal(run.Name, error.FunctionName);
        Assert.Equal(getMem, error.OpIndex);
        Assert.Contains("GetMem: the offset is register", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Mutations per fixture; <c>HLSHARP_RUN_FUZZ_ITERATIONS</c> asks for more when hunting bugs (and <c>HLSHARP_RUN_FUZZ_FIXTURES</c>, comma-separated, for other programs).</summary>
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("HLSHARP_RUN_FUZZ_ITERATIONS"), out var n) ? n : 15;

    private sealed record Mutation(HlCode Code, string Description);

    private sealed record Outcome(string Kind, string Detail);

    private static Mutation? Mutate(HlCode code, Random random)
    {
        var mainFile = code.DebugFiles.IndexOf(code.DebugFiles.FirstOrDefault(f => f.EndsWith("Main.hx", StringComparison.Ordinal)) ?? "");
        var own = code.Functions.Where(f => f.Registers.Length > 1 && !f.Debug.IsDefaultOrEmpty && f.Debug.Any(d => d.FileIndex == mainFile)).ToList();
        var function = own[random.Next(own.Count)];
        var candidates = new List<(int Op, int Slot)>();
        for (var i = 0; i < function.Ops.Length; i++)
        {
            var op = function.Ops[i];
            var shape = op.Shape;
            for (var slot = 0; slot < 3 + op.Extra.Length; slot++)
            {
                var kind = slot < shape.Operands.Length ? shape.Operands[slot] : shape.VariableOperand;
                if (kind == HlOperandKind.Register && (slot >= 3 || slot < shape.Operands.Length))
                {
                    candidates.Add((i, slot));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (opIndex, operand) = candidates[random.Next(candidates.Count)];
        var target = function.Ops[opIndex];
        var register = random.Next(function.Registers.Length);
        var mutatedOp = operand switch
        {
            0 => target with { P1 = register },
            1 => target with { P2 = register },
            2 => target with { P3 = register },
            _ => target with { Extra = target.Extra.SetItem(operand - 3, register) },
        };
        var changed = function.WithOps(function.Ops.SetItem(opIndex, mutatedOp));
        var description = $"{function.Name} op {opIndex} {target.Opcode} operand {operand} -> r{register}:{function.Registers[register]}";
        return new Mutation(code.WithFunction(changed), description);
    }

    /// <summary>The .NET faults behind run-time errors Haxe code can cause (see <c>RuntimeErrorTests</c>).</summary>
    private static bool IsHaxeFault(Exception e) =>
        e is NullReferenceException or InvalidCastException or IndexOutOfRangeException or ArgumentOutOfRangeException
            or InsufficientExecutionStackException or OutOfMemoryException;

    /// <summary>Runs a program on its own thread through the public API and gives up after <see cref="Timeout"/>.</summary>
    private static Outcome RunWithTimeout(HlCode code)
    {
        Outcome? outcome = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    using var vm = HlVm.Load(code, new HlVmOptions { StandardOutput = Stream.Null, StandardError = Stream.Null, StandardInput = Stream.Null });
                    vm.RunEntry();
                    outcome = new Outcome("output", "");
                }
                catch (HlHaxeException e) when (e.InnerException is { } inner && !IsHaxeFault(inner))
                {
                    // A fault no Haxe program can cause: the compiler let bad bytecode through.
                    outcome = new Outcome("raw", inner.ToString());
                }
                catch (HlHaxeException e)
                {
                    outcome = new Outcome("haxe " + e.InnerException?.GetType().Name, e.Message);
                }
                catch (HlException e)
                {
                    outcome = new Outcome(e.GetType().Name, e.Message);
                }
#pragma warning disable CA1031 // What the test looks for: anything else that escapes.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    outcome = new Outcome("raw", e.ToString());
                }
            },
            HlVm.ThreadStackSize)
        { IsBackground = true, Name = "run fuzz" };
        thread.Start();
        // A mutation can make a loop endless; such a thread keeps running in the background (the
        // VM has no way to stop it yet), so seeds and counts are chosen to make that rare.
        return thread.Join(Timeout) ? outcome! : new Outcome("timeout", "");
    }
}
