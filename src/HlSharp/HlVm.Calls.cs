using HlSharp.Bytecode;
using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp;

/// <summary>Calls from the host into Haxe functions: typed delegates and the untyped lane.</summary>
public sealed partial class HlVm
{
    private Dictionary<(string Type, string Field, bool IsStatic), int>? _functions;

    /// <summary>The gate every host delegate and value of this VM checks (open after <see cref="RunEntry"/>, closed by <see cref="Dispose"/>).</summary>
    internal HostGate Gate { get; }

    /// <summary>This VM's conversion table between Haxe and C# values.</summary>
    internal HostValues Values { get; }

    /// <summary>
    /// A delegate that calls the static Haxe function <paramref name="className"/>.<paramref name="methodName"/>,
    /// checked against its Haxe signature: Int, Float, Single, Bool and hl.I64 are <see cref="int"/>,
    /// <see cref="double"/>, <see cref="float"/>, <see cref="bool"/> and <see cref="long"/>; String is
    /// <see cref="string"/>; objects are <see cref="HlObject"/>, arrays <see cref="HlArray{T}"/>, enums
    /// <see cref="HlEnum"/>, <c>Null&lt;T&gt;</c> is <c>T?</c>; any pointer type may also be <see cref="object"/>.
    /// A signature of numbers and bools only calls straight through the function's slot, with no
    /// allocation. The delegate stays valid as the function compiles or reloads; after
    /// <see cref="Dispose"/> it throws <see cref="ObjectDisposedException"/>. It may be made before
    /// <see cref="RunEntry"/>, but calling it before then throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No such class or static function (the message names a close match), or the delegate's signature does not match the function's (the message shows both).</exception>
    public TDelegate GetFunction<TDelegate>(string className, string methodName)
        where TDelegate : Delegate
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var index = FindStatic(className, methodName);
        var type = _module.Runtime.FunctionType(index);
        if (SignatureProblem(type, typeof(TDelegate)) is { } problem)
        {
            throw new ArgumentException(
                $"{className}.{methodName} is {HaxeTypeNames.Signature(type)} in Haxe; {typeof(TDelegate).Name} is {HaxeTypeNames.Signature(typeof(TDelegate))} ({problem})",
                nameof(TDelegate));
        }

