using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// What the system natives keep per VM: the standard input, the path of the running program and
/// the current directory. The directory is the VM's own, not the process's: several VMs (and the
/// host) share one process, so <c>Sys.setCwd</c> must not move the others. Every native that takes
/// a path resolves it against this directory, and child processes start in it.
/// </summary>
internal sealed class SysState
{
    private readonly Lock _lock = new();
    private Stream? _input;
    private string? _cwd;

    /// <summary>The stream Haxe's standard input reads; the process's standard input when none was given.</summary>
    public Stream Input
    {
        get
        {
            lock (_lock)
            {
                return _input ??= Console.OpenStandardInput();
            }
        }

        set
        {
            lock (_lock)
            {
                _input = value;
            }
        }
    }

    /// <summary>True when the program reads the console itself (so <c>Sys.getChar</c> can read a key).</summary>
    public bool InputIsConsole { get; set; } = true;

    /// <summary>The <c>.hl</c> file the program was loaded from, when known (<c>Sys.programPath</c>).</summary>
    public string? ProgramPath { get; set; }

    /// <summary>The VM's current directory, an absolute path without a trailing separator (except the root).</summary>
    public string CurrentDirectory
    {
        get
        {
            lock (_lock)
            {
                return _cwd ??= Directory.GetCurrentDirectory();
            }
        }

        set
        {
            lock (_lock)
            {
                _cwd = value;
            }
        }
    }

    /// <summary>A path the program passed (UTF-8, zero-terminated: HashLink's paths on this platform).</summary>
    public static string PathOf(HlBytes path) => path.ReadUtf8Terminated();

    /// <summary>An absolute path for a path the program passed, relative ones taken from the VM's directory.</summary>
    public string Resolve(HlBytes path) => Resolve(PathOf(path));

    /// <inheritdoc cref="Resolve(HlBytes)"/>
    public string Resolve(string path) => path.Length == 0 ? path : Path.GetFullPath(path, CurrentDirectory);

    /// <summary>A zero-terminated UTF-8 copy of a path or other system string, as HashLink returns them here.</summary>
    public static HlBytes Utf8(string text) => HlBytes.FromUtf8(text);

    /// <summary>A native array of <c>hl.Bytes</c> (UTF-8 strings), as <c>sys_args</c> and friends return.</summary>
    public static HlArray BytesArray(NativeContext m, IReadOnlyList<string> items)
    {
        var data = new object?[items.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = Utf8(items[i]);
        }

        return new HlArray(m.Runtime.BasicTypes.Of(Bytecode.HlTypeKind.Bytes), data);
    }

    /// <summary>The strings of a native array of UTF-8 <c>hl.Bytes</c>.</summary>
    public static string[] Strings(HlArray array)
    {
        var result = new string[array.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = array.Data.GetValue(i) is HlBytes b ? b.ReadUtf8Terminated() : string.Empty;
        }

        return result;
    }
}
