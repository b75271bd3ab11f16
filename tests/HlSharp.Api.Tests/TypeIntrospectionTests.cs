using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlVm.Types"/>: the program's classes, interfaces, enums and abstracts with their
/// members, read from the bytecode (fixture <c>TypeInfo</c>: a class hierarchy in a package, an
/// interface, an enum with parameters, an abstract, statics).
/// </summary>
public sealed class TypeIntrospectionTests
{
    private static HlVm Load() => HlVm.LoadFile(HaxeFixtures.Compile("TypeInfo"), new HlVmOptions { StandardOutput = Stream.Null });

    [Fact]
    public void A_class_in_a_package_lists_its_super_class_interfaces_fields_and_methods()
    {
        using var vm = Load();

        var player = vm.Types["game.entities.Player"];

        Assert.Equal(HlTypeInfoKind.Class, player.Kind);
        Assert.Equal("Player", player.Name);
        Assert.Equal("game.entities", player.Package);
        Assert.Same(vm.Types["game.entities.Entity"], player.SuperClass);
        Assert.Equal(["game.entities.Updatable"], player.Interfaces.Select(i => i.Path));
        // Own instance fields (the inherited ones are the super class's), then statics.
        Assert.Equal(["level : i32", "static count : i32"], player.Fields.Select(f => f.ToString()));
        var update = player.FindMethod("update")!;
        Assert.False(update.IsStatic);
        Assert.Equal(["f64"], update.ArgumentTypes);
        Assert.Equal("void", update.ReturnType);
        Assert.Equal("(f64) -> void", update.Signature);
        Assert.Equal("(String) -> game.entities.Player", player.FindMethod("create")!.Signature);
        Assert.True(player.FindMethod("create")!.IsStatic);
        Assert.NotNull(player.FindMethod("describe"));

        var entity = vm.Types["game.entities.Entity"];
        Assert.Equal(["name : String", "x : f64"], entity.Fields.Select(f => f.ToString()));
        Assert.Equal("() -> String", entity.FindMethod("describe")!.Signature);
        Assert.Null(entity.SuperClass);
        Assert.Empty(entity.Interfaces);
        Assert.True(player.IsSubtypeOf(entity));
        Assert.True(player.IsSubtypeOf(vm.Types["game.entities.Updatable"]));
        Assert.False(entity.IsSubtypeOf(player));
    }

    [Fact]
    public void Static_functions_of_the_main_class_are_listed_with_their_signatures()
    {
        using var vm = Load();

        var main = vm.Types["Main"];

        Assert.Equal(string.Empty, main.Package);
        Assert.Equal("(i32, i32) -> i32", main.FindMethod("add")!.Signature);
        Assert.Equal("() -> void", main.FindMethod("main")!.Signature);
        Assert.All(main.Methods, m => Assert.True(m.IsStatic));
    }

    [Fact]
    public void An_interface_lists_its_methods()
    {
        using var vm = Load();

        var updatable = vm.Types["game.entities.Updatable"];

        Assert.Equal(HlTypeInfoKind.Interface, updatable.Kind);
        Assert.Equal(["update : (f64) -> void"], updatable.Methods.Select(m => m.ToString()));
        Assert.Null(updatable.SuperClass);
    }

    [Fact]
    public void An_enum_lists_its_constructors_with_their_parameter_types()
    {
        using var vm = Load();

        var status = vm.Types["game.entities.Status"];

        Assert.Equal(HlTypeInfoKind.Enum, status.Kind);
        Assert.Equal(["Idle", "Hurt(i32, String)", "Moving(f64, f64)"], status.EnumConstructors.Select(c => c.ToString()));
        Assert.Equal([0, 1, 2], status.EnumConstructors.Select(c => c.Index));
        Assert.Empty(status.EnumConstructors[0].ParameterTypes);
    }

    [Fact]
    public void An_abstract_is_listed_by_its_implementation_s_functions()
    {
        using var vm = Load();

        var meters = vm.Types["game.entities.Meters"];

        Assert.Equal(HlTypeInfoKind.Abstract, meters.Kind);
        // The value of the abstract is the implementation's first argument.
        Assert.Equal("(f64) -> f64", meters.FindMethod("toFloat")!.Signature);
        Assert.Null(vm.Types.Find("game.entities._Meters.Meters_Impl_"));
    }

    [Fact]
    public void The_list_holds_the_program_s_types_and_standard_library_types_it_uses()
    {
        using var vm = Load();

        var paths = vm.Types.Select(t => t.Path).ToList();

        Assert.Contains("Main", paths);
        Assert.Contains("String", paths);
        Assert.Contains("haxe.Exception", paths);
        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.Equal(vm.Types.Count, paths.Count);
        using var enumerator = vm.Types.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Same(vm.Types[0], enumerator.Current);
    }

    [Fact]
    public void Find_returns_null_for_a_missing_type_and_the_indexer_names_a_close_match()
    {
        using var vm = Load();

        Assert.Null(vm.Types.Find("game.entities.Monster"));
        var error = Assert.Throws<KeyNotFoundException>(() => vm.Types["game.entities.Plyer"]);
        Assert.Contains("'game.entities.Plyer'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'game.entities.Player'?", error.Message, StringComparison.Ordinal);
        // The right name in another package is a close match too.
        var moved = Assert.Throws<KeyNotFoundException>(() => vm.Types.Get("Player"));
        Assert.Contains("did you mean 'game.entities.Player'?", moved.Message, StringComparison.Ordinal);
        var far = Assert.Throws<KeyNotFoundException>(() => vm.Types.Get("Zzzzqqq"));
        Assert.DoesNotContain("did you mean", far.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_are_known_before_RunEntry_and_stay_the_same_after()
    {
        using var vm = Load();
        var before = vm.Types["game.entities.Player"];

        vm.RunEntry();

        Assert.Same(before, vm.Types["game.entities.Player"]);
    }
}
