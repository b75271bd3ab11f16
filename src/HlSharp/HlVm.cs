using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Natives;
using HlSharp.Runtime;
using HlSharp.Threading;

namespace HlSharp;

/// <summary>
/// A HashLink virtual machine running one Haxe program. Load it with <see cref="LoadFile"/> or
/// <see cref="Load(ReadOnlySpan{byte}, HlVmOptions?)"/>, then <see cref="RunEntry"/> runs static initialisation and <c>main</c> and
/// returns. Functions are compiled to .NET code on first call. Each VM is independent: several
/// can live in one process and share nothing. Threads: every thread that runs the VM's Haxe code
/// is known to it (the thread that ran <see cref="RunEntry"/>, the threads Haxe code starts, and
/// host threads registered with <see cref="EnterThread"/> or <see cref="HlVmOptions.AutoRegisterThreads"/>);
/// a native marks a wait outside Haxe code with <see cref="Blocking"/>; <see cref="ThreadStarted"/>
/// and <see cref="ThreadExiting"/> run on the thread itself, before its first Haxe code and after its last.
/// </summary>
public sealed partial class HlVm : IDisposable
{
    private readonly HlVmContext _context;
    private readonly NativeContext _natives;
    private readonly HlModule _module;
    private readonly bool _hotReload;
    private readonly TimeProvider _clock;
    private bool _disposed;
    private int? _exitCode;

    /// <summary>Why loading bytecode is not for NativeAOT (the analyzers show it to an AOT host that calls a loader of bytecode).</summary>
    internal const string JitNeedsDynamicCode = "Loading HashLink bytecode compiles it to IL at run time; under NativeAOT, run a program compiled ahead of time (hlsharp compile) instead";

