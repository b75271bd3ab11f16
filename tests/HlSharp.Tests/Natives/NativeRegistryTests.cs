using System.Reflection;
using HlSharp.Natives;

namespace HlSharp.Tests.Natives;

public sealed class NativeRegistryTests
{
    private const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>The registry scans a list of classes, not the assembly: a class of natives missing from the list would lose them all.</summary>
    [Fact]
    public void The_list_of_native_classes_is_every_class_declaring_natives()
    {
        var declaring = typeof(NativeRegistry).Assembly.GetTypes()
            .Where(t => t.GetMethods(Statics).Any(m => m.IsDefined(typeof(HlNativeAttribute), inherit: false)))
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(declaring, NativeRegistry.NativeClasses.Select(t => t.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_standard_registry_finds_every_native_the_assembly_declares()
    {
        var registry = NativeRegistry.CreateStandard();
        var declared = typeof(NativeRegistry).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(Statics))
            .SelectMany(m => m.GetCustomAttributes<HlNativeAttribute>().Select(a => (a, m)))
            .ToList();

        Assert.NotEmpty(declared);
        foreach (var (attribute, method) in declared)
        {
            Assert.True(registry.TryGet(attribute.Library, attribute.Name, out var found), $"{attribute.Library}@{attribute.Name}");
            Assert.Equal(method, found);
        }

        Assert.Equal(declared.Count, registry.Count);
        Assert.False(registry.TryGet("std", "no_such_native", out _));
    }

    [Fact]
    public void A_registered_native_overrides_the_standard_one_in_its_registry_only()
    {
        var replacement = typeof(NativeRegistryTests).GetMethod(nameof(Replacement), BindingFlags.Static | BindingFlags.NonPublic)!;
        var registry = NativeRegistry.CreateStandard();
        registry.Register("std", "math_sqrt", replacement);

        Assert.True(registry.TryGet("std", "math_sqrt", out var found));
        Assert.Equal(replacement, found);
        Assert.True(NativeRegistry.CreateStandard().TryGet("std", "math_sqrt", out var standard));
        Assert.NotEqual(replacement, standard);
    }

    private static double Replacement(double v) => v;
}
