using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace HlSharp.Engine;

/// <summary>
/// Reflection lookups of the helpers compiled code calls, done once per process: a big program
/// compiles thousands of functions, each naming hundreds of helpers, and a lookup by name is far
/// slower than a dictionary hit. The cache holds only members of HlSharp's own types, which
/// never change, so sharing it between VMs shares no program state.
/// </summary>
internal static class HelperMethods
{
    private static readonly ConcurrentDictionary<(Type, string), MethodInfo> Methods = new();
    private static readonly ConcurrentDictionary<Type, FieldInfo> CellFields = new();

    /// <summary>The public method of <paramref name="owner"/> named <paramref name="name"/>.</summary>
    public static MethodInfo Get([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type owner, string name) =>
        Methods.GetOrAdd((owner, name), static key => PublicMethod(key.Item1, key.Item2));

    /// <summary>The <c>Cell</c> field of a reference type (<c>HlRef&lt;T&gt;</c>): where a register whose address is taken lives.</summary>
    [DynamicDependency(nameof(Runtime.HlRef<int>.Cell), typeof(Runtime.HlRef<>))]
    public static FieldInfo CellValue(Type cellType) =>
        CellFields.GetOrAdd(cellType, static t => PublicField(t, nameof(Runtime.HlRef<int>.Cell)));

    /// <summary>The getter of a reference type's <c>Value</c>, which returns the referenced storage (its cell or an array element) by reference.</summary>
    public static MethodInfo RefTarget([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type cellType) =>
        Get(cellType, "get_" + nameof(Runtime.HlRef<int>.Value));

    // The caches' keys lose the annotation the trimmer checks; every key came in through a parameter that has it.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The type came through Get's annotated parameter.")]
    private static MethodInfo PublicMethod(Type owner, string name) => owner.GetMethod(name) ?? throw new MissingMethodException(owner.Name, name);

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Cell types are HlRef<T> instantiations, whose Cell field CellValue's DynamicDependency keeps.")]
    private static FieldInfo PublicField(Type owner, string name) => owner.GetField(name)!;
}
