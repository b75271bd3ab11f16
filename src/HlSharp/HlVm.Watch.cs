using System.Diagnostics.CodeAnalysis;
using HlSharp.Bytecode;
using HlSharp.Reload;

namespace HlSharp;

// Noticing rebuilds (issue 11 item 7, docs/HOT-RELOAD.md section 9 step 9): CheckReload looks at the
// loaded file, WatchForChanges watches it and applies the reload at the next frame.
public sealed partial class HlVm
{
    /// <summary>How long <see cref="WatchForChanges"/> waits, by default, for the file to stay unchanged before it reloads.</summary>
    public static readonly TimeSpan DefaultReloadDebounce = TimeSpan.FromMilliseconds(200);

    private readonly Lock _watchLock = new();
    private BytecodeFileCheck? _fileCheck;
    private Dictionary<string, BytecodeFileCheck>? _otherFiles;
    private ReloadWatcher? _watcher;

    /// <summary>For the dedicated VM thread: told (on any thread) when a watched rebuild is due, so it applies it between frames.</summary>
    internal Action? ReloadDue { get; set; }

    /// <summary>For tests: the watcher <see cref="WatchForChanges"/> started, while it watches.</summary>
    internal ReloadWatcher? Watcher => _watcher;

    /// <summary>
    /// Reloads the loaded file if it was rebuilt since it was loaded or last looked at: its
    /// modification time or size moved and its content (by SHA-256) differs, so a rebuild of the
    /// same size is seen and a file touched or rewritten identically is not reloaded. Cheap
    /// when nothing changed (the file's metadata only): a game loop may call it every frame.
    /// It never throws for what it finds, as <see cref="TryReload(out HlReloadResult)"/>: a refused
    /// build, or one the compiler had not finished writing (then refused as bytecode), is returned
    /// with <see cref="HlReloadResult.Applied"/> false, reported once, and the old program runs on;
    /// the next write of the file is looked at again, so a build completed since is picked up.
    /// A file that is missing or cannot be read just now (a build in progress) counts as unchanged.
    /// <see cref="Reloaded"/> is raised for each attempt.
    /// </summary>
    /// <returns>What the reload did, or null when the file did not change.</returns>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>, or from memory rather than a file.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public HlReloadResult? CheckReload()
    {
        var path = LoadedFileOrThrow();
        return CheckFile(path, _fileCheck!);
    }

    /// <summary>
    /// Watches the loaded file and reloads it whenever it is rebuilt: a file watcher on its folder
    /// notices each write, and once the file has been quiet for <paramref name="debounce"/>
    /// (<see cref="DefaultReloadDebounce"/> by default; compilers write in steps), timed on
    /// <see cref="HlVmOptions.Clock"/>, the reload is due. It is applied at the start of the next
    /// <see cref="Update"/>, never in the middle of a frame (on a dedicated VM thread, between its
    /// frames or where it serves posted calls), as <see cref="CheckReload"/> applies it, so a refused
    /// build does not stop the program; <see cref="Reloaded"/> reports each attempt. A program
    /// whose <c>main</c> never returns has no frames: reload it with <see cref="Reload()"/> from any thread.
    /// </summary>
    /// <returns>Disposing it stops watching (so does disposing the VM).</returns>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/> or from memory, or it already watches.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="debounce"/> is negative.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public IDisposable WatchForChanges(TimeSpan? debounce = null)
    {
        var path = LoadedFileOrThrow();
        var quiet = debounce ?? DefaultReloadDebounce;
        ArgumentOutOfRangeException.ThrowIfLessThan(quiet, TimeSpan.Zero, nameof(debounce));
        lock (_watchLock)
        {
            if (_watcher is not null)
            {
                throw new InvalidOperationException("This HlVm already watches its file: dispose the handle the first WatchForChanges returned before watching again.");
            }

            var watcher = new ReloadWatcher(path, _clock, quiet, () => ReloadDue?.Invoke());
            _watcher = watcher;
            return new WatchHandle(this, watcher);
        }
    }

    /// <summary>Applies a reload the watcher found due (at the start of a frame, or between the dedicated thread's frames).</summary>
    internal void ApplyDueReload()
    {
        if (_watcher is { } watcher && watcher.TakeDue() && !_disposed)
        {
            // What CheckReload does, without its RequiresDynamicCode: Update reaches this on every VM.
            _ = CheckFile(LoadedFileOrThrow(), _fileCheck!);
        }
    }

    private void StopWatching(ReloadWatcher watcher)
    {
        lock (_watchLock)
        {
            if (_watcher == watcher)
            {
                _watcher = null;
            }
        }

        watcher.Dispose();
    }

    // Update and std@sys_check_reload reach this on every VM; it reloads only a VM loaded with
    // HotReload (ApplyIfRead checks first), which a precompiled program cannot be.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "JIT path only: precompiled modules are never loaded for hot reload, and ApplyIfRead refuses the others first")]
    private HlReloadResult? CheckFile(string path, BytecodeFileCheck check) =>
        ApplyIfRead(
            path,
            () =>
            {
                if (check.Changed() is not { } change)
                {
                    return null;
                }

                // Seen whatever the outcome: a refused build is reported once, not every frame.
                check.Seen(change.Fingerprint);
                return HlCode.Read(change.Content);
            },
            throwOnRefusal: false);

    /// <summary>At load with hot reload: the loaded file as it was read, so the first <see cref="CheckReload"/> knows what changed.</summary>
    private void TrackLoadedFile(string path, FileStamp? stamp, byte[] content)
    {
        if (_hotReload && stamp is { } s)
        {
            _fileCheck = new BytecodeFileCheck(path, BytecodeFingerprint.Of(s, content));
        }
    }

    /// <summary>A reload from the loaded file through <see cref="Reload(string)"/> makes what it read the last seen content.</summary>
    private void SeenLoadedFile(string fullPath, FileStamp? stamp, byte[] content)
    {
        if (_fileCheck is { } check && stamp is { } s && string.Equals(fullPath, check.Path, StringComparison.Ordinal))
        {
            check.Seen(BytecodeFingerprint.Of(s, content));
        }
    }

    private HlCode ReadReloadFile(string fullPath)
    {
        var stamp = _fileCheck is null ? null : FileStamp.Of(fullPath);
        var content = File.ReadAllBytes(fullPath);
        SeenLoadedFile(fullPath, stamp, content);
        return HlCode.Read(content);
    }

    private sealed class WatchHandle(HlVm vm, ReloadWatcher watcher) : IDisposable
    {
        public void Dispose() => vm.StopWatching(watcher);
    }

    /// <summary>What <c>std@sys_check_reload</c> reaches.</summary>
    private sealed class HotReloadHost(HlVm vm) : IHotReloadHost
    {
        public bool CheckReload(string? alternativePath)
        {
            if (vm._loadedFile is not { } loaded)
            {
                return false;
            }

            if (alternativePath is null)
            {
                return vm.CheckFile(loaded, vm._fileCheck!)?.Applied == true;
            }

            var full = Path.GetFullPath(alternativePath);
            BytecodeFileCheck check;
            lock (vm._watchLock)
            {
                vm._otherFiles ??= new Dictionary<string, BytecodeFileCheck>(StringComparer.Ordinal);
                if (!vm._otherFiles.TryGetValue(full, out check!))
                {
                    check = new BytecodeFileCheck(full, seen: null);
                    vm._otherFiles[full] = check;
                }
            }

            return vm.CheckFile(full, check)?.Applied == true;
        }
    }
}
