using System.Reflection;

namespace HlSharp.Api.Tests;

/// <summary>Keeps the public surface honest: sealed by default, a closed exception hierarchy, the layers' internals internal.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Type[] PublicTypes = typeof(HlVm).Assembly.GetExportedTypes();

    [Fact]
    public void Public_classes_are_sealed_abstract_or_static()
    {
        var open = PublicTypes
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(open);
    }

    [Fact]
    public void Hosts_cannot_construct_or_derive_HlSharp_exceptions()
    {
        var exceptions = PublicTypes.Where(t => typeof(HlException).IsAssignableFrom(t)).ToList();

        Assert.Contains(typeof(HlHaxeException), exceptions);
        Assert.All(exceptions, t => Assert.Empty(t.GetConstructors(BindingFlags.Public | BindingFlags.Instance)));
        Assert.All(exceptions.Where(t => t != typeof(HlException)), t => Assert.True(t.IsSealed, t.Name));
    }

    [Fact]
    public void Only_the_facade_and_the_bytecode_model_are_public()
    {
        var namespaces = PublicTypes.Select(t => t.Namespace).Distinct().Order().ToList();

        Assert.Equal(["HlSharp", "HlSharp.Bytecode"], namespaces);
    }

    [Fact]
    public void This_project_sees_only_the_public_API()
    {
        var friends = typeof(HlVm).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToList();

        Assert.DoesNotContain(typeof(PublicSurfaceTests).Assembly.GetName().Name, friends);
    }
}
