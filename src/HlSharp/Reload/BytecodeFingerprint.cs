using System.Security.Cryptography;

namespace HlSharp.Reload;

/// <summary>What a file's metadata says about its content, read without opening it: cheap enough to look at every frame.</summary>
/// <param name="LastWriteUtc">The modification time.</param>
/// <param name="Length">The size in bytes.</param>
internal readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
{
    /// <summary>The stamp of a file now, or null when there is no such file (a build that deleted it before writing it again).</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : null;
    }
}

/// <summary>
/// A bytecode file as last seen: its stamp (modification time and size), and the SHA-256 of its
/// content, so a rebuild of the same size within the same modification tick is still seen, and a
/// file that was touched (or rewritten byte for byte) is not taken for a new build.
/// </summary>
internal sealed record BytecodeFingerprint(FileStamp Stamp, byte[] Sha256)
{
    /// <summary>The fingerprint of content read after taking <paramref name="stamp"/> (the stamp first: a write in between shows as a new stamp next time).</summary>
    public static BytecodeFingerprint Of(FileStamp stamp, byte[] content) => new(stamp, SHA256.HashData(content));

    public bool SameContent(BytecodeFingerprint other) => Sha256.AsSpan().SequenceEqual(other.Sha256);
}

/// <summary>
/// Whether one bytecode file changed since it was last seen (loaded, reloaded, or tried and
/// refused): the stamp first, which costs no read; only when it moved, the content and its hash.
/// Thread-safe.
/// </summary>
internal sealed class BytecodeFileCheck
{
    private readonly Lock _lock = new();
    private BytecodeFingerprint? _seen;

    /// <param name="path">The file (a full path).</param>
    /// <param name="seen">Its fingerprint when loaded, or null when never seen (any content is then a change).</param>
    public BytecodeFileCheck(string path, BytecodeFingerprint? seen)
    {
        Path = path;
        _seen = seen;
    }

    public string Path { get; }

    /// <summary>
    /// The file's new content and fingerprint when it differs from what was seen, else null: no
    /// such file or one that cannot be read now (a build in progress: looked at again next time),
    /// an unchanged stamp, or the same content under a new stamp (which is remembered).
    /// </summary>
    public (byte[] Content, BytecodeFingerprint Fingerprint)? Changed()
    {
        lock (_lock)
        {
            if (FileStamp.Of(Path) is not { } stamp || stamp == _seen?.Stamp)
            {
                return null;
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            var fingerprint = BytecodeFingerprint.Of(stamp, content);
            if (_seen is { } seen && seen.SameContent(fingerprint))
            {
                _seen = fingerprint;
                return null;
            }

            return (content, fingerprint);
        }
    }

    /// <summary>Records content as seen: loaded, reloaded, or tried (a refused build is reported once, and the next build is looked at again).</summary>
    public void Seen(BytecodeFingerprint fingerprint)
    {
        lock (_lock)
        {
            _seen = fingerprint;
        }
    }
}
