using System.Diagnostics.CodeAnalysis;
using HlSharp.Bytecode;
using HlSharp.Engine;

namespace HlSharp;

/// <summary>
/// Compiles a Haxe program ahead of time: every function and class of its bytecode into one .NET
/// assembly that references only HlSharp and the framework, which <see cref="HlVm.Load(System.Reflection.Assembly, HlVmOptions?)"/>
/// runs without generating code, so a NativeAOT host can ship it compiled to machine code.
/// </summary>
public static class HlCompiler
{
    /// <summary>Compiles the bytecode into <paramref name="outputDirectory"/>/<paramref name="assemblyName"/>.dll and returns the file's path.</summary>
    /// <param name="bytecode">The program's <c>.hl</c> bytecode (kept in the assembly: the loader reads its types and constants from it).</param>
    /// <param name="assemblyName">The assembly's simple name: letters, digits, <c>.</c> and <c>_</c>, starting with a letter or <c>_</c>.</param>
    /// <param name="outputDirectory">Where the assembly is written (created if missing).</param>
    /// <exception cref="HlFormatException">The bytes are not valid HashLink bytecode.</exception>
    /// <exception cref="HlCompileException">A function's bytecode cannot be compiled.</exception>
    /// <exception cref="ArgumentException">The assembly name is not one.</exception>
    [RequiresDynamicCode("Compiles with HlSharp's IL compiler, which runs on a runtime with a JIT: compile ahead of time there (hlsharp compile), and ship the result to the NativeAOT host")]
    public static string CompileAssembly(ReadOnlySpan<byte> bytecode, string assemblyName, string outputDirectory) =>
        CompileAssembly(bytecode, assemblyName, outputDirectory, forReadyToRun: false);

    /// <summary>
    /// <see cref="CompileAssembly(ReadOnlySpan{byte}, string, string)"/> for an assembly crossgen2
    /// compiles next (<c>hlsharp run</c>'s cache): no method is marked for aggressive optimisation,
    /// since crossgen2 leaves those to the JIT.
    /// </summary>
    [RequiresDynamicCode("Compiles with HlSharp's IL compiler, which runs on a runtime with a JIT")]
    internal static string CompileAssembly(ReadOnlySpan<byte> bytecode, string assemblyName, string outputDirectory, bool forReadyToRun)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyName);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (!IsAssemblyName(assemblyName))
        {
            throw new ArgumentException($"'{assemblyName}' is not an assembly name: use letters, digits, '.' and '_', starting with a letter or '_'", nameof(assemblyName));
        }

        var code = HlCode.Read(bytecode);
        var bytes = HlVm.WriteCompiled(code, bytecode, new ProgramAssemblyWriter(assemblyName, forReadyToRun));
        Directory.CreateDirectory(outputDirectory);
        var path = Path.Combine(outputDirectory, assemblyName + ".dll");
        // Written whole to a temporary file first, so a failure never leaves half an assembly under the name.
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static bool IsAssemblyName(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_') && !name.EndsWith('.');
}
