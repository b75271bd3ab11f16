namespace HlSharp;

/// <summary>
/// Thrown by <see cref="HlVm.Reload()"/> (and its overloads) when the new version was refused: the
/// message lists each refused type and member and why, and <see cref="Result"/> carries them. The
/// program that was running before runs on, unchanged.
/// </summary>
public sealed class HlReloadException : HlException
{
    internal HlReloadException(HlReloadResult result)
        : base(result.ToString())
    {
        Result = result;
    }

    /// <summary>What the refused reload found, with <see cref="HlReloadResult.Refused"/> not empty.</summary>
    public HlReloadResult Result { get; }
}
