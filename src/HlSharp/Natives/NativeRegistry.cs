using System.Collections.Frozen;
using System.Reflection;
using HlSharp.Engine;

namespace HlSharp.Natives;

/// <summary>
/// The natives a VM can bind, keyed by (library, name). The standard ones are the static methods
/// of this assembly marked <see cref="HlNativeAttribute"/>; a native's first parameter may be a
/// <see cref="NativeContext"/>, which the engine passes for natives that need VM state.
/// </summary>
internal sealed class NativeRegistry
{
    private static readonly Lazy<FrozenDictionary<(string, string), MethodInfo>> Standard = new(FindStandard);
    private readonly Dictionary<(string, string), MethodInfo> _natives;

    private NativeRegistry(IDictionary<(string, string), MethodInfo> natives) => _natives = new(natives);

    /// <summary>A registry holding HlSharp's standard natives.</summary>
    public static NativeRegistry CreateStandard() => new(Standard.Value);

    public bool TryGet(string library, string name, out MethodInfo method) => _natives.TryGetValue((library, name), out method!);

    public void Register(string library, string name, MethodInfo method) => _natives[(library, name)] = method;

    public int Count => _natives.Count;

    /// <summary>What the engine binds natives through, passing <paramref name="context"/> to natives that take one.</summary>
    public INativeResolver ResolverFor(NativeContext context) => new Resolver(this, context);

    private static FrozenDictionary<(string, string), MethodInfo> FindStandard()
    {
        var found = new Dictionary<(string, string), MethodInfo>();
        foreach (var type in typeof(NativeRegistry).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var attribute in method.GetCustomAttributes<HlNativeAttribute>())
                {
                    if (!found.TryAdd((attribute.Library, attribute.Name), method))
                    {
                        throw new InvalidOperationException($"native {attribute.Library}@{attribute.Name} is implemented twice");
                    }
                }
            }
        }

        return found.ToFrozenDictionary();
    }

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
