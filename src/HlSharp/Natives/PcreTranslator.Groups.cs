using System.Globalization;
using System.Text;

namespace HlSharp.Natives;

/// <summary>PCRE groups: capturing, named, option, conditional and lookaround groups, and verbs.</summary>
internal sealed partial class PcreTranslator
{
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
}
