namespace HlSharp.Api.Tests;

/// <summary>Natives the host provides as delegates (<c>HlVmOptions.Natives</c>) for <c>@:hlNative</c> declarations.</summary>
public sealed class HostNativeTests
{
    private static HlVmOptions Options(Action<HlHostNatives> add)
    {
        var options = new HlVmOptions { StandardOutput = new MemoryStream() };
        add(options.Natives);
        return options;
    }

    [Fact]
    public void A_host_native_receives_converted_arguments_and_returns_a_value()
    {
        var logged = new List<string>();
        var options = Options(n =>
        {
            n.Add("host", "log", (Action<string>)logged.Add);
            n.Add("host", "twice", (Func<int, int>)(x => x * 2));
            n.Add("host", "mix", (Func<double, int, bool, double>)((a, b, c) => c ? a * b : 0));
        });
        using var vm = EmbeddingFixture.Load(options);

        Assert.Equal(1, vm.CallStatic<int>("Game", "callLog", "héllo 😀"));
        Assert.Equal(21, vm.GetFunction<Func<int, int>>("Game", "useTwice")(10));
        Assert.Equal(3.0, vm.CallStatic<double>("Game", "useMix"));
        Assert.Equal(["héllo 😀"], logged);
        Assert.DoesNotContain(vm.MissingNatives, m => m.StartsWith("host@", StringComparison.Ordinal));
    }

    [Fact]
    public void A_signature_mismatch_is_a_load_error_naming_both_signatures()
    {
        var options = Options(n => n.Add("host", "twice", (Func<string, int>)(s => s.Length)));

        var error = Assert.Throws<HlLoadException>(() => EmbeddingFixture.Load(options, run: false));

        Assert.Contains("host@twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("(Int) -> Int", error.Message, StringComparison.Ordinal);
        Assert.Contains("(string) -> int", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_a_native_leaves_the_others_bound()
    {
        var options = Options(n =>
        {
            n.Add("host", "log", (Action<string>)(_ => { }));
            n.Add("host", "twice", (Func<int, int>)(x => x * 2));
        });

        Assert.True(options.Natives.Remove("host", "log"));
        Assert.False(options.Natives.Remove("host", "log"));
        using var vm = EmbeddingFixture.Load(options);

        Assert.Equal(5, vm.CallStatic<int>("Game", "useTwice", 2));
        Assert.Contains("host@log", vm.MissingNatives);
    }

    [Fact]
    public void A_host_exception_crosses_Haxe_code_a_catch_receives_its_message()
    {
        var options = Options(n => n.Add("host", "log", (Action<string>)(s => throw new InvalidOperationException("host says " + s))));
        using var vm = EmbeddingFixture.Load(options);

        Assert.Equal("caught host says no", vm.CallStatic<string>("Game", "catchLog", "no"));
    }

    [Fact]
    public void An_uncaught_host_exception_reaches_the_host_as_the_inner_exception()
    {
        var thrown = new InvalidOperationException("from the host");
        var options = Options(n => n.Add("host", "log", (Action<string>)(_ => throw thrown)));
        using var vm = EmbeddingFixture.Load(options);

        var error = Assert.Throws<HlHaxeException>(() => vm.CallStatic("Game", "callLog", "x"));

        Assert.Same(thrown, error.InnerException);
        Assert.Equal("from the host", error.ValueText);
    }

    [Fact]
    public void A_host_native_overrides_a_standard_native()
    {
        var options = Options(n => n.Add("std", "sys_time", (Func<double>)(() => 42.5)));
        using var vm = EmbeddingFixture.Load(options);

        Assert.Equal(42.5, vm.CallStatic<double>("Game", "now"));
    }
}
