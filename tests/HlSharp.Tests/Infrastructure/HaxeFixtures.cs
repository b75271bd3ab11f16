using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Compiles the Haxe fixture programs under <c>tests/fixtures/&lt;name&gt;/</c> (main class
/// <c>Main</c>) to HashLink bytecode with the <c>haxe</c> on the machine. Results are cached under
/// <c>.cache/fixtures</c> by a hash of the sources, the arguments and the compiler version, so an
/// unchanged fixture is compiled once; tests running in parallel share one compilation.
/// </summary>
internal static class HaxeFixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Compiled = new();
    private static readonly Lazy<string> HaxeVersion = new(ReadHaxeVersion);

    /// <summary>Returns the path of the compiled <c>.hl</c> for a fixture, compiling it if needed.</summary>
    public static string Compile(string fixture, params string[] extraArgs)
    {
        var key = fixture + "\0" + string.Join('\0', extraArgs);
        return Compiled.GetOrAdd(key, _ => new Lazy<string>(() => CompileNow(fixture, extraArgs))).Value;
    }

    /// <summary>The class path of the repository's haxelib <c>hlsharp</c> (<c>haxe/src</c>).</summary>
    public static string LibraryClassPath => Path.Combine(RepoPaths.Root, "haxe", "src");

    /// <summary>Compiles a fixture that uses the <c>hlsharp</c> haxelib, through <c>-cp haxe/src</c>.</summary>
    public static string CompileWithLibrary(string fixture, params string[] extraArgs) => Compile(fixture, ["-cp", LibraryClassPath, .. extraArgs]);

    /// <summary>Reads the compiled bytes of a fixture.</summary>
    public static byte[] Bytes(string fixture, params string[] extraArgs) => File.ReadAllBytes(Compile(fixture, extraArgs));

    /// <summary>The output of <c>haxe --version</c> on this machine (for example <c>4.2.5</c>).</summary>
    public static string Version => HaxeVersion.Value;

    private static string CompileNow(string fixture, string[] extraArgs)
    {
        var dir = Path.Combine(RepoPaths.Fixtures, fixture);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"no fixture folder {dir}");
        }

        var hash = Hash(dir, extraArgs);
        var cacheDir = Path.Combine(RepoPaths.Cache, "fixtures");
        Directory.CreateDirectory(cacheDir);
        // A fixture may be a folder of versions (ReloadBody/v1): the cache is flat.
        var output = Path.Combine(cacheDir, $"{fixture.Replace('/', '-')}-{hash}.hl");
        if (File.Exists(output))
        {
            return output;
        }

        var temp = output + "." + Environment.ProcessId + ".tmp";
        var args = new List<string> { "-cp", dir, "-main", "Main", "-hl", temp };
        args.AddRange(extraArgs);
        var (exit, text) = RunHaxe(args);
        if (exit != 0 || !File.Exists(temp))
        {
            throw new InvalidOperationException($"haxe failed to compile fixture '{fixture}' (exit {exit}):\n{text}");
        }

        File.Move(temp, output, overwrite: true);
        return output;
    }

    private static string Hash(string dir, string[] extraArgs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(HaxeVersion.Value + "\n" + string.Join('\n', extraArgs) + "\n"));
        // The fixture's own folder, and every extra class path it is compiled with: a change to either recompiles.
        var classPaths = extraArgs.Skip(1).Where((arg, i) => extraArgs[i] == "-cp" && Directory.Exists(arg));
        foreach (var root in classPaths.Prepend(dir))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\n"));
                sha.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static string ReadHaxeVersion()
    {
        var (exit, text) = RunHaxe(["--version"]);
        return exit == 0 ? text.Trim() : throw new InvalidOperationException("`haxe --version` failed: " + text);
    }

    /// <summary>
    /// Runs <c>haxe</c> with the given arguments and returns its exit code and output. The working
    /// directory matters to callers that compare output: haxe records source paths relative to it.
    /// </summary>
    public static (int Exit, string Output) RunHaxe(IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("haxe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start haxe");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("the Haxe compiler `haxe` is not on PATH: run the README's test command, which installs it", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("haxe did not finish in 3 minutes");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
