using System.Runtime.CompilerServices;

namespace HlSharp.Api.Tests;

/// <summary>Errors at the embedding boundary, and values and delegates that outlive their VM.</summary>
public sealed class ErrorAndLifetimeTests
{
    [Fact]
    public void The_thrown_value_is_a_host_value()
    {
        using var vm = EmbeddingFixture.Load();

        var text = Assert.Throws<HlHaxeException>(() => vm.CallStatic("Game", "fail", "boom"));
        var obj = Assert.Throws<HlHaxeException>(() => vm.CallStatic("Game", "failWith", 7));

        Assert.Equal("boom", Assert.IsType<string>(text.Value));
        var entity = Assert.IsType<HlObject>(obj.Value);
        Assert.Equal("Entity", entity.TypeName);
        Assert.Equal("error 7", entity.Get<string>("name"));
    }

    [Fact]
    public void A_run_time_fault_carries_its_message_as_a_string_value()
    {
        using var vm = EmbeddingFixture.Load();
        var array = vm.GetClass("Game").Get<HlArray<HlObject>>("players");

        var error = Assert.Throws<HlHaxeException>(() => vm.CallStatic("Game", "statusName", [null]));

        Assert.Equal("Null access", error.Value);
        Assert.Empty(array);
    }

    [Fact]
    public void Sys_exit_in_a_call_sets_the_exit_code_and_the_call_returns_a_default_result()
    {
        using var typed = EmbeddingFixture.Load();
        using var untyped = EmbeddingFixture.Load();

        Assert.Equal(0, typed.GetFunction<Func<int, int>>("Game", "quit")(3));
        Assert.Null(untyped.CallStatic("Game", "quit", 4));

        Assert.Equal(3, typed.ExitCode);
        Assert.Equal(4, untyped.ExitCode);
    }

    [Fact]
    public void Calls_and_views_after_Dispose_throw_ObjectDisposedException()
    {
        var vm = EmbeddingFixture.Load();
        var add = vm.GetFunction<Func<int, int, int>>("Game", "add");
        var greet = vm.GetFunction<Func<string, string>>("Game", "greet");
        var game = vm.GetClass("Game");
        var player = vm.New("Player", "Ada");
        var scores = game.Get<HlArray<int>>("scores");
        var counts = game.Get<HlMap<string, int>>("counts");
        var status = game.Get<HlEnum>("status");

        vm.Dispose();

        Assert.Throws<ObjectDisposedException>(() => add(1, 2));
        Assert.Throws<ObjectDisposedException>(() => greet("x"));
        Assert.Throws<ObjectDisposedException>(() => vm.CallStatic("Game", "add", 1, 2));
        Assert.Throws<ObjectDisposedException>(() => vm.GetFunction<Func<int, int, int>>("Game", "add"));
        Assert.Throws<ObjectDisposedException>(() => game.Get<int>("score"));
        Assert.Throws<ObjectDisposedException>(() => player.Get<string>("name"));
        Assert.Throws<ObjectDisposedException>(() => scores.Count);
        Assert.Throws<ObjectDisposedException>(() => counts.Count);
        Assert.Throws<ObjectDisposedException>(() => status.Parameters);
    }

    [Fact]
    public void A_delegate_that_outlives_its_VM_keeps_nothing_of_it_alive()
    {
        var (add, vm) = LoadAndDispose();

        for (var i = 0; i < 10 && vm.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(vm.IsAlive);
        Assert.Throws<ObjectDisposedException>(() => add(1, 2));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Func<int, int, int> Add, WeakReference Vm) LoadAndDispose()
    {
        var vm = EmbeddingFixture.Load();
        var add = vm.GetFunction<Func<int, int, int>>("Game", "add");
        Assert.Equal(3, add(1, 2));
        vm.Dispose();
        return (add, new WeakReference(vm));
    }

    [Fact]
    public void Two_VMs_of_one_program_keep_their_values_apart()
    {
        using var first = EmbeddingFixture.Load();
        using var second = EmbeddingFixture.Load();

        first.GetClass("Game").Set("score", 1);
        second.GetClass("Game").Set("score", 2);
        first.GetFunction<Action>("Game", "bump")();

        Assert.Equal(2, first.GetClass("Game").Get<int>("score"));
        Assert.Equal(2, second.GetClass("Game").Get<int>("score"));
    }
}
