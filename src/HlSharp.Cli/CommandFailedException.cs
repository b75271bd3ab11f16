namespace HlSharp.Cli;

/// <summary>
/// Ends a command with a message for the user and an exit code. <see cref="CliCommand"/> prints
/// the message as one line on stderr; nothing else about the exception reaches the user.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message, int exitCode = ExitCodes.Failure)
        : base(message) => ExitCode = exitCode;

    public CommandFailedException()
        : this("the command failed")
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Failure;

    /// <summary>The process exit code to end with.</summary>
    public int ExitCode { get; }
}
