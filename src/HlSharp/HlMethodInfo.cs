namespace HlSharp;

/// <summary>A method or static function of a Haxe type (<see cref="HlTypeInfo.Methods"/>).</summary>
public sealed class HlMethodInfo
{
    internal HlMethodInfo(string name, IReadOnlyList<string> argumentTypes, string returnType, bool isStatic)
    {
        Name = name;
        ArgumentTypes = argumentTypes;
        ReturnType = returnType;
        IsStatic = isStatic;
    }

    /// <summary>The method's name.</summary>
    public string Name { get; }

    /// <summary>The types of its arguments as HashLink names them (<see cref="HlFieldInfo.Type"/>); an instance method's <c>this</c> is not one of them.</summary>
    public IReadOnlyList<string> ArgumentTypes { get; }

    /// <summary>The type it returns (<c>void</c> when it returns nothing).</summary>
    public string ReturnType { get; }

    /// <summary>True for a static function.</summary>
    public bool IsStatic { get; }

    /// <summary>The signature as HashLink writes function types: <c>(i32, i32) -> i32</c>.</summary>
    public string Signature => "(" + string.Join(", ", ArgumentTypes) + ") -> " + ReturnType;

    /// <inheritdoc/>
    public override string ToString() => (IsStatic ? "static " : string.Empty) + Name + " : " + Signature;
}
