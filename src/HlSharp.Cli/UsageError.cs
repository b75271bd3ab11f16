using System.CommandLine;
using System.CommandLine.Parsing;

namespace HlSharp.Cli;

/// <summary>
/// Reports a command line that does not parse as one line on stderr, with a pointer to the help of
/// the command it was meant for. System.CommandLine's default prints every error and then the
/// whole help text, which buries the one thing that went wrong.
/// </summary>
internal static class UsageError
{
    public static int Report(ParseResult parsed)
    {
        Console.Error.WriteLine($"hlsharp: {Describe(parsed)} (see '{PathOf(parsed.CommandResult)} --help')");
        return ExitCodes.Failure;
    }

    private static string Describe(ParseResult parsed)
    {
        // An unknown word explains the other errors (a missing command, an unmatched argument),
        // so it is the one worth showing.
        if (parsed.UnmatchedTokens.Count > 0 && parsed.CommandResult.Command == parsed.RootCommandResult.Command)
        {
            return $"unknown command '{parsed.UnmatchedTokens[0]}'";
        }

        if (parsed.UnmatchedTokens.Count > 0)
        {
            return $"unexpected argument '{parsed.UnmatchedTokens[0]}'";
        }

        if (parsed.CommandResult.Command == parsed.RootCommandResult.Command)
        {
            return "no command given";
        }

        var message = parsed.Errors[0].Message.TrimEnd('.');
        return message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..];
    }

    private static string PathOf(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
