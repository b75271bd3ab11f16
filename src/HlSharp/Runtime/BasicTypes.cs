using HlSharp.Bytecode;

namespace HlSharp.Runtime;

/// <summary>
/// The run-time types of the basic kinds, used when a value's type must be named without a
/// register to read it from (boxing, <c>GetType</c> of a dynamic). Taken from the program's own
/// types where it declares them, so <c>Type.typeof</c> agrees with compiled code.
/// </summary>
internal sealed class BasicTypes
{
    private readonly HlRuntimeType[] _byKind = new HlRuntimeType[(int)HlTypeKind.Guid + 1];

    public BasicTypes(IEnumerable<HlRuntimeType> programTypes)
    {
        foreach (var t in programTypes)
        {
            if (t.Source is HlPrimitiveType && _byKind[(int)t.Kind] is null)
            {
                _byKind[(int)t.Kind] = t;
            }
        }

        for (var k = 0; k < _byKind.Length; k++)
        {
            _byKind[k] ??= HlRuntimeType.Synthetic((HlTypeKind)k);
        }
    }

    public HlRuntimeType Of(HlTypeKind kind) => _byKind[(int)kind];

    public HlRuntimeType Void => Of(HlTypeKind.Void);

    public HlRuntimeType Dyn => Of(HlTypeKind.Dyn);
}
