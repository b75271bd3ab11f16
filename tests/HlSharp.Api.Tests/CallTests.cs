namespace HlSharp.Api.Tests;

/// <summary>Calls from the host into Haxe: typed delegates (<c>GetFunction</c>) and the untyped lane (<c>CallStatic</c>).</summary>
public sealed class CallTests
{
    [Fact]
    public void A_typed_delegate_calls_a_static_function_with_primitive_types()
    {
        using var vm = EmbeddingFixture.Load();

        Assert.Equal(55, vm.GetFunction<Func<int, int, int>>("Game", "add")(42, 13));
        Assert.Equal(5.0, vm.GetFunction<Func<double, double>>("Game", "scale")(2.5));
        Assert.Equal(0.75f, vm.GetFunction<Func<float, float>>("Game", "half")(1.5f));
        Assert.False(vm.GetFunction<Func<bool, bool>>("Game", "negate")(true));
        Assert.Equal(5_000_000_000L + 7, vm.GetFunction<Func<long, long, long>>("Game", "addLong")(5_000_000_000L, 7));
    }

    [Fact]
    public void A_void_function_runs_through_an_Action()
    {
        using var vm = EmbeddingFixture.Load();
        var bump = vm.GetFunction<Action>("Game", "bump");

        bump();
        bump();

        Assert.Equal(12, vm.GetClass("Game").Get<int>("score"));
    }

    [Fact]
    public void An_Action_may_drop_the_result_of_a_function_that_returns_one()
    {
        using var vm = EmbeddingFixture.Load();
        var add = vm.GetFunction<Action<int, int>>("Game", "add");
        var greet = vm.GetFunction<Action<string>>("Game", "greet");

        add(1, 2);
        greet("x");

        Assert.Equal(10, vm.GetClass("Game").Get<int>("score"));
    }

    [Fact]
    public void A_typed_delegate_made_before_the_function_compiled_follows_its_slot()
    {
        using var vm = EmbeddingFixture.Load(run: false);
        var add = vm.GetFunction<Func<int, int, int>>("Game", "add");
        vm.RunEntry();

        Assert.Equal(3, add(1, 2));
        Assert.Equal(7, add(3, 4));
    }

    [Fact]
    public void A_typed_call_of_primitives_allocates_nothing()
    {
        using var vm = EmbeddingFixture.Load();
        var add = vm.GetFunction<Func<int, int, int>>("Game", "add");
        add(1, 2);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 1000; i++)
        {
            total = add(total, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, total);
    }

    [Fact]
    public void Strings_cross_both_ways_including_non_ASCII_and_surrogate_pairs()
    {
        using var vm = EmbeddingFixture.Load();
        var greet = vm.GetFunction<Func<string, string>>("Game", "greet");

        Assert.Equal("hello Ünïcode 😀", greet("Ünïcode 😀"));
        // Haxe's String length on HashLink counts UTF-16 units, as .NET does.
        Assert.Equal("😀".Length, vm.GetFunction<Func<string, int>>("Game", "length")("😀"));
        Assert.Equal("Ünïcode 😀", vm.GetClass("Game").Get<string>("title"));
    }

    [Fact]
    public void Null_of_Int_is_a_nullable_int()
    {
        using var vm = EmbeddingFixture.Load();
        var inc = vm.GetFunction<Func<int?, int?>>("Game", "inc");

        Assert.Equal(5, inc(4));
        Assert.Null(inc(null));
        Assert.Equal(5, vm.CallStatic<int?>("Game", "inc", 4));
    }

    [Fact]
    public void A_Haxe_closure_returned_to_the_host_is_a_delegate()
    {
        using var vm = EmbeddingFixture.Load();
        var makeAdder = vm.GetFunction<Func<int, Func<int, int>>>("Game", "makeAdder");

        var addTen = makeAdder(10);

        Assert.Equal(15, addTen(5));
        var natural = Assert.IsType<Func<object?[], object?>>(vm.CallStatic("Game", "makeAdder", 2));
        Assert.Equal(5, natural([3]));
    }

    [Fact]
    public void A_CSharp_delegate_passed_to_Haxe_is_called_as_a_Haxe_function()
    {
        using var vm = EmbeddingFixture.Load();
        var apply = vm.GetFunction<Func<Func<int, int>, int, int>>("Game", "apply");

        Assert.Equal(15, apply(x => x * 3, 5));
        Assert.Equal(2, vm.CallStatic<int>("Game", "apply", (Func<int, int>)(x => x + 1), 1));
        var thrown = new InvalidOperationException("from the callback");
        var error = Assert.Throws<HlHaxeException>(() => apply(_ => throw thrown, 1));
        Assert.Same(thrown, error.InnerException);
        Assert.Throws<ArgumentException>(() => vm.CallStatic("Game", "apply", (Func<int, int, int>)((a, b) => a), 1));
    }

