using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace HlSharp.Cli.Hosting;

/// <summary>
/// The assembly name of a compiled program (<c>App</c> for <c>App.dll</c>): given with
/// <c>--name</c> or made from the <c>.hl</c> file's name. It is also the name a host loads it by
/// and, with <c>--native</c>, the executable's name.
/// </summary>
internal static partial class ProgramName
{
    /// <summary>The assembly name of the host project <c>--native</c> publishes; a program may not take it.</summary>
    public const string NativeHostAssembly = "HlSharpNativeHost";

    /// <summary>What a valid name looks like, for error messages.</summary>
    private const string Rule = "letters, digits and underscores, not starting with a digit, optionally in dotted parts (App, My.Game)";

    /// <summary>
    /// A PascalCase identifier from a file name: <c>game.hl</c> is <c>Game</c>, <c>my-game.hl</c>
    /// and <c>my_game.hl</c> are <c>MyGame</c>; one that would start with a digit starts with
    /// <c>App</c> (<c>2048.hl</c> is <c>App2048</c>), and one with no letter or digit is <c>App</c>.
    /// </summary>
    public static string FromFile(string path)
    {
        var name = new StringBuilder();
        foreach (var part in NonIdentifierChars().Split(Path.GetFileNameWithoutExtension(path)))
        {
            if (part.Length > 0)
            {
                name.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
            }
        }

        return name.Length == 0 ? "App" : char.IsAsciiDigit(name[0]) ? "App" + name : name.ToString();
    }

    /// <summary>Throws a one-line failure when <paramref name="name"/> cannot name a compiled program; <paramref name="origin"/> says where it came from.</summary>
    /// <exception cref="CommandFailedException">The name is not an identifier, or is taken by HlSharp, the native host or the framework.</exception>
    public static void Check(string name, string origin)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new CommandFailedException($"{origin} '{name}': not a valid program name: use {Rule}");
        }

        // The runtime compares assembly names without case, so "hlsharp" would be HlSharp itself.
        if (name.Equals("HlSharp", StringComparison.OrdinalIgnoreCase) || name.Equals("HlSharp.Cli", StringComparison.OrdinalIgnoreCase)
            || name.Equals(NativeHostAssembly, StringComparison.OrdinalIgnoreCase) || IsFrameworkAssembly(name))
        {
            throw new CommandFailedException($"{origin} '{name}': the name of an assembly the program runs with; choose another with --name");
        }
    }

    /// <summary>A framework assembly (System.Runtime, netstandard...) would be loaded instead of the program.</summary>
    private static bool IsFrameworkAssembly(string name) =>
        name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase)
        || Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Any(f => Path.GetFileNameWithoutExtension(f).Equals(name, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonIdentifierChars();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\z")]
    private static partial Regex ValidName();
}
