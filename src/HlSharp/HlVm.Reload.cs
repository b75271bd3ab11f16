using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using HlSharp.Bytecode;
using HlSharp.Engine;

namespace HlSharp;

// Hot reload (issue 11, docs/HOT-RELOAD.md): a new version of the program, matched by name, applied
// whole at a safe point or refused whole.
public sealed partial class HlVm
{
    /// <summary>How long a reload waits for every other Haxe thread to reach a safe point before it is refused.</summary>
    internal static readonly TimeSpan ReloadPauseTimeout = TimeSpan.FromSeconds(10);

    // One reload at a time: a second caller waits for the first to finish, then plans against its result.
    /// <summary>Why the reload methods are not for a precompiled program (the analyzers show it to an AOT host that calls one).</summary>
    private const string ReloadNeedsDynamicCode = "A hot reload compiles the new code at run time: a precompiled program (hlsharp compile) cannot be reloaded";

    private readonly Lock _reloadLock = new();
    private string? _loadedFile;

    /// <summary>
    /// Raised after every reload attempt, applied or refused, on the thread that made it, with what it
    /// did. A handler that throws is reported through <see cref="UnhandledException"/>
    /// (<see cref="HlUnhandledExceptionSource.ReloadedHandler"/>); the reload call still returns its result.
    /// </summary>
    public event EventHandler<HlReloadResult>? Reloaded;

    /// <summary>
    /// Reloads the file the program was loaded from (<see cref="LoadFile"/>), as rebuilt since:
    /// changed bodies run from the next call on, added functions, classes, statics and fields
    /// become usable, static variables keep their values. With other Haxe threads running, each is
    /// paused at its next safe point while the new version is published, so no frame sees half of it.
    /// </summary>
    /// <returns>What changed (<see cref="HlReloadResult.IsEmpty"/> when the file is the same program).</returns>
    /// <exception cref="HlReloadException">A change cannot be applied: nothing changed, the old program runs on; the exception's result names each refused type and member.</exception>
    /// <exception cref="HlFormatException">The file is not valid bytecode (a truncated or corrupt build): nothing changed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>, or from memory rather than a file.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public HlReloadResult Reload() => Reload(LoadedFileOrThrow());

