using HlSharp.Runtime;
using HlSharp.Timers;

namespace HlSharp.Natives;

/// <summary>
/// A timer callback that is a Haxe closure (<c>hlsharp.Timers</c>). The scheduler's host runs it
/// through the VM's host-call path (<see cref="RunsHaxeCode"/>), so it runs on an admitted thread
/// and what it throws is reported once, as <c>vm.UnhandledException</c>.
/// </summary>
internal sealed class HaxeTimerHandler : TimerHandler
{
    private readonly NativeContext _context;
    private readonly HlClosure _closure;

    public HaxeTimerHandler(NativeContext context, HlClosure closure)
    {
        _context = context;
        _closure = closure;
        // Named once, here: Dump reads names under the scheduler's lock.
        Name = NameOf(context, HlRuntime.Unwrap(closure));
    }

    /// <summary>The function's name as a Haxe stack trace shows it (<c>$Main.tick</c>, <c>Player.update</c>, <c>$Main.~main.0</c> for a local function).</summary>
    public override string Name { get; }

    public override bool RunsHaxeCode => true;

    /// <summary>
    /// Whether <paramref name="handler"/> is this closure as <c>Reflect.compareMethods</c> sees it:
    /// the same function bound to the same value. Haxe makes a new closure each time code reads
    /// <c>obj.method</c>, so identity would never match a method read twice.
    /// </summary>
    public override bool Matches(object handler) =>
        handler is HlClosure other && StdFun.FunCompare(HlRuntime.Unwrap(_closure), HlRuntime.Unwrap(other));

    /// <summary>Calls the closure with no arguments; false only when it returned the Bool false (a Void function returns null: it goes on).</summary>
    public override bool Invoke() => _context.Runtime.CallDynamic(_closure, []) is not false;

    private static string NameOf(NativeContext context, HlClosure closure) => closure switch
    {
        { BoundValue: IHostFunction } => "host function",
        { FunctionIndex: HlRuntime.VarArgsFunction } => "variable-argument function",
        _ => context.FunctionName(closure.FunctionIndex) ?? $"fun${closure.FunctionIndex}",
    };
}
