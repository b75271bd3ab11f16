using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// HashLink's regular expressions (<c>EReg</c>): PCRE2 patterns, translated by
/// <see cref="PcreTranslator"/> and run by <see cref="Regex"/>. Positions and lengths are in
/// UTF-16 code units, as PCRE2's 16-bit API counts them and as .NET strings index.
/// </summary>
internal static class StdRegexp
{
    // Compiled translations are immutable and depend only on (pattern, options), so VMs share them;
    // programs that build the same EReg in a loop then pay the translation once.
    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options, bool Astral), Compiled> Cache = new();
    private const int CacheLimit = 512;

    /// <summary>
    /// A translated pattern, interpreted at first: building a <see cref="RegexOptions.Compiled"/>
    /// regex costs milliseconds, more than most patterns ever match. One that keeps matching (an
    /// <c>EReg.replace</c> over a long string matches once a replacement) is compiled to IL on its
    /// <see cref="CompileAfter"/>th match and matches the same way, faster, from then on.
    /// </summary>
    internal sealed class Compiled(Regex interpreted, int groups)
    {
        /// <summary>How many matches a pattern runs interpreted (where code can be generated at all).</summary>
        private const int CompileAfter = 256;

        private Regex? _optimised;
        private int _matches;

        /// <summary>The pattern's groups, the whole match's included.</summary>
        public int Groups => groups;

        /// <summary>The regex to match with, counting the match.</summary>
        public Regex Regex
        {
            get
            {
                if (Volatile.Read(ref _optimised) is { } optimised)
                {
                    return optimised;
                }

                if (Interlocked.Increment(ref _matches) == CompileAfter && RuntimeFeature.IsDynamicCodeCompiled)
                {
                    var compiled = new Regex(interpreted.ToString(), interpreted.Options | RegexOptions.Compiled, interpreted.MatchTimeout);
                    Volatile.Write(ref _optimised, compiled);
                    return compiled;
                }

                return interpreted;
            }
        }
    }

    /// <summary>A compiled <c>EReg</c> and the result of its last match.</summary>
    internal sealed class ERegHandle
    {
        public required string Pattern { get; init; }

        public required RegexOptions Options { get; init; }

        public required Compiled Plain { get; init; }

        /// <summary>The form that matches surrogate pairs as single characters, built when first needed.</summary>
        public Compiled? Astral { get; set; }

        public Match? Last { get; set; }

        // The subject of the last call, kept so that the loops in EReg.split/replace/map (which
        // call match again on the same string with a moving start) convert it only once.
        public byte[]? SubjectArray { get; set; }

        public int SubjectOffset { get; set; }

        public string? Subject { get; set; }

        public bool SubjectHasSurrogates { get; set; }
    }

    [HlNative("std", "regexp_new_options")]
    public static ERegHandle? NewOptions(NativeContext m, HlBytes pattern, HlBytes options)
    {
        var source = pattern.ReadUcs2Terminated();
        var flags = RegexOptions.CultureInvariant;
        foreach (var c in options.ReadUcs2Terminated())
        {
            switch (c)
            {
                case 'i':
                    flags |= RegexOptions.IgnoreCase;
                    break;
                case 's':
                    flags |= RegexOptions.Singleline;
                    break;
                case 'm':
                    flags |= RegexOptions.Multiline;
                    break;
                case 'u':
                    // HashLink always compiles in UTF + UCP mode.
                    break;
                default:
                    // HashLink returns a null handle for an unknown option (EReg stores it and
                    // fails on first use); 'g' never gets here because EReg removes it.
                    return null;
            }
        }

        return new ERegHandle { Pattern = source, Options = flags, Plain = Compile(m, source, flags, astral: false) };
    }

    private static Compiled Compile(NativeContext m, string pattern, RegexOptions options, bool astral)
    {
        var key = (pattern, options, astral);
        if (Cache.TryGetValue(key, out var found))
        {
            return found;
        }

        Compiled compiled;
        try
        {
            var translated = PcreTranslator.Translate(pattern, astral);
            compiled = new Compiled(new Regex(translated.Pattern, options), translated.GroupCount + 1);
        }
        catch (PcreSyntaxException e)
        {
            throw m.Runtime.MakeError(CompileErrorMessage(e.Message, pattern));
        }
        catch (RegexParseException e)
        {
            throw m.Runtime.MakeError(CompileErrorMessage(PcreTranslator.MessageFor(e), pattern));
        }

        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[key] = compiled;
        return compiled;
    }

    /// <summary>The text HashLink throws for a pattern PCRE2 refuses.</summary>
    internal static string CompileErrorMessage(string pcreMessage, string pattern) => $"Regexp compilation error : {pcreMessage} in {pattern}";

    [HlNative("std", "regexp_match")]
    public static bool Match(NativeContext m, ERegHandle? e, HlBytes? subject, int pos, int len)
    {
        if (e is null || subject is null)
        {
            throw m.Runtime.NullAccess();
        }

        var end = pos + len;
        if (pos < 0 || len < 0 || end < 0 || (long)subject.Offset + (2L * end) > subject.Array.Length)
        {
            e.Last = null;
            throw m.Runtime.MakeError("An error occurred while running pcre2_match()");
        }

        var text = SubjectOf(e, subject, end);
        Compiled compiled;
        if (e.SubjectHasSurrogates)
        {
            compiled = e.Astral ??= Compile(m, e.Pattern, e.Options, astral: true);
        }
        else
        {
            compiled = e.Plain;
        }

        var match = compiled.Regex.Match(text, pos);
        e.Last = match.Success ? match : null;
        return match.Success;
    }

    private static string SubjectOf(ERegHandle e, HlBytes subject, int end)
    {
        if (ReferenceEquals(e.SubjectArray, subject.Array) && e.SubjectOffset == subject.Offset && e.Subject!.Length == end)
        {
            return e.Subject;
        }

        var chars = MemoryMarshal.Cast<byte, char>(subject.Array.AsSpan(subject.Offset, end * 2));
        var text = new string(chars);
        e.SubjectArray = subject.Array;
        e.SubjectOffset = subject.Offset;
        e.Subject = text;
        e.SubjectHasSurrogates = chars.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        return text;
    }

    [HlNative("std", "regexp_matched_pos")]
    public static int MatchedPos(NativeContext m, ERegHandle? e, int n, HlRef<int>? length)
    {
        if (e is null)
        {
            throw m.Runtime.NullAccess();
        }

        var match = e.Last ?? throw m.Runtime.MakeError("Calling regexp_matched_pos() on an unmatched regexp");
        var groups = e.SubjectHasSurrogates && e.Astral is { } astral ? astral.Groups : e.Plain.Groups;
        if (n < 0 || n >= groups)
        {
            throw m.Runtime.MakeError($"Matched index {n} outside bounds");
        }

        var group = match.Groups[n];
        if (!group.Success)
        {
            // PCRE2 reports an unset group as (-1, -1): position -1, length 0.
            if (length is not null)
            {
                length.Value = 0;
            }

            return -1;
        }

        if (length is not null)
        {
            length.Value = group.Length;
        }

        return group.Index;
    }

    [HlNative("std", "regexp_matched_num")]
    public static int MatchedNum(ERegHandle e) => e.Last is null ? -1 : e.Plain.Groups;
}
