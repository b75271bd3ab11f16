using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HlSharp.Cli.Hosting;

/// <summary>
/// The host project <c>hlsharp compile --native</c> publishes with NativeAOT: written into a
/// temporary folder, it references the compiled program and the HlSharp library the tool runs
/// with, compiles <see cref="NativeHost"/> and <see cref="ProgramRunner"/> from the sources
/// embedded in the tool (so the executable runs a program exactly as <c>hlsharp run</c> does), and
/// is published with <c>dotnet publish</c> for the machine's runtime identifier.
/// </summary>
internal static partial class NativeHostProject
{
    /// <summary>The sources the host compiles, embedded in the tool under these names (HlSharp.Cli.csproj).</summary>
    private static readonly string[] EmbeddedSources = ["NativeHost/NativeHost.cs", "NativeHost/ProgramRunner.cs", "NativeHost/ExitCodes.cs"];

    /// <summary>
    /// Publishes a native executable of the compiled program <paramref name="programDll"/> (whose
    /// assembly name is <paramref name="name"/>) and returns the path of the executable in the
    /// publish folder, inside <paramref name="workDir"/>.
    /// </summary>
    /// <exception cref="CommandFailedException"><c>dotnet publish</c> failed: its output was written to <paramref name="log"/> first.</exception>
    public static string Publish(DotnetSdk dotnet, string programDll, string name, string workDir, TextWriter log)
    {
        var library = typeof(HlVm).Assembly.Location;
        if (library.Length == 0)
        {
            throw new CommandFailedException("--native needs HlSharp.dll as a file, and this hlsharp carries it inside a single-file executable: run the tool as a .NET tool or from a build");
        }

        var project = Path.Combine(workDir, ProgramName.NativeHostAssembly + ".csproj");
        File.WriteAllText(project, ProjectFile(library, programDll, name));
        File.WriteAllText(Path.Combine(workDir, "Program.cs"), $"return HlSharp.Cli.Hosting.NativeHost.Run(\"{name}\", args);\n");
        foreach (var source in EmbeddedSources)
        {
            using var stream = typeof(NativeHostProject).Assembly.GetManifestResourceStream(source)
                ?? throw new InvalidOperationException($"the tool lacks its embedded source {source}");
            using var file = File.Create(Path.Combine(workDir, Path.GetFileName(source)));
            stream.CopyTo(file);
        }

        // Empty MSBuild and NuGet imports stop the search upwards, so nothing in a parent folder
        // of the temporary folder (a Directory.Build.props, central package versions) changes the build.
        foreach (var import in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            File.WriteAllText(Path.Combine(workDir, import), "<Project />\n");
        }

        var publishDir = Path.Combine(workDir, "publish");
        var rid = RuntimeIdentifier();
        // No build servers: a server left running would outlive the tool, holding its output pipes.
        var (exit, output) = dotnet.Run(
            ["publish", project, "-c", "Release", "-r", rid, "-o", publishDir, "--nologo", "--disable-build-servers"],
            workDir);
        var executable = Path.Combine(publishDir, ProgramName.NativeHostAssembly + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (exit != 0 || !File.Exists(executable))
        {
            log.Write(output);
            log.Flush();
            throw new CommandFailedException(exit != 0
                ? $"dotnet publish of the native host failed (exit {exit}; its output is above; the project is kept in {workDir})"
                : $"dotnet publish of the native host wrote no {executable} (its output is above; the project is kept in {workDir})");
        }

        ReportAotWarnings(output, log);
        return executable;
    }

    /// <summary>
    /// A publish that succeeded with trimming or AOT warnings made an executable that may fail
    /// where they point (code trimmed away, code that needs generating): say so in one line, with
    /// the first of them, though dotnet's output is otherwise shown only when the publish fails.
    /// </summary>
    private static void ReportAotWarnings(string output, TextWriter log)
    {
        var warnings = output.Split('\n')
            .Where(l => AotWarning().IsMatch(l))
            .Select(l => l.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (warnings.Count > 0)
        {
            log.WriteLine($"hlsharp: warning: dotnet publish reported {warnings.Count} trimming or AOT warning(s); the executable may fail where they point. The first: {warnings[0]}");
            log.Flush();
        }
    }

    /// <summary>ILLink's and ILCompiler's warnings: IL2xxx (trimming) and IL3xxx (AOT).</summary>
    [GeneratedRegex(@"\bwarning IL[23]\d{3}\b")]
    private static partial Regex AotWarning();

    /// <summary>
    /// The runtime identifier to publish for: this machine's, in the portable form NativeAOT's
    /// packages are published for (<c>linux-x64</c>, <c>win-arm64</c>); a distribution-specific
    /// identifier of a source-built runtime (<c>debian.12-x64</c>) becomes the portable one.
    /// </summary>
    internal static string RuntimeIdentifier()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : OperatingSystem.IsLinux() ? (rid.Contains("musl", StringComparison.Ordinal) ? "linux-musl" : "linux")
            : throw new CommandFailedException($"--native does not know the runtime identifier to publish for on {RuntimeInformation.OSDescription} ({rid})");
        return $"{os}-{arch}";
    }

    private static string ProjectFile(string library, string programDll, string name)
    {
        // HlSharp's target framework: the host must target what the library was built for.
        var framework = typeof(HlVm).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName
            ?? throw new InvalidOperationException("HlSharp.dll does not say its target framework");
        var version = new FrameworkName(framework).Version;
        var project = new XElement("Project",
            new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("OutputType", "Exe"),
                new XElement("TargetFramework", $"net{version.Major}.{version.Minor}"),
                new XElement("AssemblyName", ProgramName.NativeHostAssembly),
                new XElement("RootNamespace", "HlSharp.Cli.Hosting"),
                new XElement("Nullable", "enable"),
                new XElement("ImplicitUsings", "enable"),
                new XElement("PublishAot", "true"),
                // As the tool itself runs: hlsharp run and the executable format numbers alike.
                new XElement("InvariantGlobalization", "true"),
                // Each trimming or AOT warning on its own, so the one reported names its code, not only its assembly.
                new XElement("TrimmerSingleWarn", "false"),
                new XElement("SatelliteResourceLanguages", "en")),
            new XElement("ItemGroup",
                Reference("HlSharp", library),
                Reference(name, programDll),
                // The program is loaded by name (Assembly.Load), which the trimmer cannot see.
                new XElement("TrimmerRootAssembly", new XAttribute("Include", name))));
        return project.ToString() + "\n";
    }

    private static XElement Reference(string name, string path) =>
        new("Reference", new XAttribute("Include", name), new XElement("HintPath", MsBuildEscape(Path.GetFullPath(path))));

    /// <summary>MSBuild reads <c>% $ @ ' ; ? *</c> in an item as its own syntax; a path holding one must escape it.</summary>
    private static string MsBuildEscape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c is '%' or '$' or '@' or '\'' or ';' or '?' or '*' ? $"%{(int)c:X2}" : c.ToString());
        }

        return escaped.ToString();
    }
}
