using System.Reflection;

namespace HlSharp.Cli.Hosting;

/// <summary>
/// The program of a native executable that <c>hlsharp compile --native</c> publishes: loads the
/// compiled program by name and runs it as <c>hlsharp run</c> runs a <c>.hl</c> file
/// (<see cref="ProgramRunner"/>). The tool itself never calls it: its source is embedded in the
/// tool and compiled into the host project (<see cref="NativeHostProject"/>), whose one line of
/// <c>Program.cs</c> calls <see cref="Run"/>. Like <see cref="ProgramRunner"/>, it may use only
/// the public API of HlSharp and the BCL.
/// </summary>
internal static class NativeHost
{
    /// <summary>
    /// Runs the compiled program <paramref name="programAssembly"/> (referenced by the host and kept
    /// by NativeAOT as a trimmer root) with the command line's arguments; returns the process exit
    /// code. A failure that is not the program's own uncaught exception is one line on stderr,
    /// <c>Name: message</c>, with exit code 1, as <c>hlsharp run</c> reports it
    /// (<c>hlsharp: app.hl: message</c>).
    /// </summary>
    public static int Run(string programAssembly, string[] args)
    {
        try
        {
            return ProgramRunner.RunOnProgramThread(() => RunProgram(programAssembly, args));
        }
        catch (HlException e)
        {
            return Fail($"{programAssembly}: {e.Message}");
        }
#pragma warning disable CA1031 // As the tool's contract: one line per failure, whatever failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail($"{programAssembly}: internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    private static int RunProgram(string programAssembly, string[] args)
    {
        // By name: C# cannot name the compiled assembly's types (docs/AHEAD-OF-TIME.md), and the
        // host project's TrimmerRootAssembly keeps the whole assembly in the native image.
        var compiled = Assembly.Load(programAssembly);
        using var vm = HlVm.Load(compiled, new HlVmOptions { Arguments = args, ProgramPath = Environment.ProcessPath, RunEventLoop = true });
        return ProgramRunner.RunToEnd(vm);
    }

    private static int Fail(string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine(message);
        return ExitCodes.Failure;
    }
}
