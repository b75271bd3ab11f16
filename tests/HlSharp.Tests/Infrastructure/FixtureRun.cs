using System.Text;
namespace HlSharp.Tests.Infrastructure;

/// <summary>Runs a compiled fixture in this process with captured standard streams.</summary>
internal static class FixtureRun
{
    public static FixtureResult Run(string fixture, IReadOnlyList<string>? args = null, string stdin = "", string[]? compileArgs = null)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        int? exitCode;
        IReadOnlyList<string> missing;
        using (var vm = HlVm.LoadFile(HaxeFixtures.Compile(fixture, compileArgs ?? []), new HlVmOptions
        {
            StandardOutput = stdout,
            StandardError = stderr,
            StandardInput = input,
            Arguments = args ?? [],
            RunEventLoop = true,
        }))
        {
            vm.RunEntry();
            exitCode = vm.ExitCode;
            missing = vm.MissingNatives;
        }

        return new FixtureResult(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), missing);
    }
}

/// <summary>What a fixture run printed, the code it passed to <c>Sys.exit</c> (null when it returned), and the natives it names that HlSharp lacks.</summary>
internal sealed record FixtureResult(int? ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Missing)
{
    public string[] Lines => Stdout.Split('\n');

    /// <summary>The output lines without empty ones.</summary>
    public string[] NonEmptyLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The self-checking lines that failed.</summary>
    public IEnumerable<string> Failures => Lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal));
}
