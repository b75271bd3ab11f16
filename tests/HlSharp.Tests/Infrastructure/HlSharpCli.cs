namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Runs the <c>hlsharp</c> command line tool as a separate process, the way users run it, and
/// captures its exit code and output. The tool is built with the tests (a project reference that
/// does not reference its assembly), in the same configuration.
/// </summary>
internal static class HlSharpCli
{
    private static readonly Lazy<string> LazyDllPath = new(() => DotnetProgram.BuiltDll(Path.Combine("src", "HlSharp.Cli"), "HlSharp.Cli"));

    /// <summary>The CLI's entry assembly, run with <c>dotnet</c>.</summary>
    public static string DllPath => LazyDllPath.Value;

    /// <summary>Runs <c>hlsharp</c> with the arguments and waits (at most a minute) for it to exit.</summary>
    public static CliResult Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>
    /// Runs <c>hlsharp</c> with extra environment variables (<c>TZ</c>, say). The program cache of
    /// <c>hlsharp run</c> is off unless the variables set <c>HLSHARP_CACHE</c>: a test's run must
    /// not depend on, or fill, the user's cache.
    /// </summary>
    public static CliResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        DotnetProgram.Run(DllPath, WithoutCache(environment), args);

    /// <summary>Runs <c>hlsharp</c> with a longer limit than a minute, for a command that publishes with NativeAOT.</summary>
    public static CliResult RunSlow(TimeSpan timeout, params string[] args) =>
        DotnetProgram.Run(DllPath, WithoutCache(new Dictionary<string, string>()), args, timeout);

    private static IReadOnlyDictionary<string, string> WithoutCache(IReadOnlyDictionary<string, string> environment) =>
        environment.ContainsKey("HLSHARP_CACHE") ? environment : new Dictionary<string, string>(environment) { ["HLSHARP_CACHE"] = "off" };
}
