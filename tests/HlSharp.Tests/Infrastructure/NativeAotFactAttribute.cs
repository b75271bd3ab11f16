namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Why a NativeAOT test is skipped, or null when it runs: it publishes with NativeAOT (ten to
/// thirty seconds each on a small machine), so a developer may skip it locally with
/// <c>HLSHARP_SKIP_NATIVEAOT=1</c>; CI does not set it and runs it.
/// </summary>
internal static class NativeAot
{
    public const string Category = "NativeAot";

    /// <summary>
    /// The text with the <c>(File.hx:line)</c> of each Haxe stack frame left out (lines starting
    /// <c>Called from</c> or <c>at</c>): under NativeAOT stack frames carry no IL offset, so a
    /// compiled program's Haxe frames name their function without its line (docs/AHEAD-OF-TIME.md
    /// section 4). Everything else must be the same.
    /// </summary>
    public static string WithoutStackPositions(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^(\s*(?:Called from |at ).*?)\([^()\s]+:\d+\)$", "$1");

    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("HLSHARP_SKIP_NATIVEAOT") == "1"
            ? "HLSHARP_SKIP_NATIVEAOT=1: this test publishes with NativeAOT, which takes tens of seconds; unset the variable to run it (CI runs it)"
            : null;
}

/// <summary>A test that publishes with NativeAOT: skipped when <c>HLSHARP_SKIP_NATIVEAOT=1</c> (<see cref="NativeAot.SkipReason"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (NativeAot.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory whose every case publishes with NativeAOT: skipped when <c>HLSHARP_SKIP_NATIVEAOT=1</c> (<see cref="NativeAot.SkipReason"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NativeAotTheoryAttribute : TheoryAttribute
{
    public NativeAotTheoryAttribute()
    {
        if (NativeAot.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs a Unix shell script as an executable (a stand-in for <c>dotnet</c>): skipped on Windows.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs a Unix shell script as a stand-in executable";
        }
    }
}
