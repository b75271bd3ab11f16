namespace HlSharp;

/// <summary>
/// The base of every exception HlSharp throws on its own account. The hierarchy is closed: hosts
/// catch <see cref="HlException"/> or one of its sealed subclasses, never construct them.
/// </summary>
public abstract class HlException : Exception
{
    private protected HlException(string message)
        : base(message)
    {
    }

    private protected HlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
