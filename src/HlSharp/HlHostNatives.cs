using HlSharp.Engine;

namespace HlSharp;

/// <summary>
/// The natives a host provides (<see cref="HlVmOptions.Natives"/>): each binds a Haxe declaration
/// <c>@:hlNative("lib", "name") static function f(...)</c> to a C# delegate whose signature matches
/// it by the conversion table (Int is <see cref="int"/>, String <see cref="string"/>, objects
/// <see cref="HlObject"/>...; see <see cref="HlVm.GetFunction{TDelegate}"/>). A host native takes
/// precedence over a standard native of the same name. Signatures are checked at load: a mismatch
/// is an <see cref="HlLoadException"/> that shows both. An exception the delegate throws crosses
/// the Haxe code that called it (a Haxe <c>catch</c> receives its message) and, if nothing catches
/// it, reaches the host as the <see cref="Exception.InnerException"/> of an <see cref="HlHaxeException"/>.
/// </summary>
public sealed class HlHostNatives
{
    private readonly Dictionary<(string Library, string Name), Delegate> _natives = [];

    /// <summary>How many natives are registered.</summary>
    public int Count => _natives.Count;

    /// <summary>Registers (or replaces) the native <paramref name="library"/>@<paramref name="name"/>.</summary>
    public void Add(string library, string name, Delegate function)
    {
        ArgumentException.ThrowIfNullOrEmpty(library);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        _natives[(library, name)] = function;
    }

    /// <summary>Removes the native <paramref name="library"/>@<paramref name="name"/>; returns false when there was none. Other natives are untouched.</summary>
    public bool Remove(string library, string name) => _natives.Remove((library, name));

    /// <summary>Whether the native <paramref name="library"/>@<paramref name="name"/> is registered.</summary>
    public bool Contains(string library, string name) => _natives.ContainsKey((library, name));

    /// <summary>The resolver of one load: host natives first, then <paramref name="standard"/>; it remembers what it bound.</summary>
    internal Resolver ResolverOver(INativeResolver standard) => new(new Dictionary<(string, string), Delegate>(_natives), standard);

    internal sealed class Resolver(Dictionary<(string, string), Delegate> natives, INativeResolver standard) : INativeResolver
    {
        public List<(string Library, string Name, HostNative Native)> Bound { get; } = [];

        public NativeTarget? Resolve(string library, string name)
        {
            if (!natives.TryGetValue((library, name), out var function))
            {
                return standard.Resolve(library, name);
            }

            var host = new HostNative(function);
            Bound.Add((library, name, host));
            return NativeTarget.ForHost(host);
        }
    }
}
