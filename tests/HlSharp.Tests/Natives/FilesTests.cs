using System.Globalization;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

// The expectations are HashLink's on Linux (POSIX modes, /proc).
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FilesTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("hlsharp-files-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void File_and_FileSystem_natives_behave_as_HashLink()
    {
        File.WriteAllText(Path.Combine(_scratch, "given.txt"), "given content");
        var givenMode = (int)File.GetUnixFileMode(Path.Combine(_scratch, "given.txt"));

        var result = FixtureRun.Run("Files", [_scratch]);

        Assert.Empty(result.Failures);
        Assert.Null(result.ExitCode);
        Assert.Empty(result.Stderr);
        var (uid, gid) = OwnIds();
        Assert.Equal(
            $"""
            given: given content
            line: hello
            byte: 119
            last: !
            readByte at end: Eof
            stat given.txt: mode {(0x8000 | givenMode).ToString("X4", CultureInfo.InvariantCulture)} uid {uid} gid {gid} size 13
            fullPath: <dir>/x/y/z
            getContent missing: SysError(Can't read <dir>/nope)
            getBytes of a directory: SysError(Can't read <dir>)
            read missing: SysError(Can't open <dir>/nope)
            write into a missing directory: SysError(Can't open <dir>/nope/f.txt for writing)
            write a directory: SysError(Can't open <dir> for writing)
            readByte from a directory: Eof
            deleteFile missing: SysError(Can't delete file <dir>/nope)
            deleteFile of a directory: SysError(Can't delete file <dir>/x)
            deleteDirectory not empty: SysError(Can't delete directory <dir>/x)
            readDirectory missing: SysError(Failed to read directory <dir>/nope)
            readDirectory of a file: SysError(Failed to read directory <dir>/a.txt)
            stat missing: SysError(Failed to stat <dir>/nope)
            rename missing: SysError(Failed to rename <dir>/nope to <dir>/nope2)
            createDirectory over a file: SysError(Failed to create directory <dir>/a.txt/sub)
            write after close: Eof
            seek before the start: Custom(seek() failure)
            done

            """,
            string.Join('\n', result.Lines.Where(l => !l.StartsWith("ok ", StringComparison.Ordinal))));
        Assert.Equal(26, result.Lines.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));

        // What the program wrote: 0..255 with byte 1 overwritten in place; everything else it deleted.
        var expected = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        expected[1] = 0xFF;
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_scratch, "bytes.bin")));
        Assert.Equal(["bytes.bin", "given.txt"], Directory.GetFileSystemEntries(_scratch).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>This process's real user and group ids, from /proc (Linux).</summary>
    private static (string Uid, string Gid) OwnIds()
    {
        var lines = File.ReadAllLines("/proc/self/status");
        string Field(string name) => lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        return (Field("Uid"), Field("Gid"));
    }
}
