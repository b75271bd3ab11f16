using System.Collections.Concurrent;
using System.Diagnostics;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Cli;

/// <summary>
/// <c>hlsharp watch</c> and <c>hlsharp run --hot-reload</c> as processes, the way users run them: the
/// test rewrites the program's file while it runs and reads what the process prints
/// (tests/fixtures/ReloadWatch: a timer prints value(); tests/fixtures/ReloadWatchNative: the
/// program calls <c>std@sys_check_reload</c> itself). Bounded waits; the process is killed at the end.
/// </summary>
public sealed class WatchCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("hlsharp-watchcli-").FullName;
    private readonly string _file;

    public WatchCommandTests() => _file = Path.Combine(_dir, "app.hl");

    private void Install(string fixture)
    {
        var temp = _file + ".tmp";
        File.WriteAllBytes(temp, HaxeFixtures.Bytes(fixture));
        File.Move(temp, _file, overwrite: true);
    }

    [Fact]
    public void Watch_reloads_the_running_program_when_its_file_is_rebuilt_and_prints_one_line_per_reload_on_stderr()
    {
        Install("ReloadWatch/v1");
        using var tool = Tool.Start("watch", _file, "--debounce", "100");

        tool.WaitForOutput("value 1");
        Install("ReloadWatch/v3");
        var refused = tool.WaitForError("hlsharp watch: reload refused");
        tool.WaitForOutputAfterNow("value 1");   // a refused build: the program runs on as it was
        Install("ReloadWatch/v2");
        var applied = tool.WaitForError("hlsharp watch: reloaded in");
        tool.WaitForOutput("value 2");

        Assert.Contains("Main.value", refused, StringComparison.Ordinal);
        Assert.Contains("1 function changed (Main.value)", applied, StringComparison.Ordinal);
        Assert.DoesNotContain(tool.Output, line => line.Contains("reload", StringComparison.Ordinal));   // stdout is the program's
        Assert.False(tool.HasExited, "watch ended while the program's timer still ran");
    }

    [Fact]
    public void Run_with_hot_reload_applies_the_rebuild_when_the_program_calls_checkReload()
    {
        Install("ReloadWatchNative/v1");
        using var tool = Tool.Start("run", "--hot-reload", _file);

        tool.WaitForOutput("first check false");
        Install("ReloadWatchNative/v2");

        Assert.True(tool.WaitForExit(), "run --hot-reload did not end");
        Assert.Equal(["value 1", "first check false", "reloaded true", "value 2"], tool.Output);
        Assert.Equal(0, tool.ExitCode);
    }

    [Fact]
    public void Run_without_hot_reload_answers_false_to_checkReload_and_keeps_the_old_code()
    {
        Install("ReloadWatchNative/v1");
        using var tool = Tool.Start("run", _file, "25");

        tool.WaitForOutput("first check false");
        Install("ReloadWatchNative/v2");

        Assert.True(tool.WaitForExit(), "run did not end");
        Assert.Equal(["value 1", "first check false", "reloaded false", "value 1"], tool.Output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The tool as a running process, its output read line by line as it comes.</summary>
    private sealed class Tool : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _out = new();
        private readonly ConcurrentQueue<string> _err = new();

        private Tool(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { _out.Enqueue(line); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { _err.Enqueue(line); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static Tool Start(params string[] args)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(HlSharpCli.DllPath);
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            return new Tool(Process.Start(start) ?? throw new InvalidOperationException("could not start " + dotnet));
        }

        public IReadOnlyList<string> Output => [.. _out];

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public void WaitForOutput(string line) => Until(() => _out.Contains(line), $"no line '{line}' on stdout");

        /// <summary>Waits for a line printed after this call.</summary>
        public void WaitForOutputAfterNow(string line)
        {
            var before = _out.Count;
            Until(() => _out.Skip(before).Contains(line), $"no new line '{line}' on stdout");
        }

        public string WaitForError(string start)
        {
            string? found = null;
            Until(() => (found = _err.FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))) is not null, $"no line starting '{start}' on stderr");
            return found!;
        }

        public bool WaitForExit()
        {
            if (!_process.WaitForExit(Limit))
            {
                return false;
            }

            _process.WaitForExit();   // the output events are all in
            return true;
        }

        private void Until(Func<bool> condition, string failure)
        {
            if (!SpinWait.SpinUntil(() => condition() || _process.HasExited && condition(), Limit))
            {
                Assert.Fail($"{failure}\nstdout:\n{string.Join('\n', _out)}\nstderr:\n{string.Join('\n', _err)}");
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
