using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>sys.FileSystem</c>: existence, stat, directories, delete, rename, full paths. Each answers
/// as the POSIX call HashLink makes (false or null on failure; Haxe throws its own errors), with
/// relative paths taken from the VM's current directory.
/// </summary>
internal static class StdFileSystem
{
    // File type bits of st_mode.
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeLink = 0xA000;

    [HlNative("std", "sys_exists")]
    public static bool SysExists(NativeContext m, HlBytes path) => Exists(m.Sys.Resolve(path));

    [HlNative("std", "sys_is_dir")]
    public static bool SysIsDir(NativeContext m, HlBytes path) => m.Sys.Resolve(path) is { Length: > 0 } p && Directory.Exists(p);

    /// <summary>unlink: removes a file (or a link), never a directory.</summary>
    [HlNative("std", "sys_delete")]
    public static bool SysDelete(NativeContext m, HlBytes path)
    {
        var target = m.Sys.Resolve(path);
        var info = new FileInfo(target);
        if (target.Length == 0 || (!info.Exists && info.LinkTarget is null))
        {
            return false;
        }

        return Try(() => File.Delete(target));
    }

    /// <summary>rename: moves a file or directory, replacing an existing file at the destination.</summary>
    [HlNative("std", "sys_rename")]
    public static bool SysRename(NativeContext m, HlBytes path, HlBytes newName)
    {
        var state = m.Sys;
        var from = state.Resolve(path);
        var to = state.Resolve(newName);
        if (from.Length == 0 || to.Length == 0)
        {
            return false;
        }

        if (Directory.Exists(from))
        {
            return !File.Exists(to) && Try(() => Directory.Move(from, to));
        }

        return File.Exists(from) && !Directory.Exists(to) && Try(() => File.Move(from, to, overwrite: true));
    }

