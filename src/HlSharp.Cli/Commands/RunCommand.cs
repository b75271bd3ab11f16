using System.CommandLine;
using HlSharp.Cli.Hosting;

namespace HlSharp.Cli.Commands;

/// <summary>
/// <c>hlsharp run app.hl [args...]</c>: runs a program as <c>hl app.hl</c> does: the same standard
/// output, the exit code of <c>Sys.exit</c>, and for an uncaught exception HashLink's report
/// (<c>Uncaught exception: value</c> and its Haxe stack) with exit code 1. With
/// <c>--hot-reload</c>, as <c>hl --hot-reload</c>: the program's own <c>hl.Api.checkReload()</c>
/// calls (<c>std@sys_check_reload</c>) apply the file once rebuilt and answer true; a refused
/// build answers false and prints one line on standard error saying why.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    private readonly Argument<string> _file = new("file") { Description = "The .hl bytecode file to run." };

    private readonly Argument<string[]> _arguments = new("args")
    {
        Description = "Arguments passed to the program (Sys.args()); put them after -- if they start with a dash.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _hotReload = new("--hot-reload")
    {
        Description = "Let the program's hl.Api.checkReload() calls apply the file once it is rebuilt (as hl --hot-reload).",
    };

    public RunCommand()
        : base("run", "Run a .hl program (static initialisation, then main).")
    {
        Arguments.Add(_file);
        Arguments.Add(_arguments);
        Options.Add(_hotReload);
    }

    protected override int Execute(ParseResult parseResult) =>
        Run(parseResult.GetRequiredValue(_file), parseResult.GetValue(_arguments) ?? [], parseResult.GetValue(_hotReload));

    /// <summary>
    /// Runs <c>hlsharp run</c> without the command-line parser when the command line is
    /// <c>run app.hl [args...]</c> with no token the parser would read otherwise (an option, a
    /// response file, <c>--</c>): the meaning is then plain, and building and running the parser
    /// was a fifth of the time hello world took (its generic code is JIT-compiled at every start).
    /// Returns false for any other command line, which goes through the parser as before.
    /// </summary>
    public static bool TryRunDirectly(string[] commandLine, out int exitCode)
    {
        exitCode = 0;
        if (commandLine.Length < 2 || commandLine[0] != "run" || !commandLine.Skip(1).All(IsPlainArgument))
        {
            return false;
        }

        exitCode = Failures.Report(Console.Error, () => Run(commandLine[1], commandLine[2..], hotReload: false));
        return true;
    }

    /// <summary>A token the parser takes as itself: not empty, not an option or <c>--</c>, not a response file.</summary>
    private static bool IsPlainArgument(string token) => token.Length > 0 && token[0] is not ('-' or '@');

    private static int Run(string path, string[] args, bool hotReload)
    {
        var bytes = BytecodeFile.ReadBytes(path);
        return ProgramThread.Run(path, () => RunProgram(bytes, path, args, hotReload));
    }

    private static int RunProgram(byte[] bytes, string file, string[] args, bool hotReload)
    {
        var path = Path.GetFullPath(file);
        // As hl does, the program's own event loop runs after main (timers, MainLoop, posted events).
        // One program for the life of the process: its code need not be collectible, and code that
        // is not starts faster (.NET tiers it instead of fully optimising every method at once).
        // With hot reload the code is collectible (a replaced body is unloaded once no frame runs
        // it), and the VM loads the file itself, to know what changed in it later.
        // Without hot reload, a program run before loads compiled from the cache (ProgramCache).
        using var cache = hotReload ? null : ProgramCache.For(bytes);
        var options = new HlVmOptions { Arguments = args, ProgramPath = path, CollectibleCode = false, RunEventLoop = true };
        using var vm = cache?.TryLoad(options) ?? LoadBytecode();
        HlVm LoadBytecode()
        {
            // Parsed only when nothing cached was loaded (that load reads its own copy), and before
            // the cache is written, so bytes that are not bytecode fail with the tool's message.
            var code = BytecodeFile.Parse(file, bytes);
            cache?.WriteInBackground(bytes);
            return hotReload
                ? HlVm.LoadFile(path, new HlVmOptions { Arguments = args, ProgramPath = path, HotReload = true, CollectibleCode = true, RunEventLoop = true })
                : HlVm.Load(code, options);
        }

        vm.Reloaded += (_, result) =>
        {
            if (!result.Applied)
            {
                Console.Error.WriteLine("hlsharp: " + result);
                Console.Error.Flush();
            }
        };
        var exitCode = ProgramRunner.RunToEnd(vm);
        cache?.FinishWriting(CacheWriteLimit);
        return exitCode;
    }

    /// <summary>How long a first run waits at its end for its program's cache entry (compiling is about 0.4 ms a function).</summary>
    private static readonly TimeSpan CacheWriteLimit = TimeSpan.FromSeconds(30);
}
