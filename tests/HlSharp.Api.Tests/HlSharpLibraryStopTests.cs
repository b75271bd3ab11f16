using System.Text;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// The hlsharp haxelib's blocking waits are the VM's: <c>Sys.exit</c> on another thread ends
/// <see cref="HlVm.RunEntry"/> while the main thread waits, for ever otherwise, in one of them
/// (the HlSharpStop fixture).
/// </summary>
public sealed class HlSharpLibraryStopTests
{
    [Theory]
    [InlineData("join")]
    [InlineData("receive")]
    [InlineData("send-full")]
    [InlineData("semaphore")]
    [InlineData("condition")]
    [InlineData("named-lock")]
    [InlineData("critical")]
    [InlineData("sleep")]
    public async Task Sys_exit_reaches_a_thread_blocked_in_a_library_wait(string scenario)
    {
        using var output = new MemoryStream();
        using var vm = HlVm.LoadFile(
            HaxeFixtures.CompileWithLibrary("HlSharpStop"), new HlVmOptions { StandardOutput = output, Arguments = [scenario] });

        // Bounded: a wait that the exit does not reach fails the test instead of hanging the suite.
        await Task.Run(vm.RunEntry).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, vm.ExitCode);
        Assert.DoesNotContain("main went on", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
