using HlSharp.Cli.Hosting;

namespace HlSharp.Cli;

/// <summary>What <c>run</c> and <c>watch</c> share: the thread a program runs on, and how its failure reaches the user.</summary>
internal static class ProgramThread
{
    /// <summary>
    /// Runs a program on HashLink's main-thread stack (<see cref="ProgramRunner.RunOnProgramThread"/>);
    /// returns its exit code, or rethrows what it threw on the calling thread (an
    /// <see cref="HlException"/> as the tool's one-line failure naming <paramref name="path"/>).
    /// </summary>
    public static int Run(string path, Func<int> program)
    {
        try
        {
            return ProgramRunner.RunOnProgramThread(program);
        }
        catch (HlException e)
        {
            throw new CommandFailedException($"{path}: {e.Message}", ExitCodes.Failure);
        }
    }
}
