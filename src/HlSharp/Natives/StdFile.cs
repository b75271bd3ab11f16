using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>sys.io.File</c>, <c>FileInput</c>, <c>FileOutput</c> and the standard streams as file
/// handles. Failures answer as C's stdio does in HashLink (a null handle, a short count, false,
/// -1 or -2), and the Haxe library turns those into its own exceptions.
/// </summary>
internal static class StdFile
{
    /// <summary>Opens a file; mode 0 reads, 1 writes (truncating), 2 appends, 3 reads and writes an existing file.</summary>
    [HlNative("std", "file_open")]
    public static HlFile? FileOpen(NativeContext m, HlBytes name, int mode, bool binary)
    {
        var path = m.Sys.Resolve(name);
        if (path.Length == 0 || mode is < 0 or > 3)
        {
            return null;
        }

        if (mode == 0 && Directory.Exists(path))
        {
            // fopen(dir, "r") succeeds on POSIX systems and every read then fails.
            return new HlFile(HlFile.Kind.Directory, null);
        }

        try
        {
            var stream = mode switch
            {
                0 => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
                1 => new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
                2 => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete),
                _ => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete),
            };
            return new HlFile(HlFile.Kind.File, stream);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            return null;
        }
    }

    [HlNative("std", "file_close")]
    public static void FileClose(HlFile? f) => f?.Close();

    [HlNative("std", "file_write")]
    public static int FileWrite(NativeContext m, HlFile? f, HlBytes bytes, int pos, int length) =>
        f is null ? -1 : f.Write(m, bytes.Array.AsSpan(bytes.Offset + pos, length));

    [HlNative("std", "file_read")]
    public static int FileRead(NativeContext m, HlFile? f, HlBytes bytes, int pos, int length) =>
        f is null ? -1 : f.Read(m, bytes.Array.AsSpan(bytes.Offset + pos, length));

    [HlNative("std", "file_write_char")]
    public static bool FileWriteChar(NativeContext m, HlFile? f, int c) => f is not null && f.Write(m, [(byte)c]) == 1;

    /// <summary>The next byte, or -2 at the end of the file or on failure.</summary>
    [HlNative("std", "file_read_char")]
    public static int FileReadChar(NativeContext m, HlFile? f)
    {
        Span<byte> one = stackalloc byte[1];
        return f is not null && f.Read(m, one) == 1 ? one[0] : -2;
    }

    [HlNative("std", "file_seek")]
    public static bool FileSeek(HlFile? f, int pos, int kind) => f is not null && f.Seek(pos, kind);

    [HlNative("std", "file_tell")]
    public static int FileTell(HlFile? f) => f is null ? -1 : (int)f.Tell();

    [HlNative("std", "file_seek2")]
    public static bool FileSeek2(HlFile? f, double pos, int kind) => f is not null && f.Seek((long)pos, kind);

    [HlNative("std", "file_tell2")]
    public static double FileTell2(HlFile? f) => f is null ? -1 : f.Tell();

    /// <summary>True once a read hit the end of the file (C's feof: not before a read tried to pass it).</summary>
    [HlNative("std", "file_eof")]
    public static bool FileEof(HlFile? f) => f is null || f.AtEof;

    [HlNative("std", "file_flush")]
    public static bool FileFlush(NativeContext m, HlFile? f) => f is not null && f.Flush(m);

    [HlNative("std", "file_stdin")]
    public static HlFile FileStdin() => new(HlFile.Kind.Stdin, null);

    [HlNative("std", "file_stdout")]
    public static HlFile FileStdout() => new(HlFile.Kind.Stdout, null);

    [HlNative("std", "file_stderr")]
    public static HlFile FileStderr() => new(HlFile.Kind.Stderr, null);

    /// <summary>
    /// A whole file's bytes, or null when it cannot be read. With <paramref name="size"/> the
    /// length is stored there; the block always ends with a zero byte, so it also reads as a
    /// UTF-8 string.
    /// </summary>
    [HlNative("std", "file_contents")]
    public static HlBytes? FileContents(NativeContext m, HlBytes name, HlRef<int>? size)
    {
        var path = m.Sys.Resolve(name);
        if (path.Length == 0)
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = stream.Length;
            if (length > Array.MaxLength - 1)
            {
                return null;
            }

            var data = new byte[length + 1];
            stream.ReadExactly(data, 0, (int)length);
            size?.Value = (int)length;
            return new HlBytes(data);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            return null;
        }
    }

    [HlNative("std", "file_is_locked")]
    public static bool FileIsLocked(HlBytes name) => false;

    /// <summary>The last error number; HlSharp has no errno, so this is 0.</summary>
    [HlNative("std", "file_error_code")]
    public static int FileErrorCode() => 0;

    /// <summary>The exceptions .NET raises where C's file functions return failure.</summary>
    public static bool IsIoFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException;
}

