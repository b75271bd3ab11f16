using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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
internal sealed class PcreTranslator
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

    // ---- groups ----

    private void OpenGroup()
    {
        var start = _out.Length;
        _i++;
        if (Peek() == '*')
        {
            Verb(start);
            return;
        }

        if (Peek() != '?')
        {
            Push(start);
            if (_flags.NoAutoCapture)
            {
                _out.Append("(?:");
            }
            else
            {
                _out.Append("(?<").Append(++_groupCount).Append('>');
            }

            return;
        }

        _i++;
        var c = Peek();
        switch (c)
        {
            case '#':
                while (More && _p[_i] != ')')
                {
                    _i++;
                }

                if (!More)
                {
                    throw Error("missing ) after (?# comment");
                }

                _i++;
                return;
            case ':' or '=' or '!' or '>':
                _i++;
                Push(start);
                _out.Append("(?").Append(c);
                return;
            case '<' when Peek(1) is '=' or '!':
                _i += 2;
                Push(start);
                _out.Append("(?<").Append(_p[_i - 1]);
                return;
            case '<' or '\'':
                _i++;
                NamedGroup(start, c == '<' ? '>' : '\'');
                return;
            case 'P' when Peek(1) == '<':
                _i += 2;
                NamedGroup(start, '>');
                return;
            case 'P' when Peek(1) == '=':
                _i += 2;
                StartAtom();
                BackReference(LookupName(ReadName(')')));
                return;
            case 'P' when Peek(1) == '>':
            case '&' or 'R' or '+' or '-' when c != '-' || char.IsAsciiDigit(Peek(1)):
            case >= '0' and <= '9':
                throw Error("recursion and subroutine calls are not supported by HlSharp");
            case '|':
                throw Error("branch reset groups (?| are not supported by HlSharp");
            case 'C':
                throw Error("callouts are not supported by HlSharp");
            case '(':
                Condition(start);
                return;
            default:
                OptionGroup(start);
                return;
        }
    }

    private void Push(int outStart)
    {
        _groups.Push((outStart, _flags));
        _atom = -1;
    }

    private void NamedGroup(int start, char terminator)
    {
        var name = ReadName(terminator);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            throw Error("subpattern name expected");
        }

        var number = ++_groupCount;
        if (!_names.TryAdd(name, number) && _names[name] != number)
        {
            throw Error("two named subpatterns have the same name (PCRE2_DUPNAMES not set)");
        }

        Push(start);
        _out.Append("(?<").Append(number).Append('>');
    }

    private string ReadName(char terminator)
    {
        var begin = _i;
        while (More && (char.IsLetterOrDigit(_p[_i]) || _p[_i] == '_'))
        {
            _i++;
        }

        if (!More || _p[_i] != terminator)
        {
            throw Error(More ? "syntax error in subpattern name (missing terminator?)" : "missing closing parenthesis");
        }

        var name = _p[begin.._i];
        _i++;
        return name;
    }

    private int LookupName(string name)
    {
        if (_names.TryGetValue(name, out var number))
        {
            return number;
        }

        // The first pass has not seen the group yet: any number will do until the second pass.
        if (_totalGroups == int.MaxValue)
        {
            return 1;
        }

        throw Error("reference to non-existent subpattern");
    }

    private void Condition(int start)
    {
        // (?(1)..|..), (?(<name>)..), (?('name')..), (?(name)..) or an assertion condition.
        _i++;
        Push(start);
        if (Peek() == '?' && Peek(1) is '=' or '!' or '<')
        {
            // (?(?=...)yes|no): .NET reads the same syntax; the assertion is translated as a group.
            _out.Append("(?");
            _i--;
            return;
        }

        int number;
        if (char.IsAsciiDigit(Peek()))
        {
            var begin = _i;
            while (char.IsAsciiDigit(Peek()))
            {
                _i++;
            }

            number = int.Parse(_p[begin.._i], CultureInfo.InvariantCulture);
            if (Peek() != ')')
            {
                throw Error("malformed number or name after (?(");
            }

            _i++;
        }
        else if (Peek() is '<' or '\'')
        {
            var close = Peek() == '<' ? '>' : '\'';
            _i++;
            number = LookupName(ReadName(close));
            if (Peek() != ')')
            {
                throw Error("malformed number or name after (?(");
            }

            _i++;
        }
        else
        {
            var name = ReadName(')');
            if (name == "DEFINE" || name.StartsWith('R'))
            {
                throw Error("(?(DEFINE) and recursion conditions are not supported by HlSharp");
            }

            number = LookupName(name);
        }

        if (number == 0 || number > _totalGroups)
        {
            throw Error("reference to non-existent subpattern");
        }

        _out.Append("(?(").Append(number).Append(')');
    }

    private void OptionGroup(int start)
    {
        // (?imnsxUJ-imnsxUJ) or (?imnsx-imnsx: ... ); x, n and U are applied here, i, m, s by .NET.
        var on = true;
        var net = new StringBuilder();
        var netOff = new StringBuilder();
        var flags = _flags;
        if (Peek() == '^')
        {
            _i++;
            flags = default;
            netOff.Append("ims");
        }

        while (true)
        {
            if (!More)
            {
                throw Error("missing closing parenthesis");
            }

            var c = _p[_i++];
            switch (c)
            {
                case '-':
                    on = false;
                    break;
                case 'i' or 'm' or 's':
                    (on ? net : netOff).Append(c);
                    break;
                case 'x':
                    flags.Extended = on;
                    if (Peek() == 'x')
                    {
                        _i++;
                    }

                    break;
                case 'n':
                    flags.NoAutoCapture = on;
                    break;
                case 'U':
                    flags.Ungreedy = on;
                    break;
                case 'J':
                    break;
                case ')':
                    _flags = flags;
                    if (net.Length + netOff.Length > 0)
                    {
                        _out.Append("(?").Append(net).Append(netOff.Length > 0 ? "-" : "").Append(netOff).Append(')');
                    }

                    _atom = -1;
                    return;
                case ':':
                    Push(start);
                    _flags = flags;
                    _out.Append("(?").Append(net).Append(netOff.Length > 0 ? "-" : "").Append(netOff).Append(':');
                    return;
                default:
                    throw Error("unrecognized character after (? or (?-");
            }
        }
    }

    private void CloseGroup()
    {
        _i++;
        if (_groups.Count == 0)
        {
            throw Error("unmatched closing parenthesis");
        }

        var (outStart, saved) = _groups.Pop();
        _out.Append(')');
        _flags = saved;
        _atom = outStart;
    }

    private void Verb(int start)
    {
        var close = _p.IndexOf(')', _i);
        if (close < 0)
        {
            throw Error("(*VERB) not recognized or malformed");
        }

        var verb = _p[(_i + 1)..close];
        _i = close + 1;
        switch (verb)
        {
            case "FAIL" or "F":
                _out.Append("(?!)");
                _atom = start;
                break;
            case "UTF" or "UTF16" or "UCP" or "NO_AUTO_POSSESS" or "NO_START_OPT" or "NO_DOTSTAR_ANCHOR" or "NO_JIT" or "LF" when start == 0 || _out.Length == 0:
                break;
            default:
                throw Error("(*" + verb + ") is not supported by HlSharp");
        }
    }

    // ---- escapes ----

    private void Escape()
    {
        _i++;
        if (!More)
        {
            throw Error("\\ at end of pattern");
        }

        var c = _p[_i++];
        switch (c)
        {
            case 'd' or 'w' or 's':
                StartAtom();
                _out.Append('\\').Append(c);
                break;
            case 'D' or 'W' or 'S':
                StartAtom();
                AppendNegated("\\" + c);
                break;
            case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                _out.Append('\\').Append(c);
                _atom = -1;
                break;
            case 'h':
                StartAtom();
                _out.Append('[').Append(HorizontalSpace).Append(']');
                break;
            case 'H':
                StartAtom();
                AppendNegated("[^" + HorizontalSpace + "]");
                break;
            case 'v':
                StartAtom();
                _out.Append('[').Append(VerticalSpace).Append(']');
                break;
            case 'V':
                StartAtom();
                AppendNegated("[^" + VerticalSpace + "]");
                break;
            case 'R':
                StartAtom();
                _out.Append(@"(?>\r\n|[").Append(VerticalSpace).Append("])");
                break;
            case 'N':
                StartAtom();
                AppendNegated(@"[^\n]");
                break;
            case 'X':
                StartAtom();
                _out.Append(_astral ? @"(?>(?:" + SurrogatePair + @"|\P{M})\p{M}*)" : @"(?>\P{M}\p{M}*)");
                break;
            case 'C':
                StartAtom();
                _out.Append(@"[\s\S]");
                break;
            case 'K':
                throw Error("\\K is not supported by HlSharp");
            case 'Q':
                Quoted();
                break;
            case 'E':
                break;
            case 'p' or 'P':
                StartAtom();
                Property(c == 'P', inClass: false);
                break;
            case 'g' or 'k':
                StartAtom();
                BackReference(c == 'g' ? GReference() : KReference());
                break;
            case >= '1' and <= '9':
                NumericEscape(c);
                break;
            default:
                AppendCodePoint(SimpleEscape(c, inClass: false));
                break;
        }
    }

    private void AppendNegated(string netClass) =>
        _out.Append(_astral ? "(?:" + SurrogatePair + "|" + netClass + ")" : netClass);

    private void Quoted()
    {
        while (More)
        {
            if (_p[_i] == '\\' && Peek(1) == 'E')
            {
                _i += 2;
                return;
            }

            Literal();
        }
    }

    private void BackReference(int number)
    {
        if (number <= 0 || number > _totalGroups)
        {
            throw Error(number == 0 ? "a relative value of zero is not allowed" : "reference to non-existent subpattern");
        }

        // PCRE2_MATCH_UNSET_BACKREF: a reference to a group that has not matched matches "".
        _out.Append("(?(").Append(number).Append(")\\").Append(number).Append(')');
    }

    private int GReference()
    {
        var braced = Peek() == '{';
        if (braced)
        {
            _i++;
        }

        var negative = Peek() == '-';
        var positive = Peek() == '+';
        if (negative || positive)
        {
            _i++;
        }

        int number;
        if (char.IsAsciiDigit(Peek()))
        {
            var begin = _i;
            while (char.IsAsciiDigit(Peek()))
            {
                _i++;
            }

            number = int.Parse(_p[begin.._i], CultureInfo.InvariantCulture);
            if (positive)
            {
                throw Error("recursion and subroutine calls are not supported by HlSharp");
            }

            if (negative)
            {
                number = number == 0 ? 0 : _groupCount - number + 1;
            }

            if (braced)
            {
                if (Peek() != '}')
                {
                    throw Error("\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number");
                }

                _i++;
            }
        }
        else if (braced)
        {
            number = LookupName(ReadName('}'));
        }
        else if (Peek() is '<' or '\'')
        {
            throw Error("recursion and subroutine calls are not supported by HlSharp");
        }
        else
        {
            throw Error("\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number");
        }

        return number;
    }

    private int KReference()
    {
        var open = Peek();
        var close = open switch { '<' => '>', '\'' => '\'', '{' => '}', _ => '\0' };
        if (close == '\0')
        {
            throw Error("\\k is not followed by a braced, angle-bracketed, or quoted name");
        }

        _i++;
        return LookupName(ReadName(close));
    }

    private void NumericEscape(char first)
    {
        // \1..\9 are back references; longer numbers are when that many groups exist, else octal.
        var begin = _i - 1;
        while (char.IsAsciiDigit(Peek()))
        {
            _i++;
        }

        var digits = _p[begin.._i];
        var number = digits.Length > 6 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
        if (digits.Length == 1 || number <= _totalGroups || first is '8' or '9')
        {
            StartAtom();
            BackReference(number);
            return;
        }

        _i = begin;
        AppendCodePoint(Octal(3));
    }

    private int Octal(int maxDigits)
    {
        var value = 0;
        for (var n = 0; n < maxDigits && Peek() is >= '0' and <= '7'; n++)
        {
            value = (value * 8) + (_p[_i++] - '0');
        }

        return value;
    }

    private bool TryHex(int digits, out int value)
    {
        value = 0;
        for (var n = 0; n < digits; n++)
        {
            var d = Peek(n);
            if (!char.IsAsciiHexDigit(d))
            {
                return false;
            }

            value = (value * 16) + (char.IsAsciiDigit(d) ? d - '0' : (d | 0x20) - 'a' + 10);
        }

        _i += digits;
        return true;
    }

    /// <summary>An escape that stands for one character; returns its code point.</summary>
    private int SimpleEscape(char c, bool inClass)
    {
        switch (c)
        {
            case 'a': return 7;
            case 'e': return 27;
            case 'f': return 12;
            case 'n': return 10;
            case 'r': return 13;
            case 't': return 9;
            case 'b' when inClass: return 8;
            case '0': return Octal(2);
            case >= '1' and <= '7' when inClass:
                _i--;
                return Octal(3);
            case 'o':
                if (Peek() != '{')
                {
                    throw Error("missing opening brace after \\o");
                }

                _i++;
                var value = Octal(11);
                if (Peek() != '}')
                {
                    throw Error("non-octal character in \\o{} (closing brace missing?)");
                }

                _i++;
                return CheckCodePoint(value);
            case 'x':
                // ALT_BSUX: exactly two hex digits, otherwise a literal 'x'.
                return TryHex(2, out var x) ? x : 'x';
            case 'u':
                // ALT_BSUX: exactly four hex digits, otherwise a literal 'u'.
                return TryHex(4, out var u) ? CheckCodePoint(u) : 'u';
            case 'U':
                return 'U';
            case 'c':
                if (!More || _p[_i] > 127)
                {
                    throw Error(More ? "\\c must be followed by a printable ASCII character" : "\\c at end of pattern");
                }

                return char.ToUpperInvariant(_p[_i++]) ^ 0x40;
            default:
                if (char.IsAsciiLetterOrDigit(c))
                {
                    throw Error(inClass ? "escape sequence is invalid in character class" : "unrecognized character follows \\");
                }

                if (char.IsHighSurrogate(c) && More && char.IsLowSurrogate(_p[_i]))
                {
                    return char.ConvertToUtf32(c, _p[_i++]);
                }

                return c;
        }
    }

    private static int CheckCodePoint(int value) =>
        value is >= 0xD800 and <= 0xDFFF ? throw Error("disallowed Unicode code point (>= 0xd800 && <= 0xdfff)")
        : value > 0x10FFFF ? throw Error("character code point value in \\x{} or \\o{} is too large")
        : value;

    // ---- Unicode properties ----

    private void Property(bool negated, bool inClass)
    {
        string name;
        if (Peek() == '{')
        {
            var close = _p.IndexOf('}', _i);
            if (close < 0)
            {
                throw Error("malformed \\P or \\p sequence");
            }

            name = _p[(_i + 1)..close];
            _i = close + 1;
        }
        else if (More)
        {
            name = _p[_i++].ToString();
        }
        else
        {
            throw Error("malformed \\P or \\p sequence");
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        var normalized = name.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (GeneralCategories.Contains(normalized))
        {
            var set = (negated ? @"\P{" : @"\p{") + normalized + "}";
            if (inClass || !negated)
            {
                _out.Append(set);
            }
            else
            {
                AppendNegated(set);
            }

            return;
        }

        var members = normalized.ToLowerInvariant() switch
        {
            "l&" or "lc" => @"\p{Lu}\p{Ll}\p{Lt}",
            "any" => @"\s\S",
            "xan" => @"\p{L}\p{N}",
            "xwd" => @"\p{L}\p{N}_",
            "xsp" or "xps" => @"\s",
            _ => Scripts.GetValueOrDefault(normalized.ToLowerInvariant()),
        } ?? throw Error("unknown property name after \\P or \\p");

        if (inClass)
        {
            if (negated)
            {
                throw Error("negated \\P{" + name + "} inside a class is not supported by HlSharp");
            }

            _out.Append(members);
        }
        else if (negated)
        {
            AppendNegated("[^" + members + "]");
        }
        else
        {
            _out.Append('[').Append(members).Append(']');
        }
    }

    private static readonly HashSet<string> GeneralCategories = new(StringComparer.Ordinal)
    {
        "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
        "Z", "Zl", "Zp", "Zs",
    };

    // .NET knows Unicode blocks, not scripts: the common scripts are approximated by their main
    // blocks (BMP only).
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["latin"] = @"A-Za-z\u00AA\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02B8\u02E0-\u02E4\u1D00-\u1D25\u1D2C-\u1D5C\u1D62-\u1D65\u1D6B-\u1D77\u1D79-\u1DBE\u1E00-\u1EFF\u2071\u207F\u2090-\u209C\u212A\u212B\u2132\u214E\u2160-\u2188\u2C60-\u2C7F\uA722-\uA787\uA78B-\uA7FF\uAB30-\uAB5A\uAB5C-\uAB64\uFB00-\uFB06\uFF21-\uFF3A\uFF41-\uFF5A",
        ["greek"] = @"\u0370-\u0373\u0375-\u0377\u037A-\u037D\u037F\u0384\u0386\u0388-\u03E1\u03F0-\u03FF\u1D26-\u1D2A\u1D5D-\u1D61\u1D66-\u1D6A\u1DBF\u1F00-\u1FFE\u2126\uAB65",
        ["cyrillic"] = @"\u0400-\u0484\u0487-\u052F\u1C80-\u1C88\u1D2B\u1D78\u2DE0-\u2DFF\uA640-\uA69F\uFE2E\uFE2F",
        ["armenian"] = @"\u0531-\u0556\u0559-\u058A\u058D-\u058F\uFB13-\uFB17",
        ["hebrew"] = @"\u0591-\u05C7\u05D0-\u05EA\u05EF-\u05F4\uFB1D-\uFB36\uFB38-\uFB4F",
        ["arabic"] = @"\u0600-\u0604\u0606-\u060B\u060D-\u061A\u061C-\u061E\u0620-\u063F\u0641-\u064A\u0656-\u066F\u0671-\u06DC\u06DE-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC",
        ["devanagari"] = @"\u0900-\u0950\u0955-\u0963\u0966-\u097F\uA8E0-\uA8FF",
        ["thai"] = @"\u0E01-\u0E3A\u0E40-\u0E5B",
        ["georgian"] = @"\u10A0-\u10C5\u10C7\u10CD\u10D0-\u10FA\u10FC-\u10FF\u1C90-\u1CBA\u1CBD-\u1CBF\u2D00-\u2D25\u2D27\u2D2D",
        ["hangul"] = @"\u1100-\u11FF\u302E\u302F\u3131-\u318E\u3200-\u321E\u3260-\u327E\uA960-\uA97C\uAC00-\uD7A3\uD7B0-\uD7C6\uD7CB-\uD7FB\uFFA0-\uFFBE\uFFC2-\uFFC7\uFFCA-\uFFCF\uFFD2-\uFFD7\uFFDA-\uFFDC",
        ["hiragana"] = @"\u3041-\u3096\u309D-\u309F",
        ["katakana"] = @"\u30A1-\u30FA\u30FD-\u30FF\u31F0-\u31FF\u32D0-\u32FE\u3300-\u3357\uFF66-\uFF6F\uFF71-\uFF9D",
        ["han"] = @"\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5\u3005\u3007\u3021-\u3029\u3038-\u303B\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFA6D\uFA70-\uFAD9",
        ["common"] = @"\u0000-\u0040\u005B-\u0060\u007B-\u00A9\u00AB-\u00B9\u00BB-\u00BF\u00D7\u00F7\u2000-\u206F\u20A0-\u20C0\u2100-\u2125\u2127-\u2129\u212C-\u2131\u2133-\u214D\u2190-\u23FF\u2500-\u27FF\u3000-\u3004\u3006\uFF01-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65",
    };

    // ---- character classes ----

    private void Class()
    {
        var classStart = _i;
        _i++;
        var negated = Peek() == '^';
        if (negated)
        {
            _i++;
        }

        // PCRE2_ALLOW_EMPTY_CLASS: "[]" matches nothing and "[^]" matches any character.
        if (Peek() == ']')
        {
            _i++;
            _out.Append(negated ? (_astral ? "(?:" + SurrogatePair + @"|[\s\S])" : @"[\s\S]") : @"[^\s\S]");
            return;
        }

        var body = new StringBuilder();
        var pairs = new List<string>();
        while (true)
        {
            if (!More)
            {
                _i = classStart;
                throw Error("missing terminating ] for character class");
            }

            var c = _p[_i];
            if (c == ']')
            {
                _i++;
                break;
            }

            if (c == '[' && Peek(1) is ':' or '.' or '=' && TryPosixClass(body))
            {
                continue;
            }

            if (c == '\\')
            {
                _i++;
                ClassEscape(body, pairs);
                continue;
            }

            _i++;
            if (char.IsHighSurrogate(c) && More && char.IsLowSurrogate(_p[_i]))
            {
                pairs.Add(new string([c, _p[_i++]]));
                continue;
            }

            if (c is '[' or '\\')
            {
                body.Append('\\');
            }

            AppendClassChar(body, c);
        }

        var netClass = "[" + (negated ? "^" : "") + body + "]";
        if (body.Length == 0)
        {
            netClass = negated ? @"[\s\S]" : @"[^\s\S]";
        }

        if (pairs.Count > 0 && !negated)
        {
            _out.Append("(?:").Append(string.Join('|', pairs)).Append(body.Length > 0 ? "|" + netClass : "").Append(')');
        }
        else if (negated)
        {
            AppendNegated(netClass);
        }
        else
        {
            _out.Append(netClass);
        }
    }

    private static void AppendClassChar(StringBuilder body, char c)
    {
        if (c < ' ' || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029')
        {
            body.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            body.Append(c);
        }
    }

    private void ClassEscape(StringBuilder body, List<string> pairs)
    {
        if (!More)
        {
            throw Error("\\ at end of pattern");
        }

        var c = _p[_i++];
        switch (c)
        {
            case 'd' or 'w' or 's' or 'D' or 'W' or 'S':
                body.Append('\\').Append(c);
                return;
            case 'h':
                body.Append(HorizontalSpace);
                return;
            case 'v':
                body.Append(VerticalSpace);
                return;
            case 'H':
                // Approximation: everything but the space separators (\t and U+180E stay in).
                body.Append(@"\P{Zs}");
                return;
            case 'V':
                throw Error("\\V inside a character class is not supported by HlSharp");
            case 'p' or 'P':
                var mark = _out.Length;
                Property(c == 'P', inClass: true);
                body.Append(_out, mark, _out.Length - mark);
                _out.Length = mark;
                return;
            case 'Q':
                while (More && !(_p[_i] == '\\' && Peek(1) == 'E'))
                {
                    var q = _p[_i++];
                    if (q is '[' or ']' or '\\' or '^' or '-')
                    {
                        body.Append('\\');
                    }

                    AppendClassChar(body, q);
                }

                _i = Math.Min(_i + 2, _p.Length);
                return;
            case 'E':
                return;
            case 'R' or 'X' or 'N' or 'B' or 'A' or 'z' or 'Z' or 'G' or 'K' or 'g' or 'k':
                throw Error("escape sequence is invalid in character class");
        }

        var cp = SimpleEscape(c, inClass: true);
        if (cp > 0xFFFF)
        {
            pairs.Add(char.ConvertFromUtf32(cp));
            return;
        }

        var ch = (char)cp;
        if (ch < 128 && !char.IsAsciiLetterOrDigit(ch) && ch > ' ')
        {
            body.Append('\\').Append(ch);
        }
        else
        {
            AppendClassChar(body, ch);
        }
    }

    private bool TryPosixClass(StringBuilder body)
    {
        var kind = Peek(1);
        var end = _p.IndexOf(kind + "]", _i + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        if (kind != ':')
        {
            throw Error("POSIX collating elements are not supported");
        }

        var name = _p[(_i + 2)..end];
        var negated = name.StartsWith('^');
        if (negated)
        {
            name = name[1..];
        }

        // With PCRE2_UCP the letter, digit and space classes are Unicode; the others stay ASCII.
        var (positive, negative) = name switch
        {
            "alpha" => (@"\p{L}", @"\P{L}"),
            "digit" => (@"\p{Nd}", @"\P{Nd}"),
            "alnum" => (@"\p{L}\p{N}", null),
            "space" => (@"\s", @"\S"),
            "word" => (@"\w", @"\W"),
            "lower" => (@"\p{Ll}", @"\P{Ll}"),
            "upper" => (@"\p{Lu}", @"\P{Lu}"),
            "blank" => (HorizontalSpace, null),
            "cntrl" => (@"\x00-\x1F\x7F", @"\x20-\x7E\x80-\uFFFF"),
            "xdigit" => ("0-9A-Fa-f", null),
            "punct" => (@"!-/:-@\[-`{-~", null),
            "graph" => (@"!-~", null),
            "print" => (@"\x20-\x7E", null),
            "ascii" => (@"\x00-\x7F", @"\x80-\uFFFF"),
            _ => throw Error("unknown POSIX class name"),
        };

        if (negated && negative is null)
        {
            throw Error("[:^" + name + ":] is not supported by HlSharp");
        }

        body.Append(negated ? negative : positive);
        _i = end + 2;
        return true;
    }

    /// <summary>The PCRE2 message for a .NET parse error HlSharp did not catch itself.</summary>
    public static string MessageFor(RegexParseException e) => e.Error switch
    {
        RegexParseError.InsufficientClosingParentheses => "missing closing parenthesis",
        RegexParseError.InsufficientOpeningParentheses => "unmatched closing parenthesis",
        RegexParseError.UnterminatedBracket => "missing terminating ] for character class",
        RegexParseError.QuantifierAfterNothing or RegexParseError.NestedQuantifiersNotParenthesized => "quantifier does not follow a repeatable item",
        RegexParseError.UnescapedEndingBackslash => "\\ at end of pattern",
        RegexParseError.ReversedCharacterRange => "range out of order in character class",
        RegexParseError.ReversedQuantifierRange => "numbers out of order in {} quantifier",
        RegexParseError.UndefinedNumberedReference or RegexParseError.UndefinedNamedReference => "reference to non-existent subpattern",
        RegexParseError.ShorthandClassInCharacterRange => "invalid range in character class",
        RegexParseError.AlternationHasTooManyConditions => "conditional subpattern contains more than two branches",
        RegexParseError.UnterminatedComment => "missing ) after (?# comment",
        _ => e.Message,
    };
}
