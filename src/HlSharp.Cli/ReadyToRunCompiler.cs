using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HlSharp.Cli;

/// <summary>
/// crossgen2, the .NET SDK's ReadyToRun compiler, as the run cache uses it: it precompiles a
/// program written ahead of time to machine code, so a later run loads code instead of handing
/// thousands of methods to the JIT (the Haxe unit suite: about 5 s from the cache as IL, under a
/// second as ReadyToRun). It is found, not fetched: <c>HLSHARP_CROSSGEN2</c> names the executable
/// (or is <c>off</c>), else it is the newest crossgen2 package of this runtime's major version in
/// the NuGet packages folder, where any <c>dotnet publish -p:PublishReadyToRun=true</c> on the
/// machine leaves it. Without one the cache keeps the program as IL.
/// </summary>
internal sealed class ReadyToRunCompiler
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private ReadyToRunCompiler(string executable) => Executable = executable;

    /// <summary>The crossgen2 executable.</summary>
    public string Executable { get; }

    /// <summary>The crossgen2 to use, or null when there is none or the environment turned it off.</summary>
    public static ReadyToRunCompiler? Find()
    {
        var setting = Environment.GetEnvironmentVariable("HLSHARP_CROSSGEN2");
        if (setting is "off" or "0")
        {
            return null;
        }

        if (!string.IsNullOrEmpty(setting))
        {
            return File.Exists(setting) ? new ReadyToRunCompiler(setting) : null;
        }

        return FindInPackages() is { } found ? new ReadyToRunCompiler(found) : null;
    }

    /// <summary>
    /// Compiles <paramref name="input"/> (which references HlSharp and the framework only) into
    /// <paramref name="output"/>, at low priority, and returns null on success or what crossgen2
    /// printed when it failed or ran longer than five minutes. Cancelling stops crossgen2 and
    /// throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public string? Compile(string input, string output, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            input, "-o", output, "-O",
            "--targetos", TargetOs, "--targetarch", TargetArchitecture,
            // The HlSharp the program was written against is the one this process runs.
            "-r", typeof(HlVm).Assembly.Location,
            "-r", Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"),
        ];
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var printed = new System.Text.StringBuilder();
        void Append(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (printed)
                {
                    printed.Append(e.Data).Append('\n');
                }
            }
        }

        try
        {
            using var process = Process.Start(start) ?? throw new Win32Exception($"cannot start {Executable}");
            process.OutputDataReceived += Append;
            process.ErrorDataReceived += Append;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            TryLowerPriority(process);
            var clock = Stopwatch.StartNew();
            while (!process.WaitForExit(TimeSpan.FromMilliseconds(100)))
            {
                if (cancel.IsCancellationRequested || clock.Elapsed > Limit)
                {
                    process.Kill(entireProcessTree: true);
                    cancel.ThrowIfCancellationRequested();
                    return $"{Executable} ran longer than {Limit.TotalMinutes} minutes and was stopped";
                }
            }

            process.WaitForExit();
            lock (printed)
            {
                return process.ExitCode == 0 && File.Exists(output) ? null : $"{Executable} exited with {process.ExitCode}:\n{printed}";
            }
        }
        catch (Win32Exception e)
        {
            return $"cannot start {Executable}: {e.Message}";
        }
    }

    private static void TryLowerPriority(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or NotSupportedException)
        {
            // It ran out first, or the system does not allow it: it runs at normal priority.
        }
    }

    private static string TargetOs =>
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsFreeBSD() ? "freebsd" : "linux";

    private static string TargetArchitecture => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// <c>microsoft.netcore.app.crossgen2.&lt;rid&gt;/&lt;version&gt;/tools/crossgen2</c> in the NuGet
    /// packages folder: this runtime's version when it is there, else the newest of its major version.
    /// </summary>
    private static string? FindInPackages()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var rid = $"{TargetOs}-{TargetArchitecture}";
        var pack = new DirectoryInfo(Path.Combine(packages, $"microsoft.netcore.app.crossgen2.{rid}"));
        if (!pack.Exists)
        {
            return null;
        }

        var executable = OperatingSystem.IsWindows() ? "crossgen2.exe" : "crossgen2";
        var runtime = Environment.Version;
        return pack.EnumerateDirectories()
            .Select(d => (Directory: d, Version: Version.TryParse(d.Name.Split('-')[0], out var v) ? v : null))
            .Where(c => c.Version is { } v && v.Major == runtime.Major && File.Exists(Path.Combine(c.Directory.FullName, "tools", executable)))
            .OrderByDescending(c => c.Version == new Version(runtime.Major, runtime.Minor, runtime.Build))
            .ThenByDescending(c => c.Version)
            .Select(c => Path.Combine(c.Directory.FullName, "tools", executable))
            .FirstOrDefault();
    }
}
