using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>sys.io.Process</c> and <c>Sys.command</c>: child processes with piped standard streams.
/// Children start in the VM's current directory with the process's environment.
/// </summary>
internal static class StdProcess
{
    /// <summary>The type of the console's streams, to tell whether the VM writes to the console.</summary>
    private static readonly Lazy<Type> ConsoleStreamType = new(() => Console.OpenStandardOutput().GetType());

    [HlNative("std", "process_run")]
    public static HlProcess ProcessRun(NativeContext m, HlBytes command, HlArray? args, bool detached)
    {
        // HashLink ignores `detached` off Windows: the child always gets pipes.
        var name = SysState.PathOf(command);
        var start = args is null ? Shell(name) : new ProcessStartInfo(name);
        if (args is not null)
        {
            foreach (var a in SysState.Strings(args))
            {
                start.ArgumentList.Add(a);
            }
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = m.Sys.CurrentDirectory;
        try
        {
            return new HlProcess(Process.Start(start) ?? throw new Win32Exception("no process started"));
        }
        catch (Win32Exception)
        {
            // HashLink forks first and reports a failed exec from the child; do the same, so a
            // program sees the message on the child's stderr and exit code 1, not an exception.
            return HlProcess.Failed($"Command not found : {name}\n");
        }
    }

    [HlNative("std", "process_stdout_read")]
    public static int ProcessStdoutRead(HlProcess p, HlBytes bytes, int pos, int length) => HlProcess.Read(p.Stdout, bytes, pos, length);

    [HlNative("std", "process_stderr_read")]
    public static int ProcessStderrRead(HlProcess p, HlBytes bytes, int pos, int length) => HlProcess.Read(p.Stderr, bytes, pos, length);

    [HlNative("std", "process_stdin_write")]
    public static int ProcessStdinWrite(HlProcess p, HlBytes bytes, int pos, int length) => p.Write(bytes, pos, length);

    [HlNative("std", "process_stdin_close")]
    public static bool ProcessStdinClose(HlProcess p) => p.CloseStdin();

    /// <summary>
    /// The exit code, waiting for it unless <paramref name="running"/> is given, in which case it
    /// says whether the child still runs (and the code is 0 while it does).
    /// </summary>
    [HlNative("std", "process_exit")]
    public static int ProcessExit(HlProcess p, HlRef<bool>? running) => p.Exit(running);

    [HlNative("std", "process_pid")]
    public static int ProcessPid(HlProcess p) => p.Pid;

    [HlNative("std", "process_close")]
    public static void ProcessClose(HlProcess p) => p.Dispose();

    [HlNative("std", "process_kill")]
    public static void ProcessKill(HlProcess p) => p.Kill();

    /// <summary>
    /// <c>Sys.command</c>: runs a command line through the shell and waits for it. When the VM
    /// writes to the console the child shares it; otherwise the child's output is copied into the
    /// VM's streams, so it lands in order with what the program printed.
    /// </summary>
    public static int RunShell(NativeContext m, string command)
    {
        var vm = m;
        vm.Out.Flush();
        vm.Error.Flush();
        var start = Shell(command);
        start.UseShellExecute = false;
        start.WorkingDirectory = vm.Sys.CurrentDirectory;
        start.RedirectStandardOutput = !IsConsole(vm.Out.BaseStream);
        start.RedirectStandardError = !IsConsole(vm.Error.BaseStream);
        start.RedirectStandardInput = !vm.Sys.InputIsConsole;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process started");
        }
        catch (Win32Exception)
        {
            return -1;
        }

        using (process)
        {
            if (start.RedirectStandardInput)
            {
                // The VM's input is the host's stream, not something a child can share: it reads an empty one.
                process.StandardInput.Close();
            }

            var copyOut = start.RedirectStandardOutput ? process.StandardOutput.BaseStream.CopyToAsync(vm.Out.BaseStream) : Task.CompletedTask;
            var copyErr = start.RedirectStandardError ? process.StandardError.BaseStream.CopyToAsync(vm.Error.BaseStream) : Task.CompletedTask;
            process.WaitForExit();
            Task.WaitAll(copyOut, copyErr);
            return process.ExitCode;
        }
    }

    private static bool IsConsole(Stream stream) => stream.GetType() == ConsoleStreamType.Value;

    private static ProcessStartInfo Shell(string command)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo(Environment.GetEnvironmentVariable("COMSPEC") ?? "cmd.exe")
            : new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add(OperatingSystem.IsWindows() ? "/C" : "-c");
        start.ArgumentList.Add(command);
        return start;
    }
}

/// <summary>A child process started by <c>process_run</c> (HashLink's <c>hl_process</c>).</summary>
internal sealed class HlProcess : IDisposable
{
    // HashLink reports death by a signal as this bit plus the signal number.
    private const int SignalFlag = 0x40000000;
    private const int SigKill = 9;

    private readonly Process? _process;
    private readonly int _failedExitCode;
    private Stream? _stdin;
    private bool _killed;

    public HlProcess(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        Stdout = process.StandardOutput.BaseStream;
        Stderr = process.StandardError.BaseStream;
    }

    private HlProcess(string stderr, int exitCode)
    {
        Stdout = new MemoryStream([]);
        Stderr = new MemoryStream(Encoding.UTF8.GetBytes(stderr));
        _stdin = Stream.Null;
        _failedExitCode = exitCode;
    }

    public Stream? Stdout { get; private set; }

    public Stream? Stderr { get; private set; }

    public int Pid => _process is null ? -1 : SafeId(_process);

    /// <summary>A process that could not start: it "printed" a message and exited with code 1.</summary>
    public static HlProcess Failed(string stderr) => new(stderr, 1);

    public static int Read(Stream? stream, HlBytes bytes, int pos, int length)
    {
        if (stream is null || length < 0)
        {
            return -1;
        }

        try
        {
            var n = stream.Read(bytes.Array, bytes.Offset + pos, length);
            return n <= 0 ? -1 : n;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return -1;
        }
    }

    public int Write(HlBytes bytes, int pos, int length)
    {
        if (_stdin is null || length < 0)
        {
            return -1;
        }

        try
        {
            _stdin.Write(bytes.Array, bytes.Offset + pos, length);
            _stdin.Flush();
            return length;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return -1;
        }
    }

    public bool CloseStdin()
    {
        if (_stdin is null)
        {
            return false;
        }

        try
        {
            _stdin.Dispose();
        }
        catch (IOException)
        {
            // A child that already left closed its end; the pipe is closed all the same.
        }

        _stdin = null;
        return true;
    }

    public int Exit(HlRef<bool>? running)
    {
        if (_process is null)
        {
            if (running is not null)
            {
                running.Value = false;
            }

            return _failedExitCode;
        }

        if (running is not null)
        {
            running.Value = !_process.HasExited;
            if (running.Value)
            {
                return 0;
            }
        }
        else
        {
            _process.WaitForExit();
        }

        var code = _process.ExitCode;

        // .NET reports a child killed by signal N as 128 + N; HashLink as SignalFlag | N. Only our
        // own kill is known for certain to be a signal.
        return _killed && code == 128 + SigKill ? SignalFlag | SigKill : code;
    }

    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.Kill();
            _killed = true;
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone: killing a finished child does nothing, as kill(2) on a zombie.
        }
    }

    /// <summary>Closes the pipes (the child keeps running, as with HashLink).</summary>
    public void Dispose()
    {
        CloseStdin();
        Stdout?.Dispose();
        Stderr?.Dispose();
        Stdout = null;
        Stderr = null;
    }

    private static int SafeId(Process process)
    {
        try
        {
            return process.Id;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
