namespace HlSharp;

/// <summary>A constructor of a Haxe enum (<see cref="HlTypeInfo.EnumConstructors"/>).</summary>
public sealed class HlEnumConstructorInfo
{
    internal HlEnumConstructorInfo(string name, int index, IReadOnlyList<string> parameterTypes)
    {
        Name = name;
        Index = index;
        ParameterTypes = parameterTypes;
    }

    /// <summary>The constructor's name.</summary>
    public string Name { get; }

    /// <summary>Its index, in declaration order (what <c>Type.enumIndex</c> returns).</summary>
    public int Index { get; }

    /// <summary>The types of its parameters as HashLink names them (<see cref="HlFieldInfo.Type"/>); empty for a constructor without parameters.</summary>
    public IReadOnlyList<string> ParameterTypes { get; }

    /// <inheritdoc/>
    public override string ToString() => ParameterTypes.Count == 0 ? Name : Name + "(" + string.Join(", ", ParameterTypes) + ")";
}
