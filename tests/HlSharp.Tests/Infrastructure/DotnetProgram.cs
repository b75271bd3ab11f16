using System.Diagnostics;
using System.Reflection;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Runs a .NET program of this repository that the tests build (a project reference that does not
/// reference its assembly) as a separate process with <c>dotnet</c>, the way users run it, and
/// captures its exit code and output. Used for the <c>hlsharp</c> tool and the samples.
/// </summary>
internal static class DotnetProgram
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<(string Configuration, string Framework)> LazyBuild = new(ReadBuild);

    /// <summary>
    /// The entry assembly of the project in <paramref name="projectDir"/> (relative to the
    /// repository), built in the tests' own configuration and target framework.
    /// </summary>
    public static string BuiltDll(string projectDir, string assemblyName)
    {
        var (configuration, framework) = LazyBuild.Value;
        var path = Path.Combine(RepoPaths.Root, projectDir, "bin", configuration, framework, assemblyName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{assemblyName} is not built at {path}: build tests/HlSharp.Tests (it builds {projectDir}) in the {configuration} configuration", path);
    }

    /// <summary>Runs <c>dotnet dll args...</c> with extra environment variables and waits (at most a minute, or <paramref name="timeout"/>) for it to exit.</summary>
    public static CliResult Run(string dll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        // The SDK tells processes it starts where its dotnet is; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return RunExecutable(dotnet, environment, [dll, .. args], timeout);
    }

    /// <summary>Runs an executable (a native one the tests published, or <c>dotnet</c>) and waits (at most a minute, or <paramref name="timeout"/>) for it to exit.</summary>
    public static CliResult RunExecutable(string executable, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var limit = timeout ?? Timeout;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + executable);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)} did not exit within {limit.TotalSeconds} s");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static (string, string) ReadBuild()
    {
        var metadata = typeof(DotnetProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var configuration = metadata.GetValueOrDefault("Configuration") ?? throw new InvalidOperationException("the test assembly does not say its build configuration");
        var framework = metadata.GetValueOrDefault("TargetFramework") ?? throw new InvalidOperationException("the test assembly does not say its target framework");
        return (configuration, framework);
    }
}

/// <summary>What a run of a program produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The lines written to stderr, without the empty line after the last newline.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
