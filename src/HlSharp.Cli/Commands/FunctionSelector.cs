using System.Globalization;
using HlSharp.Bytecode;

namespace HlSharp.Cli.Commands;

/// <summary>
/// Picks functions by what a user types after <c>--function</c>: an index (<c>fun#12</c> or
/// <c>12</c>), an exact name (<c>Main.main</c>), or else every function whose name contains the text.
/// An exact match wins over substrings, so <c>Main.main</c> never also lists <c>Main.mainLoop</c>.
/// </summary>
internal static class FunctionSelector
{
    public const string Help =
        "List only some functions: an index (fun#12 or 12), an exact name (Main.main), " +
        "or else every function whose name contains the text (case-sensitive).";

    /// <exception cref="CommandFailedException">Nothing matches, or the index names a native.</exception>
    public static IReadOnlyList<HlFunction> Select(HlCode code, string selector)
    {
        if (TryParseIndex(selector, out var index))
        {
            if (code.GetFunction(index) is { } function)
            {
                return [function];
            }

            throw new CommandFailedException(code.GetNative(index) is { } native
                ? $"fun#{index} is the native {native}, which has no bytecode to list"
                : $"no function has index {index} (indices go from 0 to {code.FunctionIndexCount - 1})");
        }

        var exact = code.Functions.Where(f => f.Name == selector).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        var containing = code.Functions.Where(f => f.Name.Contains(selector, StringComparison.Ordinal)).ToList();
        return containing.Count > 0 ? containing : throw new CommandFailedException($"no function matches '{selector}'");
    }

    private static bool TryParseIndex(string selector, out int index)
    {
        var digits = selector.StartsWith("fun#", StringComparison.Ordinal) ? selector[4..] : selector;
        index = 0;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
