using HlSharp.Bytecode;

namespace HlSharp.Engine;

/// <summary>
/// Names functions the way HashLink's stack traces do (<c>module.c</c>): a method or static function
/// is <c>Owner.field</c> (static functions belong to the class's statics type, so <c>$Main.main</c>);
/// a local function is named after the nearest enclosing named function and a counter that grows each
/// time a named function's body creates or calls one (<c>$Main.~main.0</c>); the entry point is
/// <c>.init</c>; anything else is <c>fun$index</c>.
/// </summary>
internal sealed class FunctionSymbols
{
    private readonly string?[] _owner;
    private readonly string?[] _field;
    private readonly int[] _refOf;
    private readonly int[] _refNumber;

    public FunctionSymbols(HlCode code)
    {
        var n = code.FunctionIndexCount;
        _owner = new string?[n];
        _field = new string?[n];
        _refOf = new int[n];
        _refNumber = new int[n];
        Array.Fill(_refOf, -1);

        foreach (var member in HlFunctionOwners.MemberFunctions(code.Types))
        {
            // Only function- and dynamic-typed fields name the function they are bound to.
            if (member.BoundField is null || member.BoundField.Type.Kind is HlTypeKind.Fun or HlTypeKind.Dyn)
            {
                Set(member.FunctionIndex, member.Owner.Name, member.Field);
            }
        }

        // Local functions: scanned in file order, each call or closure creation inside a function
        // with a name (directly or through its own enclosing function) numbers the callee.
        var counters = new int[n];
        foreach (var f in code.Functions)
        {
            var real = f.Index;
            for (var guard = 0; real >= 0 && _owner[real] is null && guard < n; guard++)
            {
                real = _refOf[real];
            }

            if (real < 0 || _owner[real] is null)
            {
                continue;
            }

            foreach (var op in f.Ops)
            {
                if (op.Opcode is (>= HlOpcode.Call0 and <= HlOpcode.CallN) or HlOpcode.StaticClosure or HlOpcode.InstanceClosure
                    && (uint)op.P2 < (uint)n && code.GetFunction(op.P2) is not null && _owner[op.P2] is null)
                {
                    _refOf[op.P2] = real;
                    _refNumber[op.P2] = counters[real]++;
                }
            }
        }

        if ((uint)code.EntryPoint < (uint)n)
        {
            Set(code.EntryPoint, string.Empty, "init");
        }
    }

    private void Set(int functionIndex, string owner, string field)
    {
        if ((uint)functionIndex < (uint)_owner.Length)
        {
            _owner[functionIndex] = owner;
            _field[functionIndex] = field;
        }
    }

    /// <summary>The symbol HashLink prints before a frame's <c>(file:line)</c>.</summary>
    public string Name(int functionIndex)
    {
        if (_owner[functionIndex] is { } owner)
        {
            return owner + "." + _field[functionIndex];
        }

        if (_refOf[functionIndex] is >= 0 and var real)
        {
            return $"{_owner[real]}.~{_field[real]}.{_refNumber[functionIndex]}";
        }

        return "fun$" + functionIndex;
    }

    /// <summary>The field name HashLink reports for a null access on a call to this function (its own name, or its enclosing function's).</summary>
    public string? FieldName(int functionIndex) =>
        _owner[functionIndex] is not null ? _field[functionIndex]
        : _refOf[functionIndex] is >= 0 and var real ? _field[real]
        : null;
}
