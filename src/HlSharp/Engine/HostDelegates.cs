using System.Reflection;
using System.Reflection.Emit;
using HlSharp.Runtime;

namespace HlSharp.Engine;

/// <summary>
/// Emits the delegates a host calls Haxe functions through. A signature of numbers and bools
/// only gets a direct delegate: it reads the function's slot on every call (so it follows lazy
/// compilation and a reload) and calls through it with the exact types, with no allocation and no
/// conversion. Any other signature gets an untyped delegate that boxes its arguments into the
/// façade's call (<see cref="IHostCalls.Invoke"/>), where the conversion table applies.
/// Both check the gate first, then the calling thread (<see cref="ThreadAdmission"/>: the direct
/// delegate inlines the thread-static check and counts the call as running), and map exceptions
/// through the façade. Where code cannot be generated (NativeAOT), both are
/// <see cref="HostDelegateBridges"/>: the untyped lane, without emitting.
/// </summary>
internal static class HostDelegates
{
    private static readonly FieldInfo OpenField = typeof(HostGate).GetField(nameof(HostGate.Open))!;
    private static readonly MethodInfo NotReadyMethod = typeof(HostGate).GetMethod(nameof(HostGate.NotReady))!;
    private static readonly MethodInfo AwaitOpenMethod = typeof(HostGate).GetMethod(nameof(HostGate.AwaitOpen))!;
    private static readonly MethodInfo FailMethod = typeof(HostGate).GetMethod(nameof(HostGate.Fail))!;
    private static readonly MethodInfo EnsureCompiledMethod = typeof(HostGate).GetMethod(nameof(HostGate.EnsureCompiled))!;
    private static readonly MethodInfo CallsGetter = typeof(HostGate).GetProperty(nameof(HostGate.Calls))!.GetMethod!;
    private static readonly MethodInfo InvokeMethod = typeof(IHostCalls).GetMethod(nameof(IHostCalls.Invoke))!;
    private static readonly FieldInfo CurrentAdmissionField = typeof(ThreadAdmission).GetField(nameof(ThreadAdmission.CurrentField), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly FieldInfo AdmittedGateField = typeof(ThreadAdmission).GetField(nameof(ThreadAdmission.Gate))!;
    private static readonly FieldInfo RunningField = typeof(ThreadAdmission).GetField(nameof(ThreadAdmission.Running))!;
    private static readonly MethodInfo AdmitSlowMethod = typeof(HostGate).GetMethod(nameof(HostGate.AdmitSlow))!;
    private static readonly MethodInfo DisposeMethod = typeof(IDisposable).GetMethod(nameof(IDisposable.Dispose))!;
    private static readonly MethodInfo TypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;

    /// <summary>
    /// A delegate of <paramref name="delegateType"/> calling function <paramref name="functionIndex"/>
    /// through its slot; the delegate's parameter types must be the function's storage types, and its
    /// return type too, or void (the result is dropped).
    /// </summary>
    public static Delegate Direct(HostGate gate, HlModule module, int functionIndex, Type delegateType)
    {
        if (!DynamicCode.IsSupported)
        {
            return HostDelegateBridges.Create(new HostCallTarget(gate, functionIndex, null), delegateType);
        }

        var calleeReturn = module.FunctionType(functionIndex).Return!.Storage;
        var invoke = DelegateInvoke.Of(delegateType);
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var ret = invoke.ReturnType;
        var method = new DynamicMethod($"host{functionIndex}", ret, [typeof(HostGate), .. parameters], typeof(HostGate).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var slotAddress = module.Storage.SlotsAddress + (functionIndex * IntPtr.Size);
        var entry = il.DeclareLocal(typeof(nint));
        var result = ret == typeof(void) ? null : il.DeclareLocal(ret);
        var ready = il.DefineLabel();
        var compiled = il.DefineLabel();
        var end = il.DefineLabel();

        EmitGateCheck(il, ready);
        var (admission, autoRegistration) = EmitThreadCheck(il);
        il.BeginExceptionBlock();
        // The slot's address is a constant (the table is pinned); zero means not compiled yet.
        il.Emit(OpCodes.Ldc_I8, (long)slotAddress);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.Ldind_I);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, entry);
        il.Emit(OpCodes.Brtrue, compiled);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, functionIndex);
        il.Emit(OpCodes.Call, EnsureCompiledMethod);
        il.Emit(OpCodes.Stloc, entry);
        il.MarkLabel(compiled);
        for (var i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, i + 1);
        }

        il.Emit(OpCodes.Ldloc, entry);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, calleeReturn, parameters, null);
        if (result is not null)
        {
            il.Emit(OpCodes.Stloc, result);
        }
        else if (calleeReturn != typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }

        il.Emit(OpCodes.Leave, end);
        il.BeginCatchBlock(typeof(Exception));
        EmitFail(il);
        il.Emit(OpCodes.Leave, end);
        il.BeginFinallyBlock();
        EmitEndCall(il, admission, autoRegistration);
        il.EndExceptionBlock();
        il.MarkLabel(end);
        if (result is not null)
        {
            il.Emit(OpCodes.Ldloc, result);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate(delegateType, gate);
    }

    /// <summary>A delegate of <paramref name="delegateType"/> that passes its arguments, boxed, to <see cref="IHostCalls.Invoke"/>.</summary>
    public static Delegate Untyped(HostCallTarget target, Type delegateType)
    {
        if (!DynamicCode.IsSupported)
        {
            return HostDelegateBridges.Create(target, delegateType);
        }

        var invoke = DelegateInvoke.Of(delegateType);
        var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var ret = invoke.ReturnType;
        var method = new DynamicMethod($"host{target.FunctionIndex}", ret, [typeof(HostCallTarget), .. parameters], typeof(HostGate).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(HostCallTarget).GetField(nameof(HostCallTarget.Gate))!);
        il.Emit(OpCodes.Call, CallsGetter);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(HostCallTarget).GetField(nameof(HostCallTarget.FunctionIndex))!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(HostCallTarget).GetField(nameof(HostCallTarget.Closure))!);
        BoxedArguments.Emit(il, parameters, firstArgument: 1);

        il.Emit(OpCodes.Ldtoken, ret == typeof(void) ? typeof(void) : ret);
        il.Emit(OpCodes.Call, TypeFromHandle);
        il.Emit(OpCodes.Callvirt, InvokeMethod);
        if (ret == typeof(void))
        {
            il.Emit(OpCodes.Pop);
        }
        else
        {
            il.Emit(OpCodes.Unbox_Any, ret);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate(delegateType, target);
    }

    private static void EmitGateCheck(ILGenerator il, Label ready)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Volatile);
        il.Emit(OpCodes.Ldfld, OpenField);
        il.Emit(OpCodes.Brtrue, ready);
        // Closed: a hot reload's pause (wait for it, then enter) or not ready (throw).
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, AwaitOpenMethod);
        il.Emit(OpCodes.Brtrue, ready);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, NotReadyMethod);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(ready);
    }

    /// <summary>
    /// <see cref="HostGate.BeginCall"/>, inlined: when the thread-static admission names this gate
    /// the call is counted and enters; otherwise <see cref="HostGate.AdmitSlow"/> decides (and may
    /// register the thread for this call, or throw <see cref="HlThreadException"/>).
    /// </summary>
    private static (LocalBuilder Admission, LocalBuilder AutoRegistration) EmitThreadCheck(ILGenerator il)
    {
        var admission = il.DeclareLocal(typeof(ThreadAdmission));
        var autoRegistration = il.DeclareLocal(typeof(IDisposable));
        var slow = il.DefineLabel();
        var admitted = il.DefineLabel();
        il.Emit(OpCodes.Ldsfld, CurrentAdmissionField);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, admission);
        il.Emit(OpCodes.Brfalse, slow);
        il.Emit(OpCodes.Ldloc, admission);
        il.Emit(OpCodes.Volatile);
        il.Emit(OpCodes.Ldfld, AdmittedGateField);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Bne_Un, slow);
        il.Emit(OpCodes.Ldloc, admission);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldfld, RunningField);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stfld, RunningField);
        il.Emit(OpCodes.Br, admitted);
        il.MarkLabel(slow);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloca, autoRegistration);
        il.Emit(OpCodes.Call, AdmitSlowMethod);
        il.Emit(OpCodes.Stloc, admission);
        il.MarkLabel(admitted);
        return (admission, autoRegistration);
    }

    /// <summary><see cref="HostGate.EndCall"/>, inlined: the call stops counting, and a registration made for it ends.</summary>
    private static void EmitEndCall(ILGenerator il, LocalBuilder admission, LocalBuilder autoRegistration)
    {
        var done = il.DefineLabel();
        il.Emit(OpCodes.Ldloc, admission);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldfld, RunningField);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stfld, RunningField);
        il.Emit(OpCodes.Ldloc, autoRegistration);
        il.Emit(OpCodes.Brfalse, done);
        il.Emit(OpCodes.Ldloc, autoRegistration);
        il.Emit(OpCodes.Callvirt, DisposeMethod);
        il.MarkLabel(done);
    }

    /// <summary>In a catch block: the mapped exception is thrown; null (the program exited) falls through to a default result.</summary>
    private static void EmitFail(ILGenerator il)
    {
        var exception = il.DeclareLocal(typeof(Exception));
        var exited = il.DefineLabel();
        il.Emit(OpCodes.Stloc, exception);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, exception);
        il.Emit(OpCodes.Call, FailMethod);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brfalse, exited);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(exited);
        il.Emit(OpCodes.Pop);
    }
}
