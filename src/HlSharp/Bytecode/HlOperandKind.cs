namespace HlSharp.Bytecode;

/// <summary>What an operand of an <see cref="HlOp"/> means.</summary>
public enum HlOperandKind : byte
{
    /// <summary>A register of the function.</summary>
    Register,
    /// <summary>An index into <see cref="HlCode.Ints"/>.</summary>
    IntConstant,
    /// <summary>An index into <see cref="HlCode.Floats"/>.</summary>
    FloatConstant,
    /// <summary>A boolean literal (0 or 1).</summary>
    Bool,
    /// <summary>An index into the bytes constants (version 5) or the strings (earlier versions).</summary>
    BytesConstant,
    /// <summary>An index into <see cref="HlCode.Strings"/>.</summary>
    StringConstant,
    /// <summary>A function index (a function or a native).</summary>
    Function,
    /// <summary>An index into <see cref="HlCode.Globals"/>.</summary>
    Global,
    /// <summary>A field index of the object or virtual the operation works on.</summary>
    Field,
    /// <summary>A jump offset, relative to the next operation.</summary>
    Jump,
    /// <summary>An index into <see cref="HlCode.Types"/>.</summary>
    Type,
    /// <summary>A constructor index of the enum the operation works on.</summary>
    Construct,
    /// <summary>The number of variable operands that follow.</summary>
    Count,
    /// <summary>A plain number whose meaning depends on the operation.</summary>
    Literal,
}
