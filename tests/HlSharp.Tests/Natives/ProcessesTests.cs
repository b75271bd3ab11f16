using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

public sealed class ProcessesTests
{
    [Fact]
    public void Processes_run_with_pipes_exit_codes_and_kill()
    {
        var result = FixtureRun.Run("Processes");

        Assert.Empty(result.Failures);
        Assert.Empty(result.Stderr);
        Assert.Equal(
            """
            echo: hello wörld two words

            sh exit: 3
            shell stdout: 42
            shell stderr: oops
            shell exit: 5
            stdout eof
            cat: first line|second é|!
            killed: 40000009
            env: from haxe
            pwd: /
            missing stderr: Command not found : /no/such/command

            missing exit: 1
            done

            """,
            string.Join('\n', result.Lines.Where(l => !l.StartsWith("ok ", StringComparison.Ordinal))));
        Assert.Equal(5, result.Lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
    }
}
