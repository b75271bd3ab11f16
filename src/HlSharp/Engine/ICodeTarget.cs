using System.Reflection;
using System.Reflection.Emit;

namespace HlSharp.Engine;

/// <summary>
/// Where emitted types go: dynamic assemblies that run in this process (<see cref="DynamicCodeArena"/>),
/// or one assembly written to disk to run elsewhere (<see cref="ProgramAssemblyWriter"/>).
/// </summary>
internal interface ICodeTarget
{
    /// <summary>Defines a type.</summary>
    TypeBuilder DefineType(string name, TypeAttributes attributes, Type? parent = null);

    /// <summary>
    /// Whether the types run in this process once created. When false, nothing emitted can be
    /// created, invoked or reflected on here: code refers to the builders themselves.
    /// </summary>
    bool Runs { get; }
}

/// <summary>
/// Where the .NET class of each HashLink class comes from: emitted now (<see cref="EmittedClasses"/>),
/// or already compiled into a loaded assembly (<see cref="CompiledClasses"/>).
/// </summary>
internal interface IClassSource
{
    /// <summary>
    /// The class of type index <paramref name="typeIndex"/>, named <paramref name="name"/>, deriving
    /// from <paramref name="parent"/> (<paramref name="parentConstructor"/> is its parameterless
    /// constructor), with these own fields in order; the constructor is null when nothing compiles against the class.
    /// A <paramref name="leaf"/> class, which no class derives from now or ever will, is sealed.
    /// </summary>
    (Type Type, ConstructorInfo? Constructor, FieldInfo[] Fields) Class(int typeIndex, string name, Type parent, ConstructorInfo? parentConstructor, IReadOnlyList<(string Name, Type Storage)> fields, bool leaf);
}

/// <summary>Classes emitted into a code target: created when it runs here, left as builders when it is written to disk.</summary>
internal sealed class EmittedClasses(ICodeTarget target) : IClassSource
{
    public (Type Type, ConstructorInfo? Constructor, FieldInfo[] Fields) Class(int typeIndex, string name, Type parent, ConstructorInfo? parentConstructor, IReadOnlyList<(string Name, Type Storage)> fields, bool leaf)
    {
        // Sealed, a cast to the class is one compare of the object's type, which the JIT also
        // leaves out of the profiling it does before optimising (a cast to a class with
        // subclasses may have to walk the object's base classes, and is profiled).
        var builder = target.DefineType(name, TypeAttributes.Public | TypeAttributes.Class | (leaf ? TypeAttributes.Sealed : 0), parent);
        // Not DefineDefaultConstructor: written to disk, the parent may be a builder that cannot be asked for its constructor yet.
        var constructor = builder.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, parentConstructor ?? throw new InvalidOperationException($"{parent} has no parameterless constructor"));
        il.Emit(OpCodes.Ret);
        var fieldBuilders = fields.Select(f => builder.DefineField(f.Name, f.Storage, FieldAttributes.Public)).ToArray();
        if (!target.Runs)
        {
            return (builder, constructor, fieldBuilders);
        }

        var created = builder.CreateType();
        return (created, created.GetConstructor(Type.EmptyTypes), [.. fieldBuilders.Select(f => created.GetField(f.Name)!)]);
    }
}
