using System.Runtime.Loader;
using System.Text;
using HlSharp.Engine;

namespace HlSharp.Cli;

/// <summary>
/// The on-disk cache of compiled programs behind <c>hlsharp run</c>: the first run of a program
/// compiles it as usual, function by function while it runs, and meanwhile, on a background
/// thread, writes the whole program compiled ahead of time (<see cref="HlCompiler"/>) under a key
/// made of the bytecode's fingerprint (<see cref="ContentHash"/>) and the HlSharp build; the next
/// run of the same bytecode loads that assembly and compiles nothing. When a crossgen2 is at hand
/// (<see cref="ReadyToRunCompiler"/>) the entry is then compiled to machine code (ReadyToRun) and
/// replaced, so later runs do not JIT it either; when that fails, crossgen2's output is kept in the entry, which stays IL, and when
/// the run ends first, a later run that loads the IL entry tries again.
/// An entry holds the assembly and the fingerprint of its bytes:
/// one that does not match, does not load, or was written by another HlSharp build is deleted,
/// and the run compiles as if there were no cache, so a damaged entry never runs.
/// <c>HLSHARP_CACHE=off</c> turns the cache off; <c>HLSHARP_CACHE=/some/dir</c> puts it there;
/// by default it is <c>$XDG_CACHE_HOME/hlsharp</c> (or <c>~/.cache/hlsharp</c>).
/// </summary>
internal sealed class ProgramCache : IDisposable
{
    private const string AssemblyName = "HlSharpCachedProgram";
    private const string HashFile = "assembly.hash";

    /// <summary>What crossgen2 printed when it could not compile the entry (the entry then holds IL).</summary>
    private const string ReadyToRunFailureFile = "ready-to-run-failed.txt";

    /// <summary>In an entry whose assembly crossgen2 compiled: the crossgen2 that did (written with the assembly, swapped in with it).</summary>
    private const string ReadyToRunFile = "ready-to-run.txt";

    private readonly string _entry;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopped;

    // Looked for once, on the background thread: writing an entry asks whether it is written for
    // crossgen2, then compiling it asks for crossgen2 itself.
    private readonly Lazy<ReadyToRunCompiler?> _crossgen2 = new(ReadyToRunCompiler.Find);
    private Thread? _writer;

    private readonly string _root;
    private readonly string _program;

    private ProgramCache(string root, byte[] bytecode)
    {
        _root = root;
        _program = ContentHash.Of(bytecode);
        // The HlSharp build's module id: a program compiled by another build is another entry.
        var build = CompiledNames.BuildId[..16];
        _entry = Path.Combine(root, $"{_program}-{build}");
        // Taken now: a writer still running after Dispose reads the token, never the disposed source.
        _stopped = _stop.Token;
    }

    /// <inheritdoc/>
    public void Dispose() => _stop.Dispose();

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
            // Bytes, not text: the hash is ASCII, and a StreamReader's first use costs more than the rest of the check.
            if (Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(_entry, HashFile))).Trim() != ContentHash.Of(bytes))
            {
                Discard();
                return null;
            }

            // Loaded from its file, not from the bytes just checked: the runtime uses ReadyToRun code
            // only in an image it maps from a file. The hash guards against a damaged entry, and
            // whoever could replace the file between the check and the load can write the cache anyway.
            var assembly = new AssemblyLoadContext(AssemblyName).LoadFromAssemblyPath(Path.GetFullPath(AssemblyPath));
            var vm = HlVm.Load(assembly, options);
            if (!File.Exists(Path.Combine(_entry, ReadyToRunFile)) && !File.Exists(Path.Combine(_entry, ReadyToRunFailureFile)))
            {
                StartInBackground(CompileReadyToRun);
            }

            return vm;
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
    public void WriteInBackground(byte[] bytecode) => StartInBackground(() =>
    {
        Write(bytecode);
        CompileReadyToRun();
    });

    private void StartInBackground(Action work)
    {
        _writer = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (OperationCanceledException)
            {
                // The run ended first (FinishWriting): what was not finished is left for a later run.
            }
#pragma warning disable CA1031 // The cache is an optimisation: whatever goes wrong in it must not end the program's run.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "hlsharp cache" };
        _writer.Start();
    }

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, for the entry being written and compiled: a short
    /// first run ends before its program is compiled whole, and would otherwise never leave an
    /// entry. Past the limit a ReadyToRun compilation still running is stopped.
    /// </summary>
    public void FinishWriting(TimeSpan limit)
    {
        if (_writer is { } writer && !writer.Join(limit))
        {
            _stop.Cancel();
            writer.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Write(byte[] bytecode)
    {
        var staging = $"{_entry}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Written for ReadyToRun when crossgen2 is there to compile it next (CompileReadyToRun);
            // else marked for the JIT's tiers as the JIT path marks its functions.
            var written = HlCompiler.CompileAssembly(bytecode, AssemblyName, staging, forReadyToRun: _crossgen2.Value is not null);
            File.WriteAllText(Path.Combine(staging, HashFile), ContentHash.Of(File.ReadAllBytes(written)));
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

    /// <summary>
    /// Replaces an entry that holds IL by one holding its ReadyToRun compilation, when a crossgen2
    /// is found and has not failed on it before. The new entry is written whole beside the old
    /// one and swapped in by two renames: a run looking meanwhile finds no entry and compiles.
    /// </summary>
    private void CompileReadyToRun()
    {
        if (!File.Exists(AssemblyPath) || File.Exists(Path.Combine(_entry, ReadyToRunFailureFile))
            || File.Exists(Path.Combine(_entry, ReadyToRunFile)) || _crossgen2.Value is not { } crossgen2)
        {
            return;
        }

        var staging = $"{_entry}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var retired = staging + ".old.tmp";
        try
        {
            Directory.CreateDirectory(staging);
            var compiled = Path.Combine(staging, AssemblyName + ".dll");
            if (crossgen2.Compile(AssemblyPath, compiled, _stopped) is { } failure)
            {
                File.WriteAllText(Path.Combine(_entry, ReadyToRunFailureFile), failure);
                return;
            }

            File.WriteAllText(Path.Combine(staging, HashFile), ContentHash.Of(File.ReadAllBytes(compiled)));
            File.WriteAllText(Path.Combine(staging, ReadyToRunFile), crossgen2.Executable + "\n");
            Directory.Move(_entry, retired);
            Directory.Move(staging, _entry);
        }
        catch (IOException)
        {
            // Another run replaced or removed the entry meanwhile, or the system keeps the loaded
            // file's folder from moving: the entry stays as it is.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            TryDelete(staging);
            TryDelete(retired);
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
