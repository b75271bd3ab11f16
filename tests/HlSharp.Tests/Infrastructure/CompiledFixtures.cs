using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Compiles Haxe fixtures ahead of time (<see cref="HlCompiler.CompileAssembly"/>) into
/// <c>.cache/aot/&lt;fixture&gt;-&lt;hash of the bytecode&gt;/</c>, once per test run, and loads each
/// into an <see cref="AssemblyLoadContext"/> of its own: every <see cref="Load"/> gives a fresh copy
/// of the assembly, with statics of its own, so tests running in parallel never share one.
/// </summary>
internal static class CompiledFixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Compiled = new();

    /// <summary>The path of the fixture's compiled assembly, compiling it if needed.</summary>
    public static string Compile(string fixture, params string[] extraArgs)
    {
        var bytecodePath = HaxeFixtures.Compile(fixture, extraArgs);
        return Compiled.GetOrAdd(bytecodePath, path => new Lazy<string>(() =>
        {
            var bytes = File.ReadAllBytes(path);
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
            var directory = Path.Combine(RepoPaths.Cache, "aot", $"{fixture}-{hash}");
            // A run of an older HlSharp may have left one: compiling again is cheap and always current.
            return HlCompiler.CompileAssembly(bytes, AssemblyName(fixture), directory);
        })).Value;
    }

    /// <summary>Loads a fresh copy of the fixture's compiled assembly.</summary>
    public static Assembly Load(string fixture, params string[] extraArgs)
    {
        var path = Compile(fixture, extraArgs);
        return new AssemblyLoadContext($"{fixture}-{Guid.NewGuid():N}").LoadFromAssemblyPath(path);
    }

    private static string AssemblyName(string fixture) => "Compiled" + new string([.. fixture.Where(char.IsAsciiLetterOrDigit)]);
}
