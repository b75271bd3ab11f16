namespace HlSharp;

/// <summary>Thrown when Haxe code calls a native function that neither HlSharp nor the host provides.</summary>
public sealed class HlMissingNativeException : HlException
{
    internal HlMissingNativeException(string library, string name)
        : base($"native function {library}@{name} is not available in HlSharp")
    {
        Library = library;
        Name = name;
    }

    /// <summary>The native library (for example <c>std</c>).</summary>
    public string Library { get; }

    /// <summary>The function name.</summary>
    public string Name { get; }
}
