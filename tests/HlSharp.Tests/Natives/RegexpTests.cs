using System.Text.RegularExpressions;
using HlSharp.Natives;

namespace HlSharp.Tests.Natives;

public sealed class RegexpTests
{
    [Fact]
    public void The_EReg_fixture_passes_every_check()
    {
        var (lines, _) = NativeFixture.Run("Regexp");

        NativeFixture.AssertAllPassed(lines, 103);
    }

    [Theory]
    [InlineData("(", "missing closing parenthesis")]
    [InlineData("a)", "unmatched closing parenthesis")]
    [InlineData("+", "quantifier does not follow a repeatable item")]
    [InlineData("a{3,2}", "numbers out of order in {} quantifier")]
    [InlineData("[abc", "missing terminating ] for character class")]
    [InlineData("\\", "\\ at end of pattern")]
    [InlineData("(a)\\2", "reference to non-existent subpattern")]
    [InlineData("\\p{Klingon}", "unknown property name after \\P or \\p")]
    [InlineData("[[:nope:]]", "unknown POSIX class name")]
    [InlineData("(?<n>a)(?<n>b)", "two named subpatterns have the same name (PCRE2_DUPNAMES not set)")]
    [InlineData("(?Q)", "unrecognized character after (? or (?-")]
    public void Invalid_patterns_are_refused_with_PCRE2s_message(string pattern, string message)
    {
        var error = Assert.Throws<PcreSyntaxException>(() => PcreTranslator.Translate(pattern, astral: false));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_compile_error_text_is_HashLinks()
    {
        Assert.Equal("Regexp compilation error : missing closing parenthesis in (a", StdRegexp.CompileErrorMessage("missing closing parenthesis", "(a"));
    }

    [Theory]
    [InlineData("(a)(?<n>b)(c)", 3)]
    [InlineData("(?:a)(?=b)(?!c)(?<=d)(?<!e)(?>f)", 0)]
    [InlineData("(?n)(a)(b)", 0)]
    [InlineData("\\((a)\\)[(]", 1)]
    [InlineData("\\Q(a)\\E(b)", 1)]
    [InlineData("(?x)(a) # (b)\n(c)", 2)]
    public void Groups_are_counted_as_PCRE_counts_them(string pattern, int groups)
    {
        Assert.Equal(groups, PcreTranslator.Translate(pattern, astral: false).GroupCount);
    }

    [Theory]
    [InlineData("a++", "(?>a+)")]
    [InlineData("(ab)*+", "(?>(?<1>ab)*)")]
    [InlineData("[ab]{2,3}+", "(?>[ab]{2,3})")]
    [InlineData("(?U)a*b*?", "a*?b*")]
    [InlineData("(?<x>a)\\k<x>", "(?<1>a)(?(1)\\1)")]
    [InlineData("[]", "[^\\s\\S]")]
    public void Translations_keep_PCRE_meaning(string pattern, string expected)
    {
        Assert.Equal(expected, PcreTranslator.Translate(pattern, astral: false).Pattern);
    }

    [Fact]
    public void Every_printable_ASCII_literal_matches_itself()
    {
        for (var c = ' '; c < '\x7F'; c++)
        {
            if (@"\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            var regex = new Regex(PcreTranslator.Translate(c.ToString(), astral: false).Pattern);
            Assert.True(regex.IsMatch(c.ToString()), $"literal '{c}'");
            var escaped = char.IsAsciiLetterOrDigit(c) ? null : new Regex(PcreTranslator.Translate("\\" + c, astral: false).Pattern);
            Assert.True(escaped?.IsMatch(c.ToString()) ?? true, $"escaped '{c}'");
        }
    }

    [Theory]
    [InlineData("a\\Qb(c\\Ed", "ab(cd", true)]
    [InlineData("[\\Q]\\E]", "]", true)]
    [InlineData("\\x4g", "x4g", true)]
    [InlineData("\\101", "A", true)]
    [InlineData("\\0101", "\b1", true)]
    [InlineData("\\o{101}", "A", true)]
    [InlineData("\\cA", "\u0001", true)]
    [InlineData("(a)|\\1b", "b", true)]
    [InlineData("[[:^digit:]]+", "ab1", true)]
    [InlineData("\\p{L&}+", "aB", true)]
    [InlineData("\\pL", "x", true)]
    [InlineData("\\p{^L}", "x", false)]
    [InlineData("(*FAIL)|a", "a", true)]
    public void Translated_patterns_match_as_PCRE_matches(string pattern, string input, bool matches)
    {
        var regex = new Regex(PcreTranslator.Translate(pattern, astral: false).Pattern);

        Assert.Equal(matches, regex.IsMatch(input));
    }
}
