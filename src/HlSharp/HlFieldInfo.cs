namespace HlSharp;

/// <summary>A field of a Haxe type (<see cref="HlTypeInfo.Fields"/>): a variable, instance or static.</summary>
public sealed class HlFieldInfo
{
    internal HlFieldInfo(string name, string type, bool isStatic)
    {
        Name = name;
        Type = type;
        IsStatic = isStatic;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>The field's type as HashLink names it: <c>i32</c> (Haxe <c>Int</c>), <c>f64</c> (<c>Float</c>), <c>bool</c>, <c>String</c>, a class path, <c>null&lt;i32&gt;</c> (<c>Null&lt;Int&gt;</c>), <c>dyn</c> (<c>Dynamic</c>), <c>(i32) -> void</c> for a function.</summary>
    public string Type { get; }

    /// <summary>True for a static variable.</summary>
    public bool IsStatic { get; }

    /// <inheritdoc/>
    public override string ToString() => (IsStatic ? "static " : string.Empty) + Name + " : " + Type;
}
