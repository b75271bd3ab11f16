using HlSharp.Bytecode;

namespace HlSharp.Cli;

/// <summary>Reads the <c>.hl</c> file a command names, turning every way that can fail into a message for the user.</summary>
internal static class BytecodeFile
{
    /// <exception cref="CommandFailedException">The file is missing, unreadable, or not HashLink bytecode.</exception>
    public static HlCode Read(string path) => Parse(path, ReadBytes(path));

    /// <exception cref="CommandFailedException">The bytes are not HashLink bytecode.</exception>
    public static HlCode Parse(string path, byte[] bytes)
    {
        try
        {
            return HlCode.Read(bytes);
        }
        catch (HlFormatException e)
        {
            throw new CommandFailedException($"{path}: not valid HashLink bytecode: {e.Message}", e);
        }
    }

    /// <exception cref="CommandFailedException">The file is missing or unreadable.</exception>
    public static byte[] ReadBytes(string path)
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
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot read: {e.Message}", e);
        }
    }
}
