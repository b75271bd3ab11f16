namespace HlSharp.Cli;

/// <summary>The process exit codes of <c>hlsharp</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed: a missing file, bytecode that does not read, nothing matched. One line on stderr says why.</summary>
    public const int Failure = 1;

    /// <summary>The command exists but what it asks for is not implemented yet.</summary>
    public const int NotAvailable = 2;
}
