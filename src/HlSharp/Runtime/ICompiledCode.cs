namespace HlSharp.Runtime;

/// <summary>
/// What the dynamic operations need from the engine, the only layer that compiles code: a caller
/// for a function index, and the slot of a wrapper that calls a closure through another
/// function type. Runtime states the need; Engine implements it.
/// </summary>
internal interface ICompiledCode
{
    /// <summary>A caller of a function index that takes its arguments in storage form and returns the result boxed (null for void).</summary>
    Func<object?[], object?> Invoker(int functionIndex);

    /// <summary>
    /// A delegate straight to the compiled method of a function of the bytecode whose two
    /// parameters and result are stored as references (a class's <c>__cast</c>), for a caller that
    /// calls it on every access: no argument array, no invoker; null for any other signature.
    /// </summary>
    Func<object?, object?, object?>? ReferenceCaller2(int functionIndex);

    /// <summary>The slot of the method that calls a wrapper closure (<see cref="HlRuntime.CallWrapped"/>) through <paramref name="target"/>'s storage signature.</summary>
    int WrapperSlot(HlRuntimeType target);

    /// <summary>How many function indices there is room for: the program's, then those hot reloads may add.</summary>
    int FunctionCapacity { get; }

    /// <summary>The function type of a function index a hot reload added (past the program's own).</summary>
    HlRuntimeType AddedFunctionType(int functionIndex);
}
