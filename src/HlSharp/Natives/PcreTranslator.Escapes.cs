using System.Globalization;

namespace HlSharp.Natives;

/// <summary>PCRE escapes: back references, quoting, numeric, hex and single-character escapes.</summary>
internal sealed partial class PcreTranslator
{
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
}
