using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace HlSharp.Engine;

/// <summary>
/// Where a module's emitted types live. Defining types in one dynamic module gets slower with
/// every type it already holds (2,000 types took 2.4 s, 2,000 single-method types 6 s, against
/// 0.2 s for 4,000 spread over assemblies of 64), so the arena starts a new dynamic assembly
/// every <see cref="TypesPerAssembly"/> types. Types in different assemblies see each other
/// as usual (they are public), and each assembly may use HlSharp's internal runtime types.
/// </summary>
internal sealed class DynamicCodeArena
{
    private const int TypesPerAssembly = 64;

    private readonly string _name;
    private readonly Lock _lock = new();
    private ModuleBuilder? _current;
    private int _typesInCurrent;
    private int _assemblies;

    public DynamicCodeArena(string name) => _name = name;

    /// <summary>Defines a type in a module with room for it.</summary>
    public TypeBuilder DefineType(string name, TypeAttributes attributes, Type? parent = null)
    {
        lock (_lock)
        {
            if (_current is null || _typesInCurrent == TypesPerAssembly)
            {
                _current = NewModule();
                _typesInCurrent = 0;
            }

            _typesInCurrent++;
            return parent is null ? _current.DefineType(name, attributes) : _current.DefineType(name, attributes, parent);
        }
    }

    private ModuleBuilder NewModule()
    {
        // Not collectible: static fields of collectible assemblies are reached through an extra
        // indirection, and every call loads the slot table from one, which made call-heavy code
        // about twice as slow (bench/programs/fib). A disposed VM's code stays in memory until
        // the process ends; hot reload will need a layout without statics before it can unload.
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"{_name}.{_assemblies++}"), AssemblyBuilderAccess.Run);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(HlModule).Assembly.GetName().Name!]));
        return assembly.DefineDynamicModule("program");
    }
}