    [Fact]
    public void CallStatic_converts_arguments_and_results()
    {
        using var vm = EmbeddingFixture.Load();

        Assert.Equal(3, vm.CallStatic<int>("Game", "add", 1, 2));
        Assert.Equal(3, vm.CallStatic("Game", "add", 1, 2));
        Assert.Equal("hello you", vm.CallStatic("Game", "greet", "you"));
        Assert.Equal(4.0, vm.CallStatic<double>("Game", "scale", 2));
        Assert.Null(vm.CallStatic("Game", "bump"));
    }

    [Fact]
    public void A_signature_mismatch_names_both_signatures()
    {
        using var vm = EmbeddingFixture.Load();

        var error = Assert.Throws<ArgumentException>(() => vm.GetFunction<Func<double, int, int>>("Game", "add"));

        Assert.Contains("(Int, Int) -> Int", error.Message, StringComparison.Ordinal);
        Assert.Contains("(double, int) -> int", error.Message, StringComparison.Ordinal);
        Assert.False(vm.TryGetFunction<Func<double, int, int>>("Game", "add", out _));
        Assert.True(vm.TryGetFunction<Func<int, int, int>>("Game", "add", out var add));
        Assert.Equal(2, add(1, 1));
    }

    [Fact]
    public void An_unknown_class_or_function_names_a_close_match()
    {
        using var vm = EmbeddingFixture.Load();

        var noClass = Assert.Throws<ArgumentException>(() => vm.GetFunction<Action>("Gmae", "bump"));
        var noMethod = Assert.Throws<ArgumentException>(() => vm.CallStatic("Game", "ad", 1, 2));

        Assert.Contains("Gmae", noClass.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean Game?", noClass.Message, StringComparison.Ordinal);
        Assert.Contains("ad", noMethod.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean add?", noMethod.Message, StringComparison.Ordinal);
        Assert.False(vm.TryGetFunction<Action>("Nope", "bump", out _));
    }

    [Fact]
    public void Wrong_argument_count_or_type_is_an_ArgumentException_naming_the_types()
    {
        using var vm = EmbeddingFixture.Load();

        var count = Assert.Throws<ArgumentException>(() => vm.CallStatic("Game", "add", 1));
        var type = Assert.Throws<ArgumentException>(() => vm.CallStatic("Game", "add", "one", 2));

        Assert.Contains("takes 2", count.Message, StringComparison.Ordinal);
        Assert.Contains("Int", type.Message, StringComparison.Ordinal);
        Assert.Contains("String", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_read_as_the_wrong_type_is_an_InvalidCastException()
    {
        using var vm = EmbeddingFixture.Load();

        var error = Assert.Throws<InvalidCastException>(() => vm.CallStatic<HlObject>("Game", "greet", "x"));

        Assert.Contains("HlObject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calling_before_RunEntry_is_an_InvalidOperationException()
    {
        using var vm = EmbeddingFixture.Load(run: false);
        var add = vm.GetFunction<Func<int, int, int>>("Game", "add");

        Assert.Throws<InvalidOperationException>(() => add(1, 2));
        Assert.Throws<InvalidOperationException>(() => vm.CallStatic("Game", "add", 1, 2));
        Assert.Throws<InvalidOperationException>(() => vm.GetClass("Game"));
    }

    [Fact]
    public void A_Haxe_exception_in_a_call_reaches_the_host_as_HlHaxeException()
    {
        using var vm = EmbeddingFixture.Load();
        var fail = vm.GetFunction<Action<string>>("Game", "fail");
        var failWith = vm.GetFunction<Action<int>>("Game", "failWith");

        var thrown = Assert.Throws<HlHaxeException>(() => fail("boom"));
        var direct = Assert.Throws<HlHaxeException>(() => failWith(3));

        Assert.Equal("boom", thrown.ValueText);
        Assert.Contains(thrown.HaxeStack, f => f.Contains("Game.fail", StringComparison.Ordinal));
        Assert.Contains(direct.HaxeStack, f => f.Contains("Game.failWith", StringComparison.Ordinal));
    }
}
