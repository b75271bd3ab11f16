using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace HlSharp.Bench;

/// <summary>
/// The bytecode files the benchmarks read, by name: <c>large</c>, <c>embedding</c> and <c>threads</c>, the
/// repository's own programs under <c>bench/programs/</c>, compiled by <c>haxe</c> into
/// <c>.cache/bench/</c> the first time they are asked for (keyed by a hash of their sources and the
/// compiler version, so an edit recompiles them); and <c>external</c>, any file named by
/// <see cref="ExternalVariable"/>, such as the Haxe unit suite compiled by hand, which is too large
/// and too foreign to commit.
/// </summary>
public static class BenchPrograms
{
    /// <summary>The environment variable naming an extra .hl file to benchmark.</summary>
    public const string ExternalVariable = "HLSHARP_BENCH_HL";

    /// <summary>The name of the repository's own large program.</summary>
    public const string Large = "large";

    /// <summary>The name of the small program the embedding benchmarks call into.</summary>
    public const string Embedding = "embedding";

    /// <summary>The name of the program the threading benchmarks call into, compiled with the hlsharp haxelib.</summary>
    public const string Threads = "threads";

    /// <summary>The name of the program the dedicated-thread latency program posts calls to.</summary>
    public const string Dedicated = "dedicated";

    /// <summary>The name of the program the thread scaling benchmarks run on several threads.</summary>
    public const string Scaling = "scaling";

    /// <summary>The name of the program the virtual access benchmarks call into.</summary>
    public const string Virtuals = "virtuals";

    /// <summary>The name of the program the call benchmarks loop in, one loop per kind of call.</summary>
    public const string Calls = "calls";

    /// <summary>The name of the file given by <see cref="ExternalVariable"/>.</summary>
    public const string External = "external";

    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);

    /// <summary>
    /// The programs the reading benchmarks measure: always <see cref="Large"/>, plus
    /// <see cref="External"/> when the variable is set. BenchmarkDotNet runs each case in a child
    /// process, which inherits the variable.
    /// </summary>
    public static IEnumerable<string> Names()
    {
        yield return Large;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ExternalVariable)))
        {
            yield return External;
        }
    }

    /// <summary>
    /// The whole-program workloads under <c>bench/programs/</c> that <c>bench/programs/run.sh</c>
    /// times: every directory there but <see cref="Large"/> and <see cref="Embedding"/>, which are inputs of other benchmarks.
    /// </summary>
    public static IReadOnlyList<string> TimedPrograms() =>
        [.. Directory.EnumerateDirectories(Path.Combine(RepoRoot.Value, "bench", "programs"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not (Large or Embedding or Threads or Dedicated or Scaling or Virtuals or Calls))
            .Order(StringComparer.Ordinal)];

    /// <summary>Returns the path of a program's .hl file, compiling the repository's program if needed.</summary>
    public static string PathOf(string name) => name switch
    {
        Large or Embedding or Threads or Dedicated or Scaling or Virtuals or Calls => Compile(name),
        _ when TimedPrograms().Contains(name, StringComparer.Ordinal) => Compile(name),
        External => Environment.GetEnvironmentVariable(ExternalVariable) is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{ExternalVariable} must name an existing .hl file", Environment.GetEnvironmentVariable(ExternalVariable)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown benchmark program"),
    };

    private static string Compile(string name)
    {
        var source = Path.Combine(RepoRoot.Value, "bench", "programs", name);
        var version = RunHaxe(["--version"], source).Trim();
        // The threading program uses the repository's haxelib (haxe/src), which its hash covers too.
        string[] classPaths = name == Threads ? [Path.Combine(RepoRoot.Value, "haxe", "src")] : [];
        var output = Path.Combine(RepoRoot.Value, ".cache", "bench", $"{name}-{Hash([source, .. classPaths], version)}.hl");
        if (File.Exists(output))
        {
            return output;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        // Compile beside the final name and move, so a benchmark process started in parallel never
        // reads a half-written file.
        var temp = $"{output}.{Environment.ProcessId}.tmp";
        RunHaxe(["-main", "Main", "-hl", temp, .. classPaths.SelectMany(cp => new[] { "-cp", cp })], source);
        File.Move(temp, output, overwrite: true);
        return output;
    }

    private static string Hash(string[] dirs, string haxeVersion)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(haxeVersion + "\n"));
        foreach (var dir in dirs)
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.hx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, file) + "\n"));
                sha.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static string RunHaxe(IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("haxe")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start haxe");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("the benchmarks compile bench/programs/ with `haxe`, which is not on PATH (./test.sh installs it)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("haxe did not finish in 5 minutes");
            }

            var text = stdout.Result + stderr.Result;
            return process.ExitCode == 0
                ? text
                : throw new InvalidOperationException($"haxe {string.Join(' ', start.ArgumentList)} failed (exit {process.ExitCode}):\n{text}");
        }
    }

    private static string FindRepoRoot()
    {
        // BenchmarkDotNet runs each case from a generated project under this project's bin/, so the
        // repository is found by walking up from the binaries; the working directory is a fallback
        // for binaries copied elsewhere.
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HlSharp.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"cannot find HlSharp.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
