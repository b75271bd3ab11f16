using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Engine;

/// <summary>
/// Which emitted classes are sealed (RuntimeTypeBuilder): without hot reload, every class that no
/// class of the program extends, so that a cast to it is one compare; with hot reload, none, as a
/// reload may add a subclass to any class (tests/fixtures/ReloadFieldInstance: Player extends Base).
/// </summary>
public sealed class SealedClassTests
{
    private static HlVm Load(bool hotReload) =>
        HlVm.LoadFile(HaxeFixtures.Compile("ReloadFieldInstance/v1"), new HlVmOptions { HotReload = hotReload, StandardOutput = new MemoryStream() });

    [Fact]
    public void Without_hot_reload_a_class_nothing_extends_is_sealed_and_a_super_class_is_not()
    {
        using var vm = Load(hotReload: false);
        var classes = vm.Module.Types.Where(t => t.ClrType is not null).ToList();
        var supers = classes.Select(t => t.Super).OfType<Runtime.HlRuntimeType>().ToHashSet();

        Assert.True(classes.Single(t => t.Name == "Player").ClrType!.IsSealed);
        Assert.False(classes.Single(t => t.Name == "Base").ClrType!.IsSealed);
        Assert.All(classes, t => Assert.Equal(!supers.Contains(t), t.ClrType!.IsSealed));
    }

    [Fact]
    public void With_hot_reload_no_class_is_sealed()
    {
        using var vm = Load(hotReload: true);

        var classes = vm.Module.Types.Where(t => t.ClrType is not null).ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, t => Assert.False(t.ClrType!.IsSealed, t.Name));
    }
}
