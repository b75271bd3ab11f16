namespace HlSharp.Engine;

/// <summary>One reason a reload was refused: the type it concerns, the member when it is one, and why.</summary>
/// <param name="Type">The type, as its kind and name (<c>class Main</c>, <c>enum Color</c>), or what else was refused (<c>native std@foo</c>, <c>thread 12</c>).</param>
/// <param name="Member">The field, method or function of <paramref name="Type"/>, when the refusal is about one.</param>
/// <param name="Reason">Why, in words (<c>signature changed from (i32):i32 to (f64):i32</c>).</param>
internal sealed record ReloadRefusal(string Type, string? Member, string Reason)
{
    /// <summary>A refusal about a function named by its reload key (<c>Main.answer (static)</c>, <c>Main.make (static)~0</c>, <c>(entry)</c>).</summary>
    public static ReloadRefusal Of(string functionKey, string reason)
    {
        // "pack.Type.field (static)~0": the owner is everything before the last dot of the name part.
        var nameEnd = functionKey.IndexOfAny([' ', '~']);
        var dot = (nameEnd < 0 ? functionKey : functionKey[..nameEnd]).LastIndexOf('.');
        return dot <= 0 || functionKey.StartsWith('(')
            ? new ReloadRefusal(functionKey, null, reason)
            : new ReloadRefusal("class " + functionKey[..dot], functionKey[(dot + 1)..], reason);
    }

    /// <summary>A refusal about the reload as a whole (a compile error, a thread that did not reach a safe point).</summary>
    public static ReloadRefusal Whole(string what, string reason) => new(what, null, reason);

    public override string ToString() => Member is null ? $"{Type}: {Reason}" : $"{Type}.{Member}: {Reason}";
}