    /// <summary>Loads a program: bytecode compiled while it runs, or (<paramref name="compiled"/>) one compiled ahead of time, or (<paramref name="writer"/>) one being compiled ahead of time.</summary>
    private HlVm(HlCode code, HlVmOptions options, string? programPath = null, ProgramAssemblyWriter? writer = null, CompiledProgram? compiled = null)
    {
        Code = code;
        _context = new HlVmContext(
            options.StandardOutput ?? Console.OpenStandardOutput(),
            options.StandardError ?? Console.OpenStandardError());
        // Before anything hashes a name: the compiled code holds the hashes it was compiled with.
        compiled?.SeedNames(_context.Hashes);
        _threads = new ThreadRegistry(new ThreadEvents(this), options.AutoRegisterThreads);
        _timerScheduler = CreateTimerScheduler(options);
        Timers = new HlTimers(_timerScheduler);
        // The façade wires the layers: the engine binds natives through a resolver, never knowing who provides them.
        _natives = new NativeContext(_context, _threads, options.Arguments, options.DetectDeadlocks, options.Clock, _timerScheduler);
        if (options.StandardInput is { } input)
        {
            _natives.Sys.Input = input;
            _natives.Sys.InputIsConsole = false;
        }

        _natives.Sys.ProgramPath = options.ProgramPath ?? programPath;
        _loadedFile = programPath;
        _hotReload = options.HotReload;
        _clock = options.Clock;
        HlHostNatives.Resolver resolver;
        try
        {
            // A compiled program has HlSharp's natives written in (CompiledProgram): only the host's are looked up.
            resolver = options.Natives.ResolverOver(compiled is null ? NativeRegistry.CreateStandard().ResolverFor(_natives) : NoNatives.Instance);
            _module = new HlModule(code, resolver, _context, options.CollectibleCode, options.HotReload, writer, compiled) { StrictNatives = options.StrictNatives };
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        _context.Module = _module;
        _module.SkipEntryEventLoop = !options.RunEventLoop;
        _module.SafePointPolls = options.SafePointPolls;
        _natives.Attach(_module);
        if (_hotReload)
        {
            _natives.HotReload = new HotReloadHost(this);
            _context.Stop.Pausable = true;
        }
        Values = new HostValues(this, _module);
        _module.HostNativeValues = Values;
        Gate = new HostGate(_module, new HostCalls(this));
        _threads.Attach(Gate);
        if (HostNativeProblems(resolver) is { Length: > 0 } problems)
        {
            _context.Dispose();
            throw new HlLoadException(problems);
        }

        if (options.StrictNatives && _module.Natives.Missing.Count > 0)
        {
            _context.Dispose();
            throw new HlLoadException("natives not available in HlSharp: " + string.Join(", ", _module.Natives.Missing));
        }

        if (compiled is not null)
        {
            BindCompiled(compiled);
        }
    }

    /// <summary>
    /// The stack a thread running Haxe code should have, and the stack of the threads Haxe code
    /// starts: 8 MB, as HashLink's main thread has on Linux. Runaway recursion ends in the
    /// catchable Haxe error <c>Stack overflow</c> when the thread's stack runs out; a bigger stack
    /// only makes that take longer (unwinding costs a few microseconds per frame, and 8 MB holds
    /// about 130,000 frames of the smallest Haxe function), while the Haxe unit suite needs 2 MB.
    /// </summary>
    public const int ThreadStackSize = 8 * 1024 * 1024;

    /// <summary>The loaded program (for tests that look inside).</summary>
    internal HlModule Module => _module;

    /// <summary>The bytecode this VM runs.</summary>
    public HlCode Code { get; }

    /// <summary>Natives the program names that HlSharp does not provide (<c>lib@name</c>); calling one raises <see cref="HlMissingNativeException"/>, except one of an optional library (<c>?std@name</c>), which throws a Haxe error that Haxe code can catch, as HashLink does.</summary>
    public IReadOnlyList<string> MissingNatives => _module.Natives.Missing;

    /// <summary>The code passed to <c>Sys.exit</c>, once the program has called it (on any of its threads).</summary>
    public int? ExitCode
    {
        get => _exitCode ?? _context.RequestedExitCode;
        private set => _exitCode = value;
    }

    /// <summary>Loads a bytecode file.</summary>
    /// <exception cref="HlFormatException">The file is not valid HashLink bytecode.</exception>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    [RequiresDynamicCode(JitNeedsDynamicCode)]
    public static HlVm LoadFile(string path, HlVmOptions? options = null)
    {
        options ??= new HlVmOptions();
        var full = Path.GetFullPath(path);
        // With hot reload, the file's stamp before its content: a write in between shows as a change later.
        var stamp = options.HotReload ? HlSharp.Reload.FileStamp.Of(full) : null;
        var content = File.ReadAllBytes(path);
        var vm = new HlVm(HlCode.Read(content), options, full);
        vm.TrackLoadedFile(full, stamp, content);
        return vm;
    }

    /// <summary>Loads bytecode from memory.</summary>
    /// <exception cref="HlFormatException">The bytes are not valid HashLink bytecode.</exception>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    [RequiresDynamicCode(JitNeedsDynamicCode)]
    public static HlVm Load(ReadOnlySpan<byte> bytecode, HlVmOptions? options = null) => Load(HlCode.Read(bytecode), options);

    /// <summary>Loads bytecode that was already read.</summary>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    [RequiresDynamicCode(JitNeedsDynamicCode)]
    public static HlVm Load(HlCode code, HlVmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        return new HlVm(code, options ?? new HlVmOptions());
    }

    /// <summary>
    /// Runs the program's entry point: static initialisation, then <c>main</c>. The calling
    /// thread becomes the program's main thread, known to the VM until <see cref="Dispose"/>
    /// (<see cref="ThreadStarted"/> is raised on it first). Returns when
    /// <c>main</c> returns or the program calls <c>Sys.exit</c> (see <see cref="ExitCode"/>).
    /// By default it returns without running the main thread's event loop (timers,
    /// <c>haxe.MainLoop</c>, posted events), which the host then runs with <see cref="Update"/> on
    /// this thread; with <see cref="HlVmOptions.RunEventLoop"/> it runs that loop until it has
    /// nothing left, as <c>hl</c> does.
    /// </summary>
    /// <exception cref="HlHaxeException">
    /// Haxe code threw an exception that nothing caught, or a run-time error Haxe code could have
    /// caught (null access, out of bounds, invalid cast, <c>Stack overflow</c>, out of memory, an
    /// exception from a host native) reached the host; the .NET exception behind a fault is its inner exception.
    /// </exception>
    /// <exception cref="HlMissingNativeException">The program called a native HlSharp does not provide.</exception>
    /// <exception cref="HlCompileException">A function's bytecode cannot be compiled.</exception>
    public void RunEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = _module.GetMethod(Code.EntryPoint);
        _entryThread = Thread.CurrentThread;
        RegisterEntryThread();
        try
        {
            RunHaxe(() => entry.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [], null), ownsStackRange: true);
        }
        finally
        {
            // Static initialisation ran (main may have thrown after it): the host may call in now.
            Gate.SetReady(!_disposed);
        }
    }

    /// <summary>
    /// Runs Haxe code on the calling thread, once the thread is admitted (known to the VM and not
    /// in a <see cref="Blocking"/> region, or registered for this call by
    /// <see cref="HlVmOptions.AutoRegisterThreads"/>), with every exception that leaves it mapped
    /// for the host (<see cref="MapFailure"/>); returns the default value when the program exits.
    /// When <paramref name="cancellationToken"/> is cancelled, the Haxe code unwinds at its next
    /// safe point and the caller gets an <see cref="OperationCanceledException"/> carrying that
    /// token; a token already cancelled throws before any Haxe code runs.
    /// <paramref name="ownsStackRange"/> is for the main thread's long runs (<see cref="RunEntry"/>,
    /// <see cref="Update"/>): when no other thread holds it, the call takes the stack check's
    /// owner range (<see cref="StackGuard.TryOwn"/>), so its Haxe code checks its stack without a
    /// thread-static read. Short calls leave it: taking it costs a compare-and-swap.
    /// </summary>
    /// <exception cref="HlThreadException">The thread may not call into Haxe code.</exception>
    internal T? RunHaxe<T>(Func<T> action, bool ownsStackRange = false, CancellationToken cancellationToken = default)
    {
        var admission = Gate.BeginCall(out var autoRegistration);
        CancellableCall? cancellable;
        try
        {
            cancellable = CancellableCall.Begin(_context.Stop, cancellationToken);
        }
        catch
        {
            HostGate.EndCall(admission, autoRegistration);
            throw;
        }

        var owner = false;
        try
        {
            owner = ownsStackRange && StackGuard.TryOwn();
            return action();
        }
#pragma warning disable CA1031 // Every exception leaving Haxe code goes through the one host mapping.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (MapFailure(e, cancellable) is { } mapped)
            {
                throw mapped;
            }

            return default;
        }
        finally
        {
            if (owner)
            {
                StackGuard.Disown();
            }

            cancellable?.Dispose();
            // Flush before leaving: Dispose releases the streams only once no thread runs Haxe code.
            _context.Out.Flush();
            HostGate.EndCall(admission, autoRegistration);
        }
    }

    /// <summary>
    /// The one mapping of an exception leaving Haxe code for the host: <c>Sys.exit</c> records the
    /// exit code and gives null (the call returns a default result); a stop for <see cref="Dispose"/>
    /// is an <see cref="ObjectDisposedException"/>; the cancellation of <paramref name="call"/> is
    /// the <see cref="OperationCanceledException"/> of its token, while the cancellation of a call
    /// further out on this thread passes as itself, so it goes on unwinding the Haxe code of that
    /// call (through the native that made this one) without a Haxe <c>catch</c> taking it;
    /// everything else goes through <see cref="HostBoundary"/>.
    /// </summary>
    internal Exception? MapFailure(Exception exception, CancellableCall? call = null)
    {
        switch (exception)
        {
            case HaxeExit exit:
                ExitCode = exit.Code;
                return null;
            case VmDisposedStop:
                return new ObjectDisposedException(nameof(HlVm), "the VM was disposed while this thread ran its Haxe code");
            case HaxeCallCanceledException canceled:
                return call is not null && canceled.Call == call
                    ? new OperationCanceledException(canceled.Message, canceled.CancellationToken)
                    : canceled;
            default:
                var mapped = HostBoundary.ToHost(_module, exception);
                if (mapped is HlHaxeException haxe && !Values.IsDisposed)
                {
                    // The host sees the thrown value through the one conversion table (a string, an HlObject ...).
                    haxe.Value = Values.ThrownToHost(haxe.Value);
                }

                return mapped;
        }
    }

    /// <summary>How long <see cref="Dispose"/> waits for the VM's threads to leave Haxe code.</summary>
    private static readonly TimeSpan ThreadsStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stops every thread running this VM's Haxe code (threads Haxe started, and host threads in a
    /// call, which then throws <see cref="ObjectDisposedException"/>), waits up to 5 seconds for
    /// them to leave it (not for threads inside a <see cref="Blocking"/> region), raises the main
    /// thread's <see cref="ThreadExiting"/> when called on it, flushes the program's output and
    /// releases the VM.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _watcher?.Dispose();
        // First, so that no timer callback starts from here on; running ones are waited for below, with the VM's other threads.
        _timerScheduler.Dispose();
        Gate.Close();
        Values.Release();
        _context.Stop.RequestDispose();
        // Every Haxe thread unwinds at its next safe point (a call, a loop back-edge or a blocking
        // native). One blocked for longer in a native that cannot be woken (a socket or file read)
        // is not waited for: the stop flag stays set, so it runs no Haxe code after that native returns.
        var stillRunning = _threads.WaitForOthers(ThreadsStopTimeout);
        EndEntryThread();
        _context.Dispose(threadsEnded: stillRunning == 0);
        if (stillRunning == 0)
        {
            // A thread still in a native would run the compiled code again when it returns, and
            // that code reads the statics a next VM would point elsewhere: the program stays taken.
            _compiled?.Release(this);
        }
    }
}
