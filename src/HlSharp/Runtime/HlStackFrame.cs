namespace HlSharp.Runtime;

/// <summary>One Haxe frame: the function and, when debug information says, its source position.</summary>
internal readonly record struct HlStackFrame(string Function, string? File, int Line)
{
    /// <summary>The frame as HashLink prints it after <c>Called from</c>: <c>Function(File:Line)</c>, or the function alone.</summary>
    public string Format() => File is null ? Function : $"{Function}({File}:{Line})";
}
