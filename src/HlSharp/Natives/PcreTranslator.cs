using System.Globalization;
using System.Text;

namespace HlSharp.Natives;

/// <summary>A pattern PCRE would refuse (or one HlSharp cannot express), with PCRE's message text.</summary>
internal sealed class PcreSyntaxException(string message) : Exception(message);

/// <summary>
/// Rewrites a PCRE2 pattern, compiled the way HashLink compiles it (UTF, UCP, ALT_BSUX,
/// ALLOW_EMPTY_CLASS, MATCH_UNSET_BACKREF), into a .NET pattern with the same meaning.
/// </summary>
/// <remarks>
/// The differences handled here: capture groups are numbered explicitly (.NET numbers named groups
/// after the unnamed ones, PCRE numbers all groups by their opening parenthesis); possessive
/// quantifiers become atomic groups; the ungreedy (?U) flag swaps quantifier greediness; extended
/// mode (?x) and no-auto-capture (?n) are applied while translating; \h \v \R \N \X \Q..\E, POSIX
/// classes, Unicode scripts, empty classes, ALT_BSUX escapes and back references to unset groups
/// (which match the empty string) are rewritten. With <c>astral</c> set, constructs that match
/// "one character" also match a whole surrogate pair, as PCRE does in UTF mode; HlSharp uses that
/// form only for subjects that contain surrogates, because it is slower.
/// </remarks>
internal sealed partial class PcreTranslator
{
    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const string HorizontalSpace = @"\t\p{Zs}\u180E";
    private const string VerticalSpace = @"\n\x0B\f\r\x85\u2028\u2029";

    private readonly string _p;
    private readonly bool _astral;
    private readonly StringBuilder _out = new();
    private readonly Dictionary<string, int> _names;
    private readonly int _totalGroups;
    private readonly Stack<(int OutStart, Flags Saved)> _groups = new();
    private int _i;
    private int _groupCount;
    private int _atom = -1;
    private Flags _flags;

    private struct Flags
    {
        public bool Extended;
        public bool Ungreedy;
        public bool NoAutoCapture;
    }

    private PcreTranslator(string pattern, bool astral, Dictionary<string, int> names, int totalGroups)
    {
        _p = pattern;
        _astral = astral;
        _names = names;
        _totalGroups = totalGroups;
    }

    /// <summary>The translated pattern and the number of capture groups (not counting group 0).</summary>
    public readonly record struct Result(string Pattern, int GroupCount);

    /// <summary>Translates a pattern; throws <see cref="PcreSyntaxException"/> for patterns PCRE rejects or HlSharp cannot express.</summary>
    public static Result Translate(string pattern, bool astral)
    {
        // A first pass finds how many groups there are and which names they have, so that
        // forward references and two-digit back references resolve as PCRE resolves them.
        var scan = new PcreTranslator(pattern, astral, new Dictionary<string, int>(StringComparer.Ordinal), int.MaxValue);
        scan.Run();
        var real = new PcreTranslator(pattern, astral, scan._names, scan._groupCount);
        real.Run();
        return new Result(real._out.ToString(), real._groupCount);
    }

    private bool More => _i < _p.Length;

    private char Peek(int ahead = 0) => _i + ahead < _p.Length ? _p[_i + ahead] : '\0';

    private static PcreSyntaxException Error(string message) => new(message);

    private void Run()
    {
        while (More)
        {
            var c = _p[_i];
            if (_flags.Extended && SkipExtendedSpace())
            {
                continue;
            }

            switch (c)
            {
                case '\\':
                    Escape();
                    break;
                case '[':
                    StartAtom();
                    Class();
                    break;
                case '(':
                    OpenGroup();
                    break;
                case ')':
                    CloseGroup();
                    break;
                case '|':
                    _i++;
                    _out.Append('|');
                    _atom = -1;
                    break;
                case '^' or '$':
                    _i++;
                    _out.Append(c);
                    _atom = -1;
                    break;
                case '.':
                    _i++;
                    StartAtom();
                    _out.Append(_astral ? "(?:" + SurrogatePair + "|.)" : ".");
                    break;
                case '*' or '+' or '?':
                    _i++;
                    Quantifier(c.ToString());
                    break;
                case '{':
                    if (TryBraceQuantifier(out var q))
                    {
                        Quantifier(q);
                    }
                    else
                    {
                        _i++;
                        StartAtom();
                        _out.Append(@"\{");
                    }

                    break;
                default:
                    Literal();
                    break;
            }
        }

        if (_groups.Count > 0)
        {
            throw Error("missing closing parenthesis");
        }
    }

