using System.Collections.Immutable;

namespace HlSharp.Bytecode;

/// <summary>
/// One operation of a function. The meaning of <see cref="P1"/>, <see cref="P2"/>, <see cref="P3"/>
/// and <see cref="Extra"/> depends on the opcode; <see cref="HlOpcodeShape.Of"/> describes it.
/// </summary>
public readonly record struct HlOp(HlOpcode Opcode, int P1, int P2, int P3, ImmutableArray<int> Extra)
{
    /// <summary>The shape of this operation's opcode.</summary>
    public HlOpcodeShape Shape => HlOpcodeShape.Of(Opcode);

    /// <summary>
    /// The argument registers of a call (<c>Call0</c> to <c>CallClosure</c>) or of <c>MakeEnum</c>,
    /// in order; for <c>CallMethod</c> and <c>CallThis</c> the receiver comes first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The operation is not a call.</exception>
    public ImmutableArray<int> GetCallArguments() => Opcode switch
    {
        HlOpcode.Call0 => [],
        HlOpcode.Call1 => [P3],
        HlOpcode.Call2 or HlOpcode.Call3 or HlOpcode.Call4 => [P3, .. Extra],
        HlOpcode.CallN or HlOpcode.CallMethod or HlOpcode.CallThis or HlOpcode.CallClosure or HlOpcode.MakeEnum => Extra,
        _ => throw new InvalidOperationException($"{Opcode} is not a call"),
    };

    /// <summary>Returns the operation index a jump offset leads to, given this operation's own index.</summary>
    public static int JumpTarget(int opIndex, int offset) => opIndex + 1 + offset;
}
