namespace HlSharp;

/// <summary>What a Haxe type of the program is (<see cref="HlTypeInfo.Kind"/>).</summary>
public enum HlTypeInfoKind
{
    /// <summary>A class: instance fields and methods, a super class, interfaces, statics.</summary>
    Class,

    /// <summary>An interface. HashLink has no interface types: values of one are virtuals with its fields, and the classes implementing it are listed by the interface.</summary>
    Interface,

    /// <summary>An enum, with its constructors.</summary>
    Enum,

    /// <summary>An abstract, as far as its compiled implementation class shows it (its functions; inline-only abstracts leave nothing).</summary>
    Abstract,
}