    /// <summary>Skips white space and # comments in extended mode; true when something was skipped.</summary>
    private bool SkipExtendedSpace()
    {
        var c = _p[_i];
        if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\u0085' or '\u200E' or '\u200F' or '\u2028' or '\u2029')
        {
            _i++;
            return true;
        }

        if (c == '#')
        {
            while (More && _p[_i] != '\n')
            {
                _i++;
            }

            return true;
        }

        return false;
    }

    private void StartAtom() => _atom = _out.Length;

    private void Literal()
    {
        StartAtom();
        var c = _p[_i++];
        if (char.IsHighSurrogate(c) && More && char.IsLowSurrogate(_p[_i]))
        {
            // One code point: a following quantifier applies to both halves.
            _out.Append("(?:").Append(c).Append(_p[_i++]).Append(')');
            return;
        }

        AppendLiteral(c);
    }

    private void AppendLiteral(char c)
    {
        if (c < 128 && !char.IsAsciiLetterOrDigit(c) && c != '_' && c > ' ')
        {
            _out.Append('\\').Append(c);
        }
        else if (c < ' ' || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029')
        {
            _out.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            _out.Append(c);
        }
    }

    private void AppendCodePoint(int cp)
    {
        if (cp > 0xFFFF)
        {
            StartAtom();
            var s = char.ConvertFromUtf32(cp);
            _out.Append("(?:");
            AppendLiteral(s[0]);
            AppendLiteral(s[1]);
            _out.Append(')');
        }
        else
        {
            StartAtom();
            AppendLiteral((char)cp);
        }
    }

    // ---- quantifiers ----

    private bool TryBraceQuantifier(out string quantifier)
    {
        quantifier = "";
        var j = _i + 1;
        var min = j;
        while (j < _p.Length && char.IsAsciiDigit(_p[j]))
        {
            j++;
        }

        if (j == min)
        {
            return false;
        }

        if (j < _p.Length && _p[j] == ',')
        {
            j++;
            while (j < _p.Length && char.IsAsciiDigit(_p[j]))
            {
                j++;
            }
        }

        if (j >= _p.Length || _p[j] != '}')
        {
            return false;
        }

        quantifier = _p[_i..(j + 1)];
        var parts = quantifier[1..^1].Split(',');
        if (parts.Any(p => p.Length > 0 && (p.Length > 5 || int.Parse(p, CultureInfo.InvariantCulture) > 65535)))
        {
            throw Error("number too big in {} quantifier");
        }

        if (parts.Length == 2 && parts[1].Length > 0 && int.Parse(parts[1], CultureInfo.InvariantCulture) < int.Parse(parts[0], CultureInfo.InvariantCulture))
        {
            throw Error("numbers out of order in {} quantifier");
        }

        _i = j + 1;
        return true;
    }

    private void Quantifier(string q)
    {
        if (_atom < 0)
        {
            throw Error("quantifier does not follow a repeatable item");
        }

        var mode = Peek();
        if (mode == '+')
        {
            _i++;
            _out.Insert(_atom, "(?>").Append(q).Append(')');
        }
        else
        {
            var lazy = mode == '?';
            if (lazy)
            {
                _i++;
            }

            _out.Append(q);
            if (lazy != _flags.Ungreedy)
            {
                _out.Append('?');
            }
        }

        // A quantified item cannot be quantified again (PCRE reports it, as .NET does).
        _atom = -1;
    }
}
