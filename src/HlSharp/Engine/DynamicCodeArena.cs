using System.Diagnostics.CodeAnalysis;
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
[RequiresDynamicCode("Defines dynamic assemblies; a precompiled program (hlsharp compile) does not")]
internal sealed class DynamicCodeArena : ICodeTarget
{
    private const int TypesPerAssembly = 64;

    private readonly string _name;
    private readonly object _root;
    private readonly bool _collectible;
    private readonly Lock _lock = new();
    private ModuleBuilder? _current;
    private int _typesInCurrent;
    private int _assemblies;

    /// <param name="name">The first part of each assembly's name.</param>
    /// <param name="root">What every assembly keeps alive in a static, for as long as any of its code can run.</param>
    /// <param name="collectible">
    /// Whether the assemblies are collectible. .NET compiles methods of collectible assemblies
    /// fully optimised on first call (they get no quick first tier), which made the Haxe unit
    /// suite (7,600 functions) start 1.6x slower; a program that lives as long as its process
    /// gains nothing from being collectible.
    /// </param>
    public DynamicCodeArena(string name, object root, bool collectible)
    {
        _name = name;
        _root = root;
        _collectible = collectible;
    }

    /// <summary>Defines a type in a module with room for it.</summary>
    public bool Runs => true;

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification =
        "JIT path only: parents are HlSharp's instance base classes, which compiled code uses, or classes emitted here, which no trimmer sees.")]
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
        // Collectible (by default), so a program nothing references any more is unloaded with its code. Its hot
        // data is not in statics (which collectible code reaches through a handle) but at constant
        // addresses (ModuleStorage); the one static here only roots that data: a running method
        // keeps its assembly alive, the assembly its statics, and so the arrays its code reads.
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"{_name}.{_assemblies++}"), _collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(HlModule).Assembly.GetName().Name!]));
        var module = assembly.DefineDynamicModule("program");
        var holder = module.DefineType("hl.$root", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Abstract | TypeAttributes.Sealed);
        holder.DefineField("Root", typeof(object), FieldAttributes.Public | FieldAttributes.Static);
        holder.CreateType()!.GetField("Root")!.SetValue(null, _root);
        return module;
    }
}
