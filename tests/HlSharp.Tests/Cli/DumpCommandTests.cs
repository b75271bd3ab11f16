using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

public sealed class DumpCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("hlsharp-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Dump_prints_the_whole_listing()
    {
        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        Assert.StartsWith("hashlink bytecode version 4, debug info yes\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\ntypes (", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nnatives (", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^fun#\d+ Main\.main \(\) -> void$", result.Stdout);
        Assert.Matches(@"(?m)^  L\d+: +Call1 +r\d+, Point\.len\(r0\) +; Main\.hx:" + DumpSample.LineOf("call") + "$", result.Stdout);
    }

    [Fact]
    public void Function_option_with_an_exact_name_lists_only_that_function()
    {
        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath, "--function", "Main.main");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"fun#{MainIndex} Main.main () -> void"], Headers(result));
        Assert.DoesNotContain("types (", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_option_with_part_of_a_name_lists_every_function_containing_it()
    {
        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath, "-f", "Point.");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, Headers(result).Count);
        Assert.All(Headers(result), h => Assert.Contains(" Point.", h, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fun#{0}")]
    [InlineData("{0}")]
    public void Function_option_with_an_index_lists_the_function_with_that_index(string format)
    {
        var selector = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, MainIndex);

        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath, "--function", selector);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"fun#{MainIndex} Main.main () -> void"], Headers(result));
    }

    [Fact]
    public void Function_option_that_matches_nothing_fails_with_one_line()
    {
        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath, "--function", "Nowhere.nothing");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(["hlsharp: no function matches 'Nowhere.nothing'"], result.StderrLines);
    }

    [Fact]
    public void Function_option_naming_a_native_says_it_has_no_bytecode()
    {
        var sqrt = DumpSample.Code.Natives.Single(n => n.Name == "math_sqrt");

        var result = HlSharpCli.Run("dump", DumpSample.BytecodePath, "--function", $"fun#{sqrt.Index}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"hlsharp: fun#{sqrt.Index} is the native std@math_sqrt, which has no bytecode to list"], result.StderrLines);
    }

    [Fact]
    public void A_missing_file_fails_with_one_line()
    {
        var path = Path.Combine(_scratch, "missing.hl");

        var result = HlSharpCli.Run("dump", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal([$"hlsharp: {path}: file not found"], result.StderrLines);
    }

    [Fact]
    public void A_file_that_is_not_bytecode_fails_with_one_line_naming_the_offset()
    {
        var path = Path.Combine(_scratch, "garbage.hl");
        File.WriteAllText(path, "this is not HashLink bytecode");

        var result = HlSharpCli.Run("dump", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"hlsharp: {path}: not valid HashLink bytecode: ", line, StringComparison.Ordinal);
        Assert.Contains(" at offset 0x", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_fails_with_one_line_naming_the_offset()
    {
        var bytes = File.ReadAllBytes(DumpSample.BytecodePath);
        var path = Path.Combine(_scratch, "truncated.hl");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var result = HlSharpCli.Run("dump", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(" at offset 0x", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    private static int MainIndex => DumpSample.Code.Functions.Single(f => f.Name == "Main.main").Index;

    private static List<string> Headers(CliResult result) =>
        result.Stdout.Split('\n').Where(l => l.StartsWith("fun#", StringComparison.Ordinal)).ToList();
}
