using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The parts of HashLink's <c>fmt</c> library that Haxe's standard library uses: digests
/// (<c>haxe.crypto.Md5</c>, <c>Sha1</c> through <c>hl.Format.digest</c>) and zlib streams
/// (<c>haxe.zip.Compress</c>, <c>Uncompress</c>). Image and sound decoders are not provided.
/// </summary>
internal static class StdFmt
{
    // ---- digests ----

    private const int StringSource = 256;

    /// <summary>
    /// Digest of <paramref name="length"/> bytes into <paramref name="output"/>: 0 = MD5, 1 = SHA-1,
    /// 2 = CRC-32 and 3 = Adler-32 (both continuing from the 32-bit value already in the output).
    /// With flag 256 the source is a UCS-2 string, hashed as UTF-8 up to its terminating zero.
    /// </summary>
    [HlNative("fmt", "digest")]
    public static void Digest(NativeContext m, HlBytes output, HlBytes source, int length, int format)
    {
        ReadOnlySpan<byte> data = (format & StringSource) != 0
            ? Encoding.UTF8.GetBytes(source.ReadUcs2Terminated())
            : source.AsSpan(0, length);
        var target = output.AsSpan();
        switch (format & 0xFF)
        {
            // Haxe's Md5 and Sha1 ask for these algorithms by name; they are not used for security here.
            case 0:
#pragma warning disable CA5351
                MD5.HashData(data, target);
#pragma warning restore CA5351
                break;
            case 1:
#pragma warning disable CA5350
                SHA1.HashData(data, target);
#pragma warning restore CA5350
                break;
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(target, ZlibChecksums.Crc32(BinaryPrimitives.ReadUInt32LittleEndian(target), data));
                break;
            case 3:
                BinaryPrimitives.WriteUInt32LittleEndian(target, ZlibChecksums.Adler32(BinaryPrimitives.ReadUInt32LittleEndian(target), data));
                break;
            default:
                throw m.Runtime.MakeError($"Unknown digest format {format & 0xFF}");
        }
    }

    // ---- zlib streams ----

    [HlNative("fmt", "deflate_init")]
    public static ZipStream DeflateInit(NativeContext m, int level) =>
        level is < -1 or > 9 ? throw m.Runtime.MakeError(ZipStream.ErrorText(ZipStream.StreamError)) : ZipStream.Deflater(level);

    [HlNative("fmt", "inflate_init")]
    public static ZipStream InflateInit(NativeContext m, int windowBits) =>
        ZipStream.Inflater(windowBits == 0 ? 15 : windowBits) ?? throw m.Runtime.MakeError(ZipStream.ErrorText(ZipStream.StreamError));

    [HlNative("fmt", "deflate_bound")]
    public static int DeflateBound(ZipStream stream, int size) => ZipStream.Bound(size);

    [HlNative("fmt", "zip_end")]
    public static void ZipEnd(ZipStream stream) => stream.Dispose();

    [HlNative("fmt", "zip_flush_mode")]
    public static void ZipFlushMode(NativeContext m, ZipStream stream, int flush)
    {
        if (flush is < 0 or > 4)
        {
            throw m.Runtime.MakeError($"Invalid flush mode {flush}");
        }

        stream.Flush = (ZipFlush)flush;
    }

    [HlNative("fmt", "deflate_buffer")]
    public static bool DeflateBuffer(NativeContext m, ZipStream stream, HlBytes source, int sourcePos, int sourceLength, HlBytes target, int targetPos, int targetLength, HlRef<int> read, HlRef<int> write) =>
        Run(m, stream, source, sourcePos, sourceLength, target, targetPos, targetLength, read, write);

    [HlNative("fmt", "inflate_buffer")]
    public static bool InflateBuffer(NativeContext m, ZipStream stream, HlBytes source, int sourcePos, int sourceLength, HlBytes target, int targetPos, int targetLength, HlRef<int> read, HlRef<int> write) =>
        Run(m, stream, source, sourcePos, sourceLength, target, targetPos, targetLength, read, write);

    private static bool Run(NativeContext m, ZipStream stream, HlBytes source, int sourcePos, int sourceLength, HlBytes target, int targetPos, int targetLength, HlRef<int> read, HlRef<int> write)
    {
        // As HashLink: the lengths are the buffers' ends, the positions where to start in them.
        var available = sourceLength - sourcePos;
        var room = targetLength - targetPos;
        if (sourcePos < 0 || targetPos < 0 || available < 0 || room < 0)
        {
            throw m.Runtime.MakeError("Out of range");
        }

        try
        {
            var done = stream.Process(source.AsSpan(sourcePos, available), target.AsSpan(targetPos, room), out var consumed, out var produced);
            read.Value = consumed;
            write.Value = produced;
            return done;
        }
        catch (ZipStream.ZlibException e)
        {
            throw m.Runtime.MakeError(e.Message);
        }
    }
}

/// <summary>zlib's flush modes, in the order <c>haxe.zip.FlushMode</c> lists them.</summary>
internal enum ZipFlush
{
    None = 0,
    Sync = 1,
    Full = 2,
    Finish = 3,
    Block = 4,
}
