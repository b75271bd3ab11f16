using System.Runtime.Loader;
using System.Text;

namespace HlSharp.Tests.Infrastructure;

/// <summary>
/// Runs a program that <c>hlsharp compile</c> wrote, in this process, through
/// <c>HlVm.Load(Assembly)</c>, as <c>hlsharp run</c> runs a <c>.hl</c>: the event loop after main,
/// the exit code of <c>Sys.exit</c>, and for an uncaught exception hl's report on stdout with exit
/// code 1. Each written assembly is loaded into an <see cref="AssemblyLoadContext"/> of its own: a
/// compiled program's statics belong to one live VM (docs/AHEAD-OF-TIME.md), and two tests may
/// compile programs of the same name. It resolves HlSharp from the default context, so the
/// program runs with the library these tests run with.
/// </summary>
internal static class CompiledProgram
{
    public static CliResult Run(string dll, params string[] args)
    {
        var context = new AssemblyLoadContext($"compiled {Path.GetFileName(dll)} {Guid.NewGuid():N}");
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(dll));
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        using var stdin = new MemoryStream();
        var exitCode = 0;
        var uncaught = "";
        using (var vm = HlVm.Load(assembly, new HlVmOptions
        {
            StandardOutput = stdout,
            StandardError = stderr,
            StandardInput = stdin,
            Arguments = args,
            RunEventLoop = true,
        }))
        {
            try
            {
                vm.RunEntry();
                exitCode = vm.ExitCode ?? 0;
            }
            catch (HlHaxeException e)
            {
                uncaught = e.UncaughtReport;
                exitCode = 1;
            }
        }

        return new CliResult(exitCode, Encoding.UTF8.GetString(stdout.ToArray()) + uncaught, Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
