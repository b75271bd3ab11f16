using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// What the Haxe compiler appends to a program's entry after <c>main</c>, which the host-owned loop
/// leaves out (<see cref="EntryEventLoop"/>): Haxe 4.2.5 ends the entry of a HashLink program that
/// uses <c>sys.thread</c> (timers, <c>MainLoop</c>, threads) with
/// <c>Call0 main; Call0 sys.thread.Thread.processEvents(); Ret</c>, and other entries with <c>Call0 main; Ret</c>.
/// </summary>
public sealed class EntryEventLoopTests
{
    [Fact]
    public void The_entry_ends_with_main_then_processEvents()
    {
        var code = HlCode.ReadFile(HaxeFixtures.Compile("LangEventLoop"));
        var entry = code.GetFunction(code.EntryPoint)!;

        var first = EntryEventLoop.FirstSkippedOp(code);

        Assert.Equal(entry.Ops.Length - 2, first);
        Assert.Equal(HlOpcode.Call0, entry.Ops[first].Opcode);
        Assert.Equal("sys.thread._Thread.Thread_Impl_.processEvents", code.GetFunction(entry.Ops[first].P2)!.Name);
        Assert.Equal("Main.main", code.GetFunction(entry.Ops[first - 1].P2)!.Name);
    }

    [Fact]
    public void An_entry_without_an_event_loop_has_nothing_to_leave_out()
    {
        var code = HlCode.ReadFile(HaxeFixtures.Compile("Hello"));
        var entry = code.GetFunction(code.EntryPoint)!;

        Assert.Equal(-1, EntryEventLoop.FirstSkippedOp(code));
        Assert.Equal("Main.main", code.GetFunction(entry.Ops[^2].P2)!.Name);
    }

    [Fact]
    public void Only_the_entry_s_trailing_call_is_left_out_and_only_when_the_host_owns_the_loop()
    {
        // Without the loop, main's timers never fire; with it they do (the program's own output says so).
        var result = FixtureRun.Run("LangEventLoop");
        Assert.Contains("last timer; elapsed at least 400 ms: true", result.Stdout, StringComparison.Ordinal);

        using var output = new MemoryStream();
        using (var vm = HlVm.LoadFile(HaxeFixtures.Compile("LangEventLoop"), new HlVmOptions { StandardOutput = output }))
        {
            vm.RunEntry();
            Assert.True(vm.HasPendingWork);
        }

        Assert.Equal("message from thread\nworker: own loop event\nmain returns\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }
}