    /// <summary>mkdir: one directory, whose parent must exist; <paramref name="mode"/> is masked by the umask.</summary>
    [HlNative("std", "sys_create_dir")]
    public static bool SysCreateDir(NativeContext m, HlBytes path, int mode)
    {
        var target = Path.TrimEndingDirectorySeparator(m.Sys.Resolve(path));
        if (target.Length == 0 || Exists(target) || Path.GetDirectoryName(target) is not { } parent || !Directory.Exists(parent))
        {
            return false;
        }

        return Try(() =>
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                Directory.CreateDirectory(target, (UnixFileMode)(mode & 0xFFF));
            }
        });
    }

    /// <summary>rmdir: only an empty directory.</summary>
    [HlNative("std", "sys_remove_dir")]
    public static bool SysRemoveDir(NativeContext m, HlBytes path)
    {
        var target = m.Sys.Resolve(path);
        return target.Length > 0 && Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null && Try(() => Directory.Delete(target, recursive: false));
    }

    /// <summary>The names in a directory (not <c>.</c> and <c>..</c>), in the order the system lists them; null if it cannot be read.</summary>
    [HlNative("std", "sys_read_dir")]
    public static HlArray? SysReadDir(NativeContext m, HlBytes path)
    {
        var target = m.Sys.Resolve(path);
        if (target.Length == 0 || !Directory.Exists(target))
        {
            return null;
        }

        try
        {
            var names = Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).OfType<string>().ToList();
            return SysState.BytesArray(m, names);
        }
        catch (Exception e) when (StdFile.IsIoFailure(e))
        {
            return null;
        }
    }

    /// <summary>realpath: the absolute path with every link resolved; null when the file does not exist.</summary>
    [HlNative("std", "sys_full_path")]
    public static HlBytes? SysFullPath(NativeContext m, HlBytes path)
    {
        var target = m.Sys.Resolve(path);
        return target.Length > 0 && RealPath(target, 0) is { } real ? SysState.Utf8(real) : null;
    }

    /// <summary>
    /// stat: gid, uid, atime, mtime, ctime, size, dev, ino, nlink, rdev, mode (then one unused
    /// slot), each cut to 32 bits as HashLink does; null when the file does not exist.
    /// </summary>
    [HlNative("std", "sys_stat")]
    public static HlArray? SysStat(NativeContext m, HlBytes path)
    {
        var target = m.Sys.Resolve(path);
        if (target.Length == 0 || !Exists(target))
        {
            return null;
        }

        var values = (OperatingSystem.IsLinux() ? LinuxStat(target) : null) ?? ManagedStat(target);
        return values is null ? null : new HlArray(m.Runtime.BasicTypes.Of(Bytecode.HlTypeKind.I32), values);
    }

    private static bool Exists(string path) => path.Length > 0 && (File.Exists(path) || Directory.Exists(path));

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (StdFile.IsIoFailure(e))
        {
            return false;
        }
    }

    private static string? RealPath(string path, int depth)
    {
        if (depth > 40 || !Exists(path))
        {
            return null; // ELOOP or ENOENT
        }

        var root = Path.GetPathRoot(path) ?? "/";
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } link)
            {
                var resolved = RealPath(Path.GetFullPath(link, current), depth + 1);
                if (resolved is null)
                {
                    return null;
                }

                next = resolved;
            }

            current = next;
        }

        return current;
    }

    private static int[]? ManagedStat(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            var type = info is DirectoryInfo ? TypeDirectory : info.LinkTarget is not null ? TypeLink : TypeRegular;
            var mode = type | (OperatingSystem.IsWindows() ? 0x1B6 : (int)info.UnixFileMode);
            var size = info is FileInfo f ? f.Length : 0;
            return
            [
                0, 0, UnixTime(info.LastAccessTimeUtc), UnixTime(info.LastWriteTimeUtc), UnixTime(info.LastWriteTimeUtc),
                (int)size, 0, 0, 1, 0, mode, 0,
            ];
        }
        catch (Exception e) when (StdFile.IsIoFailure(e))
        {
            return null;
        }
    }

    private static int UnixTime(DateTime utc) => (int)new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();

    // statx has the same layout on every Linux architecture, unlike struct stat, so it can be read
    // without per-architecture offsets (in the machine's byte order). Byte offsets into struct statx:
    private const int StatxNlink = 16;
    private const int StatxUid = 20;
    private const int StatxGid = 24;
    private const int StatxMode = 28;
    private const int StatxIno = 32;
    private const int StatxSize = 40;
    private const int StatxAtime = 64;
    private const int StatxCtime = 96;
    private const int StatxMtime = 112;
    private const int StatxRdevMajor = 128;
    private const int StatxDevMajor = 136;

    private static int[]? LinuxStat(string path)
    {
        const int AtFdCwd = -100;
        const uint BasicStats = 0x7FF;
        var buffer = new byte[256];
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        try
        {
            if (NativeMethods.Statx(AtFdCwd, name, 0, BasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }

        int U32(int offset) => (int)MemoryMarshal.Read<uint>(buffer.AsSpan(offset));
        int I64(int offset) => (int)MemoryMarshal.Read<long>(buffer.AsSpan(offset));
        int Dev(int offset) => (int)MakeDev(MemoryMarshal.Read<uint>(buffer.AsSpan(offset)), MemoryMarshal.Read<uint>(buffer.AsSpan(offset + 4)));
        return
        [
            U32(StatxGid), U32(StatxUid), I64(StatxAtime), I64(StatxMtime), I64(StatxCtime),
            I64(StatxSize), Dev(StatxDevMajor), I64(StatxIno), U32(StatxNlink), Dev(StatxRdevMajor),
            MemoryMarshal.Read<ushort>(buffer.AsSpan(StatxMode)), 0,
        ];
    }

    // glibc's encoding of a device number from its major and minor parts.
    private static ulong MakeDev(ulong major, ulong minor) =>
        ((major & 0xFFFFF000) << 32) | ((major & 0xFFF) << 8) | ((minor & 0xFFFFFF00) << 12) | (minor & 0xFF);

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);
    }
}
