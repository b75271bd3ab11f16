using System.Reflection;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>
/// <c>hlsharp compile app.hl -o out/</c>: the assembly it writes runs through
/// <c>HlVm.Load(Assembly)</c> and prints what <c>hlsharp run app.hl</c> prints, and every way the
/// command can fail is one line with exit code 1. What <c>--native</c> asks of the SDK is checked
/// here with a stand-in <c>dotnet</c>; the real publish is in <see cref="CompileNativeTests"/>.
/// </summary>
public sealed class CompileCommandTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hlsharp-compile-");

    public void Dispose() => _temp.Delete(recursive: true);

    private string Out => Path.Combine(_temp.FullName, "out");

    [Theory]
    [InlineData("Hello")]
    [InlineData("SysExit", "3")]
    [InlineData("SysExit", "0")]
    [InlineData("RuntimeErrors", "bytes-bounds")]
    public void The_compiled_program_prints_what_hlsharp_run_prints(string fixture, params string[] args)
    {
        var hl = HaxeFixtures.Compile(fixture);

        var compiled = HlSharpCli.Run("compile", hl, "-o", Out, "--name", fixture);

        Assert.True(compiled.ExitCode == 0, compiled.ToString());
        var run = HlSharpCli.Run(["run", hl, .. args]);
        var result = CompiledProgram.Run(Path.Combine(Out, fixture + ".dll"), args);
        Assert.Equal(run.ToString(), result.ToString());
    }

    [Fact]
    public void Compile_writes_the_program_and_the_HlSharp_library_the_tool_runs_with_and_says_so()
    {
        var result = HlSharpCli.Run("compile", HaxeFixtures.Compile("Hello"), "-o", Out, "--name", "App");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var dll = Path.Combine(Out, "App.dll");
        var library = Path.Combine(Out, "HlSharp.dll");
        Assert.Equal($"wrote {dll}\nwrote {library}\n", result.Stdout);
        Assert.Equal("App", AssemblyName.GetAssemblyName(dll).Name);
        var toolLibrary = Path.Combine(Path.GetDirectoryName(HlSharpCli.DllPath)!, "HlSharp.dll");
        Assert.Equal(File.ReadAllBytes(toolLibrary), File.ReadAllBytes(library));
    }

    [Theory]
    [InlineData("game.hl", "Game")]
    [InlineData("my-game.hl", "MyGame")]
    [InlineData("my_little.game.hl", "MyLittleGame")]
    [InlineData("2048.hl", "App2048")]
    public void Without_a_name_the_program_is_named_after_its_file_in_PascalCase(string file, string name)
    {
        var hl = Path.Combine(_temp.FullName, file);
        File.Copy(HaxeFixtures.Compile("Hello"), hl);

        var result = HlSharpCli.Run("compile", hl, "-o", Out);

        Assert.True(result.ExitCode == 0, result.ToString());
        var dll = Path.Combine(Out, name + ".dll");
        Assert.StartsWith($"wrote {dll}\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(name, AssemblyName.GetAssemblyName(dll).Name);
    }

    [Fact]
    public void A_missing_file_is_one_line_and_writes_nothing()
    {
        var missing = Path.Combine(_temp.FullName, "missing.hl");

        var result = HlSharpCli.Run("compile", missing, "-o", Out);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"hlsharp: {missing}: file not found"], result.StderrLines);
        Assert.False(Directory.Exists(Out), "the output folder was created for a file that does not exist");
    }

    [Fact]
    public void A_file_that_is_not_bytecode_is_one_line_and_writes_nothing()
    {
        var bad = Path.Combine(_temp.FullName, "bad.hl");
        File.WriteAllText(bad, "not bytecode at all");

        var result = HlSharpCli.Run("compile", bad, "-o", Out);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"hlsharp: {bad}: not valid HashLink bytecode: ", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_is_one_line()
    {
        // A folder inside a file cannot be made, whoever runs the tests (root may write anywhere else).
        var file = Path.Combine(_temp.FullName, "a-file");
        File.WriteAllText(file, "");
        var output = Path.Combine(file, "out");

        var result = HlSharpCli.Run("compile", HaxeFixtures.Compile("Hello"), "-o", output);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"hlsharp: {output}: cannot create the output folder: ", line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("my game", "not a valid program name")]
    [InlineData("1st", "not a valid program name")]
    [InlineData("App.", "not a valid program name")]
    [InlineData("hlsharp", "the name of an assembly the program runs with")]
    [InlineData("System.Runtime", "the name of an assembly the program runs with")]
    [InlineData("netstandard", "the name of an assembly the program runs with")]
    public void A_name_that_cannot_name_the_program_is_refused(string name, string why)
    {
        var result = HlSharpCli.Run("compile", HaxeFixtures.Compile("Hello"), "-o", Out, "--name", name);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"hlsharp: --name '{name}': {why}", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void The_output_folder_is_required()
    {
        var result = HlSharpCli.Run("compile", HaxeFixtures.Compile("Hello"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["hlsharp: option '--output' is required (see 'hlsharp compile --help')"], result.StderrLines);
    }

    [Fact]
    public void Help_lists_the_compile_command()
    {
        var result = HlSharpCli.Run("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^  compile <file> ", result.Stdout);
    }

    [UnixFact]
    public void Native_without_an_SDK_says_so_before_writing_anything()
    {
        // A dotnet that lists no SDK: a machine with only the runtime.
        var dotnet = FakeDotnet("exit 0");

        var result = HlSharpCli.RunWithEnvironment(new Dictionary<string, string> { ["DOTNET_HOST_PATH"] = dotnet },
            "compile", HaxeFixtures.Compile("Hello"), "-o", Out, "--native");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"hlsharp: --native publishes with the .NET SDK, and {dotnet} has none (`dotnet --list-sdks` lists no SDK): install the .NET SDK"], result.StderrLines);
        Assert.False(Directory.Exists(Out));
    }

    [UnixFact]
    public void Native_shows_dotnet_s_output_only_when_the_publish_fails_and_keeps_the_host_project()
    {
        var dotnet = FakeDotnet(
            """
            if [ "$1" = "--list-sdks" ]; then echo "10.0.100 [/fake/sdk]"; exit 0; fi
            echo "fake dotnet $*"
            echo "error: the fake SDK cannot publish" >&2
            exit 1
            """);

        var result = HlSharpCli.RunWithEnvironment(new Dictionary<string, string> { ["DOTNET_HOST_PATH"] = dotnet },
            "compile", HaxeFixtures.Compile("Hello"), "-o", Out, "--name", "Hello", "--native");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.StderrLines;
        // dotnet's stdout and stderr, in either order (two pipes), then the tool's one line.
        Assert.True(lines.Length == 3, result.ToString());
        Assert.Contains(lines[..2], l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"^fake dotnet publish .*HlSharpNativeHost\.csproj -c Release -r [a-z-]+-[a-z0-9]+ -o .* --nologo --disable-build-servers$"));
        Assert.Contains("error: the fake SDK cannot publish", lines[..2]);
        var failure = lines[2];
        var kept = System.Text.RegularExpressions.Regex.Match(failure, @"^hlsharp: dotnet publish of the native host failed \(exit 1; its output is above; the project is kept in (.+)\)$");
        Assert.True(kept.Success, failure);
        var hostDir = kept.Groups[1].Value;
        try
        {
            // The host project: NativeAOT, the program rooted and referenced by file, HlSharp the tool's own.
            var project = File.ReadAllText(Path.Combine(hostDir, "HlSharpNativeHost.csproj"));
            Assert.Contains("<PublishAot>true</PublishAot>", project, StringComparison.Ordinal);
            Assert.Contains("<TrimmerRootAssembly Include=\"Hello\" />", project, StringComparison.Ordinal);
            Assert.Contains($"<HintPath>{Path.Combine(Out, "Hello.dll")}</HintPath>", project, StringComparison.Ordinal);
            Assert.Contains($"<HintPath>{Path.Combine(Path.GetDirectoryName(HlSharpCli.DllPath)!, "HlSharp.dll")}</HintPath>", project, StringComparison.Ordinal);
            Assert.Equal("return HlSharp.Cli.Hosting.NativeHost.Run(\"Hello\", args);\n", File.ReadAllText(Path.Combine(hostDir, "Program.cs")));
            Assert.True(File.Exists(Path.Combine(hostDir, "ProgramRunner.cs")));
        }
        finally
        {
            Directory.Delete(hostDir, recursive: true);
        }

        // The assembly was written before the publish; the executable was not.
        Assert.Equal($"wrote {Path.Combine(Out, "Hello.dll")}\nwrote {Path.Combine(Out, "HlSharp.dll")}\n", result.Stdout);
        Assert.False(File.Exists(Path.Combine(Out, "Hello")));
    }

    /// <summary>A shell script standing in for <c>dotnet</c>, given to the tool as <c>DOTNET_HOST_PATH</c>.</summary>
    private string FakeDotnet(string body)
    {
        var path = Path.Combine(_temp.FullName, "fake-dotnet");
        File.WriteAllText(path, "#!/bin/sh\n" + body.ReplaceLineEndings("\n") + "\n");
        // UnixFact skips these tests on Windows, where a shell script cannot stand in for dotnet.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
