namespace HlSharp;

/// <summary>Thrown when valid bytecode cannot be loaded (for example, with strict natives, a native nobody provides).</summary>
public sealed class HlLoadException : HlException
{
    internal HlLoadException(string message)
        : base(message)
    {
    }
}
