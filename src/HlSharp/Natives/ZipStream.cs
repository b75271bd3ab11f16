using System.IO.Compression;

namespace HlSharp.Natives;

/// <summary>
/// A zlib stream with zlib's call shape (HashLink's <c>fmt_zip</c>): each call offers some input
/// and some room for output and says how much of each it used. Built on .NET's
/// <see cref="ZLibStream"/>, <see cref="DeflateStream"/> and <see cref="GZipStream"/>.
/// </summary>
/// <remarks>
/// Input is always taken whole (zlib may leave some unread when the output is full; here the
/// rest waits inside the stream, which callers cannot tell apart since they advance by
/// <c>read</c>). Compressed output that did not fit waits for the next call, as in zlib.
/// </remarks>
internal sealed class ZipStream : IDisposable
{
    public const int StreamError = -2;
    public const int DataError = -3;
    public const int BufferError = -5;

    private readonly MemoryStream? _compressed;
    private readonly Stream? _compressor;
    private readonly InputQueue? _input;
    private readonly int _windowBits;
    private readonly int _level;
    private bool _wroteInput;
    private Stream? _decompressor;
    private int _carry = -1;
    private int _pendingStart;
    private bool _finished;

    private ZipStream(int level)
    {
        _level = level < 0 ? 6 : level;
        _compressed = new MemoryStream();
        _compressor = new ZLibStream(_compressed, new ZLibCompressionOptions { CompressionLevel = _level }, leaveOpen: true);
    }

    private ZipStream(InputQueue input, int windowBits)
    {
        _input = input;
        _windowBits = windowBits;
    }

    /// <summary>An error as HashLink reports zlib's: its message (when zlib has one) and code.</summary>
    internal sealed class ZlibException(string message) : Exception(message);

    /// <summary>zlib's flush mode for the next calls.</summary>
    public ZipFlush Flush { get; set; }

    /// <summary>A compressing stream writing the zlib format (level -1 is zlib's default, 6).</summary>
    public static ZipStream Deflater(int level) => new(level);

    /// <summary>
    /// A decompressing stream for zlib's window-bits convention: 8..15 zlib format, -8..-15 raw
    /// deflate, 24..31 gzip, 40..47 zlib or gzip by the header; null for anything else.
    /// </summary>
    public static ZipStream? Inflater(int windowBits) =>
        windowBits is (>= 8 and <= 15) or (>= -15 and <= -8) or (>= 24 and <= 31) or (>= 40 and <= 47) ? new(new InputQueue(), windowBits) : null;

    /// <summary>zlib's <c>deflateBound</c> for the default window and memory settings.</summary>
    public static int Bound(int size)
    {
        // zlib's bound, plus room for the stored blocks of incompressible input, which .NET's
        // zlib-ng may cut smaller than zlib does (5 bytes of header per block).
        long n = size;
        var zlib = n + (n >> 12) + (n >> 14) + (n >> 25) + 13;
        var stored = n + (5 * ((n / 4096) + 1)) + 6;
        return (int)Math.Min(int.MaxValue, Math.Max(zlib, stored));
    }

    /// <summary>The text HashLink throws for a zlib error.</summary>
    public static string ErrorText(int code, string? message = null) =>
        message is null ? $"ZLib Error : {code}" : $"ZLib Error : {message} ({code})";

    /// <summary>Runs one zlib call; true when the stream has ended and all its output was delivered.</summary>
    public bool Process(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        var done = _compressor is not null
            ? Deflate(input, output, out consumed, out produced)
            : Inflate(input, output, out consumed, out produced);
        if (!done && consumed == 0 && produced == 0)
        {
            // zlib's Z_BUF_ERROR: nothing could be done (no input, or no room for output).
            throw new ZlibException(ErrorText(BufferError));
        }

        return done;
    }

    private bool Deflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        consumed = 0;
        if (!_finished)
        {
            _compressor!.Write(input);
            consumed = input.Length;
            _wroteInput |= consumed > 0;
            switch (Flush)
            {
                case ZipFlush.Sync or ZipFlush.Full or ZipFlush.Block:
                    _compressor.Flush();
                    break;
                case ZipFlush.Finish:
                    _compressor.Dispose();
                    if (!_wroteInput)
                    {
                        // .NET writes nothing at all for a stream that never got data; zlib writes
                        // the header, an empty final block and the checksum of nothing.
                        _compressed!.Write(EmptyStream(_level));
                    }

                    _finished = true;
                    break;
            }
        }

        var pending = _compressed!.GetBuffer().AsSpan(_pendingStart, (int)_compressed.Length - _pendingStart);
        produced = Math.Min(pending.Length, output.Length);
        pending[..produced].CopyTo(output);
        _pendingStart += produced;
        if (_pendingStart == _compressed.Length)
        {
            _compressed.SetLength(0);
            _pendingStart = 0;
        }