    /// <summary>Reloads the program from another file (a build written elsewhere); see <see cref="Reload()"/>.</summary>
    /// <exception cref="HlReloadException">A change cannot be applied: nothing changed.</exception>
    /// <exception cref="HlFormatException">The file is not valid bytecode: nothing changed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public HlReloadResult Reload(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        return Apply(full, () => ReadReloadFile(full), throwOnRefusal: true);
    }

    /// <summary>Reloads the program from bytecode in memory; see <see cref="Reload()"/>.</summary>
    /// <exception cref="HlReloadException">A change cannot be applied: nothing changed.</exception>
    /// <exception cref="HlFormatException">The bytes are not valid bytecode: nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public HlReloadResult Reload(ReadOnlySpan<byte> bytecode)
    {
        var copy = bytecode.ToArray();
        return Apply(null, () => HlCode.Read(copy), throwOnRefusal: true);
    }

    /// <summary>
    /// As <see cref="Reload()"/>, without throwing for what the reload meets: a refused change, a
    /// corrupt file or one that cannot be read are in <see cref="HlReloadResult.Refused"/>.
    /// </summary>
    /// <returns>Whether the new version was applied.</returns>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>, or from memory.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public bool TryReload(out HlReloadResult result) => TryReload(LoadedFileOrThrow(), out result);

    /// <summary>As <see cref="Reload(string)"/>, without throwing for a refused change or a bad file.</summary>
    /// <returns>Whether the new version was applied.</returns>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public bool TryReload(string path, out HlReloadResult result)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        result = Apply(full, () => ReadReloadFile(full), throwOnRefusal: false);
        return result.Applied;
    }

    /// <summary>As <see cref="Reload(ReadOnlySpan{byte})"/>, without throwing for a refused change or bad bytecode.</summary>
    /// <returns>Whether the new version was applied.</returns>
    /// <exception cref="InvalidOperationException">The VM was loaded without <see cref="HlVmOptions.HotReload"/>.</exception>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    public bool TryReload(ReadOnlySpan<byte> bytecode, out HlReloadResult result)
    {
        var copy = bytecode.ToArray();
        result = Apply(null, () => HlCode.Read(copy), throwOnRefusal: false);
        return result.Applied;
    }

    private string LoadedFileOrThrow()
    {
        ThrowIfNotReloadable();
        return _loadedFile ?? throw new InvalidOperationException(
            "This HlVm was loaded from memory, so it has no file to reload: call Reload(path) or Reload(bytes).");
    }

    private void ThrowIfNotReloadable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_compiled is not null)
        {
            throw new InvalidOperationException(
                "This HlVm runs a program compiled ahead of time (HlVm.Load(Assembly)), which cannot be reloaded: to reload while developing, load the program's .hl file with `new HlVmOptions { HotReload = true }`.");
        }

        if (!_hotReload)
        {
            throw new InvalidOperationException(
                "This HlVm was loaded without HlVmOptions.HotReload, so it kept nothing a reload needs: load it with `new HlVmOptions { HotReload = true }`.");
        }
    }

    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    private HlReloadResult Apply(string? path, Func<HlCode> read, bool throwOnRefusal) =>
        ApplyIfRead(path, read, throwOnRefusal)!;

    /// <summary>
    /// One reload attempt under the reload lock, or none when <paramref name="read"/> gives null
    /// (<see cref="CheckReload"/>: the file did not change, decided under the lock so two checks
    /// never apply one build twice). Raises <see cref="Reloaded"/> after an attempt.
    /// </summary>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    private HlReloadResult? ApplyIfRead(string? path, Func<HlCode?> read, bool throwOnRefusal)
    {
        ThrowIfNotReloadable();
        var started = Stopwatch.GetTimestamp();
        HlReloadResult result;
        Exception? unreadable = null;
        EnterReloadLock();
        try
        {
            ReloadOutcome outcome;
            try
            {
                if (read() is not { } next)
                {
                    return null;
                }

                outcome = ApplyPaused(next, ReloadPauseTimeout);
                if (outcome.Applied && outcome.FunctionsAdded.Count > 0)
                {
                    _functions = null; // GetFunction's name table: rebuilt from the live table with the added functions
                }
            }
            catch (Exception e) when (e is HlFormatException or IOException or UnauthorizedAccessException)
            {
                unreadable = e;
                outcome = ReloadOutcome.RefusedFor([ReloadRefusal.Whole(e is HlFormatException ? "bytecode" : "file", e.Message)]);
            }

            result = ToResult(path, outcome, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _reloadLock.Exit();
        }

        RaiseReloaded(result);
        if (throwOnRefusal)
        {
            if (unreadable is not null)
            {
                ExceptionDispatchInfo.Throw(unreadable);
            }

            if (!result.Applied)
            {
                throw new HlReloadException(result);
            }
        }

        return result;
    }

    /// <summary>
    /// Takes the reload lock. A thread that waits for it while another reload pauses the VM (a
    /// Haxe thread calling <c>hl.Api.checkReload()</c> too) parks in that pause meanwhile: waiting
    /// on the lock outside a safe point, it would keep the other reload from ever applying.
    /// </summary>
    private void EnterReloadLock()
    {
        var spin = new SpinWait();
        while (!_reloadLock.TryEnter())
        {
            if (_context.Stop.Pause is { } pause)
            {
                pause.Attend();
            }
            else
            {
                spin.SpinOnce(sleep1Threshold: 30);
            }
        }
    }

    /// <summary>
    /// Runs the new statics' initialiser (the reload is published by then, so it cannot be undone):
    /// an exception it throws is reported through <see cref="UnhandledException"/>, never out of a
    /// <c>TryReload</c>, and the statics it did not reach keep their defaults.
    /// </summary>
    private void RunReloadInitializer(MethodInfo initializer)
    {
        try
        {
            RunHaxe(() => initializer.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [], null));
        }
#pragma warning disable CA1031 // Reported: the reload is applied, and the host's call must return its result.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ReportUnhandled(new HlUnhandledExceptionEventArgs(e, CurrentThreadView(), HlUnhandledExceptionSource.ReloadInitializer), reportIfUnheard: true);
        }
    }

    /// <summary>Raises <see cref="Reloaded"/>, each handler on its own: one that throws is reported and the others still run.</summary>
    private void RaiseReloaded(HlReloadResult result)
    {
        if (Reloaded is { } handlers)
        {
            RaiseEach(handlers, result, CurrentThreadView(), HlUnhandledExceptionSource.ReloadedHandler);
        }
    }

    private static HlReloadResult ToResult(string? path, ReloadOutcome outcome, TimeSpan duration)
    {
        static IReadOnlyList<string> Names(IReadOnlyList<string> keys) => [.. keys.Select(PublicName)];
        return new HlReloadResult(
            path,
            Names(outcome.FunctionsChanged),
            Names(outcome.FunctionsAdded),
            Names(outcome.ClosuresChanged),
            outcome.ClassesAdded,
            outcome.StaticsAdded,
            outcome.FieldsAdded,
            [.. outcome.Refused.Select(r => new HlReloadRefusal(r.Type, r.Member is null ? null : PublicName(r.Member), r.Reason))],
            duration);
    }

    /// <summary>A reload key as users read it: Haxe has no static and instance field of one name, so "(static)" says nothing.</summary>
    private static string PublicName(string key) => key.Replace(" (static)", string.Empty, StringComparison.Ordinal);

    /// <summary>For tests: runs on the reloading thread once every other thread is parked, before the reload is applied, with a test of whether a thread is parked in the pause.</summary>
    internal Action<Func<Thread, bool>>? WhilePaused { get; set; }

    /// <summary>
    /// Applies a new version of the program with every other Haxe thread parked at a safe point
    /// (docs/HOT-RELOAD.md section 7). A thread inside <c>Blocking()</c> or not in Haxe code counts
    /// as parked; every poll takes its slow path while the pause is on, so a thread entering Haxe
    /// code meanwhile (its first safe point ever, a thread leaving <c>Blocking()</c>, a wait that
    /// starts) parks too, and a host call (delegates, <c>CallStatic</c>) waits at the gate and then
    /// runs the new code. Refused, with nothing changed and the pause lifted, when a thread does
    /// not get there within <paramref name="timeout"/>. Called on a Haxe thread (from a native),
    /// that thread is the reloader and does not park.
    /// </summary>
    [RequiresDynamicCode(ReloadNeedsDynamicCode)]
    internal ReloadOutcome ApplyPaused(HlCode next, TimeSpan timeout)
    {
        var current = Thread.CurrentThread;
        // Not disposed: a late thread may still look at it after the release (it then returns at once).
        var pause = new ReloadPause();
        var stop = _context.Stop;
        Gate.BeginPause(pause);
        var wakes = stop.BeginPause(pause);
        try
        {
            // Wake the threads waiting in blocking natives: they park where they wait.
            foreach (var wake in wakes.Where(w => w.Thread != current))
            {
                wake.Wake();
            }

            var clock = Stopwatch.StartNew();
            var spin = new SpinWait();
            while (_threads.Snapshot().FirstOrDefault(t => t.Thread != current && t.IsRunningHaxe && !t.IsBlocking && !pause.IsParked(t.Thread)) is { } running)
            {
                if (clock.Elapsed > timeout)
                {
                    var name = running.Thread.Name is { } n ? $" '{n}'" : string.Empty;
                    return ReloadOutcome.RefusedFor([ReloadRefusal.Whole(
                        $"thread {running.Thread.ManagedThreadId}{name}",
                        $"did not reach a safe point within {timeout.TotalSeconds:0.###} s (a native that waits outside vm.Blocking()?): nothing was changed")]);
                }

                // Parking takes a thread one poll: spin, then yield the core (2 cores, others compiling).
                spin.SpinOnce(sleep1Threshold: 30);
            }

            WhilePaused?.Invoke(pause.IsParked);
            return _module.Reload(next, RunReloadInitializer);
        }
        finally
        {
            // The gate first: a host call parked at it goes on into the new code once released.
            Gate.EndPause();
            stop.EndPause();
            pause.Release();
        }
    }
}
