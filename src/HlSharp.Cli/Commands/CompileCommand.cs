using System.CommandLine;
using HlSharp.Cli.Hosting;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp compile app.hl -o out/ [--name App] [--native]</c>: compiles a program ahead of time
/// into <c>out/App.dll</c> (<see cref="HlCompiler.CompileAssembly(System.ReadOnlySpan{byte}, string, string)"/>) and copies the HlSharp
/// library it runs with next to it, so a host can reference both from one folder and load the
/// program with <c>HlVm.Load(Assembly.Load("App"))</c>. With <c>--native</c> it also publishes a
/// native executable, <c>out/App</c>, that runs the program as <c>hlsharp run app.hl</c> does
/// (<see cref="NativeHostProject"/>, through <c>dotnet publish</c> with NativeAOT; the .NET SDK
/// must be installed). Prints one line per file written.
/// </summary>
internal sealed class CompileCommand : CliCommand
{
    private readonly Argument<string> _file = new("file") { Description = "The .hl bytecode file to compile." };

    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "The folder to write the compiled program into (created if missing).",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string> _name = new("--name")
    {
        Description = "The program's assembly name (App for App.dll), which hosts load it by; by default made from the file's name (game.hl: Game).",
        HelpName = "NAME",
    };

    private readonly Option<bool> _native = new("--native")
    {
        Description = "Also publish a native executable of the program with NativeAOT (needs the .NET SDK; takes a while).",
    };

    public CompileCommand()
        : base("compile", "Compile a .hl program ahead of time into a .NET assembly (App.dll) that hosts and NativeAOT can ship.")
    {
        Arguments.Add(_file);
        Options.Add(_output);
        Options.Add(_name);
        Options.Add(_native);
    }

    protected override int Execute(ParseResult parseResult)
    {
        var path = parseResult.GetRequiredValue(_file);
        var outputDir = parseResult.GetRequiredValue(_output);
        var name = parseResult.GetValue(_name);
        if (name is null)
        {
            name = ProgramName.FromFile(path);
            ProgramName.Check(name, $"{path}: the name made from the file's name,");
        }
        else
        {
            ProgramName.Check(name, "--name");
        }

        var native = parseResult.GetValue(_native);
        var output = parseResult.InvocationConfiguration.Output;

        // Everything that can fail before the slow part fails first: the file, the SDK, the folder.
        var bytecode = BytecodeFile.ReadBytes(path);
        _ = BytecodeFile.Parse(path, bytecode);
        var dotnet = native ? DotnetSdk.Find() : null;
        CreateFolder(outputDir);

        var dll = Compile(bytecode, path, name, outputDir);
        output.WriteLine($"wrote {dll}");
        output.WriteLine($"wrote {CopyLibrary(outputDir)}");

        if (dotnet is not null)
        {
            output.WriteLine($"wrote {PublishNative(dotnet, dll, name, outputDir, parseResult.InvocationConfiguration.Error)}");
        }

        return ExitCodes.Success;
    }

    private static void CreateFolder(string outputDir)
    {
        try
        {
            Directory.CreateDirectory(outputDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CommandFailedException($"{outputDir}: cannot create the output folder: {e.Message}", e);
        }
    }

    private static string Compile(byte[] bytecode, string path, string name, string outputDir)
    {
        try
        {
            return HlCompiler.CompileAssembly(bytecode, name, outputDir);
        }
        catch (HlException e)
        {
            throw new CommandFailedException($"{path}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new CommandFailedException($"{path}: cannot be compiled ahead of time: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{outputDir}: cannot write {name}.dll: {e.Message}", e);
        }
    }

    /// <summary>The compiled program calls HlSharp's internals: it runs with the very HlSharp.dll the tool runs with, copied beside it.</summary>
    private static string CopyLibrary(string outputDir)
    {
        var library = typeof(HlVm).Assembly.Location;
        if (library.Length == 0)
        {
            throw new CommandFailedException("this hlsharp carries HlSharp.dll inside a single-file executable and cannot copy it next to the program: run the tool as a .NET tool or from a build");
        }

        var target = Path.Combine(outputDir, Path.GetFileName(library));
        if (Path.GetFullPath(target) != Path.GetFullPath(library))
        {
            try
            {
                File.Copy(library, target, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException($"{outputDir}: cannot write {Path.GetFileName(library)}: {e.Message}", e);
            }
        }

        return target;
    }

    private static string PublishNative(DotnetSdk dotnet, string dll, string name, string outputDir, TextWriter log)
    {
        var workDir = Directory.CreateTempSubdirectory("hlsharp-native-").FullName;
        var executable = NativeHostProject.Publish(dotnet, dll, name, workDir, log);
        var target = Path.Combine(outputDir, name + Path.GetExtension(executable));
        try
        {
            File.Copy(executable, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{outputDir}: cannot write {Path.GetFileName(target)}: {e.Message}", e);
        }

        // Kept when the publish failed (NativeHostProject says where), removed once it succeeded.
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is not worth failing a build that succeeded.
        }

        return target;
    }
}
