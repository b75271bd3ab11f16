using System.Runtime.Loader;
using System.Security.Cryptography;

namespace HlSharp.Cli;

/// <summary>
/// The on-disk cache of compiled programs behind <c>hlsharp run</c>: the first run of a program
/// compiles it as usual, function by function while it runs, and meanwhile, on a background
/// thread, writes the whole program compiled ahead of time (<see cref="HlCompiler"/>) under a key
/// made of the bytecode's SHA-256 and the HlSharp build; the next run of the same bytecode loads
/// that assembly and compiles nothing. An entry holds the assembly and the SHA-256 of its bytes:
/// one that does not match, does not load, or was written by another HlSharp build is deleted,
/// and the run compiles as if there were no cache, so a damaged entry never runs.
/// <c>HLSHARP_CACHE=off</c> turns the cache off; <c>HLSHARP_CACHE=/some/dir</c> puts it there;
/// by default it is <c>$XDG_CACHE_HOME/hlsharp</c> (or <c>~/.cache/hlsharp</c>).
/// </summary>
internal sealed class ProgramCache
{
    private const string AssemblyName = "HlSharpCachedProgram";
    private const string HashFile = "assembly.sha256";

    private readonly string _entry;
    private Thread? _writer;

    private readonly string _root;
    private readonly string _program;

    private ProgramCache(string root, byte[] bytecode)
    {
        _root = root;
        _program = Convert.ToHexString(SHA256.HashData(bytecode))[..32];
        // The HlSharp build's module id: a program compiled by another build is another entry.
        var build = typeof(HlVm).Module.ModuleVersionId.ToString("N")[..16];
        _entry = Path.Combine(root, $"{_program}-{build}");
    }

    /// <summary>The cache for this bytecode, or null when the environment turned it off.</summary>
    public static ProgramCache? For(byte[] bytecode)
    {
        var setting = Environment.GetEnvironmentVariable("HLSHARP_CACHE");
        if (setting is "off" or "0")
        {
            return null;
        }

        if (!string.IsNullOrEmpty(setting))
        {
            return new ProgramCache(setting, bytecode);
        }

        var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new ProgramCache(Path.Combine(home, "hlsharp"), bytecode);
    }

    private string AssemblyPath => Path.Combine(_entry, AssemblyName + ".dll");

    /// <summary>
    /// Loads the cached program into a VM, or returns null when there is none that can be trusted
    /// (deleting one that is damaged or stale).
    /// </summary>
    public HlVm? TryLoad(HlVmOptions options)
    {
        if (!File.Exists(AssemblyPath))
        {
            return null;
        }

        try
        {
            var bytes = File.ReadAllBytes(AssemblyPath);
            if (File.ReadAllText(Path.Combine(_entry, HashFile)).Trim() != Convert.ToHexString(SHA256.HashData(bytes)))
            {
                Discard();
                return null;
            }

            var assembly = new AssemblyLoadContext(AssemblyName).LoadFromStream(new MemoryStream(bytes));
            return HlVm.Load(assembly, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or HlLoadException or FileLoadException)
        {
            Discard();
            return null;
        }
    }

    /// <summary>
    /// Starts compiling the program ahead of time into the cache, on a background thread of low
    /// priority while the program runs; <see cref="FinishWriting"/> waits for it. The entry appears
    /// whole or not at all, so a process killed meanwhile leaves nothing half written.
    /// </summary>
    public void WriteInBackground(byte[] bytecode)
    {
        _writer = new Thread(() => Write(bytecode)) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "hlsharp cache" };
        _writer.Start();
    }

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, for the entry being written: a short first run
    /// ends before its program is compiled whole, and would otherwise never leave an entry.
    /// </summary>
    public void FinishWriting(TimeSpan limit) => _writer?.Join(limit);

    private void Write(byte[] bytecode)
    {
        var staging = $"{_entry}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            var written = HlCompiler.CompileAssembly(bytecode, AssemblyName, staging);
            File.WriteAllText(Path.Combine(staging, HashFile), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(written))));
            Directory.Move(staging, _entry);
            RemoveStale();
        }
#pragma warning disable CA1031 // A cache that cannot be written leaves the run as it is: the next run compiles again.
        catch (Exception)
#pragma warning restore CA1031
        {
            TryDelete(staging);
        }
    }

    private void Discard() => TryDelete(_entry);

    /// <summary>
    /// Deletes the entries of this bytecode that other HlSharp builds wrote (no build but the one
    /// that wrote an entry can load it) and staging folders a killed run left over an hour ago,
    /// so the cache holds one entry per program.
    /// </summary>
    private void RemoveStale()
    {
        foreach (var directory in Directory.EnumerateDirectories(_root, _program + "-*"))
        {
            var stale = directory.EndsWith(".tmp", StringComparison.Ordinal)
                ? Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddHours(-1)
                : directory != _entry;
            if (stale)
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run may be using or replacing it; it is tried again next time.
        }
    }
}
