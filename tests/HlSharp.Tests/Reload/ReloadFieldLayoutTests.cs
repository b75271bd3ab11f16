using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Reload;

/// <summary>
/// The engine side of fields added by a reload (tests/fixtures/ReloadFieldInstance): the emitted
/// classes' base with hot reload on and off, and the field map that follows names when a field
/// added to a super class shifts the new version's indices.
/// </summary>
public sealed class ReloadFieldLayoutTests
{
    private static HlVm Load(bool hotReload) =>
        HlVm.LoadFile(HaxeFixtures.Compile("ReloadFieldInstance/v1"), new HlVmOptions { HotReload = hotReload, StandardOutput = new MemoryStream() });

    [Fact]
    public void With_hot_reload_off_emitted_classes_derive_from_HlInstance_and_have_no_added_array()
    {
        using var vm = Load(hotReload: false);
        var classes = vm.Module.Types.Where(t => t.ClrType is not null).ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, t => Assert.False(typeof(HlReloadableInstance).IsAssignableFrom(t.ClrType), t.Name));
        var player = classes.Single(t => t.Name == "Player").ClrType!;
        Assert.Equal(typeof(HlInstance), player.BaseType!.BaseType);
        Assert.Null(player.GetField(nameof(HlReloadableInstance.Added)));
        // Exactly the fields of the bytecode: the type and one per HashLink field (hp, name).
        Assert.Equal(["Type", "hp#0", "name#1"], player.GetFields().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void With_hot_reload_on_every_class_derives_from_HlReloadableInstance()
    {
        using var vm = Load(hotReload: true);

        var classes = vm.Module.Types.Where(t => t.ClrType is not null).ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, t => Assert.True(typeof(HlReloadableInstance).IsAssignableFrom(t.ClrType), t.Name));
        Assert.All(classes.Where(t => t.Super is null), t => Assert.Equal(typeof(HlReloadableInstance), t.ClrType!.BaseType));
    }

    [Fact]
    public void A_field_added_to_a_super_class_shifts_the_new_versions_indices_and_the_map_follows_the_names()
    {
        using var vm = Load(hotReload: true);
        vm.RunEntry();
        var next = HlCode.ReadFile(HaxeFixtures.Compile("ReloadFieldInstance/v2"));
        var player2 = next.Types.OfType<HlObjectType>().Single(t => t.Name == "Player");

        var plan = ReloadPlanner.Plan(vm.Module, next);

        Assert.Empty(plan.Refused);
        var live = vm.Module.Types[plan.Map.Type(player2.Index)];
        var fields = plan.Map.FieldsOf(live);
        // v2 counts Player's fields hp, armor (Base's, new), name, shield, title, alive; live keeps hp, name first.
        string[] names = ["hp", "armor", "name", "shield", "title", "alive"];
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(names[i], fields[plan.Map.Field(player2.Index, i)].Name);
        }

        Assert.Equal(["hp", "name"], live.Fields.Select(f => f.Name));
        Assert.Equal(["hp", "name", "armor", "shield", "title", "alive"], fields.Select(f => f.Name));
        // Slots are unique along the hierarchy: Base's armor and Player's three added fields.
        Assert.Equal([0, 1, 2, 3], fields.Where(f => f.IsAdded).Select(f => f.AddedSlot).Order());
    }
}
