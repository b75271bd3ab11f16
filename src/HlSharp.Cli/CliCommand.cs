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

    private int Invoke(ParseResult parseResult) =>
        Failures.Report(parseResult.InvocationConfiguration.Error, () => Execute(parseResult));
}
