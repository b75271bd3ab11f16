using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// Every run-time error Haxe code can cause, left uncaught, reaches the host as an
/// <see cref="HlException"/>: an <see cref="HlHaxeException"/> carrying the value a Haxe <c>catch</c>
/// would see, with the .NET fault behind it as the inner exception; never a raw .NET exception.
/// </summary>
public sealed class RuntimeErrorTests
{
    public static TheoryData<string, string, Type?> HaxeErrors => new()
    {
        { "null-access", "Null access .x", null },
        // HashLink does not check these bounds (it reads past the end); HlSharp cannot, so it raises.
        { "native-array-bounds", "Out of bounds", typeof(IndexOutOfRangeException) },
        { "bytes-bounds", "Out of bounds", typeof(ArgumentOutOfRangeException) },
        { "bad-cast", "Can't cast String to Point", null },
        { "bad-downcast", "Can't cast String to Point", null },
        { "stack-overflow", "Stack overflow", typeof(InsufficientExecutionStackException) },
        { "out-of-memory", "Out of memory", typeof(OutOfMemoryException) },
        { "throw-string", "thrown", null },
    };

    private static (Exception? Error, string Output) Run(string error)
    {
        using var output = new MemoryStream();
        Exception? caught = null;
        using (var vm = HlVm.Load(HaxeFixtures.Bytes("RuntimeErrors"), new HlVmOptions { StandardOutput = output, Arguments = [error] }))
        {
            try
            {
                vm.RunEntry();
            }
#pragma warning disable CA1031 // The test asserts on whatever reaches the host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                caught = e;
            }
        }

        return (caught, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [MemberData(nameof(HaxeErrors))]
    public void An_uncaught_run_time_error_reaches_the_host_as_the_Haxe_value(string error, string value, Type? inner)
    {
        var (caught, output) = Run(error);

        var haxe = Assert.IsType<HlHaxeException>(caught);
        Assert.Equal(value, haxe.ValueText);
        Assert.Contains(haxe.HaxeStack, f => f.StartsWith("$Main.run(", StringComparison.Ordinal));
        Assert.StartsWith("Uncaught exception: " + value + "\nCalled from ", haxe.UncaughtReport, StringComparison.Ordinal);
        if (inner is null)
        {
            Assert.Null(haxe.InnerException);
        }
        else
        {
            Assert.IsType(inner, haxe.InnerException);
        }

        Assert.Equal("start\n", output);
    }

    [Fact]
    public void A_missing_native_reaches_the_host_as_itself()
    {
        var (caught, _) = Run("missing-native");

        var missing = Assert.IsType<HlMissingNativeException>(caught);
        Assert.Equal("nothing_here", missing.Name);
    }

    [Fact]
    public void Integer_division_by_zero_is_no_error_as_in_HashLink()
    {
        var (caught, output) = Run("int-division-by-zero");

        Assert.Null(caught);
        Assert.Equal("start\n0\n-2147483648\nno error\n", output);
    }

    [Fact]
    public void A_deep_stack_is_reported_with_its_innermost_and_outermost_frames()
    {
        var (caught, _) = Run("stack-overflow");

        var haxe = Assert.IsType<HlHaxeException>(caught);
        Assert.True(haxe.HaxeStack.Count > 1000, $"only {haxe.HaxeStack.Count} frames");
        var lines = haxe.UncaughtReport.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 50 + 1 + 50, lines.Length);
        Assert.Equal($"... {haxe.HaxeStack.Count - 100} frames omitted ...", lines[51]);
        Assert.All(lines[1..51], l => Assert.StartsWith("Called from $Main.down(", l, StringComparison.Ordinal));
        Assert.StartsWith("Called from $Main.main(", lines[^2], StringComparison.Ordinal);
    }
}
