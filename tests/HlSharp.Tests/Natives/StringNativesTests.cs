namespace HlSharp.Tests.Natives;

/// <summary>
/// std@parse_int, parse_float, url_encode, url_decode, string_compare, hash, dyn_op and dyn_compare,
/// checked by the StringNatives fixture against HashLink's behaviour (including its quirks: strtol
/// truncation, the 30-character strtod window, U+DFFF never closing a surrogate pair, lenient
/// continuation escapes, the invalid-comparison marker).
/// </summary>
public sealed class StringNativesTests
{
    [Fact]
    public void String_number_url_hash_and_dynamic_natives_behave_as_in_HashLink()
    {
        var (lines, missing) = NativeFixture.Run("StringNatives");

        NativeFixture.AssertAllPassed(lines, okCount: 153);
        foreach (var name in new[] { "parse_int", "parse_float", "url_encode", "url_decode", "string_compare", "hash", "dyn_op", "dyn_compare" })
        {
            Assert.DoesNotContain(missing, m => m.StartsWith("std@" + name, StringComparison.Ordinal));
        }
    }
}
