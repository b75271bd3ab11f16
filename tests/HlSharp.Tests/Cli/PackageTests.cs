using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>
/// The two packages, as a user gets them: <c>dotnet pack</c> makes the <c>HlSharp</c> library and
/// the <c>HlSharp.Cli</c> tool (command <c>hlsharp</c>) from the built projects, the tool installs
/// from a local folder with <c>dotnet tool install</c>, and runs the sample. Nothing touches the
/// network or the machine's NuGet caches: the install reads a NuGet config naming only the
/// folder, and restores into a packages folder of its own (a cached copy of the same version
/// would otherwise hide a fresh pack). About 5 s; skip it locally with
/// <c>--filter Category!=Packaging</c> (<c>./test.sh</c> runs it).
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_packed_tool_installs_from_a_local_folder_and_runs_the_sample()
    {
        var temp = Directory.CreateTempSubdirectory("hlsharp-pack-");
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(temp.FullName, "feed")).FullName;
            var configuration = typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Configuration").Value!;

            // --no-build: the projects are built already, with the tests, in this configuration.
            Dotnet(temp.FullName, "pack", Path.Combine(RepoPaths.Root, "src", "HlSharp"), "-c", configuration, "--no-build", "-o", feed);
            Dotnet(temp.FullName, "pack", Path.Combine(RepoPaths.Root, "src", "HlSharp.Cli"), "-c", configuration, "--no-build", "-o", feed);

            var library = Assert.Single(Directory.GetFiles(feed, "HlSharp.*.nupkg"), p => !Path.GetFileName(p).StartsWith("HlSharp.Cli.", StringComparison.Ordinal));
            var tool = Assert.Single(Directory.GetFiles(feed, "HlSharp.Cli.*.nupkg"));
            var version = Path.GetFileNameWithoutExtension(tool)["HlSharp.Cli.".Length..];
            AssertPackage(library, "HlSharp", version, "lib/net10.0/HlSharp.dll");
            AssertPackage(tool, "HlSharp.Cli", version, "tools/net10.0/any/HlSharp.Cli.dll");

            var config = Path.Combine(temp.FullName, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(temp.FullName, "tools");
            Dotnet(temp.FullName, "tool", "install", "--tool-path", tools, "--configfile", config, "HlSharp.Cli", "--version", version);

            var (exit, stdout, stderr) = Run(temp.FullName, Path.Combine(tools, OperatingSystem.IsWindows() ? "hlsharp.exe" : "hlsharp"),
                "run", Path.Combine(RepoPaths.Root, "samples", "hello", "hello.hl"));

            Assert.True(exit == 0, $"hlsharp run exited with {exit}\n{stdout}\n{stderr}");
            Assert.Equal(
                """
                Hello from Haxe, running on HlSharp!
                HlSharp says hello to Ada (greeting #1)
                HlSharp says hello to Grace (greeting #2)
                HlSharp says hello to Linus (greeting #3)
                squares: 1 4 9 16 25 (sum 55)
                name lengths: Ada=3, Grace=5, Linus=5
                Hello.hx:50: done

                """.ReplaceLineEndings("\n"),
                stdout);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>The package's id, version, license and readme, and the assembly it carries.</summary>
    private static void AssertPackage(string path, string id, string version, string assembly)
    {
        using var zip = ZipFile.OpenRead(path);
        Assert.Contains(zip.Entries, e => e.FullName == assembly);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(id, Value("id"));
        Assert.Equal(version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
    }

    private static void Dotnet(string workingDirectory, params string[] args)
    {
        // The SDK tells processes it starts where its dotnet is; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var (exit, stdout, stderr) = Run(workingDirectory, dotnet, args);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} exited with {exit}\n{stdout}\n{stderr}");
    }

    private static (int Exit, string Stdout, string Stderr) Run(string workingDirectory, string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        if (args is ["tool", "install", ..])
        {
            // A packages folder of the install's own: nothing cached elsewhere is used, and nothing
            // is left behind. (Packing reads the packages the build restored, where the build put them.)
            start.Environment["NUGET_PACKAGES"] = Path.Combine(workingDirectory, "packages");
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not exit within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
