using System.Diagnostics;
using System.Globalization;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The <c>Sys</c> natives: arguments, exit, clocks, environment, current directory, system name,
/// shell commands, the program's path. Paths and system strings are UTF-8 (HashLink's
/// <c>sys_utf8_path</c> is true off Windows); only <c>sys_string</c> answers in UCS-2.
/// </summary>
internal static class StdSys
{
    [HlNative("std", "sys_args")]
    public static HlArray SysArgs(NativeContext m) => SysState.BytesArray(m, m.Args);

    /// <summary>Ends the program: what was printed is flushed, then every Haxe frame unwinds to the host.</summary>
    [HlNative("std", "sys_exit")]
    public static void SysExit(NativeContext m, int code)
    {
        m.Out.Flush();
        m.Error.Flush();
        m.RequestExit(code);
        throw new HaxeExit(code);
    }

    /// <summary><c>Sys.time()</c> and <c>haxe.Timer.stamp()</c>: the VM's clock, wall time in seconds since 1970.</summary>
    [HlNative("std", "sys_time")]
    public static double SysTime(NativeContext m) => HaxeClock.NowSeconds(m.Clock);

    /// <summary>A monotonic timestamp in milliseconds, from the VM's clock.</summary>
    [HlNative("std", "sys_timestamp_ms")]
    public static long SysTimestampMs(NativeContext m) => HaxeClock.TimestampMilliseconds(m.Clock);

    // CPU time is what the process used, not a reading of the clock: a fake clock does not move it.

    [HlNative("std", "sys_cpu_time")]
    public static double SysCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    [HlNative("std", "sys_thread_cpu_time")]
    public static double SysThreadCpuTime() => SysCpuTime();

    [HlNative("std", "sys_sleep")]
    public static void SysSleep(NativeContext m, double seconds)
    {
        if (seconds > 0)
        {
            m.Stop.Sleep(TimeSpan.FromSeconds(seconds));
        }
    }

    [HlNative("std", "sys_getpid")]
    public static int SysGetPid() => Environment.ProcessId;

    [HlNative("std", "sys_string")]
    public static HlBytes SysString() => HlBytes.FromString(SystemName);

    /// <summary>HashLink's name for the operating system (<c>Sys.systemName()</c>).</summary>
    public static string SystemName =>
        OperatingSystem.IsWindows() ? "Windows"
        : OperatingSystem.IsMacOS() ? "Mac"
        : OperatingSystem.IsFreeBSD() ? "BSD"
        : OperatingSystem.IsAndroid() ? "Android"
        : OperatingSystem.IsIOS() ? "iOS"
        : OperatingSystem.IsTvOS() ? "tvOS"
        : "Linux";

    [HlNative("std", "sys_locale")]
    public static HlBytes? SysLocale() => Environment.GetEnvironmentVariable("LANG") is { } lang ? SysState.Utf8(lang) : null;

    [HlNative("std", "sys_set_time_locale")]
    public static bool SysSetTimeLocale(HlBytes locale)
    {
        // Dates print with numeric fields only, so the locale changes nothing HlSharp formats;
        // answer as setlocale would: known names succeed, others fail.
        var name = SysState.PathOf(locale);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        name = (dot >= 0 ? name[..dot] : name).Replace('_', '-');
        if (name is "" or "C" or "POSIX")
        {
            return true;
        }

        try
        {
            return !CultureInfo.GetCultureInfo(name, predefinedOnly: true).Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    [HlNative("std", "sys_set_flags")]
    public static int SysSetFlags(int flags) => flags;

    [HlNative("std", "sys_has_debugger")]
    public static bool SysHasDebugger() => Debugger.IsAttached;

    [HlNative("std", "sys_process_memory")]
    public static double SysProcessMemory() => Environment.WorkingSet;

    // ---- environment ----

    [HlNative("std", "sys_get_env")]
    public static HlBytes? SysGetEnv(HlBytes key) =>
        Environment.GetEnvironmentVariable(SysState.PathOf(key)) is { } value ? SysState.Utf8(value) : null;

    /// <summary>Sets (or, for a null value, removes) a variable of the process, as setenv/unsetenv would.</summary>
    [HlNative("std", "sys_put_env")]
    public static bool SysPutEnv(HlBytes key, HlBytes? value)
    {
        var name = SysState.PathOf(key);
        if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        Environment.SetEnvironmentVariable(name, value is null ? null : SysState.PathOf(value));
        return true;
    }

    /// <summary>Every variable as a flat array: name, value, name, value...</summary>
    [HlNative("std", "sys_env")]
    public static HlArray SysEnv(NativeContext m)
    {
        var items = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            items.Add((string)entry.Key);
            items.Add((string?)entry.Value ?? string.Empty);
        }

        return SysState.BytesArray(m, items);
    }

    // ---- current directory and paths of the program ----

    /// <summary>The VM's current directory, ending with a separator as HashLink's does.</summary>
    [HlNative("std", "sys_get_cwd")]
    public static HlBytes SysGetCwd(NativeContext m)
    {
        var cwd = m.Sys.CurrentDirectory;
        return SysState.Utf8(Path.EndsInDirectorySeparator(cwd) ? cwd : cwd + Path.DirectorySeparatorChar);
    }

    [HlNative("std", "sys_set_cwd")]
    public static bool SysSetCwd(NativeContext m, HlBytes path)
    {
        var state = m.Sys;
        var target = state.Resolve(path);
        if (target.Length == 0 || !Directory.Exists(target))
        {
            return false;
        }

        state.CurrentDirectory = Path.TrimEndingDirectorySeparator(target);
        return true;
    }

    [HlNative("std", "sys_exe_path")]
    public static HlBytes? SysExePath() => Environment.ProcessPath is { } path ? SysState.Utf8(path) : null;

    [HlNative("std", "sys_hl_file")]
    public static HlBytes? SysHlFile(NativeContext m) => m.Sys.ProgramPath is { } path ? SysState.Utf8(path) : null;

    // ---- console input and shell commands ----

    /// <summary>
    /// Reads one character without waiting for a line (a key press on a console, else the next byte
    /// of standard input; -1 at its end), echoing it when asked.
    /// </summary>
    [HlNative("std", "sys_get_char")]
    public static int SysGetChar(NativeContext m, bool echo)
    {
        var state = m.Sys;
        int c;
        if (state.InputIsConsole && !Console.IsInputRedirected)
        {
            c = Console.ReadKey(intercept: true).KeyChar;
        }
        else
        {
            try
            {
                c = state.Input.ReadByte();
            }
            catch (IOException)
            {
                c = -1;
            }
        }

        if (echo && c >= 0)
        {
            m.Out.WriteRaw([(byte)c]);
        }

        return c;
    }

    /// <summary>Runs a command line through <c>/bin/sh -c</c> (cmd.exe on Windows) and returns its exit code.</summary>
    [HlNative("std", "sys_command")]
    public static int SysCommand(NativeContext m, HlBytes command) => StdProcess.RunShell(m, SysState.PathOf(command));

    // ---- output and platform ----

    [HlNative("std", "sys_print")]
    public static void SysPrint(NativeContext m, HlBytes message) => m.Out.Write(message.ReadUcs2Terminated());

    [HlNative("std", "sys_utf8_path")]
    public static bool SysUtf8Path() => true;

    [HlNative("std", "sys_is64")]
    public static bool SysIs64() => true;
}