        return (TDelegate)(IsDirect(typeof(TDelegate))
            ? HostDelegates.Direct(Gate, _module, index, typeof(TDelegate))
            : HostDelegates.Untyped(new HostCallTarget(Gate, index, null), typeof(TDelegate)));
    }

    /// <summary>A delegate over a method bound to its object (<see cref="HlObject.GetMethod{TDelegate}"/>), checked as <see cref="GetFunction{TDelegate}"/> checks.</summary>
    internal TDelegate MethodDelegate<TDelegate>(HlInstance target, int functionIndex, string name)
        where TDelegate : Delegate
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bound = _module.Runtime.BoundClosureType(_module.Runtime.FunctionType(functionIndex));
        if (SignatureProblem(bound, typeof(TDelegate)) is { } problem)
        {
            throw new ArgumentException(
                $"{name} is {HaxeTypeNames.Signature(bound)} in Haxe; {typeof(TDelegate).Name} is {HaxeTypeNames.Signature(typeof(TDelegate))} ({problem})",
                nameof(TDelegate));
        }

        // The untyped lane: the closure carries the object as its first argument, as a Haxe
        // method closure does, and the arguments convert through the one table.
        var closure = new HlClosure(bound, functionIndex, target, true);
        return (TDelegate)HostDelegates.Untyped(new HostCallTarget(Gate, -1, closure), typeof(TDelegate));
    }

    /// <summary>Like <see cref="GetFunction{TDelegate}"/>, but returns false when the function does not exist or its signature does not match.</summary>
    public bool TryGetFunction<TDelegate>(string className, string methodName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TDelegate? function)
        where TDelegate : Delegate
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        function = null;
        if (!Functions.TryGetValue((className, methodName, true), out var index) || SignatureProblem(_module.Runtime.FunctionType(index), typeof(TDelegate)) is not null)
        {
            return false;
        }

        function = GetFunction<TDelegate>(className, methodName);
        return true;
    }

    /// <summary>
    /// Calls a static Haxe function with host arguments converted by its Haxe parameter types, and
    /// returns the result as its natural C# value (see <see cref="GetFunction{TDelegate}"/>; null for Void).
    /// </summary>
    /// <exception cref="ArgumentException">No such function, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The Haxe code threw.</exception>
    public object? CallStatic(string className, string methodName, params object?[] args) =>
        CallFunction(FindStatic(className, methodName), null, args ?? [null], typeof(object));

    /// <summary>Calls a static Haxe function as <see cref="CallStatic(string, string, object?[])"/> does and reads its result as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The result cannot be read as <typeparamref name="T"/>.</exception>
    public T CallStatic<T>(string className, string methodName, params object?[] args) =>
        (T)CallFunction(FindStatic(className, methodName), null, args ?? [null], typeof(T))!;

    /// <summary>
    /// Calls a static Haxe function as <see cref="CallStatic(string, string, object?[])"/> does, and
    /// stops it when <paramref name="cancellationToken"/> is cancelled: the Haxe code unwinds at
    /// its next safe point (a loop back-edge, a function entry, or a blocking native such as
    /// <c>Sys.sleep</c>, <c>Lock.wait</c>, <c>Deque.pop</c> or <c>Mutex.acquire</c>) and the call
    /// throws <see cref="OperationCanceledException"/> carrying the token. A Haxe <c>catch</c>
    /// cannot take the cancellation, and the VM stays usable: its statics keep the values the code
    /// had given them when it stopped. A token already cancelled throws before any Haxe code runs.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before or during the call.</exception>
    /// <exception cref="ArgumentException">No such function, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The Haxe code threw.</exception>
    public object? CallStatic(string className, string methodName, CancellationToken cancellationToken, params object?[] args) =>
        CallFunction(FindStatic(className, methodName), null, args ?? [null], typeof(object), cancellationToken);

    /// <summary>Calls a static Haxe function as <see cref="CallStatic(string, string, CancellationToken, object?[])"/> does and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="CallStatic(string, string, CancellationToken, object?[])"/>
    /// <exception cref="InvalidCastException">The result cannot be read as <typeparamref name="T"/>.</exception>
    public T CallStatic<T>(string className, string methodName, CancellationToken cancellationToken, params object?[] args) =>
        (T)CallFunction(FindStatic(className, methodName), null, args ?? [null], typeof(T), cancellationToken)!;

    /// <summary>
    /// Calls a static Haxe function as <see cref="CallStatic(string, string, CancellationToken, object?[])"/>
    /// does, with a token that cancels itself once <paramref name="timeout"/> has passed
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: never).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="OperationCanceledException">The timeout passed before the Haxe code returned.</exception>
    /// <exception cref="ArgumentException">No such function, a wrong argument count, or an argument of the wrong type.</exception>
    /// <exception cref="HlHaxeException">The Haxe code threw.</exception>
    public object? CallStatic(string className, string methodName, TimeSpan timeout, params object?[] args)
    {
        using var deadline = Deadline(timeout);
        return CallStatic(className, methodName, deadline?.Token ?? CancellationToken.None, args);
    }

    /// <summary>Calls a static Haxe function as <see cref="CallStatic(string, string, TimeSpan, object?[])"/> does and reads its result as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="CallStatic(string, string, TimeSpan, object?[])"/>
    /// <exception cref="InvalidCastException">The result cannot be read as <typeparamref name="T"/>.</exception>
    public T CallStatic<T>(string className, string methodName, TimeSpan timeout, params object?[] args)
    {
        using var deadline = Deadline(timeout);
        return CallStatic<T>(className, methodName, deadline?.Token ?? CancellationToken.None, args);
    }

    /// <summary>A source that cancels itself after <paramref name="timeout"/>, or null for an infinite one.</summary>
    private static CancellationTokenSource? Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(timeout));
        return new CancellationTokenSource(timeout);
    }

    /// <summary>Calls a function index (with a receiver first for methods), or a closure, converting through the conversion table; the token cancels the Haxe code at its next safe point.</summary>
    internal object? CallFunction(int functionIndex, object? closure, object?[] args, Type returnType, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Gate.Open && !Gate.AwaitOpen())
        {
            throw NotInitialised();
        }

        var runtime = _module.Runtime;
        if (closure is not null)
        {
            var dynamicArgs = args.Select(Values.ToDynamic).ToArray();
            var dynamicResult = RunHaxe(() => runtime.CallDynamic(closure, dynamicArgs), cancellationToken: cancellationToken);
            return Values.ToHost(dynamicResult, runtime.BasicTypes.Dyn, returnType);
        }

        var type = runtime.FunctionType(functionIndex);
        if (args.Length != type.Arguments.Length)
        {
            throw new ArgumentException($"{_module.Code.DescribeFunction(functionIndex)} takes {type.Arguments.Length} arguments ({HaxeTypeNames.Signature(type)}), got {args.Length}", nameof(args));
        }

        var converted = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            converted[i] = Values.ToHaxe(args[i], type.Arguments[i]);
        }

        var invoker = _module.Invoker(functionIndex);
        var result = RunHaxe(() => invoker(converted), cancellationToken: cancellationToken);
        return Values.ToHost(result, type.Return!, returnType);
    }

    private static InvalidOperationException NotInitialised() =>
        new("Haxe code cannot be called before RunEntry has run the program's static initialisation");

    private Dictionary<(string Type, string Field, bool IsStatic), int> Functions
    {
        get
        {
            if (_functions is null)
            {
                var functions = new Dictionary<(string, string, bool), int>();
                // The live table: the program's functions, then those hot reloads added.
                foreach (var (owner, index) in _module.MemberFunctions())
                {
                    functions.TryAdd((owner.TypeName, owner.FieldName, owner.IsStatic), index);
                }

                _functions = functions;
            }

            return _functions;
        }
    }

    /// <summary>The function index of a static function, or an <see cref="ArgumentException"/> naming a close match.</summary>
    internal int FindStatic(string className, string methodName) => FindFunction(className, methodName, isStatic: true);

    internal int FindFunction(string className, string methodName, bool isStatic)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(methodName);
        if (Functions.TryGetValue((className, methodName, isStatic), out var index))
        {
            return index;
        }

        var classNames = Functions.Keys.Select(k => k.Type).Distinct(StringComparer.Ordinal).ToList();
        if (!classNames.Contains(className, StringComparer.Ordinal))
        {
            throw new ArgumentException($"the program has no class {className}{HaxeTypeNames.DidYouMean(className, classNames)}", nameof(className));
        }

        var members = Functions.Keys.Where(k => k.Type == className && k.IsStatic == isStatic).Select(k => k.Field);
        throw new ArgumentException(
            $"{className} has no {(isStatic ? "static function" : "method")} {methodName}{HaxeTypeNames.DidYouMean(methodName, members)}", nameof(methodName));
    }

    private static bool IsDirect(Type delegateType)
    {
        var invoke = DelegateInvoke.Of(delegateType);
        return invoke.GetParameters().All(p => IsPrimitive(p.ParameterType)) && (invoke.ReturnType == typeof(void) || IsPrimitive(invoke.ReturnType));

        static bool IsPrimitive(Type t) => t == typeof(int) || t == typeof(double) || t == typeof(float) || t == typeof(bool) || t == typeof(long);
    }

    private string? SignatureProblem(HlRuntimeType function, Type delegateType)
    {
        var invoke = DelegateInvoke.Of(delegateType);
        var parameters = invoke.GetParameters();
        if (parameters.Length != function.Arguments.Length)
        {
            return $"{parameters.Length} parameters for {function.Arguments.Length}";
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType.IsByRef || !Values.Accepts(function.Arguments[i], parameters[i].ParameterType))
            {
                return $"parameter {i + 1}: {HaxeTypeNames.Of(parameters[i].ParameterType)} cannot stand for {HaxeTypeNames.Of(function.Arguments[i])}";
            }
        }

        var ret = function.Return!;
        if (invoke.ReturnType != typeof(void) && ret.Kind != HlTypeKind.Void && !Values.Accepts(ret, invoke.ReturnType))
        {
            return $"the result: {HaxeTypeNames.Of(invoke.ReturnType)} cannot stand for {HaxeTypeNames.Of(ret)}";
        }

        if (invoke.ReturnType != typeof(void) && ret.Kind == HlTypeKind.Void)
        {
            return "the Haxe function returns Void";
        }

        return null;
    }

    /// <summary>What the emitted host delegates ask of the façade.</summary>
    private sealed class HostCalls(HlVm vm) : IHostCalls
    {
        public object? Invoke(int functionIndex, object? closure, object?[] arguments, Type returnType) =>
            vm.CallFunction(functionIndex, closure, arguments, returnType);

        public Exception? Fail(Exception exception) => vm.MapFailure(exception);

        public Exception NotReady() => vm._disposed ? new ObjectDisposedException(nameof(HlVm)) : NotInitialised();

        public ThreadAdmission AdmitThread(out IDisposable? autoRegistration) => vm._threads.AdmitCall(out autoRegistration);
    }
}
