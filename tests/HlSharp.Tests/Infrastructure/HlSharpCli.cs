using System.Diagnostics;
using System.Reflection;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Runs the <c>hlsharp</c> command line tool as a separate process, the way users run it, and
/// captures its exit code and output. The tool is built with the tests (a project reference that
/// does not reference its assembly), in the same configuration.
/// </summary>
internal static class HlSharpCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> LazyDllPath = new(FindDll);

    /// <summary>The CLI's entry assembly, run with <c>dotnet</c>.</summary>
    public static string DllPath => LazyDllPath.Value;

    /// <summary>Runs <c>hlsharp</c> with the arguments and waits (at most a minute) for it to exit.</summary>
    public static CliResult Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>hlsharp</c> with extra environment variables (<c>TZ</c>, say).</summary>
    public static CliResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // The SDK tells processes it starts where its dotnet is; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(DllPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + dotnet);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hlsharp {string.Join(' ', args)} did not exit within {Timeout.TotalSeconds} s");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindDll()
    {
        var metadata = typeof(HlSharpCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var configuration = metadata.GetValueOrDefault("Configuration") ?? throw new InvalidOperationException("the test assembly does not say its build configuration");
        var framework = metadata.GetValueOrDefault("TargetFramework") ?? throw new InvalidOperationException("the test assembly does not say its target framework");
        var path = Path.Combine(RepoPaths.Root, "src", "HlSharp.Cli", "bin", configuration, framework, "HlSharp.Cli.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"the hlsharp CLI is not built at {path}: build tests/HlSharp.Tests (it builds the CLI) in the {configuration} configuration", path);
    }
}

/// <summary>What a run of the CLI produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The lines written to stderr, without the empty line after the last newline.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
