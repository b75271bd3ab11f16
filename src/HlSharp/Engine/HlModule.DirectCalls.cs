using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using HlSharp.Bytecode;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Direct calls (issue 12): without hot reload nothing ever replaces a function's body (only a
/// reload rewrites a function's slot; host overrides reach natives only), so a call whose target
/// is fixed may be a plain <c>call</c> of the target's method rather than a load of its slot and
/// a <c>calli</c>: no load, no test, and the .NET JIT may inline a leaf callee. A call's target is
/// fixed for a static call (Call0..CallN) and for a method call on a class instance whose slot no
/// subclass overrides (<see cref="FixedMethods"/>). Compiled on first call, a caller usually runs
/// before its callees exist, so a function's small direct callees compile with it, first (IL only:
/// the CLR compiles them to machine code when they first run), a bounded number of levels deep,
/// and laziness is kept for everything larger. A callee still being compiled (recursion) or too
/// large is called through its slot as before. Ahead of time, every function is a method of
/// the written assembly, so every such call is direct.
/// </summary>
internal sealed partial class HlModule
{
    /// <summary>The most operations a callee compiled ahead of its first call may have.</summary>
    private const int EagerCalleeOps = 40;

    /// <summary>How many levels of callees compile ahead of the function first called.</summary>
    private const int EagerDepth = 2;

    private FixedMethods? _fixedMethods;

    /// <summary>Callees whose compile ahead of their first call failed, with the error their first call throws (under the compile lock).</summary>
    private readonly Dictionary<int, ExceptionDispatchInfo> _failedAhead = [];

    /// <summary>Throws the error of a compile ahead of the first call that failed (the first call reports it).</summary>
    private void ThrowIfFailedAhead(int functionIndex)
    {
        if (_failedAhead.TryGetValue(functionIndex, out var failure))
        {
            failure.Throw();
        }
    }

    /// <summary>Which method slots have one target for a class and all its subclasses (meaningful without hot reload only).</summary>
    public FixedMethods FixedMethods => _fixedMethods ??= new FixedMethods(Types);

    /// <summary>
    /// The method a direct call of function <paramref name="functionIndex"/> may name, or null when
    /// the call must go through the slot: with hot reload, for the entry, for a native ahead of
    /// time, and on the JIT path for a function not compiled yet. A native's adapter is emitted for
    /// its first caller (the caller compiles under the compile lock, as a first call would emit it):
    /// its binding is fixed at load, so the caller may call it directly.
    /// </summary>
    public MethodInfo? DirectCallTarget(int functionIndex)
    {
        if (HotReload || (uint)functionIndex >= (uint)Code.FunctionIndexCount || functionIndex == Code.EntryPoint)
        {
            return null;
        }

        if (Code.GetFunction(functionIndex) is not { } function)
        {
            return Writer is null && Code.GetNative(functionIndex) is not null ? NativeAdapterForCaller(functionIndex) : null;
        }

        if (Writer is { } writer)
        {
            return writer.FunctionMethod(functionIndex, StorageTypes.Of(function.Type.ReturnType), [.. function.Type.Arguments.Select(StorageTypes.OfArgument)]);
        }

        return Volatile.Read(ref _compiled[functionIndex]);
    }

    /// <summary>
    /// The adapter of a native for a direct call, emitted now if its first call has not come yet
    /// (and put in its slot, as its first call would). One that cannot be emitted is left to the
    /// slot, whose first call then reports the error where the program calls the native.
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only on the JIT path: the callers compile IL, which NativeAOT never does.")]
    private MethodInfo? NativeAdapterForCaller(int functionIndex)
    {
        if (Volatile.Read(ref _compiled[functionIndex]) is { } emitted)
        {
            return emitted;
        }

        try
        {
            return CompileLocked(functionIndex, depth: 1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>
    /// The function a method call on a receiver of type <paramref name="receiver"/> through
    /// <paramref name="slot"/> always reaches, or -1 when subclasses override it (or with hot reload).
    /// </summary>
    public int FixedMethodTarget(HlRuntimeType receiver, int slot) =>
        HotReload || receiver.Kind is not (HlTypeKind.Obj or HlTypeKind.Struct) ? -1 : FixedMethods.Target(receiver, slot);

    /// <summary>Compiles the small direct callees of <paramref name="function"/> not compiled yet, so it can call them directly (under the compile lock).</summary>
    [RequiresDynamicCode("Compiles HashLink functions to IL")]
    private void CompileCalleesFirst(HlFunction function, int depth)
    {
        if (HotReload || Writer is not null || depth >= EagerDepth)
        {
            return;
        }

        foreach (var callee in DirectCallees(function))
        {
            if (_compiled[callee] is null && !_compiling.Contains(callee) && !_failedAhead.ContainsKey(callee) && callee != Code.EntryPoint
                && Code.GetFunction(callee) is { } target && target.Ops.Length <= EagerCalleeOps)
            {
                try
                {
                    CompileLocked(callee, depth + 1);
                }
                catch (HlCompileException e)
                {
                    // Bad bytecode is reported when the function is called, as before, not when a
                    // caller that may never call it compiles. Its type stays defined in the arena
                    // (a second compile would clash with it), so the error is kept to throw then.
                    _failedAhead[callee] = ExceptionDispatchInfo.Capture(e);
                }
            }
        }
    }

    /// <summary>The functions <paramref name="function"/> calls by a fixed target: static calls and method calls no subclass overrides.</summary>
    private IEnumerable<int> DirectCallees(HlFunction function)
    {
        foreach (var op in function.Ops)
        {
            switch (op.Opcode)
            {
                case >= HlOpcode.Call0 and <= HlOpcode.CallN:
                    yield return op.P2;
                    break;
                case HlOpcode.CallMethod or HlOpcode.CallThis:
                    var receiver = op.Opcode == HlOpcode.CallThis ? 0 : op.Extra.IsDefaultOrEmpty ? -1 : op.Extra[0];
                    if ((uint)receiver < (uint)function.Registers.Length && FixedMethodTarget(Types[function.Registers[receiver].Index], op.P2) is >= 0 and var target)
                    {
                        yield return target;
                    }

                    break;
            }
        }
    }
}
