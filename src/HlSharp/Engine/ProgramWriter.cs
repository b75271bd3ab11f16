using System.Text;

namespace HlSharp.Engine;

/// <summary>
/// The program's standard output or error: a <see cref="StreamWriter"/> that Haxe threads, timer
/// threads and the host's flushes may use at once. <see cref="StreamWriter"/> is not thread-safe
/// (two threads printing could interleave inside one buffer, lose text or reorder it), so every
/// write and flush takes the writer's lock, as HashLink's <c>fwrite</c> of one print is one piece.
/// </summary>
internal sealed class ProgramWriter(Stream stream, int bufferSize, bool autoFlush)
    : StreamWriter(stream, new UTF8Encoding(false), bufferSize, leaveOpen: true)
{
    private readonly Lock _lock = new();
    private readonly bool _autoFlush = autoFlush;

    /// <summary>Writes bytes as they are (a Haxe <c>Output</c> on stdout), after the text written before them.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            base.Flush();
            BaseStream.Write(bytes);
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            base.Write(value);
            FlushIfAuto();
        }
    }

    public override void Write(char[]? buffer)
    {
        lock (_lock)
        {
            base.Write(buffer);
            FlushIfAuto();
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            base.Write(buffer, index, count);
            FlushIfAuto();
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            base.Write(buffer);
            FlushIfAuto();
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            base.Write(value);
            FlushIfAuto();
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
            FlushIfAuto();
        }
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            base.WriteLine(buffer);
            FlushIfAuto();
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            base.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_lock)
        {
            base.Dispose(disposing);
        }
    }

    // StreamWriter's own AutoFlush would flush inside the base call; flushing here, under the same
    // lock, keeps one print one piece on an unbuffered standard error.
    private void FlushIfAuto()
    {
        if (_autoFlush)
        {
            base.Flush();
        }
    }
}
