using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Engine;

namespace HlSharp;

public sealed partial class HlVm
{
    private CompiledProgram? _compiled;

    /// <summary>
    /// Runs a program compiled ahead of time by <see cref="HlCompiler.CompileAssembly(System.ReadOnlySpan{byte}, string, string)"/> (or
    /// <c>hlsharp compile</c>): the same API as a loaded <c>.hl</c> file, without generating any
    /// code, so it works under NativeAOT. A host reaches the compiled assembly by name
    /// (<c>Assembly.Load("App")</c>): its types cannot be named from C#. Under NativeAOT, root it
    /// (<c>&lt;TrimmerRootAssembly Include="App" /&gt;</c>) so trimming keeps all of it.
    /// The compiled code reaches the VM through statics of its assembly, so one VM at a time runs a
    /// given compiled program in a process; once that VM is disposed, another may load it.
    /// A compiled program cannot be reloaded (<see cref="HlVmOptions.HotReload"/> is refused).
    /// </summary>
    /// <exception cref="HlLoadException">
    /// The assembly is not a compiled HlSharp program, was written by another version of HlSharp,
    /// is damaged, or <see cref="HlVmOptions.HotReload"/> is set.
    /// </exception>
    /// <exception cref="InvalidOperationException">Another VM of this process runs the same compiled program.</exception>
    public static HlVm Load(Assembly compiledProgram, HlVmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(compiledProgram);
        options ??= new HlVmOptions();
        if (options.HotReload)
        {
            throw new HlLoadException($"compiled program {compiledProgram.GetName().Name}: HotReload is not available for a program compiled ahead of time (load its .hl file to reload it)");
        }

        var program = CompiledProgram.Open(compiledProgram);
        return new HlVm(program.Code, options, compiled: program);
    }

    /// <summary>Claims the compiled program for this VM and points its code at this VM's data (the last step of loading it).</summary>
    private void BindCompiled(CompiledProgram program)
    {
        try
        {
            program.Claim(this);
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        _compiled = program;
        _module.BindCompiledProgram(_natives);
    }

    /// <summary>Compiles every function of <paramref name="code"/> into <paramref name="writer"/>'s assembly and returns its bytes (nothing of the program runs).</summary>
    [RequiresDynamicCode("Compiles with HlSharp's IL compiler")]
    internal static byte[] WriteCompiled(HlCode code, ReadOnlySpan<byte> bytecode, ProgramAssemblyWriter writer)
    {
        using var vm = new HlVm(code, new HlVmOptions(), writer: writer);
        return writer.Write(vm.Module, bytecode);
    }
}
