using System.Reflection;
using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Natives;

namespace HlSharp;

/// <summary>
/// A HashLink virtual machine running one Haxe program. Load it with <see cref="LoadFile"/> or
/// <see cref="Load(ReadOnlySpan{byte}, HlVmOptions?)"/>, then <see cref="RunEntry"/> runs static initialisation and <c>main</c> and
/// returns. Functions are compiled to .NET code on first call. Each VM is independent: several
/// can live in one process and share nothing.
/// </summary>
public sealed partial class HlVm : IDisposable
{
    private readonly HlVmContext _context;
    private readonly HlModule _module;
    private bool _disposed;
    private int? _exitCode;

    private HlVm(HlCode code, HlVmOptions options, string? programPath = null)
    {
        Code = code;
        _context = new HlVmContext(
            options.StandardOutput ?? Console.OpenStandardOutput(),
            options.StandardError ?? Console.OpenStandardError(),
            options.Arguments);
        if (options.StandardInput is { } input)
        {
            _context.Sys.Input = input;
            _context.Sys.InputIsConsole = false;
        }

        _context.Sys.ProgramPath = options.ProgramPath ?? programPath;
        try
        {
            _module = new HlModule(code, NativeRegistry.CreateStandard(), _context);
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        _context.Module = _module;
        if (options.StrictNatives && _module.Natives.Missing.Count > 0)
        {
            _context.Dispose();
            throw new HlLoadException("natives not available in HlSharp: " + string.Join(", ", _module.Natives.Missing));
        }
    }

    /// <summary>The loaded program (for tests that look inside).</summary>
    internal HlModule Module => _module;

    /// <summary>The bytecode this VM runs.</summary>
    public HlCode Code { get; }

    /// <summary>Natives the program names that HlSharp does not provide (<c>lib@name</c>); calling one raises <see cref="HlMissingNativeException"/>.</summary>
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
    public static HlVm LoadFile(string path, HlVmOptions? options = null) =>
        new(HlCode.Read(File.ReadAllBytes(path)), options ?? new HlVmOptions(), Path.GetFullPath(path));

    /// <summary>Loads bytecode from memory.</summary>
    /// <exception cref="HlFormatException">The bytes are not valid HashLink bytecode.</exception>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    public static HlVm Load(ReadOnlySpan<byte> bytecode, HlVmOptions? options = null) => Load(HlCode.Read(bytecode), options);

    /// <summary>Loads bytecode that was already read.</summary>
    /// <exception cref="HlLoadException">The program cannot be loaded.</exception>
    public static HlVm Load(HlCode code, HlVmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        return new HlVm(code, options ?? new HlVmOptions());
    }

    /// <summary>
    /// Runs the program's entry point: static initialisation, then <c>main</c>. Returns when
    /// <c>main</c> returns or the program calls <c>Sys.exit</c> (see <see cref="ExitCode"/>).
    /// </summary>
    /// <exception cref="HlHaxeException">Haxe code threw an exception that nothing caught.</exception>
    /// <exception cref="HlMissingNativeException">The program called a native HlSharp does not provide.</exception>
    public void RunEntry()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = _module.GetMethod(Code.EntryPoint);
        RunHaxe(() => entry.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [], null));
    }

    private void RunHaxe(Action action)
    {
        _context.Threads.Started(Thread.CurrentThread);
        try
        {
            action();
        }
        catch (HaxeExit exit)
        {
            ExitCode = exit.Code;
        }
        catch (VmDisposedStop)
        {
            throw new ObjectDisposedException(nameof(HlVm), "the VM was disposed while this thread ran its Haxe code");
        }
        catch (HaxeThrow thrown)
        {
            throw ToHostException(thrown);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or InsufficientExecutionStackException or IndexOutOfRangeException)
        {
            throw ToHostException(new HaxeThrow(_module.ValueOf(e), e));
        }
        finally
        {
            // Flush before leaving: Dispose releases the streams only once no thread runs Haxe code.
            _context.Out.Flush();
            _context.Threads.Exited(Thread.CurrentThread);
        }
    }

    private HlHaxeException ToHostException(HaxeThrow thrown)
    {
        var value = thrown.Value is HlCastFailure ? _module.ValueOf(thrown) : thrown.Value;
        var frames = (thrown.PreservedStack ?? StackTraces.Capture(_module, thrown.InnerException ?? thrown)).Select(FormatFrame).ToList();
        string text;
        try
        {
            text = ValueFormatter.Format(_module, value);
        }
        catch (HaxeThrow)
        {
            text = "(the exception value could not be printed)";
        }

        return new HlHaxeException(value, text, frames, thrown.InnerException);
    }

    internal static string FormatFrame(HlStackFrame frame) =>
        frame.File is null ? frame.Function : $"{frame.Function}({frame.File}:{frame.Line})";

    /// <summary>How long <see cref="Dispose"/> waits for the VM's threads to leave Haxe code.</summary>
    private static readonly TimeSpan ThreadsStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stops every thread running this VM's Haxe code (threads Haxe started, and a host thread in
    /// <see cref="RunEntry"/>, which then throws <see cref="ObjectDisposedException"/>), waits up
    /// to 5 seconds for them to leave it, flushes the program's output and releases the VM.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _context.Stop.RequestDispose();
        // Every Haxe thread unwinds at its next safe point (a call, a loop back-edge or a blocking
        // native). One blocked for longer in a native that cannot be woken (a socket or file read)
        // is not waited for: the stop flag stays set, so it runs no Haxe code after that native returns.
        var stillRunning = _context.Threads.WaitForOthers(ThreadsStopTimeout);
        _context.Dispose(threadsEnded: stillRunning == 0);
    }
}
