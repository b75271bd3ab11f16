using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HlSharp.Cli.Hosting;

/// <summary>
/// The <c>dotnet</c> command that <c>--native</c> publishes with: found, checked to have an SDK,
/// and run with its output captured (the user sees it only when a command fails).
/// </summary>
internal sealed class DotnetSdk
{
    private static readonly string ExecutableName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    private DotnetSdk(string executable) => Executable = executable;

    /// <summary>The <c>dotnet</c> executable.</summary>
    public string Executable { get; }

    /// <summary>
    /// Finds a <c>dotnet</c> with an SDK: the one the SDK names for the processes it starts
    /// (<c>DOTNET_HOST_PATH</c>), the one running the tool (<c>dotnet HlSharp.Cli.dll</c>),
    /// <c>DOTNET_ROOT</c>'s, the first on the PATH, or the one whose runtime runs the tool.
    /// </summary>
    /// <exception cref="CommandFailedException">No <c>dotnet</c> is found, or the one found has no SDK.</exception>
    public static DotnetSdk Find()
    {
        var dotnet = Candidates().FirstOrDefault(File.Exists)
            ?? throw new CommandFailedException("--native publishes with the .NET SDK, and no `dotnet` was found (on the PATH, DOTNET_ROOT or DOTNET_HOST_PATH): install the .NET SDK");
        var sdk = new DotnetSdk(dotnet);
        var (exit, output) = sdk.Run(["--list-sdks"], workingDirectory: null);
        if (exit != 0 || string.IsNullOrWhiteSpace(output))
        {
            throw new CommandFailedException($"--native publishes with the .NET SDK, and {dotnet} has none (`dotnet --list-sdks` lists no SDK): install the .NET SDK");
        }

        return sdk;
    }

    /// <summary>Runs <c>dotnet</c> with the arguments and returns its exit code and everything it printed, stdout and stderr interleaved as they came.</summary>
    /// <exception cref="CommandFailedException"><c>dotnet</c> could not be started.</exception>
    public (int ExitCode, string Output) Run(IEnumerable<string> args, string? workingDirectory)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // No banner, no first-run setup: only a failure's output reaches the user.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var output = new System.Text.StringBuilder();
        void Append(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CommandFailedException($"cannot start {Executable}");
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException($"cannot start {Executable}: {e.Message}", e);
        }

        using (process)
        {
            process.OutputDataReceived += Append;
            process.ErrorDataReceived += Append;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath)
        {
            yield return hostPath;
        }

        if (Environment.ProcessPath is { } process && Path.GetFileName(process).Equals(ExecutableName, StringComparison.OrdinalIgnoreCase))
        {
            yield return process;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            yield return Path.Combine(root, ExecutableName);
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(dir, ExecutableName);
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/: the runtime's own install.
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        if (runtime.Parent?.Parent?.Parent is { } install)
        {
            yield return Path.Combine(install.FullName, ExecutableName);
        }
    }
}
