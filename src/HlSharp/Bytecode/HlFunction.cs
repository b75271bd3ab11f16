using System.Collections.Immutable;

namespace HlSharp.Bytecode;

/// <summary>The source position of an operation, from the debug information.</summary>
/// <param name="FileIndex">An index into <see cref="HlCode.DebugFiles"/>, or -1 when unknown.</param>
/// <param name="Line">The line number.</param>
public readonly record struct HlDebugPosition(int FileIndex, int Line);

/// <summary>A local variable name and the operation from which a register holds it (version 3 and later).</summary>
/// <param name="Name">The Haxe variable name.</param>
/// <param name="Position">The operation index (a negative value names an argument, as HashLink encodes it).</param>
public readonly record struct HlAssign(string Name, int Position);

/// <summary>A function of the bytecode: its type, registers and operations.</summary>
public sealed class HlFunction
{
    internal HlFunction(
        int index,
        HlFunctionType type,
        ImmutableArray<HlType> registers,
        ImmutableArray<HlOp> ops,
        ImmutableArray<HlDebugPosition> debug,
        ImmutableArray<HlAssign> assigns)
    {
        Index = index;
        Type = type;
        Registers = registers;
        Ops = ops;
        Debug = debug;
        Assigns = assigns;
    }

    /// <summary>The function index (shared with natives): what calls and closures name.</summary>
    public int Index { get; }

    /// <summary>The function type; its arguments occupy the first registers.</summary>
    public HlFunctionType Type { get; }

    /// <summary>The type of every register.</summary>
    public ImmutableArray<HlType> Registers { get; }

    /// <summary>The operations.</summary>
    public ImmutableArray<HlOp> Ops { get; }

    /// <summary>The source position of each operation (empty when the bytecode has no debug information).</summary>
    public ImmutableArray<HlDebugPosition> Debug { get; }

    /// <summary>Local variable names (empty before version 3 or without debug information).</summary>
    public ImmutableArray<HlAssign> Assigns { get; }

    /// <summary>The class or enum and field this function implements, when the bytecode says (set after reading).</summary>
    public HlFunctionOwner? Owner { get; internal set; }

    /// <summary>A readable name: <c>Owner.field</c> when known, else <c>fun#index</c>.</summary>
    public string Name => Owner is { } owner ? $"{owner.TypeName}.{owner.FieldName}" : $"fun#{Index}";

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The same function with other operations (tests damage programs with it).</summary>
    internal HlFunction WithOps(ImmutableArray<HlOp> ops) => new(Index, Type, Registers, ops, Debug, Assigns) { Owner = Owner };
}

/// <summary>The type and field a function belongs to.</summary>
/// <param name="TypeName">The class name (static functions are named after the class, as in <c>Main.main</c>).</param>
/// <param name="FieldName">The method or static field name.</param>
/// <param name="IsStatic">True for a static function.</param>
public sealed record HlFunctionOwner(string TypeName, string FieldName, bool IsStatic);

/// <summary>A native function the bytecode calls: a (library, name) pair bound at load time.</summary>
/// <param name="Library">The library (<c>std</c> for HashLink's standard natives).</param>
/// <param name="Name">The function name inside the library.</param>
/// <param name="Type">The function type.</param>
/// <param name="Index">The function index calls use.</param>
public sealed record HlNative(string Library, string Name, HlFunctionType Type, int Index)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Library}@{Name}";
}

/// <summary>A global initialised at load time with an object built from constants (version 4 and later).</summary>
/// <param name="GlobalIndex">The global to initialise.</param>
/// <param name="Fields">For each field of the global's object type, the index of its constant.</param>
public sealed record HlConstant(int GlobalIndex, ImmutableArray<int> Fields);
