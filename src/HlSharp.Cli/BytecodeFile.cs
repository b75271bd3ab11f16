using HlSharp.Bytecode;

namespace HlSharp.Cli;

/// <summary>Reads the <c>.hl</c> file a command names, turning every way that can fail into a message for the user.</summary>
internal static class BytecodeFile
{
    /// <exception cref="CommandFailedException">The file is missing, unreadable, or not HashLink bytecode.</exception>
    public static HlCode Read(string path) => Read(path, out _);

    /// <summary>Reads the file as <see cref="Read(string)"/> does and returns its bytes too, for a command that needs them as well (compile keeps them in the assembly it writes).</summary>
    /// <exception cref="CommandFailedException">The file is missing, unreadable, or not HashLink bytecode.</exception>
    public static HlCode Read(string path, out byte[] bytes)
    {
        if (Directory.Exists(path))
        {
            throw new CommandFailedException($"{path}: is a directory, not a .hl file");
        }

        if (!File.Exists(path))
        {
            throw new CommandFailedException($"{path}: file not found");
        }

        try
        {
            bytes = File.ReadAllBytes(path);
            return HlCode.Read(bytes);
        }
        catch (HlFormatException e)
        {
            throw new CommandFailedException($"{path}: not valid HashLink bytecode: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot read: {e.Message}", e);
        }
    }
}
