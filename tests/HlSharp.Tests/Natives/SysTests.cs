using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

public sealed class SysTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("hlsharp-sys-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Sys_natives_behave_as_HashLink_on_linux()
    {
        Environment.SetEnvironmentVariable("HLSHARP_SYS_FIXTURE", "hello");
        var cwdBefore = Directory.GetCurrentDirectory();

        var result = FixtureRun.Run("Sys", [_scratch, "a", "b c"], stdin: "line one\nXrest\n");

        Assert.Empty(result.Failures);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"""
            args 3 a|b c
            env HLSHARP_SYS_FIXTURE=hello
            ok missing env is null
            ok putEnv then getEnv
            ok environment has it
            ok putEnv null removes
            putEnv error: putEnv() failure
            system Linux
            ok time is after 2020
            ok sleep waits
            ok cpuTime
            ok cwd ends with a slash
            cwd {_scratch}/
            ok relative paths follow setCwd
            setCwd error: SysError(Failed to set path to <scratch>/missing)
            ok setCwd back
            print 1
            stdout 2
            print 3
            stdin line: line one
            getChar: 88
            stdin rest: rest
            stdin eof
            before command
            from shell
            command exit 0
            exit code of sh: 3
            programPath {HaxeFixtures.Compile("Sys")}
            before exit
            """,
            result.Stdout);
        Assert.Equal("to stderr\nshell error\n", result.Stderr);

        // The program's setCwd moved only the VM's directory, and it wrote relative to it.
        Assert.Equal(cwdBefore, Directory.GetCurrentDirectory());
        Assert.Equal("in scratch", File.ReadAllText(Path.Combine(_scratch, "relative.txt")));
    }
}
