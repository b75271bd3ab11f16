namespace HlSharp.Tests.Infrastructure;

/// <summary>crossgen2, fetched for the run cache's ReadyToRun tests the way the SDK fetches it for a ReadyToRun publish.</summary>
internal static class Crossgen2
{
    /// <summary>
    /// Restores a project that publishes ReadyToRun for this machine (so NuGet holds the crossgen2
    /// package this SDK picks) and returns the crossgen2 executable in it.
    /// </summary>
    public static string Restore(string projectDirectory)
    {
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        Directory.CreateDirectory(projectDirectory);
        File.WriteAllText(Path.Combine(projectDirectory, "restore.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>{rid}</RuntimeIdentifier>
                <PublishReadyToRun>true</PublishReadyToRun>
              </PropertyGroup>
            </Project>
            """);
        var restore = DotnetProgram.RunExecutable("dotnet", new Dictionary<string, string>(), ["restore", "--nologo"], TimeSpan.FromMinutes(5), projectDirectory);
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var pack = Path.Combine(packages, "microsoft.netcore.app.crossgen2." + rid);
        var executable = OperatingSystem.IsWindows() ? "crossgen2.exe" : "crossgen2";
        return Directory.GetDirectories(pack)
            .Select(d => Path.Combine(d, "tools", executable))
            .Where(File.Exists)
            .OrderByDescending(p => p, StringComparer.Ordinal)
            .First();
    }
}
