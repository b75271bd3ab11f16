namespace HlSharp.Cli;

/// <summary>How a command's failure reaches the user: one line on stderr (<c>hlsharp: message</c>) and an exit code, never a stack trace.</summary>
internal static class Failures
{
    /// <summary>Runs a command and returns its exit code, or reports what it threw and returns the failure's code.</summary>
    public static int Report(TextWriter error, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (CommandFailedException e)
        {
            return Fail(error, e.Message, e.ExitCode);
        }
#pragma warning disable CA1031 // The CLI's contract is one line per failure, whatever failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail(error, $"internal error: {e.GetType().Name}: {e.Message}", ExitCodes.Failure);
        }
    }

    private static int Fail(TextWriter error, string message, int exitCode)
    {
        error.WriteLine("hlsharp: " + message);
        return exitCode;
    }
}
