using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// The one mapping of exceptions that leave Haxe code for the host (<see cref="HlVm.RunEntry"/>,
/// and a Haxe thread's uncaught report). What Haxe code could have caught arrives as an
/// <see cref="HlHaxeException"/> carrying the same value a Haxe <c>catch</c> receives
/// (<see cref="HlRuntime.ValueOf"/>), with the .NET exception behind a fault as its inner
/// exception; HlSharp's own exceptions pass through as themselves; nothing else leaves raw.
/// </summary>
internal static class HostBoundary
{
    /// <summary>What the host sees for an exception that escaped Haxe code (never a <see cref="HaxeExit"/>, which is not an error).</summary>
    public static HlException ToHost(HlModule module, Exception exception) => exception switch
    {
        HlException own => own,
        HaxeThrow thrown => FromThrow(module, thrown),
        // A fault of compiled code or a native (null access, bounds, bad cast, out of memory, a
        // host native's own exception): Haxe code catches it as this value, so the host gets the same.
        _ => FromThrow(module, new HaxeThrow(SafeValueOf(module, exception), exception)),
    };

    private static HlHaxeException FromThrow(HlModule module, HaxeThrow thrown)
    {
        var value = SafeValueOf(module, thrown);
        var frames = thrown.PreservedStack ?? StackTraces.Capture(module, thrown.InnerException ?? thrown);
        string text;
        try
        {
            text = ValueFormatter.Format(module.Runtime, value);
        }
#pragma warning disable CA1031 // A value whose toString fails must still reach the host as an HlHaxeException.
        catch (Exception)
#pragma warning restore CA1031
        {
            text = "(the exception value could not be printed)";
        }

        return new HlHaxeException(value, text, new HaxeStackText(frames), thrown.InnerException);
    }

    private static object? SafeValueOf(HlModule module, Exception exception)
    {
        try
        {
            return module.Runtime.ValueOf(exception);
        }
#pragma warning disable CA1031 // Mapping must not fail: fall back to the exception's message.
        catch (Exception)
#pragma warning restore CA1031
        {
            return HlBytes.FromString(exception.Message);
        }
    }
}
