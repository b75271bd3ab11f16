using System.CommandLine;

namespace HlSharp.Cli;

/// <summary>
/// A subcommand of <c>hlsharp</c>. Subclasses declare their arguments and implement
/// <see cref="Execute"/>; this base turns every failure into one line on stderr
/// (<c>hlsharp: message</c>) and an exit code, so users never see a stack trace.
/// </summary>
internal abstract class CliCommand : Command
{
    private protected CliCommand(string name, string description)
        : base(name, description) => SetAction(Invoke);

    /// <summary>Runs the command and returns its exit code; throws <see cref="CommandFailedException"/> to fail with a message.</summary>
    protected abstract int Execute(ParseResult parseResult);

    /// <summary>Writes a failure as the single line users see.</summary>
    private static int Fail(ParseResult parseResult, string message, int exitCode)
    {
        parseResult.InvocationConfiguration.Error.WriteLine("hlsharp: " + message);
        return exitCode;
    }

    private int Invoke(ParseResult parseResult)
    {
        try
        {
            return Execute(parseResult);
        }
        catch (CommandFailedException e)
        {
            return Fail(parseResult, e.Message, e.ExitCode);
        }
#pragma warning disable CA1031 // The CLI's contract is one line per failure, whatever failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail(parseResult, $"internal error: {e.GetType().Name}: {e.Message}", ExitCodes.Failure);
        }
    }
}
