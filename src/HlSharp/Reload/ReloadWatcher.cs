namespace HlSharp.Reload;

/// <summary>
/// Watches one bytecode file for rebuilds (<c>HlVm.WatchForChanges</c>): a <see cref="FileSystemWatcher"/>
/// on its folder notices writes, creations and renames onto it; each restarts a debounce timed on
/// the VM's clock (compilers write a file in steps), and when the file has been quiet for the
/// whole debounce the reload is due. It is not applied here: the VM takes it (<see cref="TakeDue"/>)
/// at its next frame, and the callback it was made with lets it know one is waiting (it may run on any thread).
/// </summary>
internal sealed class ReloadWatcher : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _debounce;
    private readonly TimeSpan _quiet;
    private readonly Action _due;
    private bool _isDue;
    private bool _disposed;
    private int _changes;

    public ReloadWatcher(string path, TimeProvider clock, TimeSpan debounce, Action due)
    {
        _quiet = debounce;
        _due = due;
        _debounce = clock.CreateTimer(_ => Quiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(path)!, System.IO.Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        _watcher.Changed += (_, _) => Changed();
        _watcher.Created += (_, _) => Changed();
        _watcher.Renamed += (_, _) => Changed();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>How many file events were seen (for tests: a change noticed, its debounce started).</summary>
    public int ChangesSeen => Volatile.Read(ref _changes);

    /// <summary>True once, after the file has been quiet for the debounce since a change; the caller then checks the file and reloads.</summary>
    public bool TakeDue()
    {
        lock (_lock)
        {
            var due = _isDue;
            _isDue = false;
            return due;
        }
    }

    private void Changed()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Every event starts the quiet period again: the reload waits for the last write.
            _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);
            _changes++;
        }
    }

    private void Quiet()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _isDue = true;
        }

        _due();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _watcher.Dispose();
        _debounce.Dispose();
    }
}
