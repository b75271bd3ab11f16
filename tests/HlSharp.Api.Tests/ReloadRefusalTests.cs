namespace HlSharp.Api.Tests;

/// <summary>
/// Changes a reload cannot apply (issue 11, item 5), each refused whole: <c>tests/fixtures/ReloadRefuse</c>
/// has the running program (v1), a valid v2 (only <c>version()</c>'s body changed) and, in a folder
/// named after it, v2 plus one change that must be refused. The refusal names the type, the member
/// and why; nothing of the new version is applied (not even <c>version()</c>'s body); the statics
/// are untouched; and the next valid reload still works.
/// </summary>
public sealed class ReloadRefusalTests
{
    /// <summary>The refused change's folder, and the type, member (null: the type as a whole) and a word of the reason its refusal must give.</summary>
    public static TheoryData<string, string, string?, string> Refusals => new()
    {
        { "static-signature", "class Main", "scale", "signature changed" },
        { "method-signature", "class Item", "describe", "signature changed" },
        { "enum-added", "enum Shape", "Triangle", "added" },
        { "enum-removed", "enum Shape", "Square", "removed" },
        { "enum-retyped", "enum Shape", "Circle", "parameters changed" },
        { "super-changed", "class Leaf", null, "super class changed from Base to Other" },
    };

    /// <summary>Fields removed or retyped: which member and what words the refusal uses is the field checks' own (they also admit added fields), so the field's name may be the member or in the reason.</summary>
    public static TheoryData<string> FieldRefusals => new() { "field-removed", "field-retyped" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_change_names_the_type_and_member_and_why_and_changes_nothing(string change, string type, string? member, string reason)
    {
        using var vm = Started();

        var refusal = AssertRefusedWhole(vm, change, r => r.Type == type && r.Member == member);

        Assert.Contains(reason, refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FieldRefusals))]
    public void A_removed_or_retyped_field_is_refused_naming_the_class_and_field_and_changes_nothing(string change)
    {
        using var vm = Started();

        var refusal = AssertRefusedWhole(vm, change, r => r.Type == "class Item" && (r.Member == "count" || r.Reason.Contains("count", StringComparison.Ordinal)));

        Assert.NotEmpty(refusal.Reason);
    }

    [Fact]
    public void An_enum_refusal_gives_the_constructors_parameters_before_and_after()
    {
        using var vm = Started();

        var result = Assert.Throws<HlReloadException>(() => vm.Reload(ReloadFixture.Path("ReloadRefuse/enum-retyped"))).Result;

        var circle = Assert.Single(result.Refused, r => r.Member == "Circle");
        Assert.Equal("enum Shape.Circle: parameters changed from (i32) to (f64)", circle.ToString());
    }

    private static HlVm Started()
    {
        var vm = ReloadFixture.Start("ReloadRefuse/v1");
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));
        return vm;
    }

    /// <summary>
    /// Reloads the refused version through <c>Reload(path)</c>, <c>TryReload(path)</c> and
    /// <c>TryReload(bytes)</c>; each must refuse it with the same refusals, one of them matching;
    /// then nothing has changed and v2 applies.
    /// </summary>
    private static HlReloadRefusal AssertRefusedWhole(HlVm vm, string change, Func<HlReloadRefusal, bool> expected)
    {
        var path = ReloadFixture.Path("ReloadRefuse/" + change);
        var program = Observe(vm);

        var error = Assert.Throws<HlReloadException>(() => vm.Reload(path));
        Assert.False(vm.TryReload(path, out var tried));
        Assert.False(vm.TryReload(File.ReadAllBytes(path), out var triedBytes));

        var result = error.Result;
        var lines = result.Refused.Select(r => r.ToString()).ToList();
        var refusal = Assert.Single(result.Refused, r => expected(r));
        Assert.False(result.Applied);
        Assert.Empty(result.FunctionsChanged);
        Assert.Empty(result.ClosuresChanged);
        Assert.Equal(Path.GetFullPath(path), result.Path);
        Assert.Equal(lines, tried.Refused.Select(r => r.ToString()));
        Assert.Equal(lines, triedBytes.Refused.Select(r => r.ToString()));
        Assert.Contains(refusal.ToString(), error.Message, StringComparison.Ordinal);

        // Nothing changed: the old bodies run (v2's change of version() was not applied), the static is as it was.
        Assert.Equal(program, Observe(vm));
        Assert.Equal(41, vm.GetClass("Main").Get<int>("counter"));

        var next = vm.Reload(ReloadFixture.Path("ReloadRefuse/v2"));
        Assert.Equal(["Main.version"], next.FunctionsChanged);
        Assert.Equal(2, vm.CallStatic<int>("Main", "version"));
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));
        return refusal;
    }

    /// <summary>What the program answers: every function a refused change touches, and version().</summary>
    private static string Observe(HlVm vm) => string.Join(
        " ",
        vm.CallStatic<int>("Main", "version"),
        vm.CallStatic<int>("Main", "scaled"),
        vm.CallStatic<int>("Main", "areas"),
        vm.CallStatic<string>("Main", "leafKind"),
        vm.CallStatic<string>("Main", "describe"));
}
