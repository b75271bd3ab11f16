using HlSharp.Bytecode;

namespace HlSharp.Cli;

/// <summary>Reads the <c>.hl</c> file a command names, turning every way that can fail into a message for the user.</summary>
internal static class BytecodeFile
{
    /// <exception cref="CommandFailedException">The file is missing, unreadable, or not HashLink bytecode.</exception>
    public static HlCode Read(string path)
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
            return HlCode.ReadFile(path);
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