        return _finished && _compressed.Length == 0;
    }

    private static byte[] EmptyStream(int level) => level switch
    {
        0 => [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01],
        1 => [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        < 6 => [0x78, 0x5E, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        6 => [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        _ => [0x78, 0xDA, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    };

    private bool Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        var queue = _input!;
        consumed = input.Length;
        queue.Add(input);
        produced = 0;
        if (_carry >= 0 && !output.IsEmpty)
        {
            output[produced++] = (byte)_carry;
            _carry = -1;
        }

        _decompressor ??= output.IsEmpty ? null : CreateDecompressor();
        if (_finished || output.IsEmpty || _decompressor is null)
        {
            return _finished && _carry < 0;
        }

        while (produced < output.Length)
        {
            var n = Read(output[produced..], consumed == 0 && produced == 0);
            if (n == 0)
            {
                break;
            }

            produced += n;
        }

        if (produced == output.Length && !_finished)
        {
            // zlib reports the end of the stream in the call that fills the output exactly; find
            // out whether the stream ends here, keeping a byte for the next call if it does not.
            Span<byte> probe = stackalloc byte[1];
            if (Read(probe, false) == 1)
            {
                _carry = probe[0];
            }
        }

        return _finished && _carry < 0;
    }

    /// <summary>Reads decoded bytes; a result of 0 means more input is needed or the stream ended (then <c>_finished</c> is set).</summary>
    private int Read(Span<byte> buffer, bool idleCall)
    {
        var queue = _input!;
        queue.Starved = false;
        int n;
        try
        {
            n = _decompressor!.Read(buffer);
        }
        catch (InvalidDataException)
        {
            throw new ZlibException(ErrorText(DataError, "invalid compressed data"));
        }

        if (n == 0)
        {
            // The decoder stops either because it needs more input (it asked for some and got
            // none) or because the stream ended. A gzip decoder always asks, to look for another
            // member: its end shows as a call that brings no input and gets no output.
            if (!queue.Starved || (_decompressor is GZipStream && idleCall))
            {
                _finished = true;
            }
        }

        return n;
    }

    private Stream? CreateDecompressor()
    {
        var bits = _windowBits;
        if (bits >= 40)
        {
            // Automatic header detection: a gzip stream starts with 0x1F 0x8B.
            if (_input!.Peek(0) is not { } first)
            {
                return null;
            }

            bits = first == 0x1F ? 31 : 15;
        }

        if (bits is >= 8 and <= 15)
        {
            // .NET reports every bad stream alike; zlib's messages for a bad header are kept.
            if (_input!.Peek(0) is not { } cmf || _input.Peek(1) is not { } flg)
            {
                return null;
            }

            var message = ((cmf << 8) | flg) % 31 != 0 ? "incorrect header check"
                : (cmf & 0x0F) != 8 ? "unknown compression method"
                : (cmf >> 4) + 8 > 15 ? "invalid window size"
                : null;
            if (message is not null)
            {
                throw new ZlibException(ErrorText(DataError, message));
            }
        }

        return bits switch
        {
            < 0 => new DeflateStream(_input!, CompressionMode.Decompress, leaveOpen: true),
            > 15 => new GZipStream(_input!, CompressionMode.Decompress, leaveOpen: true),
            _ => new ZLibStream(_input!, CompressionMode.Decompress, leaveOpen: true),
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            _compressor?.Dispose();
            _decompressor?.Dispose();
        }
        catch (InvalidDataException)
        {
            // Ending a stream early is allowed, as zlib's deflateEnd/inflateEnd allow it.
        }

        _finished = true;
    }

    /// <summary>The input offered so far and not yet taken by the decoder.</summary>
    private sealed class InputQueue : Stream
    {
        private readonly Queue<byte[]> _chunks = new();
        private int _headOffset;

        /// <summary>Set when the decoder asked for input and none was left.</summary>
        public bool Starved { get; set; }

        public void Add(ReadOnlySpan<byte> data)
        {
            if (!data.IsEmpty)
            {
                // A copy: the caller may reuse its buffer before the decoder reads it.
                _chunks.Enqueue(data.ToArray());
            }
        }

        /// <summary>The byte <paramref name="index"/> places ahead, if it has arrived.</summary>
        public byte? Peek(int index)
        {
            index += _headOffset;
            foreach (var chunk in _chunks)
            {
                if (index < chunk.Length)
                {
                    return chunk[index];
                }

                index -= chunk.Length;
            }

            return null;
        }

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            while (total < buffer.Length && _chunks.Count > 0)
            {
                var head = _chunks.Peek();
                var n = Math.Min(head.Length - _headOffset, buffer.Length - total);
                head.AsSpan(_headOffset, n).CopyTo(buffer[total..]);
                total += n;
                _headOffset += n;
                if (_headOffset == head.Length)
                {
                    _chunks.Dequeue();
                    _headOffset = 0;
                }
            }

            if (total == 0 && buffer.Length > 0)
            {
                Starved = true;
            }

            return total;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>zlib's CRC-32 and Adler-32, continuing from a previous value as zlib's functions do.</summary>
internal static class ZlibChecksums
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    public static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    public static uint Adler32(uint adler, ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (!data.IsEmpty)
        {
            // 5552 bytes is the most that can be summed before the 32-bit sums may overflow.
            var chunk = data[..Math.Min(data.Length, 5552)];
            foreach (var x in chunk)
            {
                a += x;
                b += a;
            }

            a %= Mod;
            b %= Mod;
            data = data[chunk.Length..];
        }

        return (b << 16) | a;
    }
}
