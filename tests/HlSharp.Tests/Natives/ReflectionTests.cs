using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

/// <summary>
/// Reflection end to end: the Reflect, Type and Std APIs of Haxe's standard library for HashLink,
/// running on the obj/fun/types/cast natives. The fixtures check themselves and print one line
/// per check; the expected values are HashLink's behaviour (std/obj.c, fun.c, types.c, cast.c).
/// </summary>
public sealed class ReflectionTests
{
    [Fact]
    public void Reflect_fixture_passes_every_check()
    {
        var lines = Run("Reflect");

        AssertAllChecksPass(lines, expectedOk: 137);
    }

    [Fact]
    public void Reflect_prints_anonymous_objects_and_field_lists_in_hashlink_order()
    {
        var shown = Shown(Run("Reflect"));

        // A literal's fields follow its virtual type (sorted by name); a Dynamic object's follow
        // insertion, and a deleted then re-added field moves to the end.
        Assert.Equal("{a : 1, b : x, c : [1,2]}", shown["anon"]);
        Assert.Equal("alpha,beta,zeta", shown["anon-fields"]);
        Assert.Equal("{zeta : 1, beta : 2, alpha : 3}", shown["dyn"]);
        Assert.Equal("zeta,beta,alpha", shown["dyn-fields"]);
        Assert.Equal("zeta,alpha,beta", shown["dyn-readded"]);
        // A class instance: its own fields, then its super class's.
        Assert.Equal("z,x,y,name", shown["class-fields"]);
        Assert.Equal("-1 1 0", shown["compare"]);
    }

    [Fact]
    public void TypeApi_fixture_passes_every_check()
    {
        var lines = Run("TypeApi");

        AssertAllChecksPass(lines, expectedOk: 106);
    }

    [Fact]
    public void TypeApi_prints_class_and_enum_names_as_hashlink_does()
    {
        var shown = Shown(Run("TypeApi"));

        Assert.Equal("Square", shown["className"]);
        Assert.Equal("Base", shown["superName"]);
        Assert.Equal("Shade", shown["enumName"]);
        Assert.Equal("Custom(1,a)", shown["enumValue"]);
        Assert.Equal("[7,b]", shown["enumParameters"]);
        // A class value is an instance of HashLink's "$Base" class, and prints as that.
        Assert.Equal("TClass($Base)", shown["typeof"]);
        Assert.Equal("TEnum($Shade)", shown["typeofEnum"]);
        Assert.Equal("[Light,Dark,Custom,Nested,Maybe]", shown["constructs"]);
    }

    [Fact]
    public void DynamicCalls_fixture_passes_every_check()
    {
        // Closures cast between function types and var-args closures called through typed
        // function types: before wrappers, such a call crashed the process.
        var lines = Run("DynamicCalls");

        AssertAllChecksPass(lines, expectedOk: 53);
    }

    private static void AssertAllChecksPass(string[] lines, int expectedOk)
    {
        var failures = lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, "failed checks:\n" + string.Join('\n', failures));
        Assert.Equal(expectedOk, lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        Assert.Contains($"done {expectedOk}", lines);
    }

    private static Dictionary<string, string> Shown(string[] lines) =>
        lines.Where(l => l.StartsWith("show ", StringComparison.Ordinal))
            .Select(l => l["show ".Length..])
            .ToDictionary(l => l[..l.IndexOf(' ', StringComparison.Ordinal)], l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    private static string[] Run(string fixture) => FixtureRun.Run(fixture).NonEmptyLines;
}
