using System.Diagnostics;
using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

/// <summary>The haxelib <c>hlsharp</c> (<c>haxe/</c>) over its natives, on real threads.</summary>
public sealed class HlSharpLibraryTests
{
    [Fact]
    public async Task Every_primitive_works_and_every_misuse_is_a_catchable_haxe_exception()
    {
        var lines = await RunAsync(HaxeFixtures.CompileWithLibrary("HlSharpThreads"));

        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Equal(
            ["ok task-result", "ok task-id", "ok task-ended", "ok task-string", "ok task-name-unset", "ok task-name",
             "ok task-exception-rethrown", "ok task-join-timeout", "ok task-wait-timeout", "ok task-join-after-timeout",
             "ok task-join-self", "ok task-join-detached", "ok task-sleep-yield", "ok task-void",
             "ok condition-signal", "ok condition-broadcast", "ok condition-try-acquire", "ok condition-wait-unlocked",
             "ok condition-release-unlocked",
             "ok semaphore-try", "ok semaphore-timeout", "ok semaphore-release-other-thread", "ok semaphore-release-beyond",
             "ok semaphore-negative",
             "ok atomic-int-ops", "ok atomic-int-cas", "ok atomic-int-exchange", "ok atomic-int-parallel", "ok atomic-bool",
             "ok atomic-object",
             "ok channel-capacity", "ok channel-try-send", "ok channel-send-timeout", "ok channel-order",
             "ok channel-try-receive-empty", "ok channel-receive-timeout", "ok channel-blocking-iterate", "ok channel-closed",
             "ok channel-send-closed", "ok channel-try-send-closed", "ok channel-receive-drained", "ok channel-try-receive-drained",
             "ok channel-close-twice", "ok channel-drain-after-close", "ok channel-close-wakes-receiver",
             "ok channel-negative-capacity",
             "ok channel-stress-bounded", "ok channel-stress-unbounded",
             "ok critical-counter", "ok critical-result", "ok critical-exception", "ok critical-released",
             "ok named-same-lock", "ok named-held-elsewhere", "ok named-free", "ok named-other-name", "ok named-unlock-unheld",
             "ok named-lock-blocking",
             "ok mutex-release-unheld",
             "done"],
            lines);
    }

    [Fact]
    public async Task The_library_compiles_with_dash_lib_after_haxelib_dev()
    {
        var repo = Directory.CreateTempSubdirectory("hlsharp-haxelib-");
        try
        {
            // A local haxelib repository (.haxelib in the working directory): the machine's global one is left alone.
            Haxelib(repo.FullName, "newrepo");
            Haxelib(repo.FullName, "dev", "hlsharp", Path.Combine(RepoPaths.Root, "haxe"));
            var output = Path.Combine(repo.FullName, "main.hl");
            var (exit, text) = HaxeFixtures.RunHaxe(
                ["-cp", Path.Combine(RepoPaths.Fixtures, "HlSharpHaxelib"), "-lib", "hlsharp", "-main", "Main", "-hl", output],
                repo.FullName);
            Assert.True(exit == 0, text);

            Assert.Equal(["sum 5050"], await RunAsync(output));
        }
        finally
        {
            repo.Delete(recursive: true);
        }
    }

    private static async Task<string[]> RunAsync(string program)
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(program, new HlVmOptions { StandardOutput = output });

        // Bounded: a deadlock fails the test instead of hanging the suite.
        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Haxelib(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("haxelib") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "haxelib did not finish in a minute");
        Assert.True(process.ExitCode == 0, $"haxelib {string.Join(' ', args)} failed: {stdout.Result}{stderr.Result}");
    }
}
