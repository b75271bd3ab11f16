namespace HlSharp;

/// <summary>Thrown when a function's bytecode cannot be compiled (for example an operation HlSharp does not support).</summary>
public sealed class HlCompileException : HlException
{
    internal HlCompileException(string functionName, int opIndex, string problem)
        : base($"cannot compile {functionName} at operation {opIndex}: {problem}")
    {
        FunctionName = functionName;
        OpIndex = opIndex;
    }

    /// <summary>The function that failed.</summary>
    public string FunctionName { get; }

    /// <summary>The operation index in that function.</summary>
    public int OpIndex { get; }
}
