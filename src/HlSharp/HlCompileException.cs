namespace HlSharp;

/// <summary>Thrown when a function's bytecode cannot be compiled (for example an operand register of the wrong type for its operation).</summary>
public sealed class HlCompileException : HlException
{
    internal HlCompileException(string functionName, int opIndex, string problem)
        : base($"cannot compile {functionName} at operation {opIndex}: {problem}")
    {
        FunctionName = functionName;
        OpIndex = opIndex;
    }

    internal HlCompileException(string functionName, int opIndex, string problem, Exception inner)
        : base($"cannot compile {functionName} at operation {opIndex}: {problem}", inner)
    {
        FunctionName = functionName;
        OpIndex = opIndex;
    }

    internal HlCompileException(string functionName, string problem, Exception inner)
        : base($"cannot compile {functionName}: {problem}", inner)
    {
        FunctionName = functionName;
        OpIndex = -1;
    }

    /// <summary>The function that failed.</summary>
    public string FunctionName { get; }

    /// <summary>The operation index in that function, or -1 when the problem is not at one operation (the CLR refused the compiled method).</summary>
    public int OpIndex { get; }
}
