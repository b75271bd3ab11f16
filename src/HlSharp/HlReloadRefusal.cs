namespace HlSharp;

/// <summary>
/// One reason a reload was refused (<see cref="HlReloadResult.Refused"/>): the type it concerns,
/// the member when it is about one, and why. <see cref="ToString"/> gives the line a log shows:
/// <c>class Main.answer: signature changed from (i32):i32 to (f64):i32</c>.
/// </summary>
public sealed class HlReloadRefusal
{
    internal HlReloadRefusal(string type, string? member, string reason)
    {
        Type = type;
        Member = member;
        Reason = reason;
    }

    /// <summary>
    /// The type, as its kind and Haxe name (<c>class Main</c>, <c>enum Color</c>), or what else the
    /// refusal is about (<c>native host@log</c>, <c>bytecode</c>, <c>thread 12</c>).
    /// </summary>
    public string Type { get; }

    /// <summary>The field, method or function of <see cref="Type"/> the refusal is about, or null when it is about the type or the reload as a whole.</summary>
    public string? Member { get; }

    /// <summary>Why the change cannot be applied, in words.</summary>
    public string Reason { get; }

    /// <summary>"type.member: reason", or "type: reason".</summary>
    public override string ToString() => Member is null ? $"{Type}: {Reason}" : $"{Type}.{Member}: {Reason}";
}
