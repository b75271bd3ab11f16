using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using HlSharp.Engine;

namespace HlSharp.Natives;

/// <summary>
/// The natives a VM can bind, keyed by (library, name). The standard ones are the static methods
/// of this assembly marked <see cref="HlNativeAttribute"/>; a native's first parameter may be a
/// <see cref="NativeContext"/>, which the engine passes for natives that need VM state.
/// </summary>
/// <remarks>
/// The standard table is built once per process, from the classes listed in <see cref="NativeClasses"/>
/// rather than from every type of the assembly: <c>Assembly.GetTypes</c> loads all ~460 of them,
/// which was most of the 40-50 ms the table cost each start. It is built when binding the natives
/// first looks one up (3 to 5 ms), on the loading thread: it was built on the thread pool, to
/// overlap the building of the run-time types, but the pool's first work item starts the pool,
/// which cost the loading thread more (6 to 14 ms) than the overlap saved, and a small program
/// otherwise never starts it.
/// (<c>NativeRegistryTests</c> checks the list against a scan of the whole assembly.)
/// </remarks>
internal sealed class NativeRegistry
{
    /// <summary>Every class declaring <see cref="HlNativeAttribute"/> methods (each through <see cref="Kept"/>, so trimming keeps their methods).</summary>
    internal static readonly Type[] NativeClasses =
    [
        Kept(typeof(HlSharpAtomics)), Kept(typeof(HlSharpChannels)), Kept(typeof(HlSharpLocks)), Kept(typeof(HlSharpSync)),
        Kept(typeof(HlSharpTasks)), Kept(typeof(HlSharpTimers)), Kept(typeof(SslNotSupported)), Kept(typeof(StdArray)),
        Kept(typeof(StdBytes)), Kept(typeof(StdCArray)), Kept(typeof(StdCast)), Kept(typeof(StdDate)), Kept(typeof(StdDynOps)), Kept(typeof(StdFile)),
        Kept(typeof(StdFileSystem)), Kept(typeof(StdFmt)), Kept(typeof(StdFun)), Kept(typeof(StdGc)), Kept(typeof(StdMaps)),
        Kept(typeof(StdMath)), Kept(typeof(StdMemCompact)), Kept(typeof(StdObj)), Kept(typeof(StdProcess)), Kept(typeof(StdRandom)), Kept(typeof(StdRegexp)),
        Kept(typeof(StdReload)), Kept(typeof(StdSocket)), Kept(typeof(StdSort)), Kept(typeof(StdStacks)), Kept(typeof(StdStrings)),
        Kept(typeof(StdSys)), Kept(typeof(StdThread)), Kept(typeof(StdTypes)), Kept(typeof(StdTypesReflect)),
    ];

    /// <summary>
    /// The type itself; the annotation makes trimming (and NativeAOT) keep every method of a class
    /// passed here, which is what lets <see cref="Scan"/> find the natives by reflection.
    /// </summary>
    private static Type Kept([DynamicallyAccessedMembers(NativeMethods)] Type type) => type;

    private const DynamicallyAccessedMemberTypes NativeMethods = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    private static readonly Lazy<Dictionary<string, MethodInfo>> Standard = new(FindStandard, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Dictionary<string, MethodInfo> _registered = new(StringComparer.Ordinal);

    private NativeRegistry()
    {
    }

    /// <summary>A registry holding HlSharp's standard natives (their table is built, once per process, on first look-up).</summary>
    public static NativeRegistry CreateStandard() => new();

    public bool TryGet(string library, string name, out MethodInfo method) =>
        _registered.TryGetValue(Key(library, name), out method!) || Standard.Value.TryGetValue(Key(library, name), out method!);

    public void Register(string library, string name, MethodInfo method) => _registered[Key(library, name)] = method;

    public int Count => Standard.Value.Count + _registered.Keys.Count(key => !Standard.Value.ContainsKey(key));

    /// <summary>What the engine binds natives through, passing <paramref name="context"/> to natives that take one.</summary>
    public INativeResolver ResolverFor(NativeContext context) => new Resolver(this, context);

    /// <summary>All standard natives: the <see cref="HlNativeAttribute"/> methods of <paramref name="classes"/>.</summary>
    internal static Dictionary<string, MethodInfo> Scan(IEnumerable<Type> classes)
    {
        var found = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var type in classes)
        {
            foreach (var method in StaticMethods(type))
            {
                if (!method.IsDefined(typeof(HlNativeAttribute), inherit: false))
                {
                    continue;
                }

                foreach (var attribute in method.GetCustomAttributes<HlNativeAttribute>())
                {
                    if (!found.TryAdd(Key(attribute.Library, attribute.Name), method))
                    {
                        throw new InvalidOperationException($"native {attribute.Library}@{attribute.Name} is implemented twice");
                    }
                }
            }
        }

        return found;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification =
        "Scan reads the classes of NativeClasses, each passed through Kept, whose annotation keeps their methods; tests pass classes they reference.")]
    private static MethodInfo[] StaticMethods(Type type) =>
        type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);

    // A string-keyed Dictionary, not a frozen one keyed by a tuple: the BCL's R2R code already has the
    // reference-typed instantiation, where the others were JIT-compiled at every start. Only read once built.
    private static Dictionary<string, MethodInfo> FindStandard() => Scan(NativeClasses);

    private static string Key(string library, string name) => library + "@" + name;

    private sealed class Resolver(NativeRegistry registry, NativeContext context) : INativeResolver
    {
        public NativeTarget? Resolve(string library, string name)
        {
            if (!registry.TryGet(library, name, out var method))
            {
                return null;
            }

            var takesContext = method.GetParameters() is { Length: > 0 } ps && ps[0].ParameterType == typeof(NativeContext);
            return new NativeTarget(method, takesContext ? context : null);
        }
    }
}
