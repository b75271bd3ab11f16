using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HlSharp.Natives;

/// <summary>Unicode properties and character classes, with PCRE's meaning in .NET terms.</summary>
internal sealed partial class PcreTranslator
{
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