/// <summary>
/// An open file (HashLink's <c>hl_fdesc</c>): a file stream, one of the VM's standard streams, or
/// a directory opened for reading (which POSIX allows and where every read fails).
/// </summary>
internal sealed class HlFile
{
    private Stream? _stream;
    private bool _closed;

    public HlFile(Kind kind, Stream? stream)
    {
        Which = kind;
        _stream = stream;
    }

    public enum Kind
    {
        File,
        Directory,
        Stdin,
        Stdout,
        Stderr,
    }

    public Kind Which { get; }

    /// <summary>Set when a read came short at the end of the file; cleared by a seek.</summary>
    public bool AtEof { get; private set; }

    public int Write(NativeContext m, ReadOnlySpan<byte> bytes)
    {
        if (_closed)
        {
            return 0;
        }

        try
        {
            switch (Which)
            {
                case Kind.Stdout:
                    m.Out.WriteRaw(bytes);
                    return bytes.Length;
                case Kind.Stderr:
                    m.Error.WriteRaw(bytes);
                    m.Error.BaseStream.Flush();
                    return bytes.Length;
                case Kind.File when _stream is { CanWrite: true }:
                    _stream.Write(bytes);
                    return bytes.Length;
                default:
                    return 0;
            }
        }
        catch (Exception e) when (StdFile.IsIoFailure(e) || e is ObjectDisposedException)
        {
            return 0;
        }
    }

    public int Read(NativeContext m, Span<byte> bytes)
    {
        if (_closed || bytes.IsEmpty)
        {
            return 0;
        }

        var source = Which switch
        {
            Kind.File when _stream is { CanRead: true } => _stream,
            Kind.Stdin => m.Sys.Input,
            _ => null,
        };
        if (source is null)
        {
            return 0;
        }

        try
        {
            // fread fills the whole request unless the data ends first.
            var total = 0;
            while (total < bytes.Length)
            {
                var n = source.Read(bytes[total..]);
                if (n <= 0)
                {
                    AtEof = true;
                    break;
                }

                total += n;
                if (Which == Kind.Stdin)
                {
                    // A terminal or pipe delivers what it has; waiting for more would block a reader
                    // that asked for a big buffer.
                    break;
                }
            }

            return total;
        }
        catch (Exception e) when (StdFile.IsIoFailure(e) || e is ObjectDisposedException)
        {
            return 0;
        }
    }

    public bool Seek(long pos, int kind)
    {
        if (_closed || Which != Kind.File || _stream is not { CanSeek: true } || kind is < 0 or > 2)
        {
            return false;
        }

        var origin = (SeekOrigin)kind;
        var target = origin switch
        {
            SeekOrigin.Begin => pos,
            SeekOrigin.Current => _stream.Position + pos,
            _ => _stream.Length + pos,
        };
        if (target < 0)
        {
            return false;
        }

        try
        {
            _stream.Seek(target, SeekOrigin.Begin);
        }
        catch (IOException)
        {
            // An append-only stream refuses to move before its start; C allows it for reading, which
            // such a stream cannot do anyway.
            return false;
        }

        AtEof = false;
        return true;
    }

    public long Tell() => !_closed && Which == Kind.File && _stream is { CanSeek: true } ? _stream.Position : -1;

    public bool Flush(NativeContext m)
    {
        if (_closed)
        {
            return false;
        }

        try
        {
            switch (Which)
            {
                case Kind.Stdout:
                    m.Out.Flush();
                    m.Out.BaseStream.Flush();
                    break;
                case Kind.Stderr:
                    m.Error.Flush();
                    break;
                default:
                    _stream?.Flush();
                    break;
            }

            return true;
        }
        catch (Exception e) when (StdFile.IsIoFailure(e) || e is ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes the file. The standard handles only stop working: the VM's streams stay open for <c>trace</c> and <c>Sys.print</c>.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            _stream?.Dispose();
        }
        catch (Exception e) when (StdFile.IsIoFailure(e))
        {
            // fclose reports a failed final flush, but file_close returns nothing, so there is no one to tell.
        }

        _stream = null;
    }
}
